package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tokenizer follows Lucene's CJKAnalyzer: text is folded (full-width ASCII to half-width, letters to
// lower case), runs of Han characters become overlapping bigrams, runs of other letters and digits become
// words, and everything else separates tokens. A dictionary segmenter was measured and rejected
// (DESIGN.md section 4); bigrams need no dictionary and never split a word wrongly, they only over-match,
// which BM25 and the taxonomy layer rank away.
//
// Documents are indexed with the single characters as well as the bigrams, so a one-character query (瓜)
// still finds something; queries of two or more characters use bigrams only, which is Lucene's advice
// for CJK (unigrams at query time match almost everything and drown the ranking).

// fold maps one rune to its searchable form: full-width ASCII (Ａ-ｚ, ０-９, punctuation) and the
// ideographic space to their half-width forms, letters to lower case.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	return unicode.ToLower(r)
}

// normalize folds every rune of s. Invalid UTF-8 bytes become spaces, so they separate tokens and never
// reach the index (utf8.RuneError is not a letter). Text that needs no folding, which is most Chinese
// text, is returned as it is without allocating.
func normalize(s string) string {
	if isNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := decode(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(fold(r))
	}
	return b.String()
}

// decode is utf8.DecodeRuneInString with the three-byte sequences of Chinese decoded inline: the
// standard function takes its slow path for every one of them, and analysis decodes each character of
// every gig several times.
func decode(s string) (rune, int) {
	if len(s) >= 3 && s[0]&0xF0 == 0xE0 && s[1]&0xC0 == 0x80 && s[2]&0xC0 == 0x80 {
		r := rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	if len(s) > 0 && s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// isNormal reports whether s is valid UTF-8 that folding would change in no way that matters: no letter or
// digit would change.
func isNormal(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return false
			}
			i++
			continue
		}
		r, size := decode(s[i:])
		i += size
		switch {
		case isHan(r), r == 0x3000: // the ideographic space separates tokens folded or not
		case r >= 0xFF01 && r <= 0xFF5E:
			// Full-width punctuation (，！) separates tokens folded or not; letters and digits must fold.
			if isWordRune(r - 0xFEE0) {
				return false
			}
		case r == utf8.RuneError && size <= 1, unicode.ToLower(r) != r:
			return false
		}
	}
	return true
}

// isHan reports whether r is a CJK ideograph. The common block is checked first: it is almost all text.
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs to a non-Han word (Latin letters, digits, other scripts' letters).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// tokenMode says whether single Han characters are emitted beside the bigrams of longer runs.
type tokenMode uint8

const (
	indexMode tokenMode = iota // bigrams and every single character: for documents
	queryMode                  // bigrams only, a lone character when a run has one: for queries
)

// scanTokens calls emit for every token of the already normalized text s, in order of position. Tokens are
// substrings of s, so scanning allocates nothing. Within a Han run a character's unigram comes before the
// bigram that starts with it, as Lucene's CJKBigramFilter with outputUnigrams emits them.
func scanTokens(s string, mode tokenMode, emit func(tok string)) {
	i := 0
	for i < len(s) {
		r, size := decode(s[i:])
		switch {
		case isHan(r):
			start, n := i, 0
			// Walk the run keeping the byte offsets of the last two characters.
			prev, prevSize := -1, 0
			for i < len(s) {
				r, size = decode(s[i:])
				if !isHan(r) {
					break
				}
				if prev >= 0 {
					emit(s[prev : i+size])
				}
				if mode == indexMode {
					emit(s[i : i+size])
				}
				prev, prevSize = i, size
				i += size
				n++
			}
			if n == 1 && mode == queryMode {
				emit(s[start : start+prevSize])
			}
		case isWordRune(r):
			start := i
			i = wordEnd(s, i)
			emit(s[start:i])
		default:
			i += size
		}
	}
}

// wordEnd returns the end of the run of word runes (letters and digits) that starts at i. A decimal
// point between digits stays in the word: 1.5元 is the word "1.5", not "1" and "5".
func wordEnd(s string, i int) int {
	start := i
	for i < len(s) {
		r, size := decode(s[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if r == '.' && i > start && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]) {
			i++
			continue
		}
		break
	}
	return i
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Tokenize returns the index terms of text as the library indexes a gig: overlapping bigrams of every Han
// run plus each Han character alone, and every run of letters or digits as one lower-cased word.
// Full-width characters are folded first (２０名 gives "20" and "名", as 20名 does), punctuation and
// invalid UTF-8 separate tokens, and nothing panics on any input. Order is by position; duplicates stay.
func Tokenize(text string) []string {
	var out []string
	scanTokens(normalize(text), indexMode, func(tok string) { out = append(out, tok) })
	return out
}

// queryTokens returns the terms of a query: bigrams of Han runs (a lone character for a one-character
// run) and words, deduplicated, in order of first appearance, which is also the order scores are summed
// in (so a score never depends on how terms happen to be numbered inside the index).
func queryTokens(normalized string) []string {
	var out []string
	scanTokens(normalized, queryMode, func(tok string) {
		for _, t := range out {
			if t == tok {
				return
			}
		}
		out = append(out, tok)
	})
	return out
}

// splitClauses cuts a normalized query into its keywords: runs of Han characters, letters and digits
// (with the decimal point), separated by spaces and punctuation. 中宁 枸杞,日结 has three clauses.
func splitClauses(normalized string) []string {
	var out []string
	start := -1
	for i := 0; i < len(normalized); {
		r, size := decode(normalized[i:])
		keep := isHan(r) || isWordRune(r) ||
			r == '.' && i > 0 && isDigit(normalized[i-1]) && i+1 < len(normalized) && isDigit(normalized[i+1])
		if keep && start < 0 {
			start = i
		}
		if !keep && start >= 0 {
			out = append(out, normalized[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, normalized[start:])
	}
	return out
}
