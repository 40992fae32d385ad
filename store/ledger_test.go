package store_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// movableClock is a clock a test can move forward.
type movableClock struct{ t atomic.Int64 }

func newClock(t time.Time) *movableClock {
	c := &movableClock{}
	c.t.Store(t.UnixNano())
	return c
}
func (c *movableClock) now() time.Time      { return time.Unix(0, c.t.Load()).UTC() }
func (c *movableClock) add(d time.Duration) { c.t.Add(int64(d)) }
func (c *movableClock) clock() domain.Clock { return c.now }
func (c *movableClock) today() domain.Date  { return domain.DateOf(c.now()) }
func (c *movableClock) set(t time.Time)     { c.t.Store(t.UnixNano()) }

// activeContract makes a signed contract on a fresh gig: wage and unit as given, starting today.
func activeContract(t *testing.T, s *store.Store, m *market, wageFen int64, unit domain.WageUnit, settle domain.Settlement, start, end domain.Date) (domain.Contract, domain.Worker) {
	t.Helper()
	ctx := context.Background()
	j := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "枸杞采摘（按斤）", Headcount: 10,
		WageFen: wageFen, WageUnit: unit, Settlement: settle, District: "中宁县", Town: "宁安镇",
		StartDate: start, EndDate: end, DailyHours: 8, Status: domain.JobOpen}
	if err := s.InsertJob(ctx, &j); err != nil {
		t.Fatal(err)
	}
	w := m.worker()
	app, _, err := s.Apply(ctx, j.ID, w.ID, domain.OriginApplied, workerP(w), "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
	if err != nil {
		t.Fatal(err)
	}
	s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID, CredentialID: 1, TermsHash: c.TermsHash}, workerP(w), "")
	c, err = s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID, TermsHash: c.TermsHash}, employerOf(m.employer), "")
	if err != nil || c.Status != domain.ContractActive {
		t.Fatalf("activate: %v %v", c.Status, err)
	}
	return c, w
}

func TestWorkAmountsComeFromTheContractNotTheCaller(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		today := domain.DateOf(time.Now())
		// 枸杞 at 1.80 元 per 斤: 37.5 斤 earns 67.50 元.
		c, _ := activeContract(t, s, m, 180, domain.PerPiece, domain.SettleDaily, today.AddDays(-3), today.AddDays(10))
		e, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today, QuantityMilli: 37500, AmountFen: 999999}, employerOf(m.employer), "")
		if err != nil {
			t.Fatal(err)
		}
		if e.AmountFen != 6750 || e.Unit != domain.PerPiece || e.DueDate != today {
			t.Errorf("work entry %+v: want 6750 fen due %s", e, today)
		}
		for _, tc := range []struct {
			name  string
			in    domain.LedgerInput
			field string
		}{
			{"future work", domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today.AddDays(1), QuantityMilli: 1000}, "date"},
			{"before the contract", domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today.AddDays(-30), QuantityMilli: 1000}, "date"},
			{"zero quantity", domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today}, "quantity"},
			{"negative payment", domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: -5, Method: domain.PayCash}, "amount_fen"},
			{"unknown method", domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 500, Method: "bitcoin"}, "method"},
			{"correction without reason", domain.LedgerInput{Kind: domain.LedgerCorrection, CorrectsID: e.ID, AmountFen: -100}, "note"},
			{"correction of another contract's line", domain.LedgerInput{Kind: domain.LedgerCorrection, CorrectsID: 999999, AmountFen: -100, Note: "x"}, "corrects_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.AppendLedger(ctx, c.ID, tc.in, employerOf(m.employer), "")
				if !domain.IsCode(err, domain.CodeInvalid) || domain.AsError(err).Field != tc.field {
					t.Errorf("got %v, want invalid %s", err, tc.field)
				}
			})
		}
		lines, bal, _ := s.Ledger(ctx, c.ID)
		if len(lines) != 1 || bal.EarnedFen != 6750 || bal.OutstandingFen != 6750 {
			t.Errorf("after refused entries: %d lines, %+v", len(lines), bal)
		}
	})
}

