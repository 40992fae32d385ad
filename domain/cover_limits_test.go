package domain

import (
	"strings"
	"testing"
	"time"
)

// Cover at its limits: a policy covers its first and its last day and neither neighbour; a city policy
// covers, an own policy only once checked, an exemption never.
func TestCoverAtItsLimits(t *testing.T) {
	p := Policy{Insurer: "中华联合财险", PolicyNumber: "ZW-LG-2027", CoverFen: MinCoverFen, ValidFrom: "2027-01-01", ValidTo: "2027-01-31"}
	for d, want := range map[Date]bool{"2026-12-31": false, "2027-01-01": true, "2027-01-31": true, "2027-02-01": false} {
		if got := p.Covers(d); got != want {
			t.Errorf("policy %s–%s covers %s: %v, want %v", p.ValidFrom, p.ValidTo, d, got, want)
		}
	}
	now := time.Now()
	for _, c := range []struct {
		name  string
		cover Cover
		want  bool
	}{
		{"city policy", Cover{Kind: CoverCity, Policy: p}, true},
		{"own policy, not checked", Cover{Kind: CoverOwn, Policy: p}, false},
		{"own policy, checked", Cover{Kind: CoverOwn, Policy: p, CheckedAt: &now}, true},
		{"exemption", Cover{Kind: CoverExempt, Policy: p, CheckedAt: &now}, false},
	} {
		if got := c.cover.CoveredOn("2027-01-15"); got != c.want {
			t.Errorf("%s: covered %v, want %v", c.name, got, c.want)
		}
	}
	// A contract ending today has no line for tomorrow; a lapse exactly lookahead days ahead is told, one
	// day further is not.
	city := Cover{Kind: CoverCity, Policy: p}
	if got := ContractCoverDays(Contract{Status: ContractActive, StartDate: "2027-01-10", EndDate: "2027-01-20"}, "", city, "2027-01-20", 7); len(got) != 1 || got[0].Date != "2027-01-20" {
		t.Errorf("a contract's last day: %+v", got)
	}
	if got := ContractCoverDays(Contract{Status: ContractActive, StartDate: "2027-01-20", EndDate: "2027-01-25"}, "", city, "2027-01-20", 7); len(got) != 2 || got[0].Date != "2027-01-20" {
		t.Errorf("a contract's first day: %+v", got)
	}
	long := Contract{Status: ContractActive, StartDate: "2027-01-20", EndDate: "2027-03-01"}
	if got := ContractCoverDays(long, "", city, "2027-01-25", 7); len(got) != 3 || got[2].Date != "2027-02-01" {
		t.Errorf("a lapse 7 days ahead: %+v", got)
	}
	if got := ContractCoverDays(long, "", city, "2027-01-24", 7); len(got) != 2 {
		t.Errorf("a lapse 8 days ahead is told too early: %+v", got)
	}
}

