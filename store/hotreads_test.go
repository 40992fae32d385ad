package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// The one-query read behind GET /api/v1/workers/me/matches gives the worker exactly as WorkerByID does
// (skills and certificates in the database's order, the station's code) and the gigs with a pending or
// accepted application — not the withdrawn one, nor another worker's.
func TestWorkerWithLiveApplicationsMatchesTheSingleRowReaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		w := domain.Worker{Phone: "13812349999", Name: "马福海", District: "中宁县", Town: "宁安镇", StationID: m.station.ID,
			Skills: []string{"装卸", "枸杞采摘", "搬运"}, Certs: []string{"健康证", "电工证"}}
		if err := s.InsertWorker(ctx, &w, ""); err != nil {
			t.Fatal(err)
		}
		other := m.worker()
		var jobs []domain.Job
		for range 4 {
			jobs = append(jobs, m.job(3, "2027-03-01", "2027-03-02"))
		}
		var apps []domain.Application
		for _, j := range jobs[:3] {
			a, _, err := s.Apply(ctx, j.ID, w.ID, domain.OriginApplied, workerP(w), "")
			if err != nil {
				t.Fatal(err)
			}
			apps = append(apps, a)
		}
		if _, _, err := s.Apply(ctx, jobs[3].ID, other.ID, domain.OriginApplied, workerP(other), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WithdrawApplication(ctx, apps[1].ID, workerP(w), ""); err != nil {
			t.Fatal(err)
		}
		got, applied, err := s.WorkerWithLiveApplications(ctx, w.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.WorkerByID(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("worker (-WorkerByID +WorkerWithLiveApplications):\n%s", diff)
		}
		if ids := slices.Sorted(maps.Keys(applied)); !slices.Equal(ids, []int64{jobs[0].ID, jobs[2].ID}) {
			t.Errorf("live applications %v, want %v", ids, []int64{jobs[0].ID, jobs[2].ID})
		}
		// A worker with no tags and no application.
		bare := domain.Worker{Phone: "13812348888", Name: "杨秀兰", District: "中宁县", Town: "宁安镇", StationID: m.station.ID,
			Skills: []string{}, Certs: []string{}}
		if err := s.InsertWorker(ctx, &bare, ""); err != nil {
			t.Fatal(err)
		}
		got, applied, err = s.WorkerWithLiveApplications(ctx, bare.ID, 0)
		want, _ = s.WorkerByID(ctx, bare.ID)
		if err != nil || len(applied) != 0 || !cmp.Equal(want, got) {
			t.Errorf("worker without tags: %v, applied %v, diff %s", err, applied, cmp.Diff(want, got))
		}
		if _, _, err := s.WorkerWithLiveApplications(ctx, 999999, 0); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("unknown worker: %v, want not_found", err)
		}
	})
}

// A worker's matches are read from memory by the version their session reads, and that version moves
// with every change the matches depend on, whoever makes it: the use cases, and SQL typed by hand on
// the worker row, their skills and certificates, their applications and their station. After each
// change the read through the session equals a fresh read from the database; without the triggers of
// migration 00210 it would still answer the profile and applications as they were.
func TestWorkersMatchesReadFromMemoryAreNeverOlderThanTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		w := m.worker()
		sess, err := s.CreateWorkerSession(ctx, w.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		jobs := []domain.Job{m.job(3, "2027-03-01", "2027-03-02"), m.job(3, "2027-04-01", "2027-04-02")}
		raw := s.SQL()
		pg := s.Dialect() == "postgres"
		exec := func(q string, args ...any) {
			t.Helper()
			if pg {
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
				}
			}
			if _, err := raw.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		check := func(step string) {
			t.Helper()
			p, err := s.Authenticate(ctx, sess.Token)
			if err != nil {
				t.Fatalf("%s: session: %v", step, err)
			}
			got, gotApplied, err := s.WorkerWithLiveApplications(ctx, w.ID, p.WorkerVersion)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want, err := s.WorkerByID(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantApplied := map[int64]bool{}
			views, err := s.ApplicationsForWorker(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range views {
				if a.Status == domain.AppPending || a.Status == domain.AppAccepted {
					wantApplied[a.JobID] = true
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after %s, the worker for matches (-database +served):\n%s", step, diff)
			}
			if diff := cmp.Diff(wantApplied, gotApplied, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("after %s, live applications (-database +served):\n%s", step, diff)
			}
			if v := s.CachedWorkerVersion(w.ID); v != p.WorkerVersion {
				t.Errorf("after %s, the process keeps version %d, the session read %d", step, v, p.WorkerVersion)
			}
		}
		check("the first read")
		check("a second read, from memory")
		steps := []struct {
			name   string
			change func()
		}{
			{"a profile edit", func() {
				prof := domain.WorkerProfile{Name: "马福海", Skills: []string{"装卸", "枸杞采摘"}, Certs: []string{"健康证"},
					District: "中宁县", Town: "宁安镇", ExpectedWageFen: 15000, ExpectedWageUnit: domain.PerDay, MaxCommuteKm: 20}
				if _, err := s.UpdateWorker(ctx, workerP(w), "", w.ID, prof, nil); err != nil {
					t.Fatal(err)
				}
			}},
			{"a skill added by SQL", func() { exec("INSERT INTO worker_skills (worker_id, skill) VALUES (?, ?)", w.ID, "搬运") }},
			{"a certificate removed by SQL", func() { exec("DELETE FROM worker_certs WHERE worker_id = ?", w.ID) }},
			{"a certificate added by SQL", func() { exec("INSERT INTO worker_certs (worker_id, cert) VALUES (?, ?)", w.ID, "电工证") }},
			{"an application", func() {
				if _, _, err := s.Apply(ctx, jobs[0].ID, w.ID, domain.OriginApplied, workerP(w), ""); err != nil {
					t.Fatal(err)
				}
			}},
			{"an acceptance", func() {
				views, _ := s.ApplicationsForWorker(ctx, w.ID)
				if _, err := s.AcceptApplication(ctx, views[0].ID, employerOf(m.employer), "", testTerms); err != nil {
					t.Fatal(err)
				}
			}},
			{"a second application", func() {
				if _, _, err := s.Apply(ctx, jobs[1].ID, w.ID, domain.OriginApplied, workerP(w), ""); err != nil {
					t.Fatal(err)
				}
			}},
			{"an application withdrawn by SQL", func() {
				exec("UPDATE applications SET status = 'withdrawn' WHERE worker_id = ? AND job_id = ?", w.ID, jobs[1].ID)
			}},
			{"the worker row changed by SQL", func() { exec("UPDATE workers SET max_commute_km = 5, name = ? WHERE id = ?", "马福山", w.ID) }},
			{"the station's code changed by SQL", func() { exec("UPDATE stations SET code = 'ZN-M9' WHERE id = ?", m.station.ID) }},
			{"an application deleted by SQL", func() { exec("DELETE FROM applications WHERE worker_id = ? AND job_id = ?", w.ID, jobs[1].ID) }},
		}
		for _, st := range steps {
			st.change()
			check(st.name)
			check(st.name + ", read again")
		}
	})
}

// The worker cache holds a bounded number of workers however many ask, keeps the ones that keep
// asking, and answers only the version it was given.
func TestWorkerCacheIsBounded(t *testing.T) {
	n, kept := store.WorkerCacheBound(200_000)
	if n > store.WorkerCacheEntries {
		t.Errorf("after 200,000 workers the cache holds %d, want at most %d", n, store.WorkerCacheEntries)
	}
	if !kept {
		t.Error("a worker read between every 1,000 others was dropped")
	}
}
