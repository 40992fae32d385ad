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
		{"不会电焊", []string{}},
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

func TestGigCertificatesFromText(t *testing.T) {
	ix := NewIndex()
	var a analyzer
	tests := []struct {
		name, desc string
		want       []string
	}{
		{"required in words", "需持电工证上岗", []string{"电工证"}},
		{"preferred only", "有电工证者优先", []string{}},
		{"not needed", "不需要电工证", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := job(1, "招工", withDesc(tt.desc))
			g := a.newGigDoc(&ix.dict, &j, false)
			if diff := cmp.Diff(tt.want, g.summary().RequiredCerts); diff != "" {
				t.Errorf("RequiredCerts of %q (-want +got):\n%s", tt.desc, diff)
			}
		})
	}
}
