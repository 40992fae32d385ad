package matching

import (
	"slices"
	"strings"
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
		// 日结 is a soft wish: the gigs paid daily come first, the others after (it used to drop them).
		{"日结 is a wish", SearchQuery{Q: "日结"}, []int64{6, 1, 5, 4, 3, 2}},
		// 中宁 is a place: a district filter, newest first (it used to be a keyword ranked by BM25).
		{"中宁 filters by place", SearchQuery{Q: "中宁", PerPage: 100}, []int64{5, 1}},
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

// A plain scan of every gig, unit by unit, gives the pages and totals the shard loops give, on queries
// of every kind (trades, keywords, wishes, places, dates, wages, certificates, filters), relaxed or not.
func TestSearchAgreesWithAPlainScan(t *testing.T) {
	jobs := GenerateJobs(3000, 47, testToday)
	ix := Build(jobs, nil)
	queries := append(BenchQueries(), SearchQuery{Q: "日结"}, SearchQuery{Q: "摘果 日结 包吃住", PerPage: 50},
		SearchQuery{Q: "装卸", Skill: "搬运"}, SearchQuery{Q: "枸杞 日结", WageMinFen: 15000, Page: 2},
		SearchQuery{Q: "保洁 钟点工", Date: testToday.AddDays(2)}, SearchQuery{Q: "采摘 枸杞"}, SearchQuery{Q: "一天150以上 中宁 枸杞"},
		SearchQuery{Q: "找活 电工证"}, SearchQuery{Q: "宣和 搬砖 管饭"}, SearchQuery{Q: "明天 小工", Today: testToday},
		SearchQuery{Q: "砌墙 贴砖 抹灰 刷漆", PerPage: 100}, SearchQuery{Q: "飞机 枸杞园"}, SearchQuery{Q: "中宁", District: "中宁县"})
	withHits := 0
	for _, q := range queries {
		got := ix.SearchJobs(q)
		want := plainSearch(ix, jobs, q)
		if len(got.Items) > 0 {
			withHits++
		}
		if diff := cmp.Diff(ids(want.Items), ids(got.Items)); diff != "" || got.Total != want.Total {
			t.Fatalf("%+v: total %d, want %d; ids (-plain +index):\n%s", q, got.Total, want.Total, diff)
		}
	}
	if withHits < len(queries)-2 {
		t.Fatalf("only %d of %d queries found anything: too little compared", withHits, len(queries))
	}
}

// plainSearch scores every gig on its own document, as the rules of search.go say.
func plainSearch(ix *Index, jobs []domain.Job, q SearchQuery) SearchResult {
	run := func(cq *compiledQuery) ([]hit, int) {
		var hits []hit
		for _, j := range jobs {
			sum, ok := ix.Job(j.ID)
			if !ok {
				continue
			}
			g := ix.doc(sum.ID)
			col := g.col()
			if !cq.passes(&col) || cq.station != "" && g.sum.StationCode != cq.station || cq.district != "" && g.sum.District != cq.district ||
				cq.skill >= 0 && !g.concepts.has(cq.skill) || cq.certFilter && g.certs&^cq.held != 0 {
				continue
			}
			// The same sums in the same order as the index: the trades' points unit by unit, then the
			// units' points and the text, term by term.
			score, text, sat, any := 0.0, 0.0, 0, cq.browse
			norm := cq.corpus.norm(g.lenCode)
			for _, u := range cq.units {
				held, named := 0, false
				for _, t := range u.terms {
					if tf := g.tf(t.id); tf > 0 {
						held++
						text += termScore(t.idf, tf, norm)
						any = true
					}
				}
				for _, c := range u.concepts {
					named = named || g.concepts.has(c)
				}
				any = any || named
				switch {
				case named:
					sat++
					score += searchTradePoints
				case held >= u.need && u.need > 0:
					sat++
				}
			}
			if !any || !cq.browse && sat < cq.msm {
				continue
			}
			if !cq.browse {
				score += searchUnitPoints*float64(sat) + text
			}
			for _, alts := range cq.wishIDs {
				met := false
				for _, a := range alts {
					all := true
					for _, id := range a {
						all = all && g.tf(id) > 0
					}
					met = met || all
				}
				if met {
					score += searchWishPoints
				}
			}
			if cq.hasNear {
				score += searchNearPoints / (1 + domain.DistanceKm(cq.near.lat, cq.near.lng, float64(col.lat), float64(col.lng))/5)
			}
			if cq.hasDates && col.start >= cq.from && col.start <= cq.to {
				score += searchWishPoints
			}
			hits = append(hits, hit{Score: score, created: g.created, id: g.sum.ID, doc: g})
		}
		return hits, len(hits)
	}
	cq := ix.compile(q)
	res := SearchResult{Items: []JobHit{}}
	if cq.skill == -2 || cq.empty {
		return res
	}
	hits, total := run(&cq)
	if total == 0 && !cq.browse {
		if cq.msm > 1 {
			cq.msm = 1
			hits, total = run(&cq)
		}
		if total == 0 {
			for i := range cq.units {
				cq.units[i].need = min(cq.units[i].need, 1)
			}
			hits, total = run(&cq)
		}
	}
	byScore := func(a, b hit) int {
		if betterHit(a, b) {
			return -1
		}
		return 1
	}
	slices.SortFunc(hits, byScore)
	if !cq.browse && total < cq.page*cq.per {
		// Widening (widen.go): the gigs of the trades related to the named ones (domain.Skill.Related,
		// less the unit's own trades), after all the others.
		wq := cq
		wq.units = nil
		for _, u := range cq.units {
			if len(u.concepts) > 0 {
				w := unit{}
				for _, c := range u.concepts {
					for _, r := range domain.Skills[c].Related {
						if i := tax.skillIndex[r]; !slices.Contains(u.concepts, i) && !slices.Contains(w.concepts, i) {
							w.concepts = append(w.concepts, i)
						}
					}
				}
				u = w
			}
			wq.units = append(wq.units, u)
		}
		more, _ := run(&wq)
		slices.SortFunc(more, byScore)
		for _, h := range more {
			if !slices.ContainsFunc(hits, func(x hit) bool { return x.id == h.id }) {
				hits = append(hits, h)
				total++
			}
		}
	}
	res.Total = total
	for i := (cq.page - 1) * cq.per; i < len(hits) && i < cq.page*cq.per; i++ {
		res.Items = append(res.Items, JobHit{JobSummary: hits[i].doc.summary(), Score: hits[i].Score})
	}
	return res
}

// How people search, and what they should find. Today is a Tuesday, 2026-12-01.
func TestSearchAsPeopleType(t *testing.T) {
	const today domain.Date = "2026-12-01"
	at := func(district, town string) func(*domain.Job) { return inTown(district, town) }
	jobs := []domain.Job{
		job(1, "招泥瓦工3名 砌墙抹灰", withDesc("自建房，日结"), daily(), wage(22000, domain.PerDay)),
		job(2, "宁安镇小区招电工", withSkills("电工"), withCerts("电工证"), wage(25000, domain.PerDay)),
		job(3, "钢结构厂房电焊", withSkills("电焊工"), withCerts("焊工证")),
		job(4, "物业招保洁 日结", withSkills("保洁"), daily(), wage(12000, domain.PerDay)),
		job(5, "高空电工", withSkills("电工"), withCerts("电工证", "高处作业证"), at("沙坡头区", "滨河镇")),
		job(6, "仓库叉车司机", withSkills("叉车司机"), withCerts("叉车证"), at("沙坡头区", "文昌镇")),
		job(7, "寒假超市理货员 兼职", withSkills("超市理货"), dates("2027-01-20", "2027-02-20"), at("沙坡头区", "滨河镇"), wage(2500, domain.PerHour)),
		job(8, "商场促销员", withSkills("促销导购"), dates("2026-12-01", "2026-12-10"), at("沙坡头区", "滨河镇"), wage(2000, domain.PerHour)),
		job(9, "宣和镇工地小工 管饭", withSkills("建筑小工"), at("沙坡头区", "宣和镇")),
		job(10, "镇罗镇工地小工", withSkills("建筑小工"), at("沙坡头区", "镇罗镇")),
		job(11, "中宁枸杞园摘果 一天180", withSkills("枸杞采摘"), wage(18000, domain.PerDay)),
		job(12, "沙坡头区工地招瓦工", withSkills("砌筑工"), at("沙坡头区", "文昌镇"), wage(26000, domain.PerDay)),
		job(13, "二手家具回收", withDesc("上门拉旧家具"), at("沙坡头区", "文昌镇")),
	}
	for i := range jobs {
		if jobs[i].StartDate == testToday {
			jobs[i].StartDate, jobs[i].EndDate = today, today.AddDays(20)
		}
	}
	ix := Build(jobs, nil)
	tests := []struct {
		name, q  string
		want     []int64
		summary  []string // parts the reading must say
		district string
	}{
		// A mason's gigs, then (few as they are) the labourers' gigs a mason can also take.
		{"a homophone typo finds the trade", "泥挖工", []int64{12, 1, 10, 9}, []string{"工种：砌筑工", "相近工种：建筑小工"}, ""},
		{"a two-character homophone typo as a keyword", "插车", []int64{6}, []string{"工种：叉车司机"}, ""},
		{"wage and district filter and say so", "一天200以上 中宁", []int64{2, 1}, []string{"按 中宁县 筛选", "日薪 200 元以上"}, "中宁县"},
		{"a certificate held finds the trade's gigs the holder qualifies for", "找活 电工证", []int64{2}, []string{"持有电工证", "不看“找活”"}, ""},
		{"trade and district", "中宁 瓦工", []int64{1}, []string{"按 中宁县 筛选", "工种：砌筑工"}, "中宁县"},
		{"a season is a date window, a wish a boost", "寒假 兼职", []int64{7}, []string{"2027-01-15 至 2027-02-28", "寒假", "兼职 优先"}, ""},
		// Day rates count by their hours: 220 元 for 8 hours is 27.5 元 an hour.
		{"an hourly wage", "时薪25", []int64{12, 7, 2, 1}, []string{"时薪 25 元以上"}, ""},
		{"a town brings its gigs first", "宣和 小工", []int64{9, 10}, []string{"宣和镇 附近优先", "工种：建筑小工"}, ""},
		{"soft wishes come first, not alone", "小工 管饭", []int64{9, 10}, []string{"管饭 优先"}, ""},
		{"most of the words is enough", "砌墙 抹灰 刷漆", []int64{1, 10, 9}, nil, ""},
		{"a shared word is enough when nothing has more", "回收废品站", []int64{13}, []string{"符合部分条件"}, ""},
		{"a trade's word inside a longer one", "枸杞园 烘干房", []int64{11}, nil, ""},
		{"a daily wage in words", "摘枸杞 一天一百五以上", []int64{11}, []string{"日薪 150 元以上"}, ""},
		{"a site word alone is the trade", "沙坡头 工地", []int64{10, 9, 12}, []string{"按 沙坡头区 筛选", "工种：建筑小工"}, "沙坡头区"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.SearchJobs(SearchQuery{Q: tt.q, Today: today})
			if diff := cmp.Diff(tt.want, ids(got.Items)); diff != "" {
				t.Errorf("%q ids (-want +got):\n%s\nread as %q", tt.q, diff, got.Reading.Summary)
			}
			for _, part := range tt.summary {
				if !strings.Contains(got.Reading.Summary, part) {
					t.Errorf("%q read as %q, which does not say %q", tt.q, got.Reading.Summary, part)
				}
			}
			if got.Reading.District != tt.district {
				t.Errorf("%q: district %q, want %q", tt.q, got.Reading.District, tt.district)
			}
		})
	}
}

