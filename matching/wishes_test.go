package matching

import (
	"strings"
	"testing"

	"lingong/domain"
)

// A worker who asks a piece rate ("一斤不低于2块") is compared rate with rate on the piece rates that
// count the same thing: 2.2 元/斤 comes before 1.6 元/斤, and the reason says how it stands to his wish.
func TestAPieceRateWishIsComparedWithPieceRates(t *testing.T) {
	good := job(1, "枸杞园摘果 按斤算", withSkills("枸杞采摘"), wage(220, domain.PerPiece), func(j *domain.Job) { j.PieceUnit = "斤" })
	poor := job(2, "枸杞园摘果 按斤算", withSkills("枸杞采摘"), wage(160, domain.PerPiece), func(j *domain.Job) { j.PieceUnit = "斤" })
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), says("摘枸杞按斤算，一斤不低于2块"), expects(200, domain.PerPiece))
	ix := Build([]domain.Job{good, poor}, []domain.Worker{w})
	got := ix.MatchJobsForWorker(w, testToday, 10).Items
	if len(got) != 2 || got[0].ID != 1 {
		t.Fatalf("matches %v, want the 2.2 元/斤 gig (1) first", ids(got))
	}
	if r := strings.Join(got[0].Reasons, "；"); !strings.Contains(r, "高于期望 2 元/斤") {
		t.Errorf("reasons %q, want the rate set beside the wish", r)
	}
	if r := strings.Join(got[1].Reasons, "；"); !strings.Contains(r, "低于期望 2 元/斤") {
		t.Errorf("reasons %q, want the rate set beside the wish", r)
	}
	// Both directions score a pair the same.
	for _, m := range got {
		c := ix.MatchWorkersForJob(map[int64]domain.Job{1: good, 2: poor}[m.ID], testToday, 10).Items
		if len(c) != 1 || c[0].Score != m.Score {
			t.Errorf("gig %d: candidates %+v, want the worker at score %.2f", m.ID, c, m.Score)
		}
	}
}

func TestPieceUnitIn(t *testing.T) {
	for text, want := range map[string]string{
		"摘枸杞按斤算，一斤不低于2块": "斤",
		"装车每吨不少于10元":     "吨",
		"2块/公斤就行":        "公斤",
		"按箱算，一箱3块":       "箱",
		"手快，价钱好说":        "件",
	} {
		if got := pieceUnitIn(text); got != want {
			t.Errorf("pieceUnitIn(%q) = %q, want %q", text, got, want)
		}
	}
}

// A worker with no ID number on file who says her gender in her own words ("大姐", "我是女的") meets the
// employer's gender limit as if her record told it; someone else's gender in her words does not count.
func TestAGenderTheWorkerStatesMeetsTheEmployersLimit(t *testing.T) {
	for text, want := range map[string]gender{
		"保洁大姐，干活细致":        female,
		"我是女的，能做饭":         female,
		"小伙子，有力气，能上夜班":     male,
		"照顾过老太太，会做饭":       anyGender,
		"男女的活都能干":          anyGender,
		"种地的，摘枸杞 摘瓜 大棚 都行": anyGender,
	} {
		if got := statedGender(normalize(text)); got != want {
			t.Errorf("statedGender(%q) = %v, want %v", text, got, want)
		}
	}
	men := job(1, "急招力工 扛水泥", withSkills("建筑小工"), withDesc("只要男的，一天200"))
	she := worker(1, "中宁县", "宁安镇", says("农村大姐，啥活都干"))
	he := worker(2, "中宁县", "宁安镇", says("小伙子，啥活都干"))
	ix := Build([]domain.Job{men}, []domain.Worker{she, he})
	if got := ids(ix.MatchWorkersForJob(men, testToday, 10).Items); len(got) != 1 || got[0] != 2 {
		t.Errorf("candidates %v, want only the young man (2)", got)
	}
	if got := ix.MatchJobsForWorker(she, testToday, 10); len(got.Items)+len(got.NearMisses) != 0 {
		t.Errorf("the woman sees %v %v, want nothing", ids(got.Items), ids(got.NearMisses))
	}
}

