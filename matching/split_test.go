package matching

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// A one-unit query is scored in two parts (search.go, split): the gigs of the trade it names, then the
// others only when one of them could still enter the page. Over many random queries of every kind, the
// split search returns exactly what scoring every gig returns: the same items with the same scores, the
// same totals, the same reading.
func TestSplitSearchEqualsFullScoring(t *testing.T) {
	jobs := GenerateJobs(4000, 91, testToday)
	ix := Build(jobs, nil)
	rng := rand.New(rand.NewPCG(24, 5))
	// Words from the gigs themselves (trades, their text, wishes, places) and from the query reader.
	var words []string
	for _, j := range jobs[:300] {
		words = append(words, j.Skills...)
		for _, f := range strings.FieldsFunc(j.Title, func(r rune) bool { return !isHan(r) }) {
			rs := []rune(f)
			if len(rs) >= 2 {
				i := rng.IntN(len(rs) - 1)
				words = append(words, string(rs[i:min(len(rs), i+2+rng.IntN(2))]))
			}
		}
	}
	words = append(words, "日结", "管饭", "包吃住", "男女不限", "车接车送", "中宁", "宣和", "沙坡头景区", "明天", "周末", "寒假",
		"一天200以上", "时薪25", "电工证", "健康证", "C1驾照", "找活", "急招", "飞机", "枸杞", "工地", "摘", "a1")
	districts := []string{"", "", "中宁县", "沙坡头区", "海原县"}
	split, full := 0, 0
	for i := 0; i < 1500; i++ {
		var parts []string
		for range 1 + rng.IntN(2) {
			parts = append(parts, words[rng.IntN(len(words))])
		}
		q := SearchQuery{Q: strings.Join(parts, " "), District: districts[rng.IntN(len(districts))], Today: testToday,
			Page: 1 + rng.IntN(3), PerPage: []int{1, 5, 20, 50}[rng.IntN(4)]}
		switch rng.IntN(8) {
		case 0:
			q.WageMinFen = 15000
		case 1:
			q.Date = testToday.AddDays(rng.IntN(10))
		case 2:
			q.Skill = domain.Skills[rng.IntN(len(domain.Skills))].Name
		}
		if cq := ix.compile(q); cq.split() {
			split++
		}
		got, want := ix.searchJobs(q, false), ix.searchJobs(q, true)
		if want.Total > 0 {
			full++
		}
		if diff := cmp.Diff(want, got, ignoreMemos); diff != "" {
			t.Fatalf("%+v: split (+) differs from full scoring (-):\n%s", q, diff)
		}
	}
	if split < 400 || full < 1000 {
		t.Fatalf("only %d split queries, %d with hits, of 1500: too little compared", split, full)
	}
}