// A query of filler words asks for nothing: it matches nothing and says what to type, while an empty
// query lists every gig.
func TestSearchOfFillerWordsOnly(t *testing.T) {
	ix := searchFixture()
	for _, q := range []string{"找活", "有没有活 急招", "找工作 附近的"} {
		got := ix.SearchJobs(SearchQuery{Q: q})
		if len(got.Items) != 0 || got.Total != 0 || !got.Reading.Empty || !strings.Contains(got.Reading.Summary, "请写上") {
			t.Errorf("%q: %d items, reading %+v", q, len(got.Items), got.Reading)
		}
	}
	if got := ix.SearchJobs(SearchQuery{}); got.Total != 6 || got.Reading.Summary != "" {
		t.Errorf("empty query: total %d, reading %+v", got.Total, got.Reading)
	}
}

// How the words of a query are read, one kind at a time.
func TestQueryReading(t *testing.T) {
	const tuesday domain.Date = "2026-12-01"
	tests := []struct {
		q    string
		want func(p parsedQuery) bool
	}{
		{"一天三顿 管饭", func(p parsedQuery) bool {
			return p.wageDay == 0 && p.wageHour == 0 && slices.Equal(p.reading.Prefer, []string{"管饭"})
		}},
		{"日薪两百五", func(p parsedQuery) bool { return p.wageDay == 25000 }},
		{"25一小时", func(p parsedQuery) bool { return p.wageHour == 2500 && p.wageDay == 0 }},
		{"200元/天 搬砖", func(p parsedQuery) bool { return p.wageDay == 20000 && slices.Equal(p.rest, []string{"搬砖"}) }},
		{"300以上", func(p parsedQuery) bool { return p.wageDay == 30000 }},
		{"明天", func(p parsedQuery) bool {
			return p.reading.DateFrom == "2026-12-02" && p.reading.DateTo == "2026-12-02"
		}},
		{"周末", func(p parsedQuery) bool {
			return p.reading.DateFrom == "2026-12-05" && p.reading.DateTo == "2026-12-06"
		}},
		{"下周", func(p parsedQuery) bool {
			return p.reading.DateFrom == "2026-12-07" && p.reading.DateTo == "2026-12-13"
		}},
		{"暑假", func(p parsedQuery) bool {
			return p.reading.DateFrom == "2027-07-10" && p.reading.DateTo == "2027-08-31"
		}},
		{"中卫 保洁", func(p parsedQuery) bool { return p.reading.District == "" && slices.Equal(p.rest, []string{"保洁"}) }},
		{"沙坡头景区 骑骆驼", func(p parsedQuery) bool {
			return p.reading.District == "" && strings.Contains(p.reading.Near, "迎水桥镇") && slices.Equal(p.rest, []string{"骑骆驼"})
		}},
		{"海原 放羊", func(p parsedQuery) bool {
			return p.reading.District == "海原县" && slices.Equal(p.rest, []string{"放羊"})
		}},
		{"没有电工证 找活", func(p parsedQuery) bool { return p.certs == 0 }},
		{"有C1驾照", func(p parsedQuery) bool { return p.certs.names()[0] == "C1驾照" }},
		{"在线客服", func(p parsedQuery) bool { return slices.Equal(p.rest, []string{"在线客服"}) }}, // a trade's word wins over filler
		{"海原新区 服务员", func(p parsedQuery) bool {
			return p.reading.District == "" && strings.Contains(p.reading.Near, "海城镇") && slices.Equal(p.rest, []string{"服务员"})
		}},
		{"C1驾照 能干啥", func(p parsedQuery) bool { return p.certs.names()[0] == "C1驾照" && len(p.rest) == 0 }},
		{"有证能做什么", func(p parsedQuery) bool { return len(p.rest) == 0 }},
	}
	for _, tt := range tests {
		if p := parseQuery(tt.q, tuesday); !tt.want(p) {
			t.Errorf("parseQuery(%q) = %+v", tt.q, p)
		}
	}
}