// The text fields of a policy and a bank receipt at their limits.
func TestPolicyAndReceiptFieldsAtTheirLimits(t *testing.T) {
	p := Policy{Insurer: "人保", PolicyNumber: "1234", CoverFen: MinCoverFen, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"}
	if _, err := p.Normalize(); err != nil {
		t.Errorf("a two-character insurer and a four-character number: %v", err)
	}
	for name, edit := range map[string]func(*Policy){
		"insurer":       func(p *Policy) { p.Insurer = "人" },
		"policy_number": func(p *Policy) { p.PolicyNumber = "123" },
	} {
		q := p
		edit(&q)
		if _, err := q.Normalize(); fieldOf(err) != name {
			t.Errorf("one character short on %s: %v", name, err)
		}
	}
	today := Date("2027-01-15")
	ok := GuaranteeInput{Kind: GuaranteeDeposit, AmountFen: 1, BankReference: "ABCD", ValueDate: today}
	if _, err := ok.Normalize(today); err != nil {
		t.Errorf("1 fen with a four-character reference: %v", err)
	}
	top := ok
	top.AmountFen = MaxGuaranteeFen
	if _, err := top.Normalize(today); err != nil {
		t.Errorf("the largest amount: %v", err)
	}
	for name, c := range map[string]struct {
		edit  func(*GuaranteeInput)
		field string
	}{
		"0 fen":                  {func(in *GuaranteeInput) { in.AmountFen = 0 }, "amount_fen"},
		"one fen over":           {func(in *GuaranteeInput) { in.AmountFen = MaxGuaranteeFen + 1 }, "amount_fen"},
		"three-character ref":    {func(in *GuaranteeInput) { in.BankReference = "ABC" }, "bank_reference"},
		"control character note": {func(in *GuaranteeInput) { in.Note = "垫付\x00" }, "note"},
		"an advance typed in":    {func(in *GuaranteeInput) { in.Kind = GuaranteeAdvance }, "kind"},
	} {
		in := ok
		c.edit(&in)
		if _, err := in.Normalize(today); fieldOf(err) != c.field {
			t.Errorf("%s: %v, want an error on %s", name, err, c.field)
		}
	}
}

// A day's start is its earliest shift's (a single shift at 09:00 starts at 09:00, not the default 08:00);
// a shift ending at or before its start ends the next day.
func TestDayStartAndEndOfShifts(t *testing.T) {
	day := Date("2027-01-15")
	at := func(tm time.Time) string { return tm.In(Shanghai).Format("01-02 15:04") }
	for _, c := range []struct {
		shifts []Shift
		start  string
	}{
		{[]Shift{{"09:00", "17:00"}}, "01-15 09:00"},
		{[]Shift{{"13:00", "17:00"}, {"07:00", "11:00"}}, "01-15 07:00"},
		{nil, "01-15 08:00"},
	} {
		if got := at(DayStart(day, c.shifts)); got != c.start {
			t.Errorf("start of %v: %s, want %s", c.shifts, got, c.start)
		}
	}
	for _, c := range []struct {
		shifts []Shift
		end    string
	}{
		{[]Shift{{"22:00", "06:00"}}, "01-16 06:00"},
		{[]Shift{{"08:00", "08:00"}}, "01-16 08:00"},
		{[]Shift{{"07:00", "17:00"}}, "01-15 17:00"},
	} {
		if got := at(DayEnd(day, c.shifts, 0)); got != c.end {
			t.Errorf("end of %v: %s, want %s", c.shifts, got, c.end)
		}
	}
	if !strings.HasPrefix(at(DayEnd(day, nil, 0)), "01-15") {
		t.Errorf("a day without shifts ends the next day")
	}
}

// CoveredDays counts what CoveredOn says day by day, for every range around the policy's first and
// last days (a year's turn inside it), for each kind of cover; DaysIn of an empty range is 0.
func TestCoveredDaysAgreesWithCoveredOn(t *testing.T) {
	now := time.Now()
	p := Policy{Insurer: "中华联合财险", PolicyNumber: "ZW-1", CoverFen: 30_000_000, ValidFrom: "2026-12-30", ValidTo: "2027-01-02"}
	covers := []Cover{{Kind: CoverCity, Policy: p}, {Kind: CoverOwn, Policy: p}, {Kind: CoverOwn, Policy: p, CheckedAt: &now},
		{Kind: CoverExempt, Policy: p, CheckedAt: &now}, {}, {Kind: CoverCity}}
	days := []Date{"2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"}
	for ci, c := range covers {
		for _, from := range days {
			for _, to := range days {
				want, n := 0, 0
				for d := from; d <= to; d = d.AddDays(1) {
					n++
					if c.CoveredOn(d) {
						want++
					}
				}
				if got := c.CoveredDays(from, to); got != want {
					t.Errorf("cover %d, %s..%s: %d covered days, want %d", ci, from, to, got, want)
				}
				if got := DaysIn(from, to); got != n {
					t.Errorf("DaysIn(%s, %s) = %d, want %d", from, to, got, n)
				}
			}
		}
	}
}
