package domain

import "testing"

// A policy's cover and validity, and a bank receipt's date, are checked at their exact limits: 1,000 元
// is a cover and 999.99 元 is not; five years of validity is a policy and a day more is not; a receipt of
// exactly a year ago (366 days) is taken and one day older is not.
func TestPolicyAndReceiptLimits(t *testing.T) {
	base := Policy{Insurer: "中华联合财险", PolicyNumber: "ZW-LG-2026", CoverFen: MinCoverFen, ValidFrom: "2026-01-01", ValidTo: "2030-12-31"}
	policies := []struct {
		name  string
		edit  func(*Policy)
		field string
	}{
		{"the least cover, five years to the day", func(*Policy) {}, ""},
		{"one fen less cover", func(p *Policy) { p.CoverFen = MinCoverFen - 1 }, "cover_fen"},
		{"1 fen", func(p *Policy) { p.CoverFen = 1 }, "cover_fen"},
		{"the most cover", func(p *Policy) { p.CoverFen = MaxCoverFen }, ""},
		{"one fen more than the most", func(p *Policy) { p.CoverFen = MaxCoverFen + 1 }, "cover_fen"},
		{"a day more than five years", func(p *Policy) { p.ValidTo = "2031-01-01" }, "valid_to"},
		{"1900 to 9999", func(p *Policy) { p.ValidFrom, p.ValidTo = "1900-01-01", "9999-12-31" }, "valid_to"},
		{"one day", func(p *Policy) { p.ValidTo = p.ValidFrom }, ""},
	}
	for _, c := range policies {
		p := base
		c.edit(&p)
		_, err := p.Normalize()
		if got := fieldOf(err); got != c.field {
			t.Errorf("%s: error on %q (%v), want %q", c.name, got, err, c.field)
		}
	}

	today := Date("2027-01-15")
	receipt := GuaranteeInput{Kind: GuaranteeDeposit, AmountFen: 500_000, BankReference: "NX20270115001"}
	for _, c := range []struct {
		date  Date
		field string
	}{
		{today, ""},
		{today.AddDays(1), "value_date"},
		{today.AddDays(-MaxReceiptAgeDays), ""},
		{today.AddDays(-MaxReceiptAgeDays - 1), "value_date"},
		{"0001-01-01", "value_date"},
	} {
		in := receipt
		in.ValueDate = c.date
		_, err := in.Normalize(today)
		if got := fieldOf(err); got != c.field {
			t.Errorf("receipt of %s: error on %q (%v), want %q", c.date, got, err, c.field)
		}
	}
}

// fieldOf is the field of the first problem in err, "" for none.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e := AsError(err); e != nil {
		return e.Field
	}
	return "?"
}