// A trade with few gigs is followed by the gigs of the trades its workers can also do, in that direction
// only, and the reading says so; a trade with a full page is not.
func TestSearchWidensToRelatedTradesWhenFew(t *testing.T) {
	jobs := []domain.Job{
		job(1, "找月嫂 26天", withSkills("月嫂")),
		job(2, "育儿嫂 带1岁宝宝", withSkills("育儿嫂")),
		job(3, "住家保姆 照顾老两口", withSkills("住家保姆")),
		job(4, "电焊工", withSkills("电焊工"), withCerts("焊工证")),
	}
	for i := 5; i <= 8; i++ {
		jobs = append(jobs, job(int64(i), "育儿嫂", withSkills("育儿嫂")))
	}
	ix := Build(jobs, nil)
	got := ix.SearchJobs(SearchQuery{Q: "月嫂", PerPage: 10})
	if ids(got.Items)[0] != 1 || len(got.Items) != 7 || got.Total != 7 || slices.Contains(ids(got.Items), 4) {
		t.Errorf("月嫂: %v (total %d), want gig 1, then the six 育儿嫂 and 保姆 gigs, no 电焊工", ids(got.Items), got.Total)
	}
	if !strings.Contains(got.Reading.Summary, "相近工种：住家保姆、育儿嫂") {
		t.Errorf("月嫂 read as %q, which does not name the trades added", got.Reading.Summary)
	}
	// A 育儿嫂 can take a 保姆's job, not a 月嫂's.
	if got := ids(ix.SearchJobs(SearchQuery{Q: "育儿嫂", PerPage: 10}).Items); slices.Contains(got, 1) || !slices.Contains(got, 3) {
		t.Errorf("育儿嫂: %v, want the 保姆 gig after the 育儿嫂 ones and no 月嫂 gig", got)
	}
	// A full page of the trade itself: nothing is added.
	if got := ix.SearchJobs(SearchQuery{Q: "育儿嫂", PerPage: 5}); len(got.Reading.Widened) > 0 || slices.Contains(ids(got.Items), 3) {
		t.Errorf("育儿嫂, 5 a page: %v, widened by %v", ids(got.Items), got.Reading.Widened)
	}
	// Page 2 goes on where page 1 stopped.
	p1, p2 := ix.SearchJobs(SearchQuery{Q: "月嫂", PerPage: 4}), ix.SearchJobs(SearchQuery{Q: "月嫂", PerPage: 4, Page: 2})
	if all := append(ids(p1.Items), ids(p2.Items)...); len(all) != 7 || len(slices.Compact(slices.Sorted(slices.Values(all)))) != 7 {
		t.Errorf("月嫂 by pages of 4: %v then %v", ids(p1.Items), ids(p2.Items))
	}
}

