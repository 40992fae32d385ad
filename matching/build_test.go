package matching

import (
	"testing"

	"lingong/domain"
)

// When an id repeats, Build keeps the last record, as a series of upserts would, whether the ids come in
// order or not; records in strictly increasing id order (as the store reads them) are all kept.
func TestBuildKeepsTheLastRecordOfAnID(t *testing.T) {
	gone := func(w *domain.Worker) { w.Status = domain.WorkerInactive }
	for _, c := range []struct {
		name    string
		jobs    []domain.Job
		workers []domain.Worker
	}{
		{"repeated", []domain.Job{job(1, "招瓦工"), job(2, "招电工"), job(1, "招焊工")},
			[]domain.Worker{worker(1, "中宁县", "宁安镇"), worker(2, "中宁县", "宁安镇"), worker(1, "中宁县", "宁安镇", gone)}},
		{"out of order", []domain.Job{job(2, "招电工"), job(1, "招瓦工"), job(1, "招焊工")},
			[]domain.Worker{worker(2, "中宁县", "宁安镇"), worker(1, "中宁县", "宁安镇"), worker(1, "中宁县", "宁安镇", gone)}},
	} {
		ix := Build(c.jobs, c.workers)
		if jobs, workers := ix.Len(); jobs != 2 || workers != 1 {
			t.Errorf("%s: %d gigs and %d workers, want 2 and 1", c.name, jobs, workers)
		}
		if j, ok := ix.Job(1); !ok || j.Title != "招焊工" {
			t.Errorf("%s: gig 1 is %q (%v), want the last record, 招焊工", c.name, j.Title, ok)
		}
	}
	ix := Build([]domain.Job{job(1, "招瓦工"), job(2, "招电工"), job(3, "招焊工")},
		[]domain.Worker{worker(1, "中宁县", "宁安镇"), worker(2, "中宁县", "宁安镇"), worker(3, "中宁县", "宁安镇")})
	if jobs, workers := ix.Len(); jobs != 3 || workers != 3 {
		t.Errorf("in order: %d gigs and %d workers, want 3 and 3", jobs, workers)
	}
}
