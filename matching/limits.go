package matching

import (
	"strconv"
	"strings"

	"lingong/domain"
)

// Employers' limits: many postings say who they take ("只要女工", "限男性", "55岁以下", "超过45岁的别打
// 电话"). They are hard filters for a worker whose gender and birth year are known (from the resident ID
// number); a worker who gave neither is not filtered, since nothing says he fails them.

// gender is a worker's gender, or a gig's limit on it: 0 unknown or any.
type gender uint8

const (
	anyGender gender = iota
	male
	female
)

func genderOf(s string) gender {
	switch s {
	case "male":
		return male
	case "female":
		return female
	}
	return anyGender
}

// genderCues say that a posting takes one gender only; anyGenderCues that it takes both.
var (
	anyGenderCues = []string{"男女不限", "不限男女", "男女都", "男女均", "男的女的都", "男工女工都"}
	genderCues    = map[gender][]string{
		female: {"只要女", "限女", "仅限女", "要女的", "女工", "女的", "女性"},
		male:   {"只要男", "限男", "仅限男", "要男的", "男工", "男的", "男性"},
	}
)

// An upper age limit is a two-digit number before 以下, 以内 or 之内 ("55岁以下", "年龄50以内", "限男50以下"),
// after 超过, 大于 or 高于 ("超过45岁的别打电话"), or before 岁以上 and a refusal ("60岁以上的不要"). It is
// scanned for by hand: a regular expression over every gig's text made building the index a third
// slower.
var (
	ageBelowCues   = []string{"以下", "以内", "之内"}
	ageAboveCues   = []string{"超过", "大于", "高于"}
	ageRefusalCues = []string{"别", "不要", "勿", "免"}
)

// twoDigitsBefore returns the number of exactly two ASCII digits that end s, less a trailing 岁, 周岁, 及
// and spaces.
func twoDigitsBefore(s string) (int, bool) {
	s = strings.TrimRight(s, " ")
	s = strings.TrimSuffix(s, "及")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "岁"), "周")
	s = strings.TrimRight(s, " ")
	n := len(s)
	if n < 2 || !isDigit(s[n-1]) || !isDigit(s[n-2]) || n > 2 && isDigit(s[n-3]) {
		return 0, false
	}
	return int(s[n-2]-'0')*10 + int(s[n-1]-'0'), true
}

// twoDigitsAfter returns the number of exactly two ASCII digits that start s (after spaces).
func twoDigitsAfter(s string) (int, bool) {
	s = strings.TrimLeft(s, " ")
	if len(s) < 2 || !isDigit(s[0]) || !isDigit(s[1]) || len(s) > 2 && isDigit(s[2]) {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// ageCap returns the lowest upper age limit the text states, 0 for none.
func ageCap(text string) int {
	limit := 0
	take := func(a int, ok bool) {
		if ok && a >= 16 && a <= 80 && (limit == 0 || a < limit) {
			limit = a
		}
	}
	each := func(cue string, f func(before, after string)) {
		for from := 0; ; {
			i := strings.Index(text[from:], cue)
			if i < 0 {
				return
			}
			f(text[:from+i], text[from+i+len(cue):])
			from += i + len(cue)
		}
	}
	for _, cue := range ageBelowCues {
		each(cue, func(before, _ string) { take(twoDigitsBefore(before)) })
	}
	for _, cue := range ageAboveCues {
		each(cue, func(_, after string) { take(twoDigitsAfter(after)) })
	}
	each("岁以上", func(before, after string) {
		if after = strings.TrimPrefix(after, "的"); containsPrefix(after, ageRefusalCues) {
			take(twoDigitsBefore(before))
		}
	})
	return limit
}

func containsPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// employerLimits reads a gig's text (normalized) for a gender it is limited to and the earliest birth
// year it takes (0: none), the age counted in the year the gig starts.
func employerLimits(text string, start domain.Date) (gender, int32) {
	g := anyGender
	// Every cue holds 男 or 女: most texts are done with two searches.
	if hasF, hasM := strings.Contains(text, "女"), strings.Contains(text, "男"); hasF || hasM {
		f := hasF && containsLimit(text, genderCues[female])
		m := hasM && containsLimit(text, genderCues[male])
		switch {
		case f && !m && !containsAny(text, anyGenderCues):
			g = female
		case m && !f && !containsAny(text, anyGenderCues):
			g = male
		}
	}
	year, err := strconv.Atoi(string(start)[:min(4, len(start))])
	if err != nil {
		return g, 0
	}
	if strings.Contains(text, "放宽") { // "有经验的年龄可以放宽"
		return g, 0
	}
	limit := ageCap(text)
	if limit == 0 {
		return g, 0
	}
	return g, int32(year - limit)
}

// containsLimit reports whether s says one of the cues as a limit: "女工优先" prefers, it does not limit.
func containsLimit(s string, cues []string) bool {
	for _, c := range cues {
		for from := 0; ; {
			i := strings.Index(s[from:], c)
			if i < 0 {
				break
			}
			from += i + len(c)
			if !strings.HasPrefix(strings.TrimLeft(s[from:], " "), "优先") {
				return true
			}
		}
	}
	return false
}

// workerGenderCues are how workers say their own gender in their words ("大姐", "我是女的", "小伙子").
var workerGenderCues = map[gender][]string{
	female: {"我是女", "女的", "女工", "大姐", "宝妈", "妇女", "老太太"},
	male:   {"我是男", "男的", "男工", "小伙", "老汉", "大哥"},
}

// othersGenderCues say whose gender it is when it is not the writer's ("照顾过老太太", "给女的做饭").
var othersGenderCues = []string{"照顾", "伺候", "陪", "给", "带"}

// statedGender is the gender a worker's own words give, anyGender when they say none or both ("男女").
func statedGender(text string) gender {
	if strings.Contains(text, "男女") {
		return anyGender
	}
	says := func(g gender) bool {
		for _, c := range workerGenderCues[g] {
			for from := 0; ; {
				i := strings.Index(text[from:], c)
				if i < 0 {
					break
				}
				before := text[max(0, from+i-9) : from+i] // up to three characters before the cue
				from += i + len(c)
				if !containsAny(before, othersGenderCues) {
					return true
				}
			}
		}
		return false
	}
	f, m := says(female), says(male)
	switch {
	case f && !m:
		return female
	case m && !f:
		return male
	}
	return anyGender
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// fitsLimits reports whether a worker meets the gig's limits, as far as his record tells.
func fitsLimits(w *workerDoc, g *jobDoc) bool {
	if g.gender != anyGender && w.gender != anyGender && g.gender != w.gender {
		return false
	}
	return g.bornFrom == 0 || w.born == 0 || w.born >= g.bornFrom
}
