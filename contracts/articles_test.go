package contracts

import (
	"regexp"
	"strings"
	"testing"
)

// articleHead matches an article's number as pdftotext writes it, on a line of its own (the full-width
// space after it splits the heading in two lines).
var articleHead = regexp.MustCompile(`^第[一二三四五六七八九十]+条$`)

// itemLabel matches the start of a labelled item: 工作内容：, 所需技能：.
var itemLabel = regexp.MustCompile(`^\p{Han}{2,6}：`)

// TestContractArticlesNeverDangle renders contracts whose description grows step by step, so that every
// article in turn meets the foot of a page, and reads each page with pdftotext: every page after the
// first starts with an article heading (a whole article, or the rest of a long one under 「…（续）」 with
// its label repeated) or with the signature record, never with a stray indented line; and no page ends
// with a heading cut off from its text.
func TestContractArticlesNeverDangle(t *testing.T) {
	// One batch PDF of all the contracts, read by one pdftotext run; each contract numbers its own pages.
	var docs []ContractDoc
	for n := 0; n <= 2000; n += 50 {
		c := sampleContract(t)
		c.Terms.Work.Content = longText(n)
		c.Terms.Work.Skills = []string{"摘枸杞", "分拣", "装卸", "过秤记录"}
		c.TermsHash, c.Ledger = "", nil
		docs = append(docs, c)
	}
	pdf, err := ContractsPDF(docs)
	if err != nil {
		t.Fatal(err)
	}
	continued, contract := 0, -1
	for _, p := range strings.Split(strings.TrimRight(pdfText(t, pdf), "\f"), "\f") {
		m := pageOf.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("a page without its footer's page number:\n%s", p)
		}
		if m[1] == "1" {
			contract++
		}
		n, page := 50*contract, m[1]
		lines := contentLines(p)
		if len(lines) == 0 {
			t.Fatalf("description of %d characters: page %s is empty", n, page)
		}
		if page != "1" {
			first := lines[0]
			ok := articleHead.MatchString(first) || first == "签署记录" ||
				strings.HasPrefix(first, "甲方（用工方）") || strings.HasPrefix(first, "乙方（劳动者）")
			if !ok {
				t.Errorf("description of %d characters: page %s starts inside an article: %q", n, page, first)
			}
			if articleHead.MatchString(first) && len(lines) > 1 && strings.HasSuffix(lines[1], "（续）") {
				continued++
				if title := strings.TrimSuffix(lines[1], "（续）"); title == "工作内容" &&
					(len(lines) < 3 || !itemLabel.MatchString(lines[2])) {
					t.Errorf("description of %d characters: page %s continues 工作内容 without a label: %q", n, page, lines[2:3])
				}
			}
		}
		for k := max(0, len(lines)-2); k < len(lines); k++ {
			if articleHead.MatchString(lines[k]) {
				t.Errorf("description of %d characters: page %s ends with a heading cut off from its text: %q", n, page, lines[k:])
			}
		}
	}
	if contract != len(docs)-1 {
		t.Errorf("read %d contracts, printed %d", contract+1, len(docs))
	}
	if continued == 0 {
		t.Error("no description was long enough to continue an article on the next page")
	}
}

// pageOf reads the page number from a page's footer.
var pageOf = regexp.MustCompile(`第\s*(\d+)\s*页\s*共\s*\d+\s*页`)

// contentLines are a page's non-empty lines without the footer.
func contentLines(page string) []string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "合同编号 ZW-") || strings.HasPrefix(l, "条款 SHA-256") || pageNumber.MatchString(l) {
			continue
		}
		out = append(out, l)
	}
	return out
}
