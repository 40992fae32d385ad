package contracts

import (
	"slices"
	"strings"
	"unicode"
)

// replacementRune stands for a character the font cannot draw. 〓 (the geta mark) is what Chinese
// typesetters have always used for a missing character: visibly a placeholder, never mistaken for text.
const replacementRune = '〓'

// standardVariant maps a character outside the Basic Multilingual Plane that appears in Chinese names to
// the standard character people write for it. gofpdf crashes on any rune above U+FFFF (DESIGN.md section
// 5), and the GBK font lacks them anyway; an identity document keeps the original, our paper shows the
// common form (the terms JSON keeps the original too). Add pairs only with certainty that they are the
// same character.
func standardVariant(r rune) (rune, bool) {
	switch r {
	case '\U00020BB7': // 𠮷: 吉 written with 土 on top, a frequent surname variant
		return '吉', true
	}
	return 0, false
}

// clean prepares one piece of text for a single line of a PDF: tabs and line breaks become spaces,
// invisible format characters (zero-width spaces, joiners, variation selectors, soft hyphens, controls)
// are dropped, characters above U+FFFF become their standard variant or 〓, and any other character the
// font lacks becomes 〓. The result contains only runes f.has reports true for.
func (f *face) clean(s string) string {
	return f.cleanKeep(s, false)
}

// cleanPara is clean for a paragraph: line breaks are kept as '\n' (CRLF and CR become '\n').
func (f *face) cleanPara(s string) string {
	return f.cleanKeep(strings.ReplaceAll(s, "\r\n", "\n"), true)
}

func (f *face) cleanKeep(s string, keepNewlines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if keepNewlines {
				b.WriteRune('\n')
			} else {
				b.WriteRune(' ')
			}
			continue
		case r == '\t' || r == '\u00A0':
			r = ' '
		case invisible(r):
			continue
		case r > 0xFFFF:
			if v, ok := standardVariant(r); ok {
				r = v
			} else {
				r = replacementRune
			}
		}
		if !f.has(r) {
			r = replacementRune
		}
		b.WriteRune(r)
	}
	return b.String()
}

// invisible reports runes that draw nothing and must not reach gofpdf: controls, format characters
// (zero-width space and joiners, BOM, soft hyphen, bidi marks) and variation selectors.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// Line breaking. Text is cut into tokens that may not be split across lines unless a token alone is wider
// than the line: a run of ASCII letters, digits and joiners (a number, a code such as ZW-202605-000123, a
// Latin word), a run of spaces, or any other single character (a Han character may break anywhere).
// Closing punctuation must not start a line and opening punctuation must not end one (避头尾): the
// character before a closing mark moves down with it.

// noLineStart are marks that may not begin a line.
const noLineStart = "，。、；：？！）》」』】〕〗〉”’…—·%％,.;:?!)]}>"

// noLineEnd are marks that may not end a line.
const noLineEnd = "（《「『【〔〖〈“‘([{<"

func isWordRune(r rune) bool {
	return r < 0x80 && (r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' ||
		strings.ContainsRune("-_./@:#+*=&%~", r))
}

// tokens splits a line of clean text into unbreakable tokens.
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch {
		case isWordRune(rs[i]):
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
		case rs[i] == ' ':
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

// wrap breaks clean text into lines no wider than maxW (as measured by width). '\n' forces a break;
// spaces at a break are dropped; no other character is ever lost, which the tests check by comparing the
// joined lines with the input. An empty paragraph yields one empty line, so blank lines keep their
// height.
func wrap(s string, maxW float64, width func(string) float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, wrapLine(para, maxW, width)...)
	}
	return lines
}

func wrapLine(s string, maxW float64, width func(string) float64) []string {
	var lines []string
	var cur []string // tokens of the line being filled
	curW := 0.0
	flush := func() {
		line := strings.TrimRight(strings.Join(cur, ""), " ")
		lines = append(lines, line)
		cur, curW = nil, 0
	}
	toks := tokens(s)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := width(t)
		if t[0] == ' ' {
			if len(cur) == 0 && len(lines) > 0 {
				continue // spaces at the start of a wrapped line are the break itself
			}
			cur, curW = append(cur, t), curW+w
			continue
		}
		if curW+w <= maxW || len(cur) == 0 && w <= maxW {
			cur, curW = append(cur, t), curW+w
			continue
		}
		first, _ := firstRune(t)
		if strings.ContainsRune(noLineStart, first) {
			// Rather than start a line with a closing mark, move it down with the character before it
			// (and with any closing marks in between, as in 。」).
			k := len(cur) - 1
			for k > 0 && isClosing(cur[k]) {
				k--
			}
			if k > 0 && cur[k][0] != ' ' {
				carry := append([]string(nil), cur[k:]...)
				cur = cur[:k]
				flush()
				for _, c := range carry {
					cur, curW = append(cur, c), curW+width(c)
				}
				cur, curW = append(cur, t), curW+w
				continue
			}
		}
		if len(cur) > 0 {
			// Do not leave an opening mark at the end of the line.
			var carry []string
			for len(cur) > 1 {
				lr, _ := lastRune(cur[len(cur)-1])
				if !strings.ContainsRune(noLineEnd, lr) {
					break
				}
				carry = append([]string{cur[len(cur)-1]}, carry...)
				cur = cur[:len(cur)-1]
			}
			flush()
			for _, c := range carry {
				cur, curW = append(cur, c), curW+width(c)
			}
		}
		if curW+w <= maxW {
			cur, curW = append(cur, t), curW+w
			continue
		}
		// A token wider than a whole line (a long code or number): split it by characters.
		for _, r := range t {
			rw := width(string(r))
			if curW+rw > maxW && len(cur) > 0 {
				flush()
			}
			cur, curW = append(cur, string(r)), curW+rw
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// isClosing reports whether token t is a mark that may not start a line.
func isClosing(t string) bool {
	r, _ := firstRune(t)
	return strings.ContainsRune(noLineStart, r)
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

func lastRune(s string) (rune, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	return rs[len(rs)-1], true
}

// Unprintable returns the characters of s, each once and in order, that the documents' font cannot draw
// (they print as 〓). Invisible characters and the standard variants clean substitutes are not counted.
// A font that fails to load counts nothing (the PDF itself will report that).
func Unprintable(s string) []rune {
	f, err := loadFace()
	if err != nil {
		return nil
	}
	var out []rune
	for _, r := range s {
		if invisible(r) || r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if v, ok := standardVariant(r); ok {
			r = v
		}
		if !f.has(r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
