package matching

import (
	"strings"
	"testing"

	"lingong/domain"
)

// A gig just inside the worker's limit in a straight line is likely beyond it by road: it stays a
// result, says so, and ranks after a gig of the same trade surely in reach, even one paying less.
func TestAJobProbablyBeyondTheCommuteByRoadRanksAfterOnesSurelyInReach(t *testing.T) {
	north := func(km float64) func(*domain.Job) {
		return func(j *domain.Job) { j.Lat += km / 111.2 }
	}
	edge := job(1, "枸杞园摘果", withSkills("枸杞采摘"), north(9.8), wage(20000, domain.PerDay))
	near := job(2, "枸杞园摘果", withSkills("枸杞采摘"), north(5), wage(9000, domain.PerDay))
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), commute(10))
	ix := Build([]domain.Job{edge, near}, []domain.Worker{w})
	got := ix.MatchJobsForWorker(w, testToday, 10).Items
	if len(got) != 2 || got[0].ID != 2 {
		t.Fatalf("gigs %v, want the one 5 km away first and the one 9.8 km away still listed", ids(got))
	}
	if !strings.Contains(strings.Join(got[1].Reasons, "；"), "走路程可能超过设定的 10 公里") {
		t.Errorf("reasons of the gig at the edge: %v", got[1].Reasons)
	}
	// The employer sees the same order and the same scores.
	for _, g := range []domain.Job{edge, near} {
		if c := ix.MatchWorkersForJob(g, testToday, 1).Items; len(c) != 1 || c[0].Score != scoreOf(got, g.ID) {
			t.Errorf("gig %d: the worker scores %v for the employer, %v for himself", g.ID, c, scoreOf(got, g.ID))
		}
	}
	// Well inside the limit by road too, pay decides again.
	far := worker(2, "中宁县", "宁安镇", skilled("枸杞采摘"), commute(20))
	if got := ids(ix.MatchJobsForWorker(far, testToday, 10).Items); len(got) != 2 || got[0] != 1 {
		t.Errorf("with a 20 km limit: %v, want the better paid gig first", got)
	}
}

func scoreOf(ms []JobMatch, id int64) float64 {
	for _, m := range ms {
		if m.ID == id {
			return m.Score
		}
	}
	return -1
}

// A worker who says he wants his pay by the day sees the gigs that pay so first, before one paying a
// little more at the end of the week; a worker who did not say so sees the better pay first.
func TestAWorkerWhoWantsDailyPaySeesDailyJobsFirst(t *testing.T) {
	weekly := job(1, "枸杞园摘果", withSkills("枸杞采摘"), wage(17000, domain.PerDay))
	daily := job(2, "枸杞园摘果 干一天结一天", withSkills("枸杞采摘"), wage(15000, domain.PerDay))
	wants := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), says("摘过枸杞，日结最好"))
	plain := worker(2, "中宁县", "宁安镇", skilled("枸杞采摘"), says("摘过枸杞"))
	ix := Build([]domain.Job{weekly, daily}, []domain.Worker{wants, plain})
	if got := ids(ix.MatchJobsForWorker(wants, testToday, 10).Items); len(got) != 2 || got[0] != 2 {
		t.Errorf("the worker who wants daily pay: %v, want the daily gig (2) first", got)
	}
	if got := ids(ix.MatchJobsForWorker(plain, testToday, 10).Items); len(got) != 2 || got[0] != 1 {
		t.Errorf("the other worker: %v, want the better paid gig (1) first", got)
	}
}