// Balances always equal the sum of the entries, whatever mix of work, payments and corrections.
func TestBalanceEqualsTheSumOfEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		today := domain.DateOf(time.Now())
		c, w := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleWeekly, today.AddDays(-60), today)
		rng := rand.New(rand.NewPCG(1, 2))
		var earned, paid, confirmed int64
		var entries []domain.LedgerEntry
		for i := 0; i < 1000; i++ {
			var in domain.LedgerInput
			switch r := rng.IntN(10); {
			case r < 5 || len(entries) == 0:
				in = domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today.AddDays(-rng.IntN(60)), QuantityMilli: int64(250 * (1 + rng.IntN(8)))}
			case r < 8:
				in = domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: int64(1 + rng.IntN(20000)), Method: domain.PayWeChat, Reference: "wx"}
			default:
				target := entries[rng.IntN(len(entries))]
				if target.Kind == domain.LedgerCorrection {
					continue
				}
				in = domain.LedgerInput{Kind: domain.LedgerCorrection, CorrectsID: target.ID, AmountFen: -target.AmountFen / 2, Note: "核对后更正"}
			}
			e, err := s.AppendLedger(ctx, c.ID, in, employerOf(m.employer), "")
			if err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
			entries = append(entries, e)
			kind := e.Kind
			if kind == domain.LedgerCorrection {
				for _, t := range entries {
					if t.ID == e.CorrectsID {
						kind = t.Kind
					}
				}
			}
			if kind == domain.LedgerWork {
				earned += e.AmountFen
			} else {
				paid += e.AmountFen
			}
			if e.Kind == domain.LedgerPayment && rng.IntN(3) == 0 {
				if err := s.RespondToLedgerEntry(ctx, e.ID, w.ID, "confirm", "", 0, ""); err != nil {
					t.Fatal(err)
				}
				confirmed += e.AmountFen
			}
		}
		lines, bal, err := s.Ledger(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Balance{EarnedFen: earned, PaidFen: paid, ConfirmedFen: confirmed, OutstandingFen: earned - paid}
		if bal != want || len(lines) != len(entries) {
			t.Errorf("balance %+v over %d lines, want %+v over %d", bal, len(lines), want, len(entries))
		}
	})
}

func TestConcurrentEntriesAreAllKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		today := domain.DateOf(time.Now())
		c, _ := activeContract(t, s, m, 2500, domain.PerHour, domain.SettleDaily, today.AddDays(-1), today)
		var wg sync.WaitGroup
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: int64(100 + i), Method: domain.PayCash}, employerOf(m.employer), ""); err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		lines, bal, _ := s.Ledger(ctx, c.ID)
		// 100 + 101 + … + 199 = 14950
		if len(lines) != 100 || bal.PaidFen != 14950 {
			t.Errorf("%d lines, paid %d; want 100 lines and 14950 fen", len(lines), bal.PaidFen)
		}
	})
}

// The ledger cannot be edited or deleted from under the store: the database refuses it.
func TestLedgerRowsCannotBeUpdatedOrDeleted(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clk := newClock(time.Now())
			s := storetest.Open(t, e, clk.clock())
			ctx := context.Background()
			m := newMarket(t, s)
			today := clk.today()
			c, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, today, today.AddDays(5))
			entry, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 5000, Method: domain.PayCash}, employerOf(m.employer), "")
			if err != nil {
				t.Fatal(err)
			}
			db := s.SQL()
			if _, err := db.Exec("UPDATE ledger_entries SET amount_fen = 1 WHERE id = $1", entry.ID); err == nil {
				t.Error("UPDATE of a ledger row was allowed")
			}
			if _, err := db.Exec("DELETE FROM ledger_entries WHERE id = $1", entry.ID); err == nil {
				t.Error("DELETE of a fresh ledger row was allowed")
			}
			if e.Name == "postgres" {
				if _, err := db.Exec("TRUNCATE ledger_entries CASCADE"); err == nil {
					t.Error("TRUNCATE of the ledger was allowed")
				}
			}
			// Retention through the store's own archiving path, with the clock moved on.
			clk.add(2 * 365 * 24 * time.Hour)
			if _, err := s.PurgeLedgerBefore(ctx, clk.now().AddDate(-2, 0, 0)); !domain.IsCode(err, domain.CodeInvalid) {
				t.Errorf("purge of entries under 3 years old: %v", err)
			}
			clk.add(2 * 365 * 24 * time.Hour) // the store now believes 4 years passed; the database knows better
			if n, err := s.PurgeLedgerBefore(ctx, clk.now().AddDate(-3, 0, 0)); err == nil && n > 0 {
				t.Errorf("purge deleted %d entries that are really days old", n)
			}
			if _, bal, _ := s.Ledger(ctx, c.ID); bal.PaidFen != 5000 {
				t.Errorf("ledger changed: %+v", bal)
			}
		})
	}
}

