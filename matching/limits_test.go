package matching

import (
	"testing"

	"lingong/domain"
)

// A posting's own limits on gender and age are read from its words and filter the workers whose ID
// number tells them; a worker whose record does not tell is not filtered.
func TestEmployerLimitsFilterWorkersWhoseRecordTellsThem(t *testing.T) {
	for text, want := range map[string]struct {
		g    gender
		born int32
	}{
		"工厂招普工，只要女工，提供住宿，55岁以下":     {female, 2027 - 55},
		"急招力工，60岁以下身体好，包吃住，男工":      {male, 2027 - 60},
		"年龄55以内 男女不限 日结不拖欠":         {anyGender, 2027 - 55},
		"能熬夜 超过45岁的别打电话":            {anyGender, 2027 - 45},
		"看大门，60岁以上的不要，100斤以下的货":     {anyGender, 2027 - 60},
		"有下井经验的年龄可以放宽，50岁以下":        {anyGender, 0},
		"照顾老两口，做饭打扫，一天180，距离10公里以内": {anyGender, 0},
		"网店发货打包，160一天，女工优先":         {anyGender, 0},
		"打包发货，女工优先，只要女的":            {female, 0},
	} {
		g, born := employerLimits(normalize(text), "2027-01-09")
		if g != want.g || born != want.born {
			t.Errorf("%q: limits %v %d, want %v %d", text, g, born, want.g, want.born)
		}
	}

	posting := job(1, "工厂普工 长白班", withSkills("普工"), withDesc("只要女工，提供住宿，55岁以下"))
	person := func(id int64, gender string, born int) domain.Worker {
		return worker(id, "中宁县", "宁安镇", skilled("普工"), func(w *domain.Worker) { w.Gender, w.BirthYear = gender, born })
	}
	young, man, older, unknown := person(1, "female", 1990), person(2, "male", 1990), person(3, "female", 1960), person(4, "", 0)
	ix := Build([]domain.Job{posting}, []domain.Worker{young, man, older, unknown})
	got := ids(ix.MatchWorkersForJob(posting, testToday, 10).Items)
	if len(got) != 2 || !(got[0] == 1 && got[1] == 4 || got[0] == 4 && got[1] == 1) {
		t.Errorf("candidates %v, want the young woman (1) and the worker whose record does not tell (4)", got)
	}
	for _, w := range []domain.Worker{man, older} {
		if m := ix.MatchJobsForWorker(w, testToday, 10); len(m.Items) != 0 || len(m.NearMisses) != 0 {
			t.Errorf("worker %d (%s, born %d) is offered the gig: %+v", w.ID, w.Gender, w.BirthYear, m)
		}
	}
}
