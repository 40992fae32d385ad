package matching

import (
	"testing"
	"time"

	"lingong/domain"
)

// Workers who register without an ID number often say their age in their own words; an employer's age
// limit then applies to them as to a worker whose number tells it, and years of experience are no age.
func TestAnAgeTheWorkerStatesMeetsTheEmployersLimit(t *testing.T) {
	for text, want := range map[string]int{
		"七十了身体还好，能干点轻活":        70,
		"没有保安证，60多了，能上夜班":      61,
		"今年58，身体好":             58,
		"五十五岁，干活麻利":            55,
		"快六十了":                 59,
		"我65了":                 65,
		"干了二十多年泥瓦工，砌墙抹灰":       0,
		"开装载机15年，50、30的都行":     0,
		"电焊干了20年":              0,
		"一天能摘八九十斤，二三十桌没问题":     0,
		"照顾过老人80岁的，也带过1岁宝宝":    0,
		"大二学生 寒假在家 可以辅导小学初中作业": 0,
	} {
		if got := statedAge(normalize(text)); got != want {
			t.Errorf("%q: age %d, want %d", text, got, want)
		}
	}

	saved := time.Date(2026, 5, 20, 3, 0, 0, 0, time.UTC)
	posting := job(1, "看大门 找一个", withDesc("60岁以下身体好，夜班"), withSkills("保安"))
	person := func(id int64, says string, born int) domain.Worker {
		return worker(id, "中宁县", "宁安镇", skilled("保安"), func(w *domain.Worker) {
			w.SelfDescription, w.BirthYear, w.UpdatedAt = says, born, saved
		})
	}
	older, unsaid, byID := person(1, "以前当过保安，60多了，能上夜班", 0), person(2, "以前当过保安，能上夜班", 0),
		person(3, "以前当过保安，60多了，能上夜班", 1975) // the ID number wins over the words
	ix := Build([]domain.Job{posting}, []domain.Worker{older, unsaid, byID})
	if got := ids(ix.MatchWorkersForJob(posting, testToday, 10).Items); len(got) != 2 || slicesContain(got, 1) {
		t.Errorf("candidates %v, want 2 and 3, not the worker who says he is past 60", got)
	}
	if got := ix.MatchJobsForWorker(older, testToday, 10).Items; len(got) != 0 {
		t.Errorf("the worker past 60 is offered %v", ids(got))
	}
}

func slicesContain(s []int64, x int64) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
