package contracts

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

func TestPosterPDF(t *testing.T) {
	const url = "https://lingong.example.cn/r/SPT-S01"
	pdf, err := PosterPDF(PosterDoc{
		StationName: "沙坡头区文昌镇零工驿站", StationCode: "SPT-S01",
		Address: "中卫市沙坡头区文昌镇鼓楼西街 88 号", Phone: "0955-7012345", RegisterURL: url,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfQRCodes(t, pdf, 150); len(got) != 1 || got[0] != url {
		t.Errorf("poster QR codes = %q, want exactly [%q]", got, url)
	}
	text := noSpace(pdfText(t, pdf))
	for _, want := range []string{"沙坡头区文昌镇零工驿站", "扫码", "填手机号和验证码", "选会干的活", "0955-7012345", "鼓楼西街88号"} {
		if !strings.Contains(text, want) {
			t.Errorf("poster text lacks %q", want)
		}
	}
}

func TestCardPDF(t *testing.T) {
	// A payload as long as a signed token URL gets: the QR code is dense on a card.
	const payload = "https://lingong.example.cn/c/LG00000123.2.kJ8x2mQ9vR4tY7uW1zA3bC5dE6fG8hJ0kL2mN4pQ6rS"
	pdf, err := CardPDF(CardDoc{
		WorkerName: "马桂兰", WorkerNo: "LG00000123", StationName: "中宁县宁安镇零工驿站",
		QRPayload: payload, IssuedOn: "2026-05-01",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfQRCodes(t, pdf, 150); len(got) != 1 || got[0] != payload {
		t.Errorf("card QR codes = %q, want exactly [%q]", got, payload)
	}
	if got := pdfPageSizes(t, pdf); len(got) != 1 || got[0] != "242.65x153.07" {
		t.Errorf("card page sizes %q, want one page of 85.6 × 54 mm (242.65x153.07 pt)", got)
	}
	text := noSpace(pdfText(t, pdf))
	for _, want := range []string{"马桂兰", "LG00000123", "中宁县宁安镇零工驿站", "凭此卡到任一零工驿站可代办报名、签约、结算"} {
		if !strings.Contains(text, want) {
			t.Errorf("card text lacks %q", want)
		}
	}
}

func TestContractPDF(t *testing.T) {
	c := sampleContract(t)
	pdf, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdf) > 150<<10 {
		t.Errorf("contract PDF is %d bytes, want ≤ 150 KB", len(pdf))
	}
	text := pdfText(t, pdf)
	flat := noSpace(text)
	for _, want := range []string{
		"零工用工协议", "合同编号", c.Terms.Number, "中宁县杞香源枸杞种植专业合作社", "马桂兰",
		"150元/天", c.TermsHash, "640521********1028", "短信验证码确认", "API密钥确认",
		"中宁县宁安镇零工驿站", "劳动争议仲裁", "半天工资75元", "结算记录",
		"考勤与计工", "满8小时计1天，满一半（4小时）计半天", "开工后1小时仍未签到的记为缺勤", "前24小时内取消用工", "有异议", "应得225元", "已付150元", "未付75元",
	} {
		if !strings.Contains(flat, noSpace(want)) {
			t.Errorf("contract text lacks %q", want)
		}
	}
	// Every page carries the number and the full hash in its footer.
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	for i, p := range pages {
		if !strings.Contains(p, c.TermsHash) || !strings.Contains(p, c.Terms.Number) {
			t.Errorf("page %d of %d lacks the number or the hash in its footer", i+1, len(pages))
		}
	}
	fonts := runTool(t, "pdffonts", writeTemp(t, "c.pdf", pdf))
	if !strings.Contains(fonts, "notosanssc") || !strings.Contains(fonts, "CID TrueType") {
		t.Errorf("pdffonts does not list the Noto Sans SC TrueType font:\n%s", fonts)
	}
	for _, l := range strings.Split(fonts, "\n")[2:] {
		if l != "" && !strings.Contains(l, " yes ") {
			t.Errorf("font not embedded: %s", l)
		}
	}
	if got := pdfQRCodes(t, pdf, 150); len(got) != 1 || got[0] != c.VerifyURL {
		t.Errorf("contract QR codes = %q, want exactly [%q]", got, c.VerifyURL)
	}
}

func TestContractPDFUnsignedHasSignatureLines(t *testing.T) {
	c := sampleContract(t)
	c.Signatures, c.Ledger, c.Status = nil, nil, domain.ContractDraft
	pdf, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	flat := noSpace(pdfText(t, pdf))
	for _, want := range []string{"甲方（用工方）签字（盖章）：____", "乙方（劳动者）签字：____", "待签署"} {
		if !strings.Contains(flat, want) {
			t.Errorf("unsigned contract lacks %q", want)
		}
	}
	if strings.Contains(flat, "确认状态") {
		t.Error("a contract without a ledger prints a settlement table")
	}
}

// TestLongDescriptionWraps guards against gofpdf's MultiCell defect: a 2,000-character description must
// come back from pdftotext whole, across lines and pages.
func TestLongDescriptionWraps(t *testing.T) {
	c := sampleContract(t)
	desc := longText(2000)
	c.Terms.Work.Content = desc
	c.TermsHash = ""
	c.Signatures = nil
	pdf, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	// Drop the footers, which pdftotext places between the pages of the description, and the heading
	// and label repeated where the article continues on the next page.
	var kept []string
	for _, l := range strings.Split(pdfText(t, pdf), "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "合同编号 ZW-") || strings.HasPrefix(l, "条款 SHA-256") || pageNumber.MatchString(l) ||
			articleHead.MatchString(l) || l == "工作内容（续）" {
			continue
		}
		kept = append(kept, l)
	}
	got := strings.ReplaceAll(noSpace(strings.Join(kept, "\n")), "工作内容：", "")
	want := noSpace(desc)
	if !strings.Contains(got, want) {
		// Report where the text first differs, to name the lost character.
		start := strings.Index(got, noSpace(desc[:30]))
		if start < 0 {
			t.Fatalf("description not found at all")
		}
		g, w := []rune(got[start:]), []rune(want)
		for i := range w {
			if i >= len(g) || g[i] != w[i] {
				t.Fatalf("description differs at character %d: want %q, got %q", i, string(w[i:min(i+20, len(w))]), string(g[i:min(i+20, len(g))]))
			}
		}
	}
}

// pageNumber matches a footer's page count as pdftotext writes it.
var pageNumber = regexp.MustCompile(`^\f?第\s*\d+\s*页\s*共\s*\d+\s*页\s*$`)

func TestSupplementaryPlaneName(t *testing.T) {
	c := sampleContract(t)
	c.Terms.Worker.Name = "𠮷祥云"
	c.TermsHash = ""
	c.Signatures[1].Signer = "𠮷祥云"
	pdf, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	flat := noSpace(pdfText(t, pdf))
	if !strings.Contains(flat, "乙方（劳动者）：吉祥云") {
		t.Errorf("the name with 𠮷 is not printed as 吉祥云")
	}
	// The canonical terms keep the name as given: only the paper shows the standard form.
	b, _, _ := c.Terms.Freeze()
	if !bytes.Contains(b, []byte("𠮷祥云")) {
		t.Error("canonical terms lost the original name")
	}
}

func TestDeterministic(t *testing.T) {
	docs := map[string]func() ([]byte, error){
		"contract": func() ([]byte, error) { return ContractPDF(sampleContract(t)) },
		"poster": func() ([]byte, error) {
			return PosterPDF(PosterDoc{StationName: "中宁县宁安镇零工驿站", RegisterURL: "https://x.cn/r/ZN-S03"})
		},
		"card": func() ([]byte, error) {
			return CardPDF(CardDoc{WorkerName: "马桂兰", WorkerNo: "LG00000123", QRPayload: "https://x.cn/c/abc"})
		},
		"payroll": func() ([]byte, error) { return PayrollPDF(samplePayroll()) },
	}
	for name, render := range docs {
		t.Run(name, func(t *testing.T) {
			first, err := render()
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 5; i++ { // map iteration order differs between runs; output must not
				again, err := render()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatalf("render %d differs from the first", i+2)
				}
			}
		})
	}
	t.Run("the date comes from the input", func(t *testing.T) {
		pdf, _ := ContractPDF(sampleContract(t))
		// The latest instant in the sample is the ledger's as-of time: 2026-05-03 21:30:15 +08:00.
		if !bytes.Contains(pdf, []byte("(D:20260503133015)")) {
			t.Errorf("creation date is not the sample's latest instant in UTC")
		}
	})
}

func TestBatch(t *testing.T) {
	a := sampleContract(t)
	b := sampleContract(t)
	b.Terms.Number = "ZW-202605-000124"
	b.Terms.Worker.Name = "李建国"
	b.TermsHash = ""
	b.Signatures = nil
	b.VerifyURL = "https://lingong.example.cn/verify/ZW-202605-000124"
	_, hashB, _ := b.Terms.Freeze()
	pdf, err := ContractsPDF([]ContractDoc{a, b})
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(pdfText(t, pdf), "\f"), "\f")
	if len(pages) < 2 {
		t.Fatalf("batch has %d pages", len(pages))
	}
	// The second contract starts on a page of its own, numbered from 1, with its own footer.
	var startB int = -1
	for i, p := range pages {
		if strings.Contains(p, hashB) && startB < 0 {
			startB = i
		}
	}
	if startB < 1 {
		t.Fatalf("second contract does not start on a later page of its own (index %d)", startB)
	}
	if !strings.Contains(noSpace(pages[startB]), "李建国") || !strings.Contains(noSpace(pages[startB]), "第1页") {
		t.Errorf("page %d does not begin contract B at its page 1", startB+1)
	}
	if strings.Contains(pages[startB-1], hashB) || !strings.Contains(pages[startB-1], a.TermsHash) {
		t.Errorf("last page of contract A carries the wrong footer")
	}
	if got := pdfQRCodes(t, pdf, 150); len(got) != 2 || got[0] != a.VerifyURL || got[1] != b.VerifyURL {
		t.Errorf("batch QR codes = %q", got)
	}
}

func TestLedgerPDF(t *testing.T) {
	c := sampleContract(t)
	pdf, err := LedgerPDF(LedgerDoc{Terms: c.Terms, TermsHash: c.TermsHash, Ledger: *c.Ledger})
	if err != nil {
		t.Fatal(err)
	}
	flat := noSpace(pdfText(t, pdf))
	for _, want := range []string{"结算记录", c.Terms.Number, "中宁县杞香源枸杞种植专业合作社", "马桂兰", c.TermsHash,
		"2026-05-03", "0.5天", "微信", "已确认", "有异议", "应得225元", "已付150元", "未付75元"} {
		if !strings.Contains(flat, noSpace(want)) {
			t.Errorf("ledger text lacks %q", want)
		}
	}
}

// TestLedgerManyLines checks that a long ledger of a piece rate by the 斤 flows over pages with its
// heading repeated, each quantity in 斤 and the rate in 元/斤.
func TestLedgerManyLines(t *testing.T) {
	c := sampleContract(t)
	c.Terms.Wage = WageTerms{AmountFen: 200, Unit: domain.PerPiece, PieceUnit: "斤"}
	l := Ledger{AsOf: issued.Add(30 * 24 * time.Hour)}
	for i := 0; i < 120; i++ {
		l.Lines = append(l.Lines, LedgerLine{Date: domain.Date("2026-05-02").AddDays(i % 30), Kind: domain.LedgerWork,
			QuantityMilli: 12500, Unit: domain.PerPiece, AmountFen: 2500, State: Pending})
		l.Totals.EarnedFen += 2500
	}
	l.Totals.OutstandingFen = l.Totals.EarnedFen
	pdf, err := LedgerPDF(LedgerDoc{Terms: c.Terms, Ledger: l})
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(pdfText(t, pdf), "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("120 lines fit on %d pages?", len(pages))
	}
	rows := 0
	for i, p := range pages {
		if !strings.Contains(p, "确认状态") {
			t.Errorf("page %d lacks the table heading", i+1)
		}
		rows += strings.Count(p, "12.5 斤")
		if strings.Contains(p, "件") {
			t.Errorf("page %d speaks of 件 in a ledger by the 斤", i+1)
		}
	}
	if rows != 120 {
		t.Errorf("%d rows printed, want 120", rows)
	}
	if !strings.Contains(noSpace(pages[0]), "工资标准：2元/斤") {
		t.Error("the first page lacks the rate 2 元/斤")
	}
	if !strings.Contains(noSpace(pages[len(pages)-1]), "应得3000元") {
		t.Error("totals missing on the last page")
	}
}

func TestPayrollPDF(t *testing.T) {
	pdf, err := PayrollPDF(samplePayroll())
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfPageSizes(t, pdf); len(got) != 1 || got[0] != "841.89x595.28" {
		t.Errorf("payroll page sizes %q, want one landscape A4 page (841.89x595.28 pt)", got)
	}
	text := pdfText(t, pdf)
	if strings.Contains(text, "640521197305121028") {
		t.Fatal("payroll PDF shows a full ID number")
	}
	flat := noSpace(text)
	for _, want := range []string{"工资支付台账", "2026年5月", "姓名", "身份证号", "工作时间", "应发工资", "扣除", "实发工资",
		"本期已付", "支付日期", "支付方式", "本人确认", "640*************28", "10天", "27.5小时", "412.5斤", "655", "借支",
		"现金、银行转账", "社保卡", "已确认", "有异议", "3000", "20", "2980", "2000", "买买提·艾力"} {
		if !strings.Contains(flat, noSpace(want)) {
			t.Errorf("payroll text lacks %q", want)
		}
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name   string
		render func() error
	}{
		{"contract whose terms no longer match the stored hash", func() error {
			c := sampleContract(t)
			c.Terms.Wage.AmountFen = 20000
			_, err := ContractPDF(c)
			return err
		}},
		{"contract without verify URL", func() error {
			c := sampleContract(t)
			c.VerifyURL = ""
			_, err := ContractPDF(c)
			return err
		}},
		{"ledger totals that do not add up", func() error {
			c := sampleContract(t)
			c.Ledger.Totals.OutstandingFen++
			_, err := ContractPDF(c)
			return err
		}},
		{"standalone ledger with tampered terms", func() error {
			c := sampleContract(t)
			c.Terms.Worker.Name = "王五"
			_, err := LedgerPDF(LedgerDoc{Terms: c.Terms, TermsHash: c.TermsHash, Ledger: *c.Ledger})
			return err
		}},
		{"payroll net not gross minus deductions", func() error {
			p := samplePayroll()
			p.Rows[1].NetFen = 67500
			_, err := PayrollPDF(p)
			return err
		}},
		{"payroll with a bad month", func() error {
			p := samplePayroll()
			p.Month = "2026-13"
			_, err := PayrollPDF(p)
			return err
		}},
		{"empty batch", func() error { _, err := ContractsPDF(nil); return err }},
		{"poster without URL", func() error { _, err := PosterPDF(PosterDoc{StationName: "x"}); return err }},
		{"card without payload", func() error {
			_, err := CardPDF(CardDoc{WorkerName: "x", WorkerNo: "LG1"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.render(); err == nil {
				t.Error("rendered; want an error")
			}
		})
	}
}

func TestSitePosterPDF(t *testing.T) {
	const url = "https://lingong.example.cn/a/AQLHFa2b3c4d5e6f7g8h9i0jklmnop"
	pdf, err := SitePosterPDF(SitePosterDoc{JobTitle: "宁安镇枸杞园招修剪工", EmployerName: "王建国", Address: "中宁县宁安镇枸杞园",
		Day: "2026-05-10", Period: "2026-05-10 至 2026-05-20", CheckInURL: url, StationName: "中宁县宁安镇零工驿站", Phone: "0955-5012345"})
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfQRCodes(t, pdf, 150); len(got) != 1 || got[0] != url {
		t.Errorf("site poster QR codes = %q, want exactly [%q]", got, url)
	}
	text := noSpace(pdfText(t, pdf))
	for _, want := range []string{"宁安镇枸杞园招修剪工", "用工方：王建国", "2026-05-10当日有效", "①扫码", "②用手机号登录", "签退", "中宁县宁安镇零工驿站"} {
		if !strings.Contains(text, want) {
			t.Errorf("site poster text lacks %q:\n%s", want, text)
		}
	}
	if sizes := pdfPageSizes(t, pdf); len(sizes) != 1 {
		t.Errorf("site poster pages = %v, want one A4 page", sizes)
	}
}

func TestAttendanceSheetPDF(t *testing.T) {
	pdf, err := AttendanceSheetPDF(AttendanceSheet{JobTitle: "宁安镇枸杞园招修剪工", EmployerName: "王建国", StationName: "中宁县宁安镇零工驿站", Day: "2026-05-10",
		Rows: []AttendanceSheetRow{
			{WorkerName: "马福海", WorkerNo: "LG00000123", ContractNumber: "ZW-202605-000001", In: "07:02", Out: "17:10", Minutes: 608, AmountFen: 20000, Review: "待用工方确认"},
			{WorkerName: "李秀英", WorkerNo: "LG00000124", ContractNumber: "ZW-202605-000002", In: "07:40", Flags: "离工地 820 米"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	text := noSpace(pdfText(t, pdf))
	for _, want := range []string{"考勤表", "宁安镇枸杞园招修剪工", "马福海", "LG00000123", "07:02", "17:10", "10:08", "200", "李秀英", "离工地820米", "合计"} {
		if !strings.Contains(text, want) {
			t.Errorf("roster text lacks %q:\n%s", want, text)
		}
	}
}
