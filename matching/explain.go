package matching

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"lingong/domain"
)

// Every pair explains itself in short Chinese sentences a worker of sixty can read on a small screen:
// the skill first, then distance, pay, certificates, words in common and (for employers) the record.
// Near misses also say, separately, what keeps them out.

// scoredTerm is a term the two sides share, with what it added to the text score.
type scoredTerm struct {
	id    uint32
	score float64
}

// quotable is a query term of two characters or more, the kind a reason quotes, with its text.
type quotable struct {
	qterm
	text  string
	order int // its place among the query's terms
}

// quotableTerms keeps the terms a reason may quote, with their texts: looked up once for a query, not
// for each of its results (the dictionary's strings lie all over the heap, a cache miss each).
func (ix *Index) quotableTerms(terms []qterm) []quotable {
	ids := make([]uint32, len(terms))
	for i, t := range terms {
		ids[i] = t.id
	}
	var out []quotable
	for i, text := range ix.dict.text(ids) {
		if utf8.RuneCountInString(text) >= 2 {
			out = append(out, quotable{terms[i], text, i})
		}
	}
	slices.SortFunc(out, func(a, b quotable) int { return cmp.Compare(a.id, b.id) }) // for matchedTerms' merge
	return out
}

// matchedTerms returns the three most telling words of two characters or more that the gig shares with
// the worker's query (from quotableTerms), best first, as termTexts orders them.
//
// Both lists are sorted by term id, so one pass over the gig's terms finds them all: the gig is cold in
// the cache when its results are explained, and a binary search for each term cost a chain of cache
// misses each (some 40 µs of a slow query, which explains 20 to 30 gigs by their words).
func matchedTerms(g *jobDoc, terms []quotable, c corpus) []string {
	norm := c.norm(g.lenCode)
	type match struct {
		text  string
		score float64
		order int // the term's place in the query, which breaks ties as termTexts' stable sort does
	}
	var found []match
	j := 0
	for _, v := range g.terms {
		id := v >> 8
		for j < len(terms) && terms[j].id < id {
			j++
		}
		if j == len(terms) {
			break
		}
		if terms[j].id == id {
			found = append(found, match{terms[j].text, termScore(terms[j].idf, v&0xF, norm), terms[j].order})
		}
	}
	slices.SortFunc(found, func(a, b match) int {
		if d := cmpFloat(b.score, a.score); d != 0 {
			return d
		}
		return a.order - b.order
	})
	out := make([]string, 0, min(3, len(found)))
	for _, m := range found[:min(3, len(found))] {
		out = append(out, m.text)
	}
	return out
}

