package contracts

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	f := mustFace(t)
	tests := []struct {
		name, in, want string
	}{
		{"plain Chinese and ASCII", "马桂兰 LG00000123", "马桂兰 LG00000123"},
		{"supplementary-plane name character to its standard form", "𠮷祥云", "吉祥云"},
		{"other supplementary-plane characters to 〓", "张𡋗平😀", "张〓平〓"},
		{"BMP character missing from the GBK font", "王\u4DAE", "王〓"},
		{"line breaks and tabs become spaces", "一\r\n二\t三\n四", "一  二 三 四"},
		{"invisible characters dropped", "张\u200B三\uFE0F\u00AD\u200D", "张三"},
		{"no-break space becomes a space", "150\u00A0元", "150 元"},
		{"minority name with middle dot", "买买提·艾力", "买买提·艾力"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.clean(tt.in)
			if got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, r := range got {
				if !f.has(r) {
					t.Errorf("clean left %q, which the font lacks", r)
				}
			}
			if f.clean(got) != got {
				t.Error("clean is not idempotent")
			}
		})
	}
	if got := f.cleanPara("一\r\n二\r三\n"); got != "一\n二\n三\n" {
		t.Errorf("cleanPara kept %q", got)
	}
}

// TestWrapLosesNothing wraps texts at many widths and checks that no character other than spaces at a
// break is lost, that no line is wider than the limit unless it is one unbreakable character, and that
// no line begins with closing punctuation when it could be avoided.
func TestWrapLosesNothing(t *testing.T) {
	f := mustFace(t)
	const size = 10.5
	width := func(s string) float64 { return f.width(s, size) }
	texts := map[string]string{
		"long description":        longText(2000),
		"code longer than a line": "编号" + strings.Repeat("ZW-202605-000123", 12) + "结束。",
		"paragraphs":              "第一段。\n\n第二段，带空行。\n",
		"punctuation heavy":       strings.Repeat("好。」（是）“对”，", 40),
		"latin words":             strings.Repeat("the quick brown fox jumps over ", 10),
	}
	for name, text := range texts {
		for _, maxW := range []float64{15, 40, 82.7, 174} {
			lines := wrap(f.cleanPara(text), maxW, width)
			if got, want := noSpace(strings.Join(lines, "")), noSpace(f.cleanPara(text)); got != want {
				t.Errorf("%s at %.0f mm: text changed by wrapping:\n got %q\nwant %q", name, maxW, got, want)
			}
			for i, l := range lines {
				if w := width(l); w > maxW+1e-9 && utf8.RuneCountInString(strings.TrimSpace(l)) > 2 {
					t.Errorf("%s at %.0f mm: line %d is %.1f mm wide: %q", name, maxW, i, w, l)
				}
				if r, ok := firstRune(l); ok && i > 0 && maxW > 20 && strings.ContainsRune("，。、；：？！）」』】》", r) {
					t.Errorf("%s at %.0f mm: line %d starts with %q", name, maxW, i, r)
				}
			}
		}
	}
}

func TestWrapCases(t *testing.T) {
	// Every character 1 mm wide, spaces included, to make the expectations readable.
	width := func(s string) float64 { return float64(utf8.RuneCountInString(s)) }
	tests := []struct {
		name string
		in   string
		maxW float64
		want []string
	}{
		{"fits", "你好世界", 10, []string{"你好世界"}},
		{"Han breaks anywhere", "一二三四五六七", 3, []string{"一二三", "四五六", "七"}},
		{"a closing mark takes the last character with it", "一二三。四", 3, []string{"一二", "三。四"}},
		{"an opening mark moves down", "一二（三）", 3, []string{"一二", "（三）"}},
		{"a number stays whole", "共计 12345 元", 7, []string{"共计", "12345 元"}},
		{"closing marks in a row move down together", "一二三。」四", 4, []string{"一二", "三。」四"}},
		{"a word longer than the line is split", "ABCDEFGH", 3, []string{"ABC", "DEF", "GH"}},
		{"forced breaks and blank lines", "甲\n\n乙", 5, []string{"甲", "", "乙"}},
		{"empty", "", 5, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.maxW, width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.maxW, got, tt.want)
			}
		})
	}
}

// longText returns n characters of varied Chinese prose with punctuation, digits and Latin words, the
// kind of description that exposed gofpdf's MultiCell defect.
func longText(n int) string {
	const src = "每天早上五点半到基地集合，由带班员分配地块。采摘时只摘红透的果子，青果和烂果不要，" +
		"果柄可以留着。每筐约 20 斤，满筐后送到地头过秤点（SN-03 号秤）登记重量；中午十一点收工，" +
		"下午三点半继续。基地提供草帽、手套和饮用水，请自带水杯。「注意防晒」，高温天气会调整时间！" +
		"如有疑问请联系带班员王师傅 13909551234，或拨打驿站电话 0955-5012345。"
	rs := []rune(strings.Repeat(src, n/len([]rune(src))+1))
	return string(rs[:n])
}
