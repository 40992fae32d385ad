package store_test

import (
	"context"
	"flag"
	"sync"
	"testing"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

var concurrencyRounds = flag.Int("concurrency.rounds", 50, "rounds of TestAcceptanceInvariantsUnderConcurrency")

// Issue 9 item 4: under 200 concurrent acceptance attempts, repeated 50 times (CI runs it with -race),
// no gig ever has more accepted workers than its headcount and no worker holds two gigs whose days and
// hours overlap. Each round: four new gigs of 5 places — the first two overlap each other, as do the
// last two, and the two pairs do not — 50 workers who applied to all four, and all 200 applications
// accepted at once.
func TestAcceptanceInvariantsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		workers := make([]domain.Worker, 50)
		for i := range workers {
			workers[i] = m.worker()
		}
		morning := domain.Shift{Start: "06:00", End: "12:00"}
		accepted := 0
		for round := 0; round < *concurrencyRounds; round++ {
			base := domain.Date("2027-03-01").AddDays(round * 10)
			jobs := []domain.Job{
				m.job(5, base, base.AddDays(2), morning),
				m.job(5, base.AddDays(1), base.AddDays(3), morning),
				m.job(5, base.AddDays(5), base.AddDays(6), morning),
				m.job(5, base.AddDays(6), base.AddDays(7), morning),
			}
			var apps []domain.Application
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, w := range workers {
				for _, g := range jobs {
					wg.Add(1)
					go func(w domain.Worker, g domain.Job) {
						defer wg.Done()
						a, _, err := s.Apply(ctx, g.ID, w.ID, domain.OriginApplied, workerP(w), "")
						if err != nil {
							t.Errorf("apply: %v", err)
							return
						}
						mu.Lock()
						apps = append(apps, a)
						mu.Unlock()
					}(w, g)
				}
			}
			wg.Wait()
			for _, a := range apps {
				wg.Add(1)
				go func(a domain.Application) {
					defer wg.Done()
					_, err := s.AcceptApplication(ctx, a.ID, employerOf(m.employer), "", testTerms)
					if err != nil && !domain.IsCode(err, domain.CodeConflict) {
						t.Errorf("accept: %v", err)
					}
				}(a)
			}
			wg.Wait()
			held := map[int64][]int{} // worker -> indexes of the gigs they hold
			for gi, g := range jobs {
				views, err := s.ApplicationsForJob(ctx, g.ID)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, v := range views {
					if v.Status == domain.AppAccepted {
						n++
						held[v.WorkerID] = append(held[v.WorkerID], gi)
					}
				}
				j, _ := s.JobByID(ctx, g.ID)
				if n > g.Headcount || j.Filled != n {
					t.Fatalf("round %d gig %d: %d accepted, filled %d, headcount %d", round, gi, n, j.Filled, g.Headcount)
				}
				accepted += n
			}
			for w, gis := range held {
				for _, a := range gis {
					for _, b := range gis {
						if a < b && jobs[a].Overlaps(jobs[b]) {
							t.Fatalf("round %d: worker %d holds overlapping gigs %d and %d", round, w, a, b)
						}
					}
				}
			}
		}
		t.Logf("%d rounds of 200 concurrent accepts: %d places taken, never over a headcount, never two overlapping gigs per worker", *concurrencyRounds, accepted)
	})
}