// A wish is met only by a phrasing whose every word the gig holds: "当天开工" holds 当天 but not 天结, so
// it does not meet 日结 (当天结), and scores exactly as a gig of the same length without either; "当天结账"
// meets it and comes first.
func TestAWishNeedsEveryWordOfAPhrasing(t *testing.T) {
	const today domain.Date = "2026-12-01"
	jobs := []domain.Job{
		job(1, "枸杞园摘果", withDesc("摘枸杞，当天开工"), withSkills("枸杞采摘")),
		job(2, "枸杞园摘果", withDesc("摘枸杞，明天开工"), withSkills("枸杞采摘")),
		job(3, "枸杞园摘果", withDesc("摘枸杞，当天结账"), withSkills("枸杞采摘")),
	}
	for i := range jobs {
		jobs[i].StartDate, jobs[i].EndDate = today, today.AddDays(20)
	}
	got := Build(jobs, nil).SearchJobs(SearchQuery{Q: "摘枸杞 日结", Today: today})
	score := map[int64]float64{}
	for _, h := range got.Items {
		score[h.ID] = h.Score
	}
	if len(got.Items) != 3 || got.Items[0].ID != 3 {
		t.Fatalf("the gig that pays the same day is not first: %v (read as %q)", ids(got.Items), got.Reading.Summary)
	}
	if score[1] != score[2] || score[3] <= score[1] {
		t.Errorf("scores: 当天开工 %v, 明天开工 %v, 当天结账 %v: only 当天结账 meets 日结", score[1], score[2], score[3])
	}
}
