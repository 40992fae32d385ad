package app

import (
	"testing"
	"time"

	"lingong/domain"
	"lingong/matching"
	"lingong/store"
	"lingong/store/storetest"
)

// These tests run the use cases on a real, migrated and seeded store (SQLite always, PostgreSQL when
// LINGONG_TEST_DATABASE_URL is set), with no HTTP in between.

// testNow is 2026-05-10 10:00 in 中卫.
var testNow = time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)

// appEnv is one service on one engine.
type appEnv struct {
	t     *testing.T
	svc   *Service
	store *store.Store
	index *matching.Index
	admin domain.Principal
}

// eachEngine runs fn with a fresh service on every engine.
func eachEngine(t *testing.T, fn func(t *testing.T, e *appEnv)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			clock := domain.Clock(func() time.Time { return testNow })
			st := storetest.Open(t, eng, clock)
			ix := matching.NewIndex()
			svc := New(Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey, Wage: domain.DefaultWageStandard()},
				Deps{Store: st, Clock: clock, Index: ix})
			fn(t, &appEnv{t: t, svc: svc, store: st, index: ix, admin: domain.Principal{Kind: domain.AsAdmin, ID: 1}})
		})
	}
}

// employer registers an employer at station and returns it as a principal.
func (e *appEnv) employer(station string) domain.Principal {
	e.t.Helper()
	out, err := e.svc.CreateEmployer(e.t.Context(), e.admin, NewEmployer{Kind: domain.EmployerIndividual, Name: "王建国",
		ContactName: "王建国", ContactPhone: "13912345678", StationCode: station})
	if err != nil {
		e.t.Fatal(err)
	}
	return domain.Principal{Kind: domain.AsEmployer, ID: out.Employer.ID}
}

// openJob posts a day-wage gig for emp and approves it.
func (e *appEnv) openJob(emp domain.Principal) domain.Job {
	e.t.Helper()
	ptr := func(s string) *string { return &s }
	headcount, wage, hours := 3, int64(20000), 8.0
	j, err := e.svc.PostJob(e.t.Context(), emp, NewJob{JobFields: JobFields{Title: ptr("新堡镇枸杞园招修剪工"),
		Headcount: &headcount, WageFen: &wage, WageUnit: ptr("day"), Settlement: ptr("daily"), District: ptr("中宁县"),
		Town: ptr("新堡镇"), StartDate: ptr("2026-05-11"), EndDate: ptr("2026-05-20"), DailyHours: &hours}})
	if err != nil {
		e.t.Fatal(err)
	}
	if j, err = e.svc.ReviewJob(e.t.Context(), e.admin, j.ID, Review{Decision: "approve"}); err != nil {
		e.t.Fatal(err)
	}
	return j
}

func (e *appEnv) listed(id int64) bool { _, ok := e.index.Job(id); return ok }