// A gig whose gender or age limit the worker's record does not tell whether he meets ranks after an
// otherwise equal gig surely open to him, and says why; a worker whose record tells it is not moved.
func TestAJobWithLimitsTheRecordDoesNotTellRanksAfterOnesSurelyOpen(t *testing.T) {
	limited := job(1, "装车 只要男的 55岁以下", withSkills("搬运"), wage(16000, domain.PerDay))
	open := job(2, "装车 男女不限", withSkills("搬运"), wage(15000, domain.PerDay))
	unknown := worker(1, "中宁县", "宁安镇", skilled("搬运"))
	told := worker(2, "中宁县", "宁安镇", skilled("搬运"), func(w *domain.Worker) { w.Gender, w.BirthYear = "male", 1990 })
	ix := Build([]domain.Job{limited, open}, []domain.Worker{unknown, told})
	got := ix.MatchJobsForWorker(unknown, testToday, 10).Items
	if len(got) != 2 || got[0].ID != 2 {
		t.Fatalf("worker whose record tells nothing: %v, want the gig open to all (2) first", ids(got))
	}
	if r := strings.Join(got[1].Reasons, "；"); !strings.Contains(r, "只要男工（资料里没有性别）") || !strings.Contains(r, "有年龄要求（资料里没有年龄）") {
		t.Errorf("reasons %q, want the untold limits named", r)
	}
	if got := ids(ix.MatchJobsForWorker(told, testToday, 10).Items); len(got) != 2 || got[0] != 1 {
		t.Errorf("worker whose record tells: %v, want the better paid gig (1) first", got)
	}
	// The employer sees the same order of the same pair scores.
	if c := ix.MatchWorkersForJob(limited, testToday, 10).Items; len(c) != 2 || c[0].ID != 2 {
		t.Errorf("candidates of the limited gig %v, want the worker whose record tells (2) first", ids(c))
	}
}

// A farm's 杂工 is a farm hand: a gig tagged 杂工 (stored as 建筑小工) whose words name a farm and no
// building work is 农活帮工, and a mason is not offered it as the labourer's work he can also do; a
// building site's 杂工 stays a building labourer.
func TestAFarmsOddJobIsFarmWorkNotABuildingLabourersJob(t *testing.T) {
	farm := job(1, "农业园区杂工", withSkills("建筑小工"), withDesc("农场招杂工 管吃管住 有啥干啥"))
	site := job(2, "工地杂工", withSkills("建筑小工"), withDesc("楼房工地招杂工 搬砖和灰"))
	ix := Build([]domain.Job{farm, site}, nil)
	labourer, farmHand := tax.skillIndex["建筑小工"], tax.skillIndex["农活帮工"]
	if c := ix.doc(1).concepts; c.has(labourer) || !c.has(farmHand) {
		t.Errorf("farm gig read as %v, want 农活帮工 only", c.names())
	}
	if c := ix.doc(2).concepts; !c.has(labourer) {
		t.Errorf("site gig read as %v, want 建筑小工", c.names())
	}
	mason := worker(1, "中宁县", "宁安镇", skilled("砌筑工"))
	if got := ids(ix.MatchJobsForWorker(mason, testToday, 10).Items); len(got) != 1 || got[0] != 2 {
		t.Errorf("the mason sees %v, want only the building site (2)", got)
	}
}

// A gig of a week or more of which the worker can work less than half the days ranks after one he can
// work at least half of, and says so; at exactly half it is not moved.
func TestALongJobTheWorkerCanOnlyPartlyWorkRanksAfter(t *testing.T) {
	long := job(1, "枸杞园摘果 一个月", withSkills("枸杞采摘"), wage(17000, domain.PerDay), dates(testToday, testToday.AddDays(29)))
	half := job(2, "枸杞园摘果 二十天", withSkills("枸杞采摘"), wage(15000, domain.PerDay), dates(testToday, testToday.AddDays(19)))
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), available(testToday, testToday.AddDays(9)))
	ix := Build([]domain.Job{long, half}, []domain.Worker{w})
	got := ix.MatchJobsForWorker(w, testToday, 10).Items
	if len(got) != 2 || got[0].ID != 2 {
		t.Fatalf("matches %v, want the gig he can work half of (2) first", ids(got))
	}
	if r := strings.Join(got[1].Reasons, "；"); !strings.Contains(r, "共 30 天，只能干其中 10 天") {
		t.Errorf("reasons %q, want the days he can work named", r)
	}
	if r := strings.Join(got[0].Reasons, "；"); strings.Contains(r, "只能干其中") {
		t.Errorf("reasons %q: half of the gig is not a part", r)
	}
	if c := ix.MatchWorkersForJob(long, testToday, 10).Items; len(c) != 1 || c[0].Score != got[1].Score {
		t.Errorf("candidates %+v, want the worker at score %.2f", c, got[1].Score)
	}
}
