package store_test

import (
	"context"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// eachDeskDay runs fn on every engine with a store on a clock the test moves, starting 2027-06-01
// 09:00 in 中卫.
func eachDeskDay(t *testing.T, fn func(t *testing.T, s *store.Store, clock *movableClock)) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clock := newClock(time.Date(2027, 6, 1, 1, 0, 0, 0, time.UTC))
			fn(t, storetest.Open(t, e, clock.clock()), clock)
		})
	}
}

// The fair queue of a 现场优先 gig (domain/desk.go): while a walk-in who signed in today has a
// pending application, only the first of them in sign-in order may be accepted; online applicants
// wait, whoever accepts (the employer's API here, staff below). Declining a walk-in moves the queue
// on; the next day the sign-ins no longer count; a gig without the option ignores the queue.
func TestOnsiteFirstAcceptsWalkinsInSignInOrder(t *testing.T) {
	eachDeskDay(t, func(t *testing.T, s *store.Store, clock *movableClock) {
		ctx := context.Background()
		m := newMarket(t, s)
		staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		emp := employerOf(m.employer)
		job := m.job(5, "2027-06-02", "2027-06-05")
		if _, _, err := s.UpdateJob(ctx, job.ID, staff, "", func(j *domain.Job) error { j.OnsiteFirst = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReviewJob(ctx, job.ID, true, "", staff, ""); err != nil {
			t.Fatal(err)
		}

		apply := func(w domain.Worker, origin domain.ApplicationOrigin, actor domain.Principal) domain.Application {
			t.Helper()
			a, _, err := s.Apply(ctx, job.ID, w.ID, origin, actor, "")
			if err != nil {
				t.Fatalf("apply %s: %v", w.Name, err)
			}
			return a
		}
		accept := func(a domain.Application, actor domain.Principal) error {
			t.Helper()
			_, err := s.AcceptApplication(ctx, a.ID, actor, "", testTerms)
			if err != nil && !domain.IsCode(err, domain.CodeConflict) {
				t.Fatalf("accept %d: unexpected %v", a.ID, err)
			}
			return err
		}
		signIn := func(w domain.Worker) domain.WalkinSignin {
			t.Helper()
			clock.add(time.Minute)
			si, created, err := s.SignInWalkin(ctx, m.station.ID, w.ID, staff, "")
			if err != nil || !created {
				t.Fatalf("sign in %d: %v %v", w.ID, created, err)
			}
			return si
		}

		online, early, late, third := m.worker(), m.worker(), m.worker(), m.worker()
		aOnline := apply(online, domain.OriginApplied, workerP(online)) // applied first, from home
		// The later walk-in applies first: the queue is the sign-in order, not the application order.
		if si := signIn(early); si.Position != 1 {
			t.Fatalf("first sign-in has place %d", si.Position)
		}
		if si := signIn(late); si.Position != 2 {
			t.Fatalf("second sign-in has place %d", si.Position)
		}
		aLate := apply(late, domain.OriginStaff, staff)
		aEarly := apply(early, domain.OriginStaff, staff)

		if err := accept(aOnline, emp); err == nil {
			t.Fatal("an online applicant was accepted while walk-ins waited")
		}
		if err := accept(aLate, staff); err == nil {
			t.Fatal("the second walk-in was accepted before the first")
		}
		places, head, err := s.OnsiteQueue(ctx, job.ID)
		if err != nil || head != aEarly.ID || places[aEarly.ID] != 1 || places[aLate.ID] != 2 || places[aOnline.ID] != 0 {
			t.Fatalf("queue %v head %d (%v); want early 1st, late 2nd, online absent", places, head, err)
		}
		if err := accept(aEarly, emp); err != nil {
			t.Fatalf("head of the queue refused: %v", err)
		}
		// A sign-in twice keeps the first place.
		if si, created, err := s.SignInWalkin(ctx, m.station.ID, late.ID, staff, ""); err != nil || created || si.Position != 2 {
			t.Fatalf("second sign-in: created %v place %d %v", created, si.Position, err)
		}
		// Declining the head moves the queue on: a third walk-in who signed in after the online
		// applicant still goes before them.
		signIn(third)
		aThird := apply(third, domain.OriginStaff, staff)
		if _, err := s.DeclineApplication(ctx, aLate.ID, staff, ""); err != nil {
			t.Fatal(err)
		}
		if err := accept(aOnline, staff); err == nil {
			t.Fatal("online accepted while the third walk-in waited")
		}
		if err := accept(aThird, staff); err != nil {
			t.Fatalf("third walk-in: %v", err)
		}
		if err := accept(aOnline, emp); err != nil {
			t.Fatalf("no walk-in waits any more, yet the online applicant was refused: %v", err)
		}

		// The next day yesterday's sign-ins are gone: an online applicant is accepted ahead of a
		// worker who only signed in yesterday.
		yesterday, another := m.worker(), m.worker()
		signIn(yesterday)
		aYesterday := apply(yesterday, domain.OriginStaff, staff)
		aAnother := apply(another, domain.OriginApplied, workerP(another))
		clock.add(24 * time.Hour)
		if err := accept(aAnother, emp); err != nil {
			t.Fatalf("next day, online refused because of yesterday's sign-in: %v", err)
		}
		if _, head, _ := s.OnsiteQueue(ctx, job.ID); head != 0 {
			t.Errorf("next day the queue still has a head: %d", head)
		}
		_ = aYesterday
	})
}

// A gig without 现场优先 takes applicants in any order, sign-ins or not.
func TestWithoutOnsiteFirstTheQueueIsNotEnforced(t *testing.T) {
	eachDeskDay(t, func(t *testing.T, s *store.Store, clock *movableClock) {
		ctx := context.Background()
		m := newMarket(t, s)
		staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		job := m.job(2, "2027-06-02", "2027-06-05")
		walkin, online := m.worker(), m.worker()
		if _, _, err := s.SignInWalkin(ctx, m.station.ID, walkin.ID, staff, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Apply(ctx, job.ID, walkin.ID, domain.OriginStaff, staff, ""); err != nil {
			t.Fatal(err)
		}
		a, _, err := s.Apply(ctx, job.ID, online.ID, domain.OriginApplied, workerP(online), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptApplication(ctx, a.ID, staff, "", testTerms); err != nil {
			t.Fatalf("ordinary gig refused an online applicant: %v", err)
		}
	})
}

// Signing in is for the station's own staff; the day's list is in sign-in order with each worker's
// open applications; a 代登记 with SignIn puts the new worker in the queue in the same transaction.
func TestSignInsAndTheStationDay(t *testing.T) {
	eachDeskDay(t, func(t *testing.T, s *store.Store, clock *movableClock) {
		ctx := context.Background()
		m := newMarket(t, s)
		staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		other, err := s.StationByCode(ctx, "SPT-S01")
		if err != nil {
			t.Fatal(err)
		}
		w := m.worker()
		if _, _, err := s.SignInWalkin(ctx, m.station.ID, w.ID, domain.Principal{Kind: domain.AsStaff, ID: 2, StationID: other.ID}, ""); !domain.IsCode(err, domain.CodeForbidden) {
			t.Fatalf("another station's staff signed a worker in here: %v", err)
		}
		if _, _, err := s.SignInWalkin(ctx, m.station.ID, w.ID, staff, ""); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Minute)
		reg := domain.Registration{Worker: domain.Worker{Phone: "13912345678", StationID: m.station.ID, StationCode: m.station.Code},
			Staff: staff, SignIn: true}
		reg.Worker.SetProfile(domain.WorkerProfile{Name: "李秀兰", Skills: []string{"保洁"}, Certs: []string{}, District: "中宁县", Town: "宁安镇",
			AvailableFrom: "2027-06-01", ExpectedWageUnit: domain.PerDay, MaxCommuteKm: 10})
		nw, _, _, err := s.RegisterWorker(ctx, reg)
		if err != nil {
			t.Fatal(err)
		}
		job := m.job(3, "2027-06-01", "2027-06-03")
		pending := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "待审核的活", Headcount: 1, WageFen: 15000,
			WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", StartDate: "2027-06-04", EndDate: "2027-06-04",
			DailyHours: 8, Status: domain.JobPendingReview}
		if err := s.InsertJob(ctx, &pending); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Apply(ctx, job.ID, nw.ID, domain.OriginStaff, staff, ""); err != nil {
			t.Fatal(err)
		}

		d, err := s.StationDay(ctx, m.station.ID, "2027-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Walkins) != 2 || d.Walkins[0].WorkerID != w.ID || d.Walkins[1].WorkerID != nw.ID || d.Walkins[1].Position != 2 || d.Walkins[1].Pending != 1 {
			t.Errorf("walk-ins %+v", d.Walkins)
		}
		if d.ReviewCount != 1 || len(d.ReviewQueue) != 1 || d.ReviewQueue[0].ID != pending.ID {
			t.Errorf("review queue %d %+v", d.ReviewCount, d.ReviewQueue)
		}
		if d.NewWorkerCount != 2 || d.StartingTodayCount != 1 || d.StartingToday[0].ID != job.ID {
			t.Errorf("registrations %d, starting %d", d.NewWorkerCount, d.StartingTodayCount)
		}
		// Another station's day shows none of it; the city's day (0) shows all of it.
		if od, err := s.StationDay(ctx, other.ID, "2027-06-01"); err != nil || len(od.Walkins) != 0 || od.ReviewCount != 0 || od.NewWorkerCount != 0 {
			t.Errorf("another station's day: %+v %v", od, err)
		}
		if all, err := s.StationDay(ctx, 0, "2027-06-01"); err != nil || len(all.Walkins) != 2 || all.ReviewCount != 1 {
			t.Errorf("the city's day: %+v %v", all, err)
		}
	})
}
