package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// The station's dispute queue lists open disputes of its own contracts only, oldest first; a resolution
// with a correction appends a line and takes the dispute off the queue.
func TestDisputeQueueIsPerStationAndEmptiesOnResolution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		today := domain.DateOf(time.Now())
		c, w := activeContract(t, s, m, 180, domain.PerPiece, domain.SettleDaily, today.AddDays(-2), today.AddDays(10))
		emp := employerOf(m.employer)
		work, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today, QuantityMilli: 40000, Note: "过秤"}, emp, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RespondToLedgerEntry(ctx, work.ID, w.ID, "dispute", "少记了 5 斤", 0, ""); err != nil {
			t.Fatal(err)
		}
		other, _ := s.StationByCode(ctx, "HY-M1")
		if q, _ := s.Disputes(ctx, other.ID, true); len(q) != 0 {
			t.Errorf("another station's queue shows %d disputes", len(q))
		}
		q, err := s.Disputes(ctx, m.station.ID, true)
		if err != nil || len(q) != 1 {
			t.Fatalf("queue %+v, %v", q, err)
		}
		if d := q[0]; d.EntryID != work.ID || d.Reason != "少记了 5 斤" || d.AmountFen != 7200 || d.Quantity != 40000 || d.ContractNumber != c.Number || d.WorkerName != w.Name {
			t.Errorf("dispute %+v", d)
		}
		staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		if err := s.ResolveDispute(ctx, work.ID, "复秤确认 45 斤，补记 5 斤", &domain.LedgerInput{QuantityMilli: 5000}, staff, ""); err != nil {
			t.Fatal(err)
		}
		if q, _ := s.Disputes(ctx, m.station.ID, true); len(q) != 0 {
			t.Errorf("resolved dispute still queued: %+v", q)
		}
		all, _ := s.Disputes(ctx, m.station.ID, false)
		if len(all) != 1 || all[0].ResolvedAt == nil || all[0].Resolution == "" {
			t.Errorf("history %+v", all)
		}
		_, bal, _ := s.Ledger(ctx, c.ID)
		if bal.EarnedFen != 8100 || bal.DisputedFen != 0 {
			t.Errorf("balance after the correction %+v; want 45 斤 × 1.80 = 8100", bal)
		}
	})
}

// The payroll of a month counts work by its date, payments by the day paid and corrections with the
// line they correct; other months and other stations stay out.
func TestPayrollCountsTheMonthOfEachLine(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clk := newClock(time.Date(2026, 6, 2, 2, 0, 0, 0, time.UTC))
			s := storetest.Open(t, e, clk.clock())
			ctx := context.Background()
			m := newMarket(t, s)
			c, w := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, "2026-05-29", "2026-06-10")
			emp := employerOf(m.employer)
			add := func(in domain.LedgerInput) domain.LedgerEntry {
				t.Helper()
				e, err := s.AppendLedger(ctx, c.ID, in, emp, "")
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			add(domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2026-05-29", QuantityMilli: 1000})
			d30 := add(domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2026-05-30", QuantityMilli: 1000})
			add(domain.LedgerInput{Kind: domain.LedgerCorrection, CorrectsID: d30.ID, QuantityMilli: -500, Note: "只干了半天"})
			add(domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2026-06-01", QuantityMilli: 1000})
			add(domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 10000, Method: domain.PayCash, PaidAt: time.Date(2026, 5, 31, 10, 0, 0, 0, time.UTC)})
			add(domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 5000, Method: domain.PayWeChat}) // paid in June

			may, err := s.Payroll(ctx, m.station.ID, "2026-05")
			if err != nil || len(may) != 1 {
				t.Fatalf("May payroll %+v, %v", may, err)
			}
			l := may[0]
			if l.GrossFen != 22500 || l.PaidFen != 10000 || l.Days != 2 || l.QuantityMilli != 1500 || l.PaidOn != "2026-05-31" ||
				len(l.Methods) != 1 || l.Methods[0] != domain.PayCash || l.WorkerName != w.Name || l.ContractNumber != c.Number || l.State != "pending" {
				t.Errorf("May line %+v", l)
			}
			june, _ := s.Payroll(ctx, m.station.ID, "2026-06")
			if len(june) != 1 || june[0].GrossFen != 15000 || june[0].PaidFen != 5000 {
				t.Errorf("June %+v", june)
			}
			other, _ := s.StationByCode(ctx, "HY-M1")
			if lines, _ := s.Payroll(ctx, other.ID, "2026-05"); len(lines) != 0 {
				t.Errorf("another station's payroll has %d lines", len(lines))
			}
			if _, err := s.Payroll(ctx, m.station.ID, "2026-13"); !domain.IsCode(err, domain.CodeInvalid) {
				t.Errorf("bad month: %v", err)
			}
		})
	}
}

