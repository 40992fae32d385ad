package matching

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"one han character", "瓜", []string{"瓜"}},
		{"han run gives unigrams and overlapping bigrams", "摘果工", []string{"摘", "摘果", "果", "果工", "工"}},
		{"digits and han split", "20名", []string{"20", "名"}},
		{"full-width digits fold", "２０名", []string{"20", "名"}},
		{"full-width letters fold and lower", "Ｃ１驾照", []string{"c1", "驾", "驾照", "照"}},
		{"ascii lower-cased", "ABC def", []string{"abc", "def"}},
		{"punctuation separates", "日结，管饭！", []string{"日", "日结", "结", "管", "管饭", "饭"}},
		{"ideographic space separates", "日结　管饭", []string{"日", "日结", "结", "管", "管饭", "饭"}},
		{"decimal point stays in a number", "1.5元/斤", []string{"1.5", "元", "斤"}},
		{"trailing dot is punctuation", "共20.", []string{"共", "20"}},
		{"invalid utf-8 separates", "日\xff结", []string{"日", "结"}},
		{"emoji dropped", "急招😀搬运", []string{"急", "急招", "招", "搬", "搬运", "运"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Tokenize(tt.in)); diff != "" {
				t.Errorf("Tokenize(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestQueryTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"摘果", []string{"摘果"}},
		{"中宁枸杞", []string{"中宁", "宁枸", "枸杞"}},
		{"瓜", []string{"瓜"}},
		{"20名", []string{"20", "名"}},
		{"日结日结", []string{"日结", "结日"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, queryTokens(normalize(tt.in))); diff != "" {
				t.Errorf("queryTokens(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSplitClauses(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"枸杞 日结", []string{"枸杞", "日结"}},
		{"中宁,枸杞。日结", []string{"中宁", "枸杞", "日结"}},
		{"  ", nil},
		{"1.5元", []string{"1.5元"}},
		{"c1驾照 包吃住", []string{"c1驾照", "包吃住"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, splitClauses(normalize(tt.in))); diff != "" {
				t.Errorf("splitClauses(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestNormalizeReturnsNormalTextAsIs(t *testing.T) {
	s := "中宁枸杞园急招摘果工20名 日结"
	if got := normalize(s); got != s {
		t.Errorf("normalize(%q) = %q", s, got)
	}
}

// FuzzTokenize checks that no input panics, that tokens are valid UTF-8, non-empty, free of separators,
// and that folding is idempotent (a token tokenises to itself).
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"中宁枸杞园急招摘果工20名 日结", "２０名", "\xff\xfe", "Ｃ１驾照", "1.5.5", "a\u3000b", "𠀀𠀁"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" || !utf8.ValidString(tok) || strings.ContainsAny(tok, " ,，。") {
				t.Fatalf("Tokenize(%q) gave bad token %q", s, tok)
			}
			if normalize(tok) != tok {
				t.Fatalf("token %q of %q is not normalized", tok, s)
			}
		}
		for _, c := range splitClauses(normalize(s)) {
			queryTokens(c)
			tax.read(c, true)
		}
		DetectSkills(s)
		DetectCerts(s)
	})
}

// FuzzDecode holds the inline decoder to the standard one.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"中", "\xed\xa0\x80", "\xe0\x80\x80", "a", "", "\xef\xbc\x90", "\xe4\xb8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r1, n1 := decode(s)
		r2, n2 := utf8.DecodeRuneInString(s)
		if r1 != r2 || n1 != n2 {
			t.Fatalf("decode(%q) = %q %d, utf8 gives %q %d", s, r1, n1, r2, n2)
		}
	})
}

// referenceTerms is what jobTerms must return, computed the plain way: the tokens of scanTokens, title
// tokens twice, each looked up in the dictionary as a string.
func referenceTerms(d *dictionary, parts []string) ([]uint32, int32) {
	counts := map[uint32]uint32{}
	length := 0
	for i, part := range parts {
		n := 1 + uint32(min(i, 1)^1) // 2 for the title
		scanTokens(part, indexMode, func(tok string) {
			length += int(n)
			if id, ok := d.lookup(tok); ok {
				counts[id] += n
			}
		})
	}
	var packed []uint32
	for id, c := range counts {
		packed = append(packed, id<<8|min(c, maxTF))
	}
	slices.Sort(packed)
	return packed, int32(length)
}

// FuzzJobTerms holds jobTerms, which counts terms straight from the runes, to the plain reference: with
// every term known, with unknown terms dropped (a query's gig), and after numbering new terms.
func FuzzJobTerms(f *testing.F) {
	for _, s := range []string{"中宁枸杞园急招摘果工２０名 日结", "日薪1.5元 Ｃ１驾照", "㐀㐁 𠀀𠀁 瓜", "\xff中\xfe宁", "a.b 3.14 x1.y"} {
		f.Add(s, "招小工和瓦工，管吃住")
	}
	var d dictionary
	var a analyzer
	for _, j := range GenerateJobs(50, 1, testToday) {
		a.jobTerms(&d, jobText(&j, normalize(j.Title), normalize(j.Description)), true)
	}
	f.Fuzz(func(t *testing.T, title, desc string) {
		parts := []string{normalize(title), normalize(desc), "中宁县"}
		check := func(what string, got []uint32, gotLen int32) {
			t.Helper()
			want, wantLen := referenceTerms(&d, parts)
			if !slices.Equal(got, want) || gotLen != wantLen {
				t.Fatalf("%s of %q: gigTerms gives %v (length %d), reference %v (length %d)", what, parts, got, gotLen, want, wantLen)
			}
		}
		got, n := a.jobTerms(&d, parts, false)
		check("lookup", got, n)
		got, n = a.jobTerms(&d, parts, true)
		check("interning", got, n)
		got, n = a.jobTerms(&d, parts, true)
		check("all known", got, n)
	})
}

// Most of the generated market's gigs have enough terms for sortIDs's radix sort (64 or more), and their
// ids here reach past 1<<16 once the dictionary is padded, so three bytes are sorted.
func TestJobTermsOfTheCorpus(t *testing.T) {
	var d dictionary
	var a analyzer
	for i := range 70_000 { // ids past 1<<16
		d.internAll([]string{fmt.Sprint("pad", i)}, nil, nil)
	}
	radix := 0
	for _, j := range GenerateJobs(300, 7, testToday) {
		parts := jobText(&j, normalize(j.Title), normalize(j.Description))
		got, n := a.jobTerms(&d, parts, true)
		want, wantLen := referenceTerms(&d, parts)
		if !slices.Equal(got, want) || n != wantLen {
			t.Fatalf("gig %d: gigTerms gives %v (length %d), reference %v (length %d)", j.ID, got, n, want, wantLen)
		}
		if len(got) >= 64 {
			radix++
		}
	}
	if radix < 100 {
		t.Fatalf("only %d of 300 gigs have 64 terms or more: the radix sort is hardly tested", radix)
	}
}
