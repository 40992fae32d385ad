package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"lingong/domain"
)

// ContractDoc is one contract as printed: its frozen terms and what happened to them since.
type ContractDoc struct {
	Terms Terms
	// TermsHash is the stored hash. When set it must equal the hash of Terms' canonical JSON: a contract
	// whose terms no longer match what was signed is refused, never printed. Empty means "compute it".
	TermsHash  string
	Status     domain.ContractStatus
	Signatures []Signature
	// VerifyURL is what the QR code carries: {LINGONG_PUBLIC_URL}/verify/{number}?code={check code}.
	VerifyURL string
	// CheckCode is printed beside the number: with it, whoever holds the paper can check the contract
	// by typing number and code (the number alone finds nothing).
	CheckCode string
	// Ledger, when set, adds the 结算记录 section.
	Ledger *Ledger
	// Cover, when set, is the gig's accident cover as it stands when printed (insurer, policy number,
	// cover per person, valid dates, or the exemption), listed under 安全与保险. It is deliberately not
	// part of Terms: the terms are frozen and hashed at acceptance, and a renewed or corrected policy
	// must show on the paper without changing the hash the parties signed (or breaking the verification
	// of every existing contract). The PDF says that the line is the current declaration, not a term.
	Cover string
	// Ending, when set, is the contract's early ending ("已于 2026-05-08 提前结束（…）"), printed under
	// 工作期限 beside the signed period, for the same reason as Cover: the terms stay as signed.
	Ending string
}

// Signature is one signature event as printed.
type Signature struct {
	Role      domain.SignerRole
	Method    domain.SignMethod
	Signer    string // who signed: the worker's or employer's name (or the employer contact's)
	Witness   string // the staff member who witnessed a handwritten signature
	SignedAt  time.Time
	TermsHash string // the terms hash this signature confirmed
}

// ContractPDF renders one contract on A4: the title 零工用工协议, every term in numbered clauses, the
// signature record (or lines for handwritten signatures), the optional settlement record, a QR code to
// the verify URL, and on every page a footer with the contract number, the page count and the full terms
// hash. The same document gives the same bytes. Errors: terms that do not match TermsHash, ledger totals
// that do not add up, a missing verify URL.
func ContractPDF(c ContractDoc) ([]byte, error) {
	return ContractsPDF([]ContractDoc{c})
}

