package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

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
		got, applied, err := s.WorkerWithLiveApplications(ctx, w.ID)
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
		got, applied, err = s.WorkerWithLiveApplications(ctx, bare.ID)
		want, _ = s.WorkerByID(ctx, bare.ID)
		if err != nil || len(applied) != 0 || !cmp.Equal(want, got) {
			t.Errorf("worker without tags: %v, applied %v, diff %s", err, applied, cmp.Diff(want, got))
		}
		if _, _, err := s.WorkerWithLiveApplications(ctx, 999999); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("unknown worker: %v, want not_found", err)
		}
	})
}
