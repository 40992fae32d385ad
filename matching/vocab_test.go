package matching

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// What workers and employers type as a skill or a certificate is resolved to the taxonomy when it is one
// of its trades or licences, whatever the spelling; anything else stays a free tag.
func TestVocabularyResolvesWhatPeopleType(t *testing.T) {
	tests := []struct {
		in, want, via string
	}{
		{"瓦工", "砌筑工", domain.ViaSynonym},
		{"泥挖工", "砌筑工", domain.ViaHomophone}, // 挖 for 瓦: the same syllable
		{"插车", "叉车司机", domain.ViaSlang},
		{"叉车司几", "叉车司机", domain.ViaHomophone},
		{"焊工", "电焊工", domain.ViaSynonym},
		{"家政", "住家保姆", domain.ViaSynonym},
		{"会开叉车", "叉车司机", domain.ViaPhrase},
		{"农场杂工", "农活帮工", domain.ViaSynonym}, // not a building labourer, though it holds 杂工
		{"果园小工", "农活帮工", domain.ViaPhrase},
		{"铲车", "装载机司机", domain.ViaSynonym},
		{"扎草方格", "防沙治沙", domain.ViaSynonym},
		{"擦光伏板", "光伏清洗", domain.ViaSynonym},
		{"洗光伏板", "光伏清洗", domain.ViaSlang},
		{"修皮鞋", "", ""},
		{"砌墙抹灰", "", ""}, // two trades: kept free, and both read from its words
	}
	for _, tt := range tests {
		name, via, ok := Vocabulary{}.ResolveSkill(tt.in)
		if name != tt.want || via != tt.via || ok != (tt.want != "") {
			t.Errorf("ResolveSkill(%q) = %q, %q, %v; want %q, %q", tt.in, name, via, ok, tt.want, tt.via)
		}
	}
	certs := []struct{ in, want string }{{"铲车证", "装载机操作证"}, {"持电工证", "电工证"}, {"B2本", "B2驾照"}, {"驾照", "C1驾照"}, {"特种设备安全管理证", ""}}
	for _, tt := range certs {
		if name, _, _ := (Vocabulary{}).ResolveCert(tt.in); name != tt.want {
			t.Errorf("ResolveCert(%q) = %q, want %q", tt.in, name, tt.want)
		}
	}
	// The HTTP side validates with it.
	got, res, err := domain.NormalizeSkillsWith(Vocabulary{}, "skills", []string{"泥挖工", "修皮鞋"}, 10)
	if err != nil || !slices.Equal(got, []string{"修皮鞋", "砌筑工"}) || res[0].Via != domain.ViaHomophone {
		t.Errorf("NormalizeSkillsWith = %q, %+v, %v", got, res, err)
	}
}

