package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/store/storetest"
	"lingong/test/testtool"
)

// The morning rush of issue 21: N workers check in through the HTTP API of the real service, on each
// engine, arriving at an even rate (an open loop: a slow answer does not slow the arrivals). Each check-in
// is a recorder (记录员) scanning the worker's card with the employer's key, POST /api/v1/attendance/scan,
// which runs the same use case, rules, transaction, evidence chain and audit as a worker's own scan of the
// site code. 20 employers each have a gig with 100 signed contracts for today, seeded in-process before the
// server starts. Every check-in must answer 201 and be in the database afterwards (0 errors); the log
// gives p50, p99 and max. Opt-in only (it seeds 2,000 contracts), with the goal p99 < 500 ms:
//
//	LINGONG_LOADTEST=1 go test ./cmd/lingong -run TestCheckInRush -v
//
// By default the 2,000 check-ins arrive over 120 s (16.7 a second, five times the rate of the issue's
// 2,000 in 10 minutes); -rush.seconds 600 runs the issue's own rate.
var (
	checkInRushN       = flag.Int("rush.checkins", 2000, "check-ins in the morning rush test")
	checkInRushSeconds = flag.Float64("rush.seconds", 120, "seconds over which the morning rush's check-ins arrive")
)

func TestCheckInRush(t *testing.T) {
	if !testtool.LoadGoals() {
		t.Skip("load test: run with LINGONG_LOADTEST=1 (docs/performance.md)")
	}
	const employers = 20
	n := *checkInRushN
	perJob := (n + employers - 1) / employers
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			keys, cards, jobs := seedRush(t, e, employers, perJob, n)
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_SECRET_KEY": string(storetest.TestKey)}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 30 * time.Second}
			lat := &latencies{by: map[string][]time.Duration{}}
			var failed atomic.Int64
			var firstErr atomic.Value
			gap := time.Duration(*checkInRushSeconds * float64(time.Second) / float64(n))
			var wg sync.WaitGroup
			start := time.Now()
			for i := 0; i < n; i++ {
				time.Sleep(time.Until(start.Add(time.Duration(i) * gap)))
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					b, _ := json.Marshal(map[string]string{"card": cards[i], "kind": "in"})
					req, _ := http.NewRequest("POST", srv.URL+"/api/v1/attendance/scan", bytes.NewReader(b))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+keys[i/perJob])
					t0 := time.Now()
					resp, err := client.Do(req)
					if err == nil {
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != 201 {
							err = fmt.Errorf("check-in %d: %d %s", i, resp.StatusCode, body)
						}
					}
					lat.add("checkin", time.Since(t0))
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}(i)
			}
			wg.Wait()
			elapsed := time.Since(start)
			ds := lat.by["checkin"]
			p50, p99, pmax := percentile(ds, 0.50), percentile(ds, 0.99), percentile(ds, 1)
			t.Logf("%s: %d check-ins in %.1f s (%.1f/s): p50 %v, p99 %v, max %v, errors %d", e.Name, n, elapsed.Seconds(),
				float64(n)/elapsed.Seconds(), p50.Round(100*time.Microsecond), p99.Round(100*time.Microsecond), pmax.Round(time.Millisecond), failed.Load())
			if f := failed.Load(); f != 0 {
				t.Fatalf("%d check-ins failed; the first: %v", f, firstErr.Load())
			}
			s := storetest.Open(t, e, nil)
			stored := 0
			for _, j := range jobs {
				days, err := s.AttendanceOfJob(context.Background(), j, domain.DateOf(time.Now()))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range days {
					if d.In != nil {
						stored++
					}
				}
			}
			if stored != n {
				t.Fatalf("%d check-ins stored, want %d", stored, n)
			}
			if p99 > 500*time.Millisecond {
				t.Errorf("p99 %v, want < 500 ms", p99)
			}
		})
	}
}

// seedRush makes, in-process, employers gigs of today each with perJob signed contracts (n in all) and
// returns each employer's API key, each worker's number in the order of the contracts, and the gigs.
func seedRush(t *testing.T, e storetest.Engine, employers, perJob, n int) (keys, cards []string, jobs []int64) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t, e, nil)
	defer s.Close()
	svc := app.New(app.Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey, Wage: domain.DefaultWageStandard()}, app.Deps{Store: s})
	admin := domain.Principal{Kind: domain.AsAdmin, ID: 1}
	today := domain.DateOf(time.Now())
	ptr := func(s string) *string { return &s }
	cards = make([]string, n)
	jobs = make([]int64, employers)
	for k := range employers {
		emp, err := svc.CreateEmployer(ctx, admin, app.NewEmployer{Kind: domain.EmployerIndividual, Name: fmt.Sprintf("枸杞园%02d", k),
			ContactName: "王建国", ContactPhone: fmt.Sprintf("139%08d", k), StationCode: "ZN-M1"})
		if err != nil {
			t.Fatal(err)
		}
		key, err := svc.CreateAPIKey(ctx, admin, emp.Employer.ID)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key.Secret)
		headcount, wage, hours := perJob, int64(20000), 8.0
		j, err := svc.PostJob(ctx, domain.Principal{Kind: domain.AsEmployer, ID: emp.Employer.ID}, app.NewJob{JobFields: app.JobFields{
			Title: ptr("宁安镇枸杞园招采摘工"), Headcount: &headcount, WageFen: &wage, WageUnit: ptr("day"), Settlement: ptr("daily"),
			District: ptr("中宁县"), Town: ptr("宁安镇"), StartDate: ptr(string(today)), EndDate: ptr(string(today.AddDays(2))), DailyHours: &hours}})
		if err == nil {
			_, err = svc.ReviewJob(ctx, admin, j.ID, app.Review{Decision: "approve"})
		}
		if err != nil {
			t.Fatal(err)
		}
		jobs[k] = j.ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	next := atomic.Int64{}
	for range 4 {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := seedContract(ctx, svc, admin, jobs[i/perJob], i, today, cards); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	return keys, cards, jobs
}

// seedContract registers worker i, hires them on job and has both sides sign, witnessed by the station.
func seedContract(ctx context.Context, svc *app.Service, admin domain.Principal, job int64, i int, today domain.Date, cards []string) error {
	reg, err := svc.RegisterWorker(ctx, admin, app.Registration{Phone: fmt.Sprintf("1371%07d", i), StationCode: "ZN-M1", Profile: domain.WorkerProfile{
		Name: "马福海", District: "中宁县", Town: "宁安镇", Skills: []string{"枸杞采摘"}, ExpectedWageFen: 18000, ExpectedWageUnit: domain.PerDay,
		MaxCommuteKm: 20, AvailableFrom: today}})
	if err != nil {
		return err
	}
	ap, err := svc.Apply(ctx, admin, job, reg.Worker.ID)
	if err != nil {
		return err
	}
	ct, err := svc.Accept(ctx, admin, ap.Application.ID)
	if err != nil {
		return err
	}
	for _, role := range []domain.SignerRole{domain.SignerWorker, domain.SignerEmployer} {
		if _, err := svc.Sign(ctx, admin, ct.ID, app.Signing{Role: role, TermsHash: ct.TermsHash, HashShown: true}); err != nil {
			return err
		}
	}
	cards[i] = reg.Worker.No
	return nil
}
