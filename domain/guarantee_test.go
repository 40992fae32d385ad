package domain

import (
	"reflect"
	"strings"
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

// A gig's wage bill, exact and rounded half up once: per day, per hour over shifts that no decimal
// holds, per job; a one-day gig and a gig across New Year count their days inclusively.
func TestJobWageBillFenAtItsLimits(t *testing.T) {
	cases := []struct {
		name string
		job  Job
		want int64
	}{
		{"one day, one person", Job{Headcount: 1, WageUnit: PerDay, WageFen: 15000, StartDate: "2026-01-01", EndDate: "2026-01-01"}, 15000},
		{"across New Year", Job{Headcount: 3, WageUnit: PerDay, WageFen: 20000, StartDate: "2025-12-30", EndDate: "2026-01-02"}, 3 * 4 * 20000},
		// 25.01 元/h × 7h50m (47/6 h) = 19,591.1666… fen a day; × 2 people × 1 day = 39,182.33… → 39,182.
		{"hourly over shifts, rounded down", Job{Headcount: 2, WageUnit: PerHour, WageFen: 2501, StartDate: "2026-03-01", EndDate: "2026-03-01",
			Shifts: []Shift{{Start: "07:00", End: "11:30"}, {Start: "13:00", End: "16:20"}}}, 39182},
		// 0.05 元/h × 10 h over 1 day = 50 fen; × 1: exact. 0.01 元/h × 7.5 h = 7.5 fen → 8 (half up).
		{"hourly, exactly half a fen", Job{Headcount: 1, WageUnit: PerHour, WageFen: 1, DailyHours: 7.5, StartDate: "2026-03-01", EndDate: "2026-03-01"}, 8},
		{"per job: headcount × wage, whatever the days", Job{Headcount: 4, WageUnit: PerJob, WageFen: 123456, StartDate: "2026-03-01", EndDate: "2026-03-09"}, 4 * 123456},
		{"hourly without hours says nothing", Job{Headcount: 4, WageUnit: PerHour, WageFen: 2500, StartDate: "2026-03-01", EndDate: "2026-03-09"}, 0},
	}
	for _, c := range cases {
		if got := JobWageBillFen(c.job); got != c.want {
			t.Errorf("%s: %d fen, want %d", c.name, got, c.want)
		}
	}
}

// The rule applies at its threshold exactly (not one fen later), the share is rounded half up once, and
// a balance equal to what is required meets it while one fen less does not.
func TestGuaranteeNeedAtItsLimits(t *testing.T) {
	job := Job{Headcount: 1, WageUnit: PerDay, WageFen: 33333, StartDate: "2026-01-01", EndDate: "2026-01-03"} // bill 99,999
	person := Employer{Kind: EmployerIndividual}
	rule := GuaranteeRule{WageBillFen: 99_999, Percent: 15}
	n := rule.Need(person, false, job, 0)
	// 99,999 × 15% = 14,999.85 → 15,000.
	if !n.Required || n.WageBillFen != 99_999 || n.RequiredFen != 15_000 || n.Met || !strings.Contains(n.Note, "还差 150 元") {
		t.Fatalf("at the threshold: %+v", n)
	}
	if n := (GuaranteeRule{WageBillFen: 100_000, Percent: 15}).Need(person, false, job, 0); n.Required || !n.Met || n.RequiredFen != 0 {
		t.Errorf("one fen under the threshold: %+v", n)
	}
	if n := rule.Need(person, false, job, 15_000); !n.Met || !strings.Contains(n.Note, "已足额") {
		t.Errorf("held exactly what is required: %+v", n)
	}
	if n := rule.Need(person, false, job, 14_999); n.Met || !strings.Contains(n.Note, "还差 0.01 元") {
		t.Errorf("one fen short counted as met: %+v", n)
	}
	// Companies and employers with past arrears, when the rule asks for them; others not.
	byKind := GuaranteeRule{Companies: true, AfterArrears: true, Percent: 10}
	if n := byKind.Need(Employer{Kind: EmployerCompany}, false, job, 0); !n.Required || n.Reason != "用工单位是企业" || n.RequiredFen != 10_000 {
		t.Errorf("company: %+v", n)
	}
	if n := byKind.Need(person, true, job, 0); !n.Required || n.Reason != "该用工方有过欠薪预警" {
		t.Errorf("past arrears: %+v", n)
	}
	if n := byKind.Need(person, false, job, 0); n.Required {
		t.Errorf("a person without arrears: %+v", n)
	}
	if n := (GuaranteeRule{WageBillFen: 0, Percent: 10}).Need(person, false, job, 0); n.Required {
		t.Errorf("a zero threshold is off, not 'every gig': %+v", n)
	}
}

// The admin's rule and a receipt line are refused just outside their bounds and accepted on them.
func TestGuaranteeRuleAndReceiptBounds(t *testing.T) {
	for _, r := range []GuaranteeRule{{Percent: 0}, {Percent: 100}, {WageBillFen: MaxGuaranteeFen * 10}, {AdvanceAfterDays: 365}} {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v refused: %v", r, err)
		}
	}
	for field, r := range map[string]GuaranteeRule{"guarantee.percent": {Percent: 101}, "guarantee.wage_bill_fen": {WageBillFen: MaxGuaranteeFen*10 + 1},
		"guarantee.advance_after_days": {AdvanceAfterDays: 366}} {
		if err := r.Validate(); err == nil || AsError(err).Field != field {
			t.Errorf("%+v: %v, want a refusal on %s", r, err, field)
		}
	}
	for _, r := range []GuaranteeRule{{Percent: -1}, {WageBillFen: -1}, {AdvanceAfterDays: -1}} {
		if r.Validate() == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if (GuaranteeRule{}).AdvanceDays() != DefaultAdvanceAfterDays || (GuaranteeRule{AdvanceAfterDays: 1}).AdvanceDays() != 1 {
		t.Error("advance days")
	}
	today := Date("2026-01-01")
	ok := GuaranteeInput{Kind: GuaranteeRefund, AmountFen: 1, BankReference: " ABCD ", ValueDate: today}
	if in, err := ok.Normalize(today); err != nil || in.BankReference != "ABCD" {
		t.Fatalf("a valid refund: %+v %v", in, err)
	}
	accepted := []func(*GuaranteeInput){
		func(in *GuaranteeInput) { in.AmountFen = MaxGuaranteeFen },
		func(in *GuaranteeInput) { in.ValueDate = today.AddDays(-MaxReceiptAgeDays) },
	}
	for i, change := range accepted {
		in := ok
		change(&in)
		if _, err := in.Normalize(today); err != nil {
			t.Errorf("accepted case %d refused: %v", i, err)
		}
	}
	refused := map[string]func(*GuaranteeInput){
		"amount_fen":     func(in *GuaranteeInput) { in.AmountFen = 0 },
		"kind":           func(in *GuaranteeInput) { in.Kind = GuaranteeAdvance },
		"bank_reference": func(in *GuaranteeInput) { in.BankReference = "ABC" },
		"value_date":     func(in *GuaranteeInput) { in.ValueDate = today.AddDays(1) },
	}
	for field, change := range refused {
		in := ok
		change(&in)
		if _, err := in.Normalize(today); err == nil || len(ProblemsOf(err)) != 1 || ProblemsOf(err)[0].Field != field {
			t.Errorf("%s: %v, want a refusal on it", field, err)
		}
	}
	for _, change := range []func(*GuaranteeInput){
		func(in *GuaranteeInput) { in.AmountFen = MaxGuaranteeFen + 1 },
		func(in *GuaranteeInput) { in.ValueDate = today.AddDays(-MaxReceiptAgeDays - 1) },
	} {
		in := ok
		change(&in)
		if _, err := in.Normalize(today); err == nil {
			t.Errorf("accepted just outside its bound: %+v", in)
		}
	}
}
