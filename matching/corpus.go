package matching

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"lingong/domain"
)

// The corpus generator makes a large, realistic, deterministic market for the benchmarks here and for
// the Bleve comparison in matching/blevebench (which imports it, so both measure the same gigs and the
// same queries). Titles and descriptions are written the way Zhongwei's employers write them, from the
// taxonomy's words and the gazetteer's towns: tagged and untagged gigs, full-width digits, certificates
// named in the text, piece rates for picking and hourly rates for housework.

// categoryShare is how the gigs spread over the categories (the picking season of a Zhongwei summer).
var categoryShare = map[string]int{"农业采摘": 30, "建筑装修": 25, "搬运物流": 12, "家政护理": 10, "餐饮服务": 8, "工厂加工": 8, "驾驶机械": 4, "综合服务": 3}

var (
	corpusEmployers = []string{"合作社", "种植基地", "建筑劳务有限公司", "物流有限公司", "家政服务有限公司", "大酒店", "食品有限公司", "农机服务合作社", "装修工程部", "养殖场"}
	corpusPerks     = []string{"管午饭", "包吃住", "有班车接送", "干满一周另有奖励", "工具现场提供", "中午管一顿饭", "多劳多得"}
	corpusAsks      = []string{"能吃苦", "手脚麻利", "身体健康", "有经验优先", "不限男女", "年龄60岁以下", "听从安排"}
	corpusSelf      = []string{"能吃苦，啥活都干", "干过十年工地", "手快，多年经验", "在家附近干活最好", "身体好，能干力气活",
		"农忙有空", "年纪大了，想干点轻活", "持证上岗", "干活踏实", "有摩托车，能跑远点", ""}
	corpusSurnames = []rune("王李张刘陈杨马田苏赵周吴孙郭何高罗梁宋郑谢韩唐冯于董")
	corpusGiven    = []string{"建国", "秀兰", "玉梅", "志强", "海军", "桂花", "德明", "福海", "永强", "红霞", "小军", "丽娟", "国庆", "春花"}
)

// fullWidth writes the digits of n as full-width characters, as some phones type them.
func fullWidth(n int) string {
	var b strings.Builder
	for _, r := range fmt.Sprint(n) {
		b.WriteRune(r + 0xFEE0)
	}
	return b.String()
}

// corpusSkills returns the skills of a category.
func corpusSkills(cat string) []domain.Skill {
	var out []domain.Skill
	for _, s := range corpusTrades {
		if s.Category == cat {
			out = append(out, s)
		}
	}
	return out
}

func pickCategory(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, c := range corpusCategories {
		if n -= categoryShare[c]; n < 0 {
			return c
		}
	}
	return corpusCategories[0]
}

// pickTown places a gig: 枸杞 work is mostly in 中宁县, the rest anywhere, the city's towns more often.
func pickTown(rng *rand.Rand, skill string) domain.Town {
	if strings.Contains(skill, "枸杞") && rng.IntN(10) < 8 {
		for {
			t := domain.Towns[rng.IntN(len(domain.Towns))]
			if t.District == "中宁县" {
				return t
			}
		}
	}
	if rng.IntN(3) == 0 {
		return domain.Towns[rng.IntN(3)] // 滨河镇, 文昌镇, 东园镇: the city
	}
	return domain.Towns[rng.IntN(len(domain.Towns))]
}