// Text is read as people write it: by sound as well as by spelling (for phrases long enough not to be met
// by chance), with questions that are no denials and verbs told in the past.
func TestHomophonesInText(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"招泥挖工两名，会砌墙", []string{"砌筑工"}},
		{"会开插车", []string{"叉车司机"}},
		{"蔬菜果品批发", []string{}}, // 菜果 sounds like 采果, but two characters are not read by sound in text
		{"干过十年工地", []string{"建筑小工"}},
		{"有没有开铲车的活", []string{"装载机司机"}},       // a question, not a denial
		{"会剪羊毛，放过羊", []string{"滩羊养殖", "剪羊毛"}}, // 放羊, told as done
		{"在果园干过小工", []string{"农活帮工"}},         // a helper's word says whose helper by the workplace before it
		{"在枸杞园干过杂工", []string{"枸杞采摘", "农活帮工"}},
		{"干过杂工", []string{"建筑小工"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, DetectSkills(tt.in)); diff != "" {
			t.Errorf("DetectSkills(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// A mason's list: his own trade first, then what a mason can also do (a labourer's job), and only then
// other building trades, marked as such, however near or well paid they are. A labourer is not offered
// a mason's job as a related trade: relations are directed.
func TestOwnAndRelatedTradesBeforeTheSameCategory(t *testing.T) {
	far := inTown("中宁县", "鸣沙镇")
	jobs := []domain.Job{
		job(1, "招瓦工 砌砖墙", withSkills("砌筑工"), far, wage(13000, domain.PerDay)),
		job(2, "工地小工", withSkills("建筑小工"), far, wage(12000, domain.PerDay)),
		job(3, "钢筋工 急招", withSkills("钢筋工"), wage(30000, domain.PerDay)),
		job(4, "木工支模", withSkills("木工"), wage(30000, domain.PerDay)),
		job(5, "刷墙油漆工", withSkills("油漆工"), wage(28000, domain.PerDay)),
	}
	mason := worker(1, "中宁县", "宁安镇", skilled("砌筑工"), commute(50))
	labourer := worker(2, "中宁县", "宁安镇", skilled("建筑小工"), commute(50))
	ix := Build(jobs, []domain.Worker{mason, labourer})
	got := ix.MatchJobsForWorker(mason, testToday, 10)
	var fits []string
	for _, m := range got.Items {
		fits = append(fits, m.Fit)
	}
	if got := ids(got.Items); len(got) != 5 || got[0] != 1 || got[1] != 2 {
		t.Errorf("mason's gigs %v, want his own trade's gig 1 and the labourer's gig 2 first", got)
	}
	if diff := cmp.Diff([]string{FitOwn, FitRelated, FitCategory, FitCategory, FitCategory}, fits); diff != "" {
		t.Errorf("fits (-want +got):\n%s", diff)
	}
	if r := got.Items[2].Reasons[0]; !strings.HasPrefix(r, "同类工作") {
		t.Errorf("a same-category gig says %q, want it marked 同类工作", r)
	}
	for _, m := range ix.MatchJobsForWorker(labourer, testToday, 10).Items {
		if m.ID == 1 && m.Fit != FitCategory {
			t.Errorf("a labourer sees the mason's gig as %q, want %q", m.Fit, FitCategory)
		}
	}
	// The employer of the labourer's gig sees his own trade first, then the mason.
	cands := ix.MatchWorkersForJob(jobs[1], testToday, 10)
	if diff := cmp.Diff([]int64{2, 1}, ids(cands.Items)); diff != "" || cands.Items[1].Fit != FitRelated {
		t.Errorf("the labourer's gig's workers (-want +got):\n%s, fits %+v", diff, cands.Items)
	}
}

// Certificates stated only in words are requirements: a worker without one is no match (a near miss
// that says what is missing), a worker with one, or with a licence that implies it, is.
func TestCertificatesReadFromTheTextFilterWorkers(t *testing.T) {
	tests := []struct {
		name      string
		j         domain.Job
		holder    []string
		wantCerts []string
	}{
		{"要有铲车证", job(1, "招铲车师傅", withDesc("要有铲车证，有经验")), []string{"装载机操作证"}, []string{"装载机操作证"}},
		{"要有驾照 and a B2 holder", job(2, "招送货司机", withDesc("要有驾照，送货到村里")), []string{"B2驾照"}, []string{"C1驾照"}},
		{"持证上岗 is the trade's certificate", job(3, "招电焊工", withDesc("持证上岗，日结")), []string{"电焊证"}, []string{"焊工证"}},
		{"持证上岗 is the certificate of the title's trade", job(5, "焊工", withDesc("钢结构厂房，招电焊工3个，持证上岗")), []string{"焊工证"}, []string{"焊工证"}},
		{"a certificate outside the list", job(4, "锅炉房招电焊工", withCerts("特种设备安全管理证"), withDesc("冬季检修")), []string{"特种设备安全管理证"}, []string{"特种设备安全管理证"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			without := worker(1, "中宁县", "宁安镇", says("啥活都干，会开车，会电焊，会开铲车"))
			with := worker(2, "中宁县", "宁安镇", says("啥活都干，会开车，会电焊，会开铲车"), holding(tt.holder...))
			ix := Build([]domain.Job{tt.j}, []domain.Worker{without, with})
			if got := ix.doc(tt.j.ID).summary().RequiredCerts; !cmp.Equal(got, tt.wantCerts) {
				t.Errorf("required %q, want %q", got, tt.wantCerts)
			}
			got := ix.MatchWorkersForJob(tt.j, testToday, 10)
			if diff := cmp.Diff([]int64{2}, ids(got.Items)); diff != "" {
				t.Errorf("workers (-want +got):\n%s", diff)
			}
			if len(got.NearMisses) != 1 || got.NearMisses[0].ID != 1 || !strings.HasPrefix(got.NearMisses[0].Missing[0], "缺少") {
				t.Errorf("near misses %+v, want the worker without the certificate, saying what he lacks", got.NearMisses)
			}
			if items := ix.MatchJobsForWorker(without, testToday, 10).Items; len(items) != 0 {
				t.Errorf("the worker without the certificate is offered %v", ids(items))
			}
		})
	}
}

// A skill outside the taxonomy is kept as written and matches gigs that say it in other words, in both
// directions, ahead of the general labour such a worker is also offered.
func TestFreeTagsMatchByTheirWords(t *testing.T) {
	shearer := worker(1, "海原县", "海城镇", skilled("修皮鞋"))
	jobs := []domain.Job{
		job(1, "海城镇商场招人修皮鞋", withDesc("修皮鞋，按双计价"), inTown("海原县", "海城镇")),
		job(2, "搬运工", withSkills("搬运"), inTown("海原县", "海城镇"), wage(30000, domain.PerDay)),
		job(3, "卖皮鞋", withDesc("商场门店"), inTown("海原县", "海城镇")),
	}
	ix := Build(jobs, []domain.Worker{shearer, worker(2, "海原县", "海城镇", skilled("搬运"))})
	got := ix.MatchJobsForWorker(shearer, testToday, 10)
	if len(got.Items) == 0 || got.Items[0].ID != 1 || got.Items[0].Fit != FitOwn || got.Items[0].Reasons[0] != "技能相符：修皮鞋（自填技能）" {
		t.Fatalf("the shearer's first gig: %+v", got.Items)
	}
	for _, m := range got.Items[1:] {
		if m.Fit != FitGeneral { // 卖皮鞋 (no 修) is no repair: general work, after it
			t.Errorf("gig %d is %q for the shearer, want general work", m.ID, m.Fit)
		}
	}
	cands := ix.MatchWorkersForJob(jobs[0], testToday, 10)
	if len(cands.Items) == 0 || cands.Items[0].ID != 1 || cands.Items[0].Score != got.Items[0].Score {
		t.Errorf("the shearing gig's workers %+v (worker's side scored %v)", cands.Items, got.Items[0].Score)
	}
	if s, _ := ix.Job(1); len(s.Skills) != 0 {
		t.Errorf("gig 1 skills %q", s.Skills)
	}
	if w := ix.MatchWorkersForJob(jobs[0], testToday, 10).Items[0]; !slices.Equal(w.Skills, []string{"修皮鞋"}) {
		t.Errorf("the shearer's skills are shown as %q", w.Skills)
	}
}

// Distance is measured from a worker's own coordinates when he gave them, from his town's seat
// otherwise.
func TestPreciseCoordinatesAreUsed(t *testing.T) {
	posting := job(1, "招摘果工", withSkills("枸杞采摘"), inTown("中宁县", "鸣沙镇"))
	seat := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"))
	nearby := seat
	nearby.ID, nearby.Lat, nearby.Lng = 2, 37.415, 105.86 // a village just outside 鸣沙镇
	ix := Build([]domain.Job{posting}, nil)
	fromSeat := ix.MatchJobsForWorker(seat, testToday, 1).Items[0].DistanceKm
	fromHome := ix.MatchJobsForWorker(nearby, testToday, 1).Items[0].DistanceKm
	if fromSeat < 15 || fromHome > 2 {
		t.Errorf("distance from the town seat %.1f km, from home %.1f km", fromSeat, fromHome)
	}
}

// Certificates in a gig's text: a wish is no requirement, alternatives ask for either, and a licence's
// longer official name is the listed licence.
func TestCertificatesReadFromJobText(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"要育婴师证或者母婴护理证，还要健康证", []string{"健康证"}},
		{"最好有教师资格证", nil},
		{"有健康证更好", nil},
		{"必须有电工证", []string{"电工证"}},
		{"持B2或A2驾照", []string{"B2驾照"}},
		{"没有叉车证的别打电话", nil},
	}
	for _, tc := range cases {
		got := tax.read(normalize(tc.text), true).certs.names()
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q requires %v, want %v", tc.text, got, tc.want)
		}
	}
	if known, free := demandedCerts(normalize("6月麦收，要有农机驾驶操作证。管吃管住")); strings.Join(known.names(), ",") != "农机驾驶证" || len(free) != 0 {
		t.Errorf("a listed licence by its longer name, demanded in text: %v %v", known.names(), free)
	}
	if _, free := demandedCerts(normalize("黄河摆渡，必须持船员适任证")); strings.Join(free, ",") != "船员适任证" {
		t.Errorf("a licence outside the list demanded in text: %v", free)
	}
	if known, free := demandedCerts(normalize("有农机驾驶操作证优先，不需要有证")); known != 0 || len(free) != 0 {
		t.Errorf("a wish or a denial is read as a demand: %v %v", known, free)
	}
	if got := DetectCerts("装修水电，改水改电都会，电工证没考"); len(got) != 0 {
		t.Errorf("a worker who has not taken the exam holds %v", got)
	}
	for tag, want := range map[string]string{"低压电工作业证": "电工证", "电工作业证": "电工证"} {
		if got, _, ok := resolveCert(tag); !ok || got != want {
			t.Errorf("%s resolves to %q %v, want %s", tag, got, ok, want)
		}
	}
}