func TestOverdueDailyPayRaisesOneAlertClearedWhenPaid(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clk := newClock(time.Date(2027, 6, 1, 2, 0, 0, 0, time.UTC)) // 10:00 in Zhongwei
			s := storetest.Open(t, e, clk.clock())
			ctx := context.Background()
			m := newMarket(t, s)
			c, w := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, "2027-06-01", "2027-06-10")
			if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-01", QuantityMilli: 1000}, employerOf(m.employer), ""); err != nil {
				t.Fatal(err)
			}
			if r, _, _ := s.SweepArrears(ctx, 0); r != 0 {
				t.Fatalf("alert raised on the day itself")
			}
			clk.add(24 * time.Hour) // the next day: daily pay is now late
			for i := 0; i < 3; i++ {
				s.SweepArrears(ctx, 0)
			}
			alerts, _ := s.ArrearsAlerts(ctx, domain.ArrearsFilter{StationID: m.station.ID, OpenOnly: true})
			if len(alerts) != 1 || alerts[0].AmountFen != 15000 || alerts[0].DueDate != "2027-06-01" || alerts[0].AgeDays != 1 {
				t.Fatalf("alerts %+v; want one of 15000 fen", alerts)
			}
			notes, _ := s.Notifications(ctx, domain.RecipientStation, m.station.ID, 10)
			if len(notes) != 1 || notes[0].Kind != "arrears" {
				t.Errorf("station notifications %+v", notes)
			}
			if blocked, _ := s.EmployerHasOverdueArrears(ctx, m.employer.ID, 3); blocked {
				t.Error("blocked after one day")
			}
			clk.add(3 * 24 * time.Hour)
			if blocked, _ := s.EmployerHasOverdueArrears(ctx, m.employer.ID, 3); !blocked {
				t.Error("not blocked after four days")
			}
			s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 15000, Method: domain.PayWeChat}, employerOf(m.employer), "")
			if _, cleared, _ := s.SweepArrears(ctx, 0); cleared != 1 {
				t.Errorf("cleared %d", cleared)
			}
			if open, _ := s.ArrearsAlerts(ctx, domain.ArrearsFilter{StationID: m.station.ID, OpenOnly: true}); len(open) != 0 {
				t.Errorf("still open: %+v", open)
			}
			// A worker cannot answer for another worker's line.
			lines, _, _ := s.Ledger(ctx, c.ID)
			other := m.worker()
			if err := s.RespondToLedgerEntry(ctx, lines[1].ID, other.ID, "confirm", "", 0, ""); !domain.IsCode(err, domain.CodeNotFound) {
				t.Errorf("other worker confirms: %v", err)
			}
			code, err := s.IssueOTP(ctx, w.Phone, domain.OTPConfirm, "10.0.0.8", domain.DefaultOTPLimits, nil)
			if err != nil {
				t.Fatal(err)
			}
			otpID, err := s.VerifyWorkerConfirmCode(ctx, w.ID, code.Code)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RespondToLedgerEntry(ctx, lines[1].ID, w.ID, "confirm", "", otpID, ""); err != nil {
				t.Error(err)
			}
			if err := s.RespondToLedgerEntry(ctx, lines[1].ID, w.ID, "dispute", "没收到", 0, ""); !domain.IsCode(err, domain.CodeConflict) {
				t.Errorf("second answer: %v", err)
			}
		})
	}
}