// GenerateJobs returns n open gigs with ids 1..n, the same for the same seed and today. They start
// within two weeks of today and were posted in the three days before it.
func GenerateJobs(n int, seed uint64, today domain.Date) []domain.Job {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	base := today.Start().UTC()
	jobs := make([]domain.Job, n)
	for i := range jobs {
		cat := pickCategory(rng)
		skills := corpusSkills(cat)
		sk := skills[rng.IntN(len(skills))]
		town := pickTown(rng, sk.Name)
		syn := sk.Name
		if len(sk.Synonyms) > 0 && rng.IntN(2) == 0 {
			syn = sk.Synonyms[rng.IntN(len(sk.Synonyms))]
		}
		head := 1 + rng.IntN(8)
		if cat == "农业采摘" {
			head = 5 + rng.IntN(30)
		}
		heads := fmt.Sprint(head)
		if rng.IntN(10) == 0 {
			heads = fullWidth(head)
		}
		start := today.AddDays(rng.IntN(14))
		j := domain.Job{
			ID: int64(i + 1), EmployerID: int64(1 + rng.IntN(2000)), EmployerVerified: rng.IntN(4) != 0,
			StationCode: fmt.Sprintf("ST-%02d", 1+rng.IntN(25)), Headcount: head, Filled: rng.IntN(head),
			WageFen: int64(120+rng.IntN(20)*10) * 100, WageUnit: domain.PerDay, Settlement: domain.SettleDaily,
			District: town.District, Town: town.Name, Address: town.Name + []string{"村委会旁", "产业园", "基地", "工地", "小区", "市场"}[rng.IntN(6)],
			Lat: town.Lat + (rng.Float64()-0.5)*0.04, Lng: town.Lng + (rng.Float64()-0.5)*0.04,
			StartDate: start, EndDate: start.AddDays(rng.IntN(30)), DailyHours: 8, Status: domain.JobOpen,
			CreatedAt: base.Add(-time.Duration(rng.IntN(72*3600)) * time.Second),
		}
		j.EmployerName = town.Name + corpusEmployers[rng.IntN(len(corpusEmployers))]
		if rng.IntN(4) == 0 {
			j.EmployerName = string(corpusSurnames[rng.IntN(len(corpusSurnames))]) + corpusGiven[rng.IntN(len(corpusGiven))] + "（个人）"
		}
		if rng.IntN(10) != 0 { // one gig in ten comes untagged, from a walk-in employer
			j.Skills = []string{sk.Name}
			j.RequiredCerts = append([]string{}, sk.Certs...)
		}
		if rng.IntN(3) == 0 {
			j.Settlement = []domain.Settlement{domain.SettleWeekly, domain.SettleOnCompletion}[rng.IntN(2)]
		}
		switch {
		case sk.Name == "枸杞采摘" || sk.Name == "葡萄采摘" && rng.IntN(2) == 0:
			j.WageFen, j.WageUnit, j.ExpectedHours, j.DailyHours = int64(100+rng.IntN(8)*10), domain.PerPiece, 0.06, 10
			j.PieceUnit = "斤"
			j.Title = fmt.Sprintf("%s%s园急招摘果工%s名 日结", town.Name, strings.TrimSuffix(sk.Name, "采摘"), heads)
			j.Settlement = domain.SettleDaily
		case cat == "家政护理":
			j.WageFen, j.WageUnit, j.DailyHours = int64(25+rng.IntN(15))*100, domain.PerHour, float64(2+rng.IntN(7))
			j.Title = fmt.Sprintf("%s招%s %s名", j.EmployerName, syn, heads)
		default:
			switch rng.IntN(3) {
			case 0:
				j.Title = fmt.Sprintf("%s招%s%s名", town.Name, syn, heads)
			case 1:
				j.Title = fmt.Sprintf("急招%s%s人 %s元/天", syn, heads, domain.FormatYuan(j.WageFen))
			default:
				j.Title = fmt.Sprintf("%s%s，%s", town.Name, syn, j.Settlement.Label())
			}
		}
		desc := []string{sk.Name}
		if len(sk.Synonyms) > 1 {
			desc = append(desc, "需要"+sk.Synonyms[rng.IntN(len(sk.Synonyms))]+"、"+sk.Synonyms[rng.IntN(len(sk.Synonyms))])
		}
		desc = append(desc, corpusAsks[rng.IntN(len(corpusAsks))], corpusPerks[rng.IntN(len(corpusPerks))])
		if len(sk.Certs) > 0 {
			desc = append(desc, "需持"+strings.Join(sk.Certs, "、")+"上岗")
		}
		desc = append(desc, j.Settlement.Label()+"，地点在"+town.District+town.Name)
		j.Description = strings.Join(desc, "，") + "。"
		jobs[i] = j
	}
	return jobs
}

