package matching

import (
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

// matchedTerms lists the worker's query terms found in the gig with their contributions.
func matchedTerms(ix *Index, g *gigDoc, terms []qterm, c corpus) []string {
	norm := c.norm(g.lenCode)
	var words []scoredTerm
	for _, t := range terms {
		if tf := g.tf(t.id); tf > 0 {
			words = append(words, scoredTerm{t.id, termScore(t.idf, tf, norm)})
		}
	}
	return ix.termTexts(words)
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

// explain writes the reasons for a pair and, for a near miss, what is missing. employer selects the
// employer's view ("本人" for the worker) over the worker's ("您").
// words gives the words the two share (see termTexts); it is asked only when the skills do not already
// say why the pair fits, since finding the words reads the gig's whole term list.
func explain(w *workerDoc, g *gigDoc, rel relation, pc pairCheck, words func() []string, employer bool) (reasons, missing []string) {
	reasons = append(reasons, skillReason(w, g, rel))
	reasons = append(reasons, distanceReason(pc.km))
	reasons = append(reasons, wageReason(w, g))
	if held := g.certs &^ pc.missing; held != 0 {
		reasons = append(reasons, "持有"+strings.Join(held.names(), "、"))
	}
	if rel < relSynonym {
		if shared := words(); len(shared) > 0 {
			reasons = append(reasons, "描述相关："+strings.Join(shared, "、"))
		}
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
		for _, c := range pc.missing.names() {
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

func skillReason(w *workerDoc, g *gigDoc, rel relation) string {
	switch rel {
	case relExact:
		return "技能相符：" + strings.Join(firstNames(w.tagged.and(g.tagged), 2), "、")
	case relSynonym:
		shared := w.concepts.and(g.concepts)
		name := firstNames(shared, 1)[0]
		for _, ev := range append(slices.Clone(w.evidence), g.evidence...) {
			if shared.has(ev.skill) {
				return fmt.Sprintf("技能相近：%s（“%s”）", domain.Skills[ev.skill].Name, ev.phrase)
			}
		}
		return "技能相近：" + name
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
func wageReason(w *workerDoc, g *gigDoc) string {
	s := &g.sum // not a copy: the summary is some 300 bytes, and this runs for every result
	var pay string
	switch s.WageUnit {
	case domain.PerDay:
		pay = "日薪 " + domain.FormatYuan(s.WageFen) + " 元"
	case domain.PerHour:
		pay = "时薪 " + domain.FormatYuan(s.WageFen) + " 元"
	default:
		pay = "工钱 " + domain.FormatWage(s.WageFen, s.WageUnit)
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
	expText := domain.FormatYuan(roundYuan(exp)) + " 元"
	switch {
	case g.daily > exp:
		return pay + "，高于期望 " + expText
	case g.daily < exp:
		return pay + "，低于期望 " + expText
	}
	return pay + "，与期望相同"
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
