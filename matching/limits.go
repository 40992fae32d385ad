package matching

import (
	"regexp"
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

// ageCap finds an upper age limit: "55岁以下", "年龄50以内", "限男50以下", "超过45岁的别打电话",
// "60岁以上的不要".
var (
	ageBelow = regexp.MustCompile(`(\d{2})\s*(?:岁|周岁)?\s*(?:以下|以内|之内|及以下)`)
	ageAbove = regexp.MustCompile(`(?:超过|大于|高于)\s*(\d{2})\s*(?:岁|周岁)?|(\d{2})\s*(?:岁|周岁)\s*以上的?(?:别|不要|勿|免)`)
)

// employerLimits reads a gig's text (normalized) for a gender it is limited to and the earliest birth
// year it takes (0: none), the age counted in the year the gig starts.
func employerLimits(text string, start domain.Date) (gender, int32) {
	g := anyGender
	if !containsAny(text, anyGenderCues) {
		f, m := containsAny(text, genderCues[female]), containsAny(text, genderCues[male])
		switch {
		case f && !m:
			g = female
		case m && !f:
			g = male
		}
	}
	year, err := strconv.Atoi(string(start)[:min(4, len(start))])
	if err != nil {
		return g, 0
	}
	limit := 0
	if strings.Contains(text, "放宽") { // "有经验的年龄可以放宽"
		return g, 0
	}
	for _, m := range ageBelow.FindAllStringSubmatch(text, -1) {
		if a, _ := strconv.Atoi(m[1]); a >= 16 && a <= 80 && (limit == 0 || a < limit) {
			limit = a
		}
	}
	for _, m := range ageAbove.FindAllStringSubmatch(text, -1) {
		if a, _ := strconv.Atoi(m[1] + m[2]); a >= 16 && a <= 80 && (limit == 0 || a < limit) {
			limit = a
		}
	}
	if limit == 0 {
		return g, 0
	}
	return g, int32(year - limit)
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