// GenerateWorkers returns n active workers with ids 1..n, the same for the same seed and today.
func GenerateWorkers(n int, seed uint64, today domain.Date) []domain.Worker {
	rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	workers := make([]domain.Worker, n)
	for i := range workers {
		town := domain.Towns[rng.IntN(len(domain.Towns))]
		cat := pickCategory(rng)
		var skills, certs []string
		var words []string
		for _, s := range corpusSkills(cat) {
			if rng.IntN(4) == 0 && len(skills) < 3 {
				skills = append(skills, s.Name)
				if len(s.Certs) > 0 && rng.IntN(2) == 0 {
					certs = append(certs, s.Certs...)
				}
				if len(s.Synonyms) > 0 {
					words = append(words, "会"+s.Synonyms[rng.IntN(len(s.Synonyms))])
				}
			}
		}
		if len(skills) == 0 {
			s := corpusSkills(cat)[0]
			skills = []string{s.Name}
		}
		self := corpusSelf[rng.IntN(len(corpusSelf))]
		if len(words) > 0 && rng.IntN(2) == 0 {
			self = strings.Join(words, "，") + "，" + self
		}
		if rng.IntN(15) == 0 { // some name no tag and only write
			skills = nil
		}
		certs, _ = domain.NormalizeCerts("certs", certs)
		workers[i] = domain.Worker{
			ID: int64(i + 1), No: fmt.Sprintf("LG%08d", i+1), Phone: fmt.Sprintf("1%02d%08d", 30+rng.IntN(70), rng.IntN(100000000)),
			Name:     string(corpusSurnames[rng.IntN(len(corpusSurnames))]) + corpusGiven[rng.IntN(len(corpusGiven))],
			District: town.District, Town: town.Name, Lat: town.Lat, Lng: town.Lng, Skills: skills, Certs: certs,
			SelfDescription: self, AvailableFrom: today.AddDays(rng.IntN(5)), AvailableTo: today.AddDays(30 + rng.IntN(150)),
			ExpectedWageFen: int64(100+rng.IntN(15)*10) * 100, ExpectedWageUnit: domain.PerDay,
			MaxCommuteKm: []int{10, 20, 30, 50, 80}[rng.IntN(5)], Completed: rng.IntN(40), NoShows: rng.IntN(3) * rng.IntN(2),
			Status: domain.WorkerActive,
		}
	}
	return workers
}

// BenchQueries are the library queries of the benchmarks: two Chinese keywords and a district, as people
// type them into the search box.
func BenchQueries() []SearchQuery {
	pairs := []struct{ q, district string }{
		{"枸杞 日结", "中宁县"}, {"摘果 日结", "中宁县"}, {"搬运 管午饭", "沙坡头区"}, {"保洁 日结", "沙坡头区"},
		{"小工 包吃住", "海原县"}, {"砌墙 日结", "海原县"}, {"电焊 上岗", "沙坡头区"}, {"硒砂瓜 日结", "沙坡头区"},
		{"保姆 健康证", "沙坡头区"}, {"叉车 周结", "中宁县"}, {"厨师 管午饭", "沙坡头区"}, {"除草 日结", "中宁县"},
		{"装卸 日结", "中宁县"}, {"钢筋 工地", "海原县"}, {"普工 包吃住", "中宁县"}, {"司机 驾照", "沙坡头区"},
	}
	out := make([]SearchQuery, len(pairs))
	for i, p := range pairs {
		out[i] = SearchQuery{Q: p.q, District: p.district, PerPage: DefaultPerPage}
	}
	return out
}
