package contracts

import (
	"fmt"
	"strings"
)

// LedgerDoc is a standalone settlement record of one contract.
type LedgerDoc struct {
	Terms     Terms
	TermsHash string // as in ContractDoc: when set, it must match Terms
	Ledger    Ledger
}

// LedgerPDF renders a contract's settlement record on A4: a heading with the contract number, the parties
// and the wage terms, the table of ledger lines with their confirmation states, and the totals; the
// footer of every page carries the contract number, page count and terms hash. Errors: terms that do
// not match TermsHash, totals that do not add up.
func LedgerPDF(l LedgerDoc) ([]byte, error) {
	_, hash, err := l.Terms.Freeze()
	if err != nil {
		return nil, err
	}
	if l.TermsHash != "" && !strings.EqualFold(l.TermsHash, hash) {
		return nil, fmt.Errorf("ledger %s: terms do not match the stored hash; refusing to print", l.Terms.Number)
	}
	if err := l.Ledger.Totals.check(); err != nil {
		return nil, fmt.Errorf("ledger %s: %w", l.Terms.Number, err)
	}
	t := l.Terms
	s := spec{
		title: "结算记录 " + t.Number,
		pageW: a4W, pageH: a4H,
		margins: contractMargins(),
		date:    latest(t.IssuedTime(), l.Ledger.AsOf),
	}
	return render(s, func(d *doc) error {
		d.beginSection(d.footerFor("结算记录", t.Number, hash))
		x, w := d.g.left, d.contentW()
		d.put(x, d.y, w, 11, 20, "结算记录", "C")
		d.y += 13
		item := func(label, value string) { d.labeled(x, w, bodySize, bodyLine, label, value) }
		item("合同编号：", t.Number+fmt.Sprintf("（第 %d 版）", t.Version))
		item("甲方（用工方）：", t.Employer.Name)
		worker := t.Worker.Name
		if t.Worker.No != "" {
			worker += "　工号：" + t.Worker.No
		}
		if t.Worker.IDMasked != "" {
			worker += "　身份证号：" + t.Worker.IDMasked
		}
		item("乙方（劳动者）：", worker)
		item("工作：", t.Work.Title+"　"+cnDate(t.Period.Start)+" 至 "+cnDate(t.Period.End))
		item("工资标准：", t.Wage.Text()+"　"+t.Settlement.Method.Label()+"，"+t.Settlement.PayDay)
		item("签发驿站：", t.Station.Name+"　电话："+orDash(t.Station.Phone))
		d.y += 2
		d.line(x, d.y, x+w, d.y, 0.4, 60)
		d.y += 4
		ledger := l.Ledger
		d.ledgerSection(&ledger, t.Wage)
		return nil
	})
}
