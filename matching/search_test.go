package matching

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

func searchFixture() *Index {
	return Build([]domain.Job{
		job(1, "中宁枸杞园急招摘果工20名 日结", withSkills("枸杞采摘"), daily(), withDesc("采摘鲜果，按斤计价")),
		job(2, "物流园卸货工3名", withDesc("卸车、码货，力气活"), inTown("沙坡头区", "滨河镇")),
		job(3, "仓库装卸搬运工", withSkills("搬运"), inTown("沙坡头区", "文昌镇")),
		job(4, "小区保洁 钟点工", withSkills("保洁"), inTown("沙坡头区", "滨河镇")),
		job(5, "工地招电工", withSkills("电工"), withCerts("电工证")),
		job(6, "硒砂瓜地摘瓜装车", inTown("沙坡头区", "香山乡"), daily()),
		job(7, "closed gig 摘果", func(j *domain.Job) { j.Status = domain.JobClosed }),
		job(8, "full gig 摘果", func(j *domain.Job) { j.Filled = j.Headcount }),
	}, nil)
}

func TestSearchJobs(t *testing.T) {
	ix := searchFixture()
	tests := []struct {
		name string
		q    SearchQuery
		want []int64
	}{
		{"摘果 finds the picker gig", SearchQuery{Q: "摘果"}, []int64{1}},
		{"枸杞", SearchQuery{Q: "枸杞"}, []int64{1}},
		{"日结 by text and settlement", SearchQuery{Q: "日结"}, []int64{1, 6}},
		{"中宁 by place", SearchQuery{Q: "中宁", PerPage: 100}, []int64{1, 5}},
		{"20名", SearchQuery{Q: "20名"}, []int64{1}},
		{"full-width ２０名", SearchQuery{Q: "２０名"}, []int64{1}},
		{"two keywords narrow", SearchQuery{Q: "枸杞 日结"}, []int64{1}},
		{"装卸 finds 搬运 gigs by synonym", SearchQuery{Q: "装卸"}, []int64{3, 6, 2}},
		{"装车 finds untagged 卸货 and tagged 搬运", SearchQuery{Q: "装车"}, []int64{6, 3, 2}},
		{"district filter", SearchQuery{Q: "装卸", District: "沙坡头区"}, []int64{3, 6, 2}},
		{"skill filter understands untagged gigs", SearchQuery{Skill: "搬运"}, []int64{6, 3, 2}},
		{"unknown skill matches nothing", SearchQuery{Skill: "飞行员"}, []int64{}},
		{"empty query lists newest first", SearchQuery{}, []int64{6, 5, 4, 3, 2, 1}},
		{"paging", SearchQuery{Page: 2, PerPage: 2}, []int64{4, 3}},
		{"punctuation only is no query", SearchQuery{Q: "，。!!"}, []int64{6, 5, 4, 3, 2, 1}},
		{"no match", SearchQuery{Q: "飞机"}, []int64{}},
		{"date filter", SearchQuery{Date: testToday.AddDays(30)}, []int64{}},
		{"wage filter", SearchQuery{WageMinFen: 15001}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.SearchJobs(tt.q)
			if diff := cmp.Diff(tt.want, ids(got.Items)); diff != "" {
				t.Errorf("SearchJobs(%+v) ids (-want +got):\n%s", tt.q, diff)
			}
		})
	}
}

// FuzzSearchJobs throws arbitrary queries and filters at the library: no panic, a page never longer than
// asked, a total never shorter than the page, and the filters hold.
func FuzzSearchJobs(f *testing.F) {
	ix := Build(GenerateJobs(300, 3, testToday), nil)
	for _, q := range []string{"枸杞 日结", "２０名", "\xff\xfe", "装卸", "中宁枸杞园急招摘果工20名 日结", "a.b.1.5", ""} {
		f.Add(q, "中宁县", 1, 20)
	}
	f.Fuzz(func(t *testing.T, q, district string, page, perPage int) {
		res := ix.SearchJobs(SearchQuery{Q: q, District: district, Page: page, PerPage: perPage})
		if len(res.Items) > res.PerPage || res.PerPage > MaxPerPage || res.Total < len(res.Items) {
			t.Fatalf("page of %d, per_page %d, total %d", len(res.Items), res.PerPage, res.Total)
		}
		for _, it := range res.Items {
			if district != "" && it.District != district {
				t.Fatalf("gig %d in %s for district %q", it.ID, it.District, district)
			}
		}
	})
}

// The two ways of scoring a shard's candidates (looking each up in every list, or reading every list
// once into per-slot scores) give the same pages, scores and totals, on queries of one to three keywords
// with and without filters, over a market of 3,000 gigs.
func TestSearchScoresTheSameEitherWay(t *testing.T) {
	ix := Build(GenerateJobs(3000, 47, testToday), nil)
	queries := append(BenchQueries(), SearchQuery{Q: "日结"}, SearchQuery{Q: "摘果 日结 包吃住", PerPage: 50},
		SearchQuery{Q: "装卸", Skill: "搬运"}, SearchQuery{Q: "枸杞 日结", WageMinFen: 15000, Page: 2},
		SearchQuery{Q: "保洁 钟点工", Date: testToday.AddDays(2)}, SearchQuery{Q: "采摘 枸杞"})
	withHits := 0
	for _, q := range queries {
		byCursor, dense := ix.searchJobs(q, scoreByCursor), ix.searchJobs(q, scoreDensely)
		if len(byCursor.Items) > 0 {
			withHits++
		}
		if diff := cmp.Diff(byCursor, dense); diff != "" {
			t.Fatalf("%+v (-by cursor +dense):\n%s", q, diff)
		}
		if auto := ix.SearchJobs(q); !cmp.Equal(auto, dense) {
			t.Fatalf("%+v: SearchJobs differs from both ways", q)
		}
	}
	if withHits < len(queries)-2 {
		t.Fatalf("only %d of %d queries found anything: too little compared", withHits, len(queries))
	}
}
