package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
	"lingong/store/storetest"
)

// The loaders the matching index is built from at start read whole tables through database/sql; the
// gigs and workers they return are exactly what the gorm readers of one row return, in id order, and
// only the open gigs and active workers (with tags, station codes and employer names, where other
// gigs' and workers' tags lie in between).
func TestIndexLoadersAgreeWithTheSingleRowReaders(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, e, nil)
			db := storetest.SQL(t, e)
			staff := domain.Principal{Kind: domain.AsAdmin, ID: 1}
			today := domain.DateOf(time.Now())
			var wantJobs []int64
			for n := range 3 {
				emp, _ := newEmployer(t, s, []string{"ZN-S03", "SPT-M1", "ZN-S03"}[n], n+1)
				owner := domain.Principal{Kind: domain.AsEmployer, ID: emp.ID}
				for k := range 4 {
					j := newJob(emp, today)
					j.Skills = []string{"枸杞采摘", "搬运", "装卸"}[:k%3+1]
					if k%2 == 1 {
						j.RequiredCerts = []string{"健康证", "叉车证"}[:k/2+1]
					}
					j.Shifts = []domain.Shift{{Start: "08:00", End: "12:00"}}[:k%2]
					created, err := s.CreateJob(ctx, j, owner, "")
					if err != nil {
						t.Fatal(err)
					}
					if k == 3 { // stays in review
						continue
					}
					if _, err := s.ReviewJob(ctx, created.ID, true, "", staff, ""); err != nil {
						t.Fatal(err)
					}
					wantJobs = append(wantJobs, created.ID)
				}
			}
			var wantWorkers []int64
			for n := range 5 {
				w := testWorker(t, s, fmt.Sprintf("1370000%04d", n))
				w.Skills = []string{"搬运", "枸杞采摘", "电焊"}[:n%3+1]
				if n%2 == 0 {
					w.Certs = []string{"电工证"}
				}
				got, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: w, Staff: staff})
				if err != nil {
					t.Fatal(err)
				}
				if n == 2 {
					if _, err := db.Exec(placeholders(e, `UPDATE workers SET status = 'inactive' WHERE id = ?`), got.ID); err != nil {
						t.Fatal(err)
					}
					continue
				}
				wantWorkers = append(wantWorkers, got.ID)
			}

			jobs, err := s.OpenJobs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			workers, err := s.ActiveWorkers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want []domain.Job
			for _, id := range wantJobs {
				j, err := s.JobByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, j)
			}
			if diff := cmp.Diff(want, jobs); diff != "" {
				t.Errorf("open gigs (-single-row reader +index loader):\n%s", diff)
			}
			var wantW []domain.Worker
			for _, id := range wantWorkers {
				w, err := s.WorkerByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				wantW = append(wantW, w)
			}
			if diff := cmp.Diff(wantW, workers); diff != "" {
				t.Errorf("active workers (-single-row reader +index loader):\n%s", diff)
			}
		})
	}
}

// q writes PostgreSQL's placeholders for ? on that engine.
func placeholders(e storetest.Engine, s string) string {
	if e.Name == "sqlite" {
		return s
	}
	for n := 1; ; n++ {
		i := strings.IndexByte(s, '?')
		if i < 0 {
			return s
		}
		s = s[:i] + fmt.Sprintf("$%d", n) + s[i+1:]
	}
}