// Full ID numbers leave the database for an admin only, with one audit event per export that names the
// workers and never the numbers.
func TestRevealIDNumbersIsAdminOnlyAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		first17 := "64052119730512102"
		id := first17 + string(domain.IDCheck(first17))
		w := domain.Worker{Phone: "13812349876", Name: "马桂兰", District: "中宁县", Town: "宁安镇", StationID: m.station.ID,
			Skills: []string{"枸杞采摘"}, Certs: []string{}}
		if err := s.InsertWorker(ctx, &w, id); err != nil {
			t.Fatal(err)
		}
		bare := m.worker()
		staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		if _, err := s.RevealIDNumbers(ctx, m.station.ID, "2026-05", []int64{w.ID}, staff, ""); !domain.IsCode(err, domain.CodeForbidden) {
			t.Errorf("staff: %v, want forbidden", err)
		}
		admin := domain.Principal{Kind: domain.AsAdmin, ID: 1}
		got, err := s.RevealIDNumbers(ctx, m.station.ID, "2026-05", []int64{w.ID, bare.ID}, admin, "10.0.0.9")
		if err != nil || got[w.ID] != id || len(got) != 1 {
			t.Fatalf("revealed %v, %v", got, err)
		}
		events, err := s.AuditEvents(ctx, "station", m.station.ID)
		if err != nil {
			t.Fatal(err)
		}
		var exports int
		for _, ev := range events {
			if ev.Action == "payroll.export_id_numbers" {
				exports++
				if raw := strings.Join([]string{ev.Detail, ev.IP}, " "); strings.Contains(raw, id) {
					t.Errorf("the audit event holds the ID number: %s", raw)
				}
			}
		}
		if exports != 1 {
			t.Errorf("%d export events, want 1", exports)
		}
	})
}

// An employer whose pay is unpaid more than the configured days past due cannot have a new gig
// approved until the alert is cleared; the refusal names the arrears. Rejecting is still possible.
func TestOverdueArrearsHoldApprovalUntilCleared(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clk := newClock(time.Date(2027, 6, 1, 2, 0, 0, 0, time.UTC))
			s := storetest.Open(t, e, clk.clock())
			ctx := context.Background()
			m := newMarket(t, s)
			c, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, "2027-06-01", "2027-06-30")
			if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-01", QuantityMilli: 1000}, employerOf(m.employer), ""); err != nil {
				t.Fatal(err)
			}
			pending := func() domain.Job {
				j := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "搬运工", Headcount: 2, WageFen: 20000,
					WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇",
					StartDate: "2027-07-01", EndDate: "2027-07-05", DailyHours: 8, Status: domain.JobPendingReview}
				if err := s.InsertJob(ctx, &j); err != nil {
					t.Fatal(err)
				}
				return j
			}
			staff := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
			clk.add(3 * 24 * time.Hour) // 3 days past due: not over 3 yet
			s.SweepArrears(ctx, 0)
			if _, err := s.ReviewJob(ctx, pending().ID, true, "", staff, ""); err != nil {
				t.Fatalf("approval at 3 days: %v", err)
			}
			clk.add(24 * time.Hour) // 4 days
			j := pending()
			_, err := s.ReviewJob(ctx, j.ID, true, "", staff, "")
			if !domain.IsCode(err, domain.CodeConflict) || !strings.Contains(err.Error(), c.Number) || !strings.Contains(err.Error(), "150 元") {
				t.Fatalf("approval with 4-day-old arrears: %v; want a conflict naming %s and 150 元", err, c.Number)
			}
			if got, _ := s.JobByID(ctx, j.ID); got.Status != domain.JobPendingReview {
				t.Errorf("gig status %s after the refusal", got.Status)
			}
			alerts, _ := s.ArrearsAlerts(ctx, domain.ArrearsFilter{EmployerID: m.employer.ID, OpenOnly: true})
			if len(alerts) != 1 {
				t.Fatalf("employer's alerts %+v", alerts)
			}
			if err := s.ClearArrearsAlert(ctx, alerts[0].ID, staff, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ReviewJob(ctx, j.ID, true, "", staff, ""); err != nil {
				t.Errorf("approval after staff cleared the alert: %v", err)
			}
			if got, _ := s.ArrearsAlert(ctx, alerts[0].ID); got.ClearedAt == nil {
				t.Errorf("alert not cleared: %+v", got)
			}
		})
	}
}

// The hold can be switched off (LINGONG_ARREARS_BLOCK_DAYS=off).
func TestArrearsHoldCanBeSwitchedOff(t *testing.T) {
	e := storetest.Engines(t)[0]
	clk := newClock(time.Date(2027, 6, 1, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DatabaseURL: e.URL, DataDir: e.Dir, Key: storetest.TestKey, Clock: clk.clock(), ArrearsBlockDays: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seed(ctx, store.SeedOptions{AdminPassword: "admin-test-password"}); err != nil {
		t.Fatal(err)
	}
	m := newMarket(t, s)
	c, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, "2027-06-01", "2027-06-30")
	s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-01", QuantityMilli: 1000}, employerOf(m.employer), "")
	clk.add(10 * 24 * time.Hour)
	if r, _, _ := s.SweepArrears(ctx, 0); r != 1 {
		t.Fatalf("raised %d", r)
	}
	j := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "搬运工", Headcount: 2, WageFen: 20000,
		WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇",
		StartDate: "2027-07-01", EndDate: "2027-07-05", DailyHours: 8, Status: domain.JobPendingReview}
	if err := s.InsertJob(ctx, &j); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewJob(ctx, j.ID, true, "", domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
		t.Errorf("approval with the hold off: %v", err)
	}
}
