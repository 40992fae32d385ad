package matching

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// The worker of issue 5: 58, lives in 海原县海城镇, wrote a few words and chose no tags.
func oldMason() domain.Worker {
	return worker(100, "海原县", "海城镇", says("能吃苦 啥活都干, 会砌墙"), func(w *domain.Worker) { w.BirthYear = 1968 })
}

func masonGigs() []domain.Job {
	return []domain.Job{
		job(1, "三河镇自建房招小工 和灰搬砖", inTown("海原县", "三河镇"), withSkills("建筑小工")),
		job(2, "海城镇商铺接电布线", inTown("海原县", "海城镇"), withSkills("电工"), withCerts("电工证")),
		job(3, "中宁枸杞园急招摘果工20名 日结", inTown("沙坡头区", "镇罗镇"), withSkills("枸杞采摘"), daily()),
		job(4, "海城镇养殖场喂羊", inTown("海原县", "海城镇"), withSkills("滩羊养殖")),
		job(5, "饭店招厨师", inTown("海原县", "海城镇"), withSkills("厨师"), withCerts("健康证")),
	}
}

func TestOldMasonSeesTheBuildingSiteFirst(t *testing.T) {
	ix := Build(masonGigs(), nil)
	got := ix.MatchJobsForWorker(oldMason(), testToday, 10)
	if len(got.Items) == 0 || got.Items[0].ID != 1 {
		t.Fatalf("first match = %v, want the building-site gig 1; all: %+v", ids(got.Items), got.Items)
	}
	if slices.Contains(ids(got.Items), 2) || slices.Contains(ids(got.Items), 3) {
		t.Errorf("items %v include the 电工 gig without a certificate or the 枸杞 gig far away", ids(got.Items))
	}
	first := got.Items[0]
	t.Logf("score %.1f, reasons %q", first.Score, first.Reasons)
	if first.DistanceKm < 15 || first.DistanceKm > 30 {
		t.Errorf("distance = %.1f km, want about 20", first.DistanceKm)
	}
	if !strings.HasPrefix(first.Reasons[0], "同类工作：建筑装修") {
		t.Errorf("first reason = %q, want the skill relation", first.Reasons[0])
	}
	if diff := cmp.Diff([]int64{2}, ids(got.NearMisses)); diff != "" {
		t.Errorf("near misses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"需要电工证"}, got.NearMisses[0].Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
}