// termTexts returns the three most telling shared words of two characters or more, best first.
func (ix *Index) termTexts(words []scoredTerm) []string {
	slices.SortStableFunc(words, func(a, b scoredTerm) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	ids := make([]uint32, len(words))
	for i, w := range words {
		ids[i] = w.id
	}
	var out []string
	for _, t := range ix.dict.text(ids) {
		if utf8.RuneCountInString(t) >= 2 && len(out) < 3 {
			out = append(out, t)
		}
	}
	return out
}

// untoldReasons say which of the gig's limits the worker's record does not tell whether he meets (see
// untoldLimitsPenalty): "只要女工（资料里没有性别）".
func untoldReasons(w *workerDoc, g *jobDoc) []string {
	var out []string
	if g.gender != anyGender && w.gender == anyGender {
		out = append(out, map[gender]string{male: "只要男工", female: "只要女工"}[g.gender]+"（资料里没有性别）")
	}
	if g.bornFrom != 0 && w.born == 0 {
		out = append(out, "有年龄要求（资料里没有年龄）")
	}
	return out
}

// explain writes the reasons for a pair and, for a near miss, what is missing. employer selects the
// employer's view ("本人" for the worker) over the worker's ("您").
// words gives the words the two share (see termTexts); it is asked only when the skills do not already
// say why the pair fits, since finding the words reads the gig's whole term list.
func explain(w *workerDoc, g *jobDoc, rel relation, pc pairCheck, words func() []string, employer bool) (reasons, missing []string) {
	reasons = append(reasons, skillReason(w, g, rel))
	if d := distanceReason(pc.km); pc.roadShort > 0 {
		reasons = append(reasons, d+"，走路程可能超过设定的 "+km(w.limit)+" 公里")
	} else {
		reasons = append(reasons, d)
	}
	reasons = append(reasons, wageReason(w, g))
	if held := g.certs &^ pc.missing; held != 0 {
		reasons = append(reasons, "持有"+strings.Join(held.names(), "、"))
	}
	if rel < relSynonym {
		if shared := words(); len(shared) > 0 {
			reasons = append(reasons, "描述相关："+strings.Join(shared, "、"))
		}
	}
	reasons = append(reasons, untoldReasons(w, g)...)
	if pc.canDays > 0 {
		reasons = append(reasons, fmt.Sprintf("共 %d 天，只能干其中 %d 天", pc.jobDays, pc.canDays))
	}
	if employer {
		reasons = append(reasons, recordReason(w.sum.Completed, w.sum.NoShows))
	}
	reasons = slices.DeleteFunc(reasons, func(s string) bool { return s == "" })

	if pc.missing != 0 {
		verb := "需要"
		if employer {
			verb = "缺少"
		}
		for _, c := range append(pc.missing.names(), pc.missingFree...) {
			missing = append(missing, verb+c)
		}
	}
	if pc.far {
		who := "您"
		if employer {
			who = "本人"
		}
		missing = append(missing, fmt.Sprintf("距离 %s 公里，超出%s设定的 %s 公里", km(pc.km), who, km(w.limit)))
	}
	return reasons, missing
}

func skillReason(w *workerDoc, g *jobDoc, rel relation) string {
	switch rel {
	case relExact:
		return "技能相符：" + strings.Join(firstNames(w.tagged.and(g.tagged), 2), "、")
	case relSynonym:
		shared := w.concepts.and(g.concepts)
		name := firstNames(shared, 1)[0]
		for _, evs := range [2][]evidence{w.evidence, g.evidence} {
			for _, ev := range evs {
				if shared.has(ev.skill) {
					return "技能相近：" + domain.Skills[ev.skill].Name + "（“" + ev.phrase + "”）"
				}
			}
		}
		return "技能相近：" + name
	case relFree, relFreeWeak:
		for i, f := range w.free() {
			if f.covers(g) {
				return "技能相符：" + w.outside.tags[w.outside.index[i]] + "（自填技能）"
			}
		}
		return "技能相符"
	case relRelated:
		var can, by int
		w.related.and(g.concepts).each(func(i int) {
			if can == 0 {
				can = i + 1
			}
		})
		w.concepts.each(func(i int) {
			if by == 0 && tax.related[i].has(can-1) {
				by = i + 1
			}
		})
		if can == 0 || by == 0 {
			return "相关工种"
		}
		return "相关工种：" + domain.Skills[can-1].Name + "（" + domain.Skills[by-1].Name + "也能干）"
	case relCategory, relCategoryGeneral:
		cat := ""
		for i, c := range domain.SkillCategories {
			if (w.cats&g.cats)&(1<<i) != 0 {
				cat = c
				break
			}
		}
		return fmt.Sprintf("同类工作：%s（%s）", cat, strings.Join(firstNames(g.concepts, 2), "、"))
	case relGeneral:
		if g.concepts.empty() {
			return "不挑活：普通零活，无需技术"
		}
		return "不挑活：" + strings.Join(firstNames(g.concepts, 2), "、") + "，无需技术"
	}
	return ""
}

func firstNames(s skillSet, n int) []string {
	names := s.names()
	if len(names) == 0 {
		return []string{"—"}
	}
	return names[:min(n, len(names))]
}

// km renders a distance in whole kilometres.
func km(d float64) string { return strconv.Itoa(int(math.Round(d))) }

func distanceReason(d float64) string {
	if d < 1 {
		return "距离不到 1 公里"
	}
	return "距离约 " + km(d) + " 公里"
}

// wageReason states the pay and how it compares with the expectation, in whole yuan where possible.
func wageReason(w *workerDoc, g *jobDoc) string {
	s := &g.sum // not a copy: the summary is some 300 bytes, and this runs for every result
	var pay string
	switch s.WageUnit {
	case domain.PerDay:
		pay = "日薪 " + domain.FormatYuan(s.WageFen) + " 元"
	case domain.PerHour:
		pay = "时薪 " + domain.FormatYuan(s.WageFen) + " 元"
	default:
		pay = "工钱 " + domain.FormatRate(s.WageFen, s.WageUnit, s.PieceUnit)
	}
	if w.piece != "" { // a piece-rate wish is compared rate with rate, where both count the same thing
		if s.WageUnit != domain.PerPiece || !samePieceUnit(w.piece, s.PieceUnit) {
			return pay
		}
		return pay + compared(s.WageFen, w.sum.ExpectedWageFen, domain.FormatRate(w.sum.ExpectedWageFen, domain.PerPiece, w.piece))
	}
	if !g.dailyOK {
		return pay
	}
	if s.WageUnit != domain.PerDay {
		pay += fmt.Sprintf("（每天约 %s 元）", domain.FormatYuan(roundYuan(g.daily)))
	}
	exp, ok := expectedDailyFen(w.sum.ExpectedWageFen, w.sum.ExpectedWageUnit, g.dayMilli)
	if !ok {
		return pay
	}
	return pay + compared(g.daily, exp, domain.FormatYuan(roundYuan(exp))+" 元")
}

// compared says how a pay stands to the expectation (written expText).
func compared(pay, exp int64, expText string) string {
	switch {
	case pay > exp:
		return "，高于期望 " + expText
	case pay < exp:
		return "，低于期望 " + expText
	}
	return "，与期望相同"
}

// roundYuan rounds fen to whole yuan, for estimates.
func roundYuan(fen int64) int64 { return (fen + 50) / 100 * 100 }

func recordReason(completed, noShows int) string {
	switch {
	case completed == 0 && noShows == 0:
		return "新人，暂无干活记录"
	case noShows == 0:
		return fmt.Sprintf("已完成 %d 次零工，从未爽约", completed)
	}
	return fmt.Sprintf("已完成 %d 次零工，爽约 %d 次", completed, noShows)
}
