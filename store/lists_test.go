package store_test

import (
	"context"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// The console's contract list carries each contract's ledger balance, and "未付清" picks exactly the
// contracts whose ledger still owes the worker: a contract paid to the fen is out, one owed a fen is
// in, and a correction counts with the line it corrects (a work line corrected down to what was paid
// is settled). The settlement tab counts agree.
func TestContractListBalancesAndTheUnpaidFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		today := domain.DateOf(time.Now())
		emp := employerOf(m.employer)
		add := func(c domain.Contract, in domain.LedgerInput) domain.LedgerEntry {
			t.Helper()
			e, err := s.AppendLedger(ctx, c.ID, in, emp, "")
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		work := func(c domain.Contract) domain.LedgerEntry {
			return add(c, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today, QuantityMilli: 1000}) // one day: 150 元
		}
		pay := func(c domain.Contract, fen int64) domain.LedgerEntry {
			return add(c, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: fen, Method: domain.PayCash})
		}
		paidUp, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, today, today.AddDays(3))
		work(paidUp)
		pay(paidUp, 15000)
		owedAFen, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, today, today.AddDays(3))
		work(owedAFen)
		pay(owedAFen, 14999)
		corrected, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, today, today.AddDays(3))
		w := work(corrected)
		pay(corrected, 10000)
		add(corrected, domain.LedgerInput{Kind: domain.LedgerCorrection, CorrectsID: w.ID, AmountFen: -5000, Note: "只干了半天多"})
		overpaid, _ := activeContract(t, s, m, 15000, domain.PerDay, domain.SettleDaily, today, today.AddDays(3))
		work(overpaid)
		pay(overpaid, 15001)

		all, total, err := s.ContractList(ctx, domain.ContractFilter{StationID: m.station.ID, ListPage: domain.ListPage{Page: 1, PerPage: 10}})
		if err != nil || total != 4 || len(all) != 4 {
			t.Fatalf("list: %d of %d, %v", len(all), total, err)
		}
		byID := map[int64]domain.ContractSummary{}
		for _, c := range all {
			byID[c.ID] = c
		}
		for _, tc := range []struct {
			c                   domain.Contract
			earned, paid, lines int64
		}{{paidUp, 15000, 15000, 2}, {owedAFen, 15000, 14999, 2}, {corrected, 10000, 10000, 3}, {overpaid, 15000, 15001, 2}} {
			got := byID[tc.c.ID]
			if got.Balance.EarnedFen != tc.earned || got.Balance.PaidFen != tc.paid || got.Balance.OutstandingFen != tc.earned-tc.paid || int64(got.Lines) != tc.lines {
				t.Errorf("contract %s: %+v over %d lines, want earned %d paid %d over %d", tc.c.Number, got.Balance, got.Lines, tc.earned, tc.paid, tc.lines)
			}
		}
		unpaid, n, err := s.ContractList(ctx, domain.ContractFilter{StationID: m.station.ID, Unpaid: true})
		if err != nil || n != 1 || len(unpaid) != 1 || unpaid[0].ID != owedAFen.ID {
			t.Errorf("未付清: %d contracts (%v), want only the one owed a fen", n, err)
		}
		counts, err := s.SettlementCounts(ctx, m.station.ID, today)
		if err != nil || counts.ActiveContracts != 4 || counts.UnpaidContracts != 1 || counts.Unconfirmed != 4 {
			t.Errorf("settlement counts %+v, %v", counts, err)
		}

		// Search: the contract number exactly, the worker by name; pages of two.
		if got, n, _ := s.ContractList(ctx, domain.ContractFilter{Q: corrected.Number}); n != 1 || got[0].ID != corrected.ID {
			t.Errorf("searching %s found %d", corrected.Number, n)
		}
		page2, n, _ := s.ContractList(ctx, domain.ContractFilter{StationID: m.station.ID, ListPage: domain.ListPage{Page: 2, PerPage: 2}})
		if n != 4 || len(page2) != 2 || page2[1].ID != paidUp.ID {
			t.Errorf("page 2 of 2: %d lines of %d", len(page2), n)
		}
	})
}