// ContractsPDF renders several contracts into one PDF ("print all of today's contracts"): each starts on a
// new page and has its own page numbering and footer. The PDF's date is the latest date among them.
func ContractsPDF(cs []ContractDoc) ([]byte, error) {
	var buf bytes.Buffer
	if err := ContractsPDFTo(&buf, cs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ContractsPDFTo is ContractsPDF writing to w page by page, for a batch too long to hold: only one page
// at a time is in memory, with the font and what the measuring pass keeps (the characters used, the page
// counts, the QR codes). The bytes are ContractsPDF's. Every contract is checked and measured before the
// first byte is written, so a bad input returns an error with w untouched; a failing writer returns its
// error after part of the PDF went out.
func ContractsPDFTo(w io.Writer, cs []ContractDoc) error {
	if len(cs) == 0 {
		return errors.New("contracts pdf: no contracts")
	}
	hashes := make([]string, len(cs))
	var date time.Time
	for i, c := range cs {
		h, err := c.check()
		if err != nil {
			return err
		}
		hashes[i] = h
		date = latest(date, c.date())
	}
	title := "零工用工协议 " + cs[0].Terms.Number
	if len(cs) > 1 {
		title = fmt.Sprintf("零工用工协议 %d 份", len(cs))
	}
	s := spec{title: title, pageW: a4W, pageH: a4H, margins: contractMargins(), date: date}
	return renderTo(w, s, func(d *doc) error {
		for i, c := range cs {
			d.contract(c, hashes[i])
		}
		return nil
	})
}

// contractMargins are the margins of contracts and ledgers; the bottom band holds the two-line footer.
func contractMargins() geometry { return geometry{left: 18, right: 18, top: 15, bottom: 22} }

// check validates the document and returns the terms hash to print.
func (c ContractDoc) check() (string, error) {
	_, hash, err := c.Terms.Freeze()
	if err != nil {
		return "", err
	}
	if c.TermsHash != "" && !strings.EqualFold(c.TermsHash, hash) {
		return "", fmt.Errorf("contract %s: terms do not match the stored hash; refusing to print", c.Terms.Number)
	}
	if c.VerifyURL == "" {
		return "", fmt.Errorf("contract %s: verify URL is required", c.Terms.Number)
	}
	if c.Ledger != nil {
		if err := c.Ledger.Totals.check(); err != nil {
			return "", fmt.Errorf("contract %s: %w", c.Terms.Number, err)
		}
	}
	return hash, nil
}

// date is the latest instant the document shows: issue, signatures, ledger.
func (c ContractDoc) date() time.Time {
	t := c.Terms.IssuedTime()
	for _, s := range c.Signatures {
		t = latest(t, s.SignedAt)
	}
	if c.Ledger != nil {
		t = latest(t, c.Ledger.AsOf)
	}
	return t
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Type sizes and spacing of contract-like documents, in pt and mm.
const (
	bodySize  = 11
	bodyLine  = 6.2
	headSize  = 12.5
	headLine  = 7.5
	footSize  = 7.5
	indent    = 4.0
	qrBoxSize = 30.0
)

// footerFor returns the footer drawing function of a document about one contract.
func (d *doc) footerFor(kind, number, hash string) func(page, total int) {
	return func(page, total int) {
		x, w := d.g.left, d.contentW()
		y := d.g.h - d.g.bottom + 6
		d.line(x, y-1.5, x+w, y-1.5, 0.2, 150)
		d.setGray(80)
		d.put(x, y, w, 4, footSize, kind+" · 合同编号 "+number, "L")
		d.put(x, y, w, 4, footSize, fmt.Sprintf("第 %d 页 共 %d 页", page, total), "R")
		d.put(x, y+4.2, w, 4, footSize, "条款 SHA-256："+hash, "L")
		d.setGray(0)
	}
}

// contract lays out one contract as a section of its own.
func (d *doc) contract(c ContractDoc, hash string) {
	t := c.Terms
	d.beginSection(d.footerFor("零工用工协议", t.Number, hash))
	x, w := d.g.left, d.contentW()

	// Heading: title, the identifying lines, the verify QR code at the top right.
	qx := x + w - qrBoxSize
	d.qr(qx, d.y-2, qrBoxSize, c.VerifyURL)
	d.setGray(90)
	d.put(qx, d.y-2+qrBoxSize, qrBoxSize, 4, 8, "扫码核验", "C")
	d.setGray(0)
	d.put(x, d.y, w, 11, 22, "零工用工协议", "C")
	d.y += 14
	hw := w - qrBoxSize - 4
	d.labeled(x, hw, bodySize, bodyLine, "合同编号：", t.Number)
	version := fmt.Sprintf("第 %d 版", t.Version)
	if t.PreviousNumber != "" {
		version += "（变更自 " + t.PreviousNumber + "，原协议自本版生效时失效）"
	}
	d.labeled(x, hw, bodySize, bodyLine, "版本：", version)
	d.labeled(x, hw, bodySize, bodyLine, "签发时间：", cnTime(t.IssuedTime()))
	if c.CheckCode != "" {
		d.labeled(x, hw, bodySize, bodyLine, "核验码：", groupCheckCode(c.CheckCode))
	}
	if c.Status != "" {
		d.labeled(x, hw, bodySize, bodyLine, "状态：", contractStatusLabel(c.Status))
	}
	d.y = max(d.y, d.g.top-2+qrBoxSize+5)
	d.line(x, d.y, x+w, d.y, 0.4, 60)
	d.y += 3

	n := 0
	var body []clauseLine
	item := func(label, value string) { body = append(body, clauseLine{label, value}) }
	text := func(s string) { body = append(body, clauseLine{"", s}) }
	clause := func(title string, fill func()) {
		n++
		body = nil
		fill()
		d.article("第"+cnOrdinal(n)+"条　"+title, body)
	}

	clause("合同双方", func() {
		e := t.Employer
		item("甲方（用工方）：", e.Name+"（"+employerKindLabel(e.Kind)+"）")
		if e.Kind == domain.EmployerIndividual {
			item("身份证号：", orDash(e.IDMasked))
		} else {
			item("统一社会信用代码：", orDash(e.CreditCode))
		}
		item("联系人：", orDash(e.ContactName)+"　电话："+orDash(e.ContactPhone))
		wk := t.Worker
		item("乙方（劳动者）：", wk.Name+"　工号："+orDash(wk.No))
		id := wk.IDMasked
		if id == "" {
			id = "未登记"
		}
		item("身份证号：", id+"　电话："+orDash(wk.Phone))
	})
	clause("工作内容", func() {
		item("岗位：", t.Work.Title)
		item("工作内容：", orDash(t.Work.Content))
		if len(t.Work.Skills) > 0 {
			item("所需技能：", strings.Join(t.Work.Skills, "、"))
		}
		if len(t.Work.RequiredCerts) > 0 {
			item("所需证书：", strings.Join(t.Work.RequiredCerts, "、")+"（乙方应持证上岗）")
		}
	})
	clause("工作地点", func() {
		text(strings.TrimSpace(t.Place.District + t.Place.Town + " " + t.Place.Address))
	})
	clause("工作期限", func() {
		text(fmt.Sprintf("自 %s 至 %s，共 %d 天。", cnDate(t.Period.Start), cnDate(t.Period.End), t.Period.Days))
		if c.Ending != "" {
			item("提前结束：", c.Ending+"（记录于签署之后，不属于上述哈希所代表的签署条款）")
		}
	})
	clause("工作时间", func() {
		s := "每日工作时间按现场安排"
		if t.Hours.DailyMinutes > 0 {
			s = "每日工作 " + hoursText(t.Hours.DailyMinutes)
		}
		if len(t.Hours.Shifts) > 0 {
			parts := make([]string, len(t.Hours.Shifts))
			for i, sh := range t.Hours.Shifts {
				parts[i] = sh.Start + "—" + sh.End
			}
			s += "；班次：" + strings.Join(parts, "、")
		}
		text(s + "。甲方安排加班的，应征得乙方同意并另行计酬。")
	})
	clause("劳动报酬", func() {
		text("工资标准：" + t.Wage.Text() + "（人民币）。工资应足额支付给乙方本人，" +
			"不得克扣或者无故拖欠；计件工作按现场过秤或验收数量计算，每一笔记录乙方可当场核对。")
	})
	clause("结算方式", func() {
		text(t.Settlement.Method.Label() + "：" + t.Settlement.PayDay + "。每次支付均记入本协议的结算记录，由乙方确认或提出异议。")
	})
	clause("安全与保险", func() {
		text(t.Safety)
		if c.Cover != "" {
			item("意外保险：", c.Cover+"（按打印时岗位申报的保险列出，不属于上述哈希所代表的签署条款）")
		}
	})
	if t.Attendance != nil {
		clause("考勤与计工", func() { text(t.Attendance.Pay) })
	}
	clause("取消与爽约", func() {
		item("甲方取消：", t.Cancellation.Employer)
		item("乙方爽约：", t.Cancellation.WorkerNoShow)
	})
	clause("争议解决", func() { text(t.Dispute) })
	clause("签发驿站", func() {
		st := t.Station
		item("驿站：", st.Name+"（编号 "+st.Code+"）")
		item("地址：", orDash(st.Address)+"　电话："+orDash(st.Phone))
	})
	clause("其他", func() {
		text("本协议条款以规范化 JSON 保存于零工一码通平台，其 SHA-256 哈希为 " + hash +
			"。双方确认的即为该哈希所代表的条款，任何改动都会使哈希改变；扫描首页右上角二维码或访问 " + c.VerifyURL +
			" 可核验本协议。变更条款须订立新版本并重新确认。")
	})

	d.signatures(c, hash)
	if c.Ledger != nil {
		d.gap(3)
		d.need(headLine + 20)
		d.put(x, d.y, w, headLine, headSize, "结算记录", "L")
		d.y += headLine + 1
		d.ledgerSection(c.Ledger, t.Wage)
	}
}

// clauseLine is one line item of an article: "label value" with the value in a hanging indent, or a
// plain paragraph when label is "".
type clauseLine struct{ label, value string }

// article draws one numbered article of a contract. An article up to a third of a page tall is never
// split: it moves whole to the next page. A longer one (a long description of the work) starts where it
// is, with at least its heading and three lines, rather than leave most of a page blank, and continues
// on the next page under its heading repeated with （续） and the item's label repeated before the
// continued value, so no page starts with a stray indented line.
func (d *doc) article(heading string, body []clauseLine) {
	x, w := d.g.left, d.contentW()
	h := headLine + 1.5
	for _, b := range body {
		h += float64(d.clauseLineCount(w-indent, b)) * bodyLine
	}
	if h <= (d.limit()-d.g.top)/3 {
		d.need(h)
	} else {
		d.need(headLine + 3*bodyLine)
	}
	d.put(x, d.y, w, headLine, headSize, heading, "L")
	d.y += headLine
	d.onNewPage = func() {
		d.put(x, d.y, w, headLine, headSize, heading+"（续）", "L")
		d.y += headLine
	}
	for _, b := range body {
		if b.label == "" {
			d.para(x+indent, w-indent, bodySize, bodyLine, b.value)
		} else {
			d.labeledAgain(x+indent, w-indent, bodySize, bodyLine, b.label, b.value)
		}
	}
	d.onNewPage = nil
	d.y += 1.5
}

// clauseLineCount is how many lines b takes in width w.
func (d *doc) clauseLineCount(w float64, b clauseLine) int {
	if b.label == "" {
		return len(d.lines(b.value, w, bodySize))
	}
	return len(d.lines(b.value, w-d.labelW(b.label, w, bodySize), bodySize))
}

// signatures draws the signature record: each event for each party, or blank lines for a handwritten
// signature where a party has not signed.
func (d *doc) signatures(c ContractDoc, hash string) {
	x, w := d.g.left, d.contentW()
	d.gap(2)
	d.need(headLine + 2*12)
	d.put(x, d.y, w, headLine, headSize, "签署记录", "L")
	d.y += headLine + 1
	for _, role := range []domain.SignerRole{domain.SignerEmployer, domain.SignerWorker} {
		signed := false
		for _, s := range c.Signatures {
			if s.Role != role {
				continue
			}
			signed = true
			d.need(2 * bodyLine)
			line := roleLabel(role) + "　" + orDash(s.Signer) + "　" + methodLabel(s.Method)
			if s.Witness != "" {
				line += "（见证人：" + s.Witness + "）"
			}
			d.para(x+indent, w-indent, bodySize, bodyLine, line)
			detail := "时间：" + cnTime(s.SignedAt) + "　确认的条款哈希：" + hashPrefix(s.TermsHash)
			if s.TermsHash != "" && !strings.EqualFold(s.TermsHash, hash) {
				detail += "（与本版本条款不一致）"
			}
			d.setGray(70)
			d.para(x+2*indent, w-2*indent, 9, 5, detail)
			d.setGray(0)
			d.y += 1
		}
		if !signed {
			d.need(12)
			d.y += 4
			d.put(x+indent, d.y, w-indent, 7, bodySize,
				roleLabel(role)+"签字"+map[bool]string{true: "（盖章）", false: ""}[role == domain.SignerEmployer]+"：________________　　日期：______年____月____日", "L")
			d.y += 8
		}
	}
}

// hashPrefix shortens a hash for display next to a signature: the first 16 hex digits identify the terms
// beyond doubt for a reader comparing with the footer.
func hashPrefix(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return orDash(h)
}

// groupCheckCode writes a check code in two groups of five, as people read it aloud and type it.
func groupCheckCode(code string) string {
	if len(code) == 10 {
		return code[:5] + "-" + code[5:]
	}
	return code
}
