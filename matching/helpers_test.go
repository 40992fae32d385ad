package matching

import (
	"slices"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"lingong/domain"
)

// testToday is the "today" of the hand-made fixtures.
const testToday domain.Date = "2026-06-01"

var testEpoch = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

// job returns an open gig in 宁安镇 (中宁县) running for a week from testToday; opts adjust it.
func job(id int64, title string, opts ...func(*domain.Job)) domain.Job {
	t, _ := domain.FindTown("中宁县", "宁安镇")
	j := domain.Job{
		ID: id, Title: title, EmployerName: "测试雇主", StationCode: "ZN-S01", Headcount: 5,
		WageFen: 15000, WageUnit: domain.PerDay, Settlement: domain.SettleWeekly,
		District: t.District, Town: t.Name, Lat: t.Lat, Lng: t.Lng, DailyHours: 8,
		StartDate: testToday, EndDate: testToday.AddDays(6), Status: domain.JobOpen,
		CreatedAt: testEpoch.Add(time.Duration(id) * time.Hour),
	}
	for _, o := range opts {
		o(&j)
	}
	return j
}

func inTown(district, town string) func(*domain.Job) {
	return func(j *domain.Job) {
		t, ok := domain.FindTown(district, town)
		if !ok {
			panic("no town " + town)
		}
		j.District, j.Town, j.Lat, j.Lng = t.District, t.Name, t.Lat, t.Lng
	}
}

func withSkills(s ...string) func(*domain.Job) { return func(j *domain.Job) { j.Skills = s } }
func withCerts(c ...string) func(*domain.Job)  { return func(j *domain.Job) { j.RequiredCerts = c } }
func withDesc(d string) func(*domain.Job)      { return func(j *domain.Job) { j.Description = d } }
func daily() func(*domain.Job)                 { return func(j *domain.Job) { j.Settlement = domain.SettleDaily } }
func wage(fen int64, u domain.WageUnit) func(*domain.Job) {
	return func(j *domain.Job) { j.WageFen, j.WageUnit = fen, u }
}
func dates(from, to domain.Date) func(*domain.Job) {
	return func(j *domain.Job) { j.StartDate, j.EndDate = from, to }
}

// worker returns an active worker in the town, available for a month from testToday, expecting 130 元 a day
// and travelling up to 30 km; opts adjust it.
func worker(id int64, district, town string, opts ...func(*domain.Worker)) domain.Worker {
	t, ok := domain.FindTown(district, town)
	if !ok {
		panic("no town " + town)
	}
	w := domain.Worker{
		ID: id, No: "LG" + string(rune('0'+id%10)), Name: "测试", Phone: "13800000000", District: district, Town: town,
		Lat: t.Lat, Lng: t.Lng, AvailableFrom: testToday, AvailableTo: testToday.AddDays(30),
		ExpectedWageFen: 13000, ExpectedWageUnit: domain.PerDay, MaxCommuteKm: 30, Status: domain.WorkerActive,
	}
	for _, o := range opts {
		o(&w)
	}
	return w
}

func says(d string) func(*domain.Worker)       { return func(w *domain.Worker) { w.SelfDescription = d } }
func skilled(s ...string) func(*domain.Worker) { return func(w *domain.Worker) { w.Skills = s } }
func holding(c ...string) func(*domain.Worker) { return func(w *domain.Worker) { w.Certs = c } }
func commute(km int) func(*domain.Worker)      { return func(w *domain.Worker) { w.MaxCommuteKm = km } }
func expects(fen int64, u domain.WageUnit) func(*domain.Worker) {
	return func(w *domain.Worker) { w.ExpectedWageFen, w.ExpectedWageUnit = fen, u }
}
func available(from, to domain.Date) func(*domain.Worker) {
	return func(w *domain.Worker) { w.AvailableFrom, w.AvailableTo = from, to }
}

func ids[T interface{ idOf() int64 }](items []T) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, it.idOf())
	}
	return out
}

func (h JobHit) idOf() int64      { return h.ID }
func (m JobMatch) idOf() int64    { return m.ID }
func (m WorkerMatch) idOf() int64 { return m.ID }

func slicesSort(s []int64) { slices.Sort(s) }

// doc returns the document of an indexed gig.
func (ix *Index) doc(id int64) *jobDoc {
	for i := range ix.jobs {
		if slot, ok := ix.jobs[i].byID[id]; ok {
			return ix.jobs[i].docs[slot]
		}
	}
	return nil
}

// ignoreMemos compares search results without their memos: each index has its own documents, and so its
// own memos, for equal hits.
var ignoreMemos = cmpopts.IgnoreFields(SearchResult{}, "Memos")
