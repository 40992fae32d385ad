package contracts

import (
	"errors"
	"time"

	"lingong/domain"
)

// Confirmation is the worker's answer to a ledger line: not yet given, confirmed, or disputed.
type Confirmation string

const (
	Pending   Confirmation = "pending"   // 待确认
	Confirmed Confirmation = "confirmed" // 已确认
	Disputed  Confirmation = "disputed"  // 有异议
)

// Label is the Chinese name printed in ledgers.
func (c Confirmation) Label() string {
	switch c {
	case Confirmed:
		return "已确认"
	case Disputed:
		return "有异议"
	}
	return "待确认"
}

// LedgerLine is one entry of a contract's wage ledger as printed. Money is int64 fen; quantities are in
// thousandths of the unit (domain.LedgerEntry.QuantityMilli), so 12.5 斤 is 12500.
type LedgerLine struct {
	Date          domain.Date
	Kind          domain.LedgerKind
	QuantityMilli int64           // work records; 0 for payments
	Unit          domain.WageUnit // the unit of the quantity
	AmountFen     int64           // earned for work, paid for payments; corrections carry their sign
	Method        domain.PayMethod
	State         Confirmation
	Note          string // reference, correction reason, dispute reason
}

// LedgerTotals are the balances the caller computed from the entries. OutstandingFen must equal
// EarnedFen - PaidFen; the PDF functions refuse totals that do not add up rather than print them.
type LedgerTotals struct {
	EarnedFen      int64
	PaidFen        int64
	OutstandingFen int64
}

func (t LedgerTotals) check() error {
	if t.OutstandingFen != t.EarnedFen-t.PaidFen {
		return errors.New("ledger totals: outstanding is not earned minus paid")
	}
	return nil
}

// Ledger is a contract's settlement record: its lines in order, their totals, and the instant the record
// was taken (printed as 截至, and the PDF's date).
type Ledger struct {
	Lines  []LedgerLine
	Totals LedgerTotals
	AsOf   time.Time
}

// ledgerSection draws a ledger's table and totals below the cursor. wage is the contract's: its unit
// names the quantities (18.3 斤).
func (d *doc) ledgerSection(l *Ledger, wage WageTerms) {
	w := d.contentW()
	cols := []column{
		{"日期", 0.12 * w, "C"},
		{"类别", 0.11 * w, "C"},
		{"数量", 0.15 * w, "R"},
		{"金额（元）", 0.15 * w, "R"},
		{"支付方式", 0.13 * w, "C"},
		{"确认状态", 0.12 * w, "C"},
		{"备注", 0.22 * w, "L"},
	}
	rows := make([][]string, 0, len(l.Lines))
	for _, ln := range l.Lines {
		qty := ""
		if ln.QuantityMilli != 0 {
			qty = milli(ln.QuantityMilli) + " " + quantityUnit(ln.Unit, wage)
		}
		method := ""
		if ln.Method != "" {
			method = ln.Method.Label()
		}
		rows = append(rows, []string{
			string(ln.Date), ledgerKindLabel(ln.Kind), qty, domain.FormatYuan(ln.AmountFen), method,
			ln.State.Label(), ln.Note,
		})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", "", "", "", "", "", "暂无记录"})
	}
	d.table(cols, rows, tableStyle{size: 9, lineH: 4.6, padX: 1.2, padY: 1.2})
	d.gap(2)
	t := l.Totals
	d.need(7)
	d.put(d.g.left, d.y, w, 7, 11,
		"合计：应得 "+yuan(t.EarnedFen)+"　已付 "+yuan(t.PaidFen)+"　未付 "+yuan(t.OutstandingFen), "L")
	d.y += 7
	if !l.AsOf.IsZero() {
		d.setGray(90)
		d.para(d.g.left, w, 9, 5, "以上记录截至 "+cnTime(l.AsOf)+"。付款记录须经乙方本人确认；有异议的记录由签发驿站调解处理。")
		d.setGray(0)
	}
}
