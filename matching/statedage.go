package matching

import (
	"strings"
	"unicode/utf8"

	"lingong/domain"
)

// A worker's age as he states it. Many workers register without an ID number but say their age in their
// own words ("七十了身体还好", "60多了，能上夜班", "今年58", "五十五岁"), and employers' age limits
// (limits.go) are then as plain to the desk as with the number. The age read is a lower bound: "60多" is
// at least 61, "快六十了" at least 59. It counts from the year the worker last saved the profile, and
// applies only when the record has no birth year from the ID number. Ages of years of experience ("干了
// 二十多年", "开过15年") are not ages: a number counts only before 岁, after 今年, or before 了 at the start
// of a clause.

// cnDigits are the Chinese numerals of one digit.
var cnDigits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// leadingNumber reads a number of 1 to 99 at the start of s, in ASCII digits or Chinese numerals (五十八,
// 七十, 十五), and returns it with the bytes it took.
func leadingNumber(s string) (int, int) {
	if len(s) >= 2 && isDigit(s[0]) && isDigit(s[1]) && (len(s) == 2 || !isDigit(s[2])) {
		return int(s[0]-'0')*10 + int(s[1]-'0'), 2
	}
	n, used, tens := 0, 0, false
	for i, r := range s {
		switch d, ok := cnDigits[r]; {
		case ok && !tens && n == 0:
			n = d
		case ok && tens && n%10 == 0:
			n += d
			return n, i + utf8.RuneLen(r)
		case r == '十' && !tens:
			if n == 0 {
				n = 1
			}
			n, tens = n*10, true
		default:
			if !tens {
				return 0, 0
			}
			return n, used
		}
		used = i + utf8.RuneLen(r)
	}
	if !tens {
		return 0, 0
	}
	return n, used
}

// clauseStarts are what may stand before an age said with 了: the start of a clause, or a word that
// leads an age ("已经七十了", "都六十多了").
var clauseStarts = []string{"，", ",", "。", "；", " ", "、", "已经", "都", "我", "本人", "今年"}

// statedAge returns the least age the text says its writer is, 0 when it says none.
func statedAge(text string) int {
	age := 0
	take := func(a int) {
		if a >= 16 && a <= 90 && a > age {
			age = a
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '快' && !isDigit(text[i]) && r != '十' && cnDigits[r] == 0 {
			i += size
			continue
		}
		before, from := text[:i], i
		almost := r == '快'
		if almost {
			from += size
		}
		n, used := leadingNumber(text[from:])
		if used == 0 {
			i += size
			continue
		}
		rest := text[from+used:]
		more := strings.HasPrefix(rest, "多") || strings.HasPrefix(rest, "出头")
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "多"), "出头")
		switch {
		case almost:
			n--
		case more:
			n++
		}
		switch {
		case strings.HasPrefix(rest, "岁") && !strings.HasPrefix(rest, "岁以") && !strings.HasPrefix(rest, "岁的") &&
			!hasAnySuffix(before, othersAges):
			take(n)
		case strings.HasSuffix(before, "今年"):
			take(n)
		case strings.HasPrefix(rest, "了") && (before == "" || hasAnySuffix(before, clauseStarts)) && n >= 40:
			take(n)
		}
		i = from + used
	}
	return age
}

// othersAges are whose age a number after them is, when it is not the writer's ("照顾老人80岁").
var othersAges = []string{"老人", "孩子", "宝宝", "娃", "小孩", "老太太", "老爷子", "父母", "老伴"}

func hasAnySuffix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// statedBirthYear is the latest birth year a worker's own words allow (see statedAge), 0 when they
// say no age or the record does not say when they were written.
func statedBirthYear(w *domain.Worker, text string) int32 {
	at := w.UpdatedAt
	if at.IsZero() {
		at = w.CreatedAt
	}
	if at.IsZero() {
		return 0
	}
	age := statedAge(text)
	if age == 0 {
		return 0
	}
	return int32(at.In(domain.Shanghai).Year() - age)
}
