package matching

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDetectSkills(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"摘枸杞", []string{"枸杞采摘"}},
		{"中宁枸杞园急招摘果工20名 日结", []string{"枸杞采摘"}},
		{"招力工两名", []string{"建筑小工"}},
		{"杂工", []string{"建筑小工"}},
		{"装车卸货", []string{"搬运"}},
		{"会砌墙，干过十年工地", []string{"建筑小工", "砌筑工"}},
		{"干过工地，也会做饭", []string{"建筑小工", "厨师"}},
		{"不会电焊", []string{}},
		{"种地的，摘瓜 枸杞 大棚 都行", []string{"枸杞采摘", "硒砂瓜采收"}},
		{"做过两年枸杞直播带货，会开叉车", []string{"叉车司机"}},
		{"大二学生 可以辅导小学初中作业", []string{"家教"}},
		{"会开叉车，不会电焊", []string{"叉车司机"}},
		{"货车司机", []string{"货车司机"}},
		{"打扫卫生、擦玻璃", []string{"保洁"}},
		{"苟杞采摘（typo）", []string{"枸杞采摘"}},
		{"ＡＢＣ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, DetectSkills(tt.in)); diff != "" {
				t.Errorf("DetectSkills(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestDetectCerts(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"持电焊证", []string{"焊工证"}},
		{"有Ｃ１驾照", []string{"C1驾照"}},
		{"c1", []string{"C1驾照"}},
		{"abc123", []string{}},
		{"没有电工证", []string{}},
		{"无需电工证", []string{}},
		{"需持电工证、高空作业证上岗", []string{"电工证", "高处作业证"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, DetectCerts(tt.in)); diff != "" {
				t.Errorf("DetectCerts(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// jobDocOf analyses an untagged gig with the title and description, as the index would.
func jobDocOf(title, desc string) *jobDoc {
	var a analyzer
	j := job(1, title, withDesc(desc))
	return a.newJobDoc(&NewIndex().dict, &j, false)
}

func TestJobCertificatesFromText(t *testing.T) {
	tests := []struct {
		name, desc string
		want       []string
	}{
		{"required in words", "需持电工证上岗", []string{"电工证"}},
		{"preferred only", "有电工证者优先", []string{}},
		{"not needed", "不需要电工证", []string{}},
		{"better pay with it", "叉车操作证有的话工资高点", []string{}},
		{"demanded unless held", "要有叉车证，没有的话别来", []string{"叉车证"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, jobDocOf("招工", tt.desc).summary().RequiredCerts); diff != "" {
				t.Errorf("RequiredCerts of %q (-want +got):\n%s", tt.desc, diff)
			}
		})
	}
}

// A gig with no tags is understood from its words, and some words mean less in a gig than from a
// worker: "工地" is where the work is, so "给工地工人做饭" is a cook's job, not a labourer's; "打杂" names
// no trade at all. The worker's side of the same words is in TestDetectSkills.
func TestJobSkillsFromText(t *testing.T) {
	tests := []struct {
		title, desc string
		want        []string
	}{
		{"工地食堂做饭", "给工地工人做饭，一天三顿", []string{"厨师"}},
		{"工地招人", "日结，管午饭", []string{"建筑小工"}},
		{"海城镇工地招力工5名", "搬砖、和灰，管午饭", []string{"建筑小工"}},
		{"工地食堂招工", "给工人做饭", []string{"厨师"}},
		// A helper's word says whose helper by the workplace before it (it used to name nothing here).
		{"烧烤店帮工", "串串、打杂", []string{"帮厨"}},
		{"招人", "打杂", []string{}},
		{"果园杂工", "", []string{"农活帮工"}},
		{"中宁枸杞园急招摘果工20名 日结", "", []string{"枸杞采摘"}},
		// A crop names the picking only when nothing else names the work.
		{"枸杞 日结 要10个人", "", []string{"枸杞采摘"}},
		{"招枸杞剪枝工 招3人", "剪枸杞，自带剪子", []string{"果树修剪"}},
		{"枸杞冬剪 日结", "", []string{"果树修剪"}},
		{"钢筋大工 缺7个", "工地绑钢筋", []string{"钢筋工"}},
		{"招大工", "盖房子", []string{"砌筑工"}},
		// 卫生间 is a room, not cleaning work.
		{"卫生间防水", "屋面卫生间都做", []string{"防水工"}},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, jobDocOf(tt.title, tt.desc).concepts.names()); diff != "" {
				t.Errorf("skills of %q / %q (-want +got):\n%s", tt.title, tt.desc, diff)
			}
		})
	}
}
