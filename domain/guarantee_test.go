package domain

import (
	"reflect"
	"testing"
)

// An account summed from its lines: money coming in counts only once a second person has checked its
// receipt; money going out (advance, refund) leaves the balance at once, and a refund stays listed as
// unchecked until its own check.
func TestSumGuaranteeCountsReceiptsOnceCheckedAndRefundsAtOnce(t *testing.T) {
	lines := []GuaranteeEntry{
		{ID: 1, Kind: GuaranteeDeposit, AmountFen: 100_000},
		{ID: 2, Kind: GuaranteeDeposit, AmountFen: 30_000}, // never checked
		{ID: 3, Kind: GuaranteeConfirm, ConfirmsID: 1, AmountFen: 100_000},
		{ID: 4, Kind: GuaranteeAdvance, AmountFen: 15_000},
		{ID: 5, Kind: GuaranteeRepay, AmountFen: 5_000},
		{ID: 6, Kind: GuaranteeConfirm, ConfirmsID: 5, AmountFen: 5_000},
		{ID: 7, Kind: GuaranteeRefund, AmountFen: 40_000},
		{ID: 8, Kind: GuaranteeRefund, AmountFen: 20_000},
		{ID: 9, Kind: GuaranteeConfirm, ConfirmsID: 8, AmountFen: 20_000},
	}
	a := SumGuarantee(7, lines)
	want := GuaranteeAccount{EmployerID: 7, HeldFen: 100_000 - 15_000 + 5_000 - 40_000 - 20_000, PendingFen: 30_000, DepositedFen: 100_000,
		AdvancedFen: 15_000, RepaidFen: 5_000, OwedFen: 10_000, RefundedFen: 60_000, UnconfirmedRefundFen: 40_000}
	a.Entries = nil
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("account\n got %+v\nwant %+v", a, want)
	}
	confirmed := map[int64]bool{}
	for _, l := range SumGuarantee(7, lines).Entries {
		confirmed[l.ID] = l.Confirmed
		if l.KindLabel == "" {
			t.Errorf("line %d has no label", l.ID)
		}
	}
	for id, want := range map[int64]bool{1: true, 2: false, 4: false, 5: true, 7: false, 8: true} {
		if confirmed[id] != want {
			t.Errorf("line %d confirmed = %v, want %v", id, confirmed[id], want)
		}
	}
	// More repaid than advanced owes nothing (never a negative debt).
	over := SumGuarantee(7, []GuaranteeEntry{{ID: 1, Kind: GuaranteeRepay, AmountFen: 9}, {ID: 2, Kind: GuaranteeConfirm, ConfirmsID: 1}})
	if over.OwedFen != 0 || over.HeldFen != 9 {
		t.Errorf("repaid without an advance: %+v", over)
	}
}
