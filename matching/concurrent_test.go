package matching

import (
	"slices"
	"sync"
	"testing"

	"lingong/domain"
)

// TestConcurrentReadsDuringUpdates runs searches and matches while gigs and workers change, including
// gigs moving between districts (run it with -race). Every answer must be well-formed and keep the hard
// filters; with the updates over, the index must equal a fresh build.
func TestConcurrentReadsDuringUpdates(t *testing.T) {
	jobs, workers := randomMarket(77, 400, 200)
	ix := Build(jobs[:200], workers[:100])
	asked := slices.Clone(jobs) // the readers' own copy: the writer below edits jobs
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				w := workers[(i*7+r)%len(workers)]
				for _, m := range ix.MatchJobsForWorker(w, testToday, 10).Items {
					if v := violation(w, m.JobSummary, testToday); v != "" {
						t.Errorf("worker %d got gig %d breaking %s", w.ID, m.ID, v)
					}
				}
				ix.MatchWorkersForJob(asked[(i*13+r)%len(asked)], testToday, 10)
				res := ix.SearchJobs(BenchQueries()[i%len(BenchQueries())])
				if len(res.Items) > res.PerPage {
					t.Errorf("page of %d items, per_page %d", len(res.Items), res.PerPage)
				}
			}
		}()
	}
	for i := range 1500 {
		j := jobs[i%len(jobs)]
		if i%5 == 0 { // move to another district
			o := jobs[(i*31)%len(jobs)]
			j.District, j.Town, j.Lat, j.Lng = o.District, o.Town, o.Lat, o.Lng
			jobs[i%len(jobs)] = j
		}
		ix.UpsertJob(j)
		ix.UpsertWorker(workers[i%len(workers)])
		if i%7 == 0 {
			ix.RemoveJob(jobs[(i*3)%len(jobs)].ID)
			jobs[(i*3)%len(jobs)].Status = domain.JobClosed
		}
	}
	close(stop)
	wg.Wait()
	fresh := Build(jobs, workers)
	for _, q := range BenchQueries() {
		if a, b := fresh.SearchJobs(q), ix.SearchJobs(q); a.Total != b.Total {
			t.Errorf("%+v: fresh total %d, updated %d", q, a.Total, b.Total)
		}
	}
}