// A homophone typo of a two-character trade is read where a word ends (a title's last word, before a
// digit), not inside a run of characters where it is met by chance.
func TestTwoCharacterTyposWhereAWordEnds(t *testing.T) {
	for text, want := range map[string]string{"小区报安": "保安", "招报安3个": "保安", "勾机司机": "挖掘机司机", "蔬菜果品批发": ""} {
		got := strings.Join(tax.read(normalize(text), true).skills.names(), ",")
		if want != "" && !strings.Contains(got, want) || want == "" && strings.Contains(got, "枸杞采摘") {
			t.Errorf("%q reads as %q, want %q", text, got, want)
		}
	}
}

// "要育婴师证或者母婴护理证" is met by either certificate and by neither is not: the worker with neither
// sees the gig only as a near miss that says what is missing, and the gig lists the pair as one
// requirement.
func TestAlternativeCertificatesAskForEither(t *testing.T) {
	posting := job(1, "找月嫂 26天", withSkills("月嫂"), withCerts("健康证"), withDesc("住家26天，要育婴师证或者母婴护理证，还要健康证，会做月子餐。"))
	holder := func(id int64, certs ...string) domain.Worker {
		return worker(id, "中宁县", "宁安镇", skilled("月嫂"), holding(certs...))
	}
	ix := Build([]domain.Job{posting}, nil)
	for _, w := range []domain.Worker{holder(1, "育婴员证", "健康证"), holder(2, "母婴护理证", "健康证")} {
		got := ix.MatchJobsForWorker(w, testToday, 5)
		if len(got.Items) != 1 {
			t.Fatalf("worker with %v: items %+v", w.Certs, got)
		}
		if want := []string{"健康证", "育婴员证或母婴护理证"}; !slices.Equal(got.Items[0].RequiredCerts, want) {
			t.Errorf("required certificates %v, want %v", got.Items[0].RequiredCerts, want)
		}
	}
	got := ix.MatchJobsForWorker(holder(3, "健康证"), testToday, 5)
	if len(got.Items) != 0 || len(got.NearMisses) != 1 || !slices.Equal(got.NearMisses[0].Missing, []string{"需要育婴员证或母婴护理证"}) {
		t.Errorf("worker with neither: items %+v, near misses %+v", got.Items, got.NearMisses)
	}
	if c := ix.MatchWorkersForJob(posting, testToday, 5); len(c.Items) != 0 {
		t.Errorf("the gig finds %d candidates in an index without workers", len(c.Items))
	}
	both := Build([]domain.Job{posting}, []domain.Worker{holder(1, "育婴员证", "健康证"), holder(3, "健康证")})
	if c := both.MatchWorkersForJob(posting, testToday, 5); len(c.Items) != 1 || c.Items[0].ID != 1 {
		t.Errorf("candidates %+v, want only the holder of 育婴员证", c.Items)
	}
}

// 司机 alone is a car's driver, but beside another machine it is that machine's: 收割机司机 drives a
// harvester, 勾机司机 (a typo of 钩机) a digger.
func TestDriverOfWhat(t *testing.T) {
	var a analyzer
	var d dictionary
	for text, want := range map[string]string{"招司机 2名": "小车司机", "收割机司机": "农机驾驶", "勾机司机": "挖掘机司机"} {
		if got := strings.Join(a.newJobDoc(&d, &domain.Job{Title: text}, true).concepts.names(), ","); got != want {
			t.Errorf("%q reads as %q, want %s", text, got, want)
		}
	}
	posting := job(1, "收割机司机", withSkills("农机驾驶"), withDesc("玉米收割机机手 跟车干"))
	driver := worker(1, "中宁县", "宁安镇", skilled("小车司机"), holding("C1驾照"))
	for _, m := range Build([]domain.Job{posting}, nil).MatchJobsForWorker(driver, testToday, 5).Items {
		if m.Fit == FitOwn {
			t.Errorf("a car driver sees the harvester's gig as his own trade: %+v", m)
		}
	}
}
