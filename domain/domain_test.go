package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFormatYuanNeverLosesAFen(t *testing.T) {
	cases := map[int64]string{0: "0", 15000: "150", 15050: "150.50", 15005: "150.05", -300: "-3", 1: "0.01", -1: "-0.01"}
	for fen, want := range cases {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %q, want %q", fen, got, want)
		}
	}
	if got := FormatWage(15000, PerDay); got != "150 元/天" {
		t.Errorf("FormatWage = %q", got)
	}
}

func TestDates(t *testing.T) {
	if _, err := ParseDate("start_date", "2026-02-30"); err == nil {
		t.Error("Feb 30 accepted")
	}
	if _, err := ParseDate("start_date", "2026-5-1"); err == nil {
		t.Error("unpadded date accepted")
	}
	d, err := ParseDate("start_date", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if d.AddDays(1) != "2027-01-01" || d.AddDays(-365) != "2025-12-31" {
		t.Errorf("AddDays: %s %s", d.AddDays(1), d.AddDays(-365))
	}
	if Date("2026-01-01").DaysUntil("2026-03-01") != 59 {
		t.Errorf("DaysUntil = %d", Date("2026-01-01").DaysUntil("2026-03-01"))
	}
	// 23:30 UTC on the 28th is already the 29th in Zhongwei.
	c := Clock(func() time.Time { return time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC) })
	if c.Today() != "2026-11-29" {
		t.Errorf("Today = %s", c.Today())
	}
}

func TestTaxonomy(t *testing.T) {
	if len(Skills) < 140 {
		t.Errorf("only %d skills", len(Skills))
	}
	for _, s := range Skills {
		if !contains(SkillCategories, s.Category) {
			t.Errorf("%s has unknown category %s", s.Name, s.Category)
		}
		for _, c := range s.Certs {
			if !IsCertificate(c) {
				t.Errorf("%s needs unknown certificate %s", s.Name, c)
			}
		}
		for _, r := range s.Related {
			if _, ok := SkillByName(r); !ok || r == s.Name {
				t.Errorf("%s is related to %q, which is no other trade", s.Name, r)
			}
		}
	}
	for _, c := range Certificates {
		for _, i := range c.Implies {
			if !IsCertificate(i) || i == c.Name {
				t.Errorf("%s implies %q, which is no other certificate", c.Name, i)
			}
		}
	}
	if len(Certificates) > 31 {
		t.Errorf("%d certificates: the engine keeps at most 31", len(Certificates))
	}
	for _, pair := range [][2]string{{"装卸", "搬运"}, {"装车", "搬运"}, {"打扫", "保洁"}, {"清洁", "保洁"}, {"摘枸杞", "枸杞采摘"},
		{"力工", "建筑小工"}, {"杂工", "建筑小工"}, {"瓦工", "砌筑工"}, {"焊工", "电焊工"}, {"叉车", "叉车司机"}, {"家政", "住家保姆"},
		{"铲车", "装载机司机"}, {"农场杂工", "农活帮工"}} {
		if got, _, _ := ExactVocabulary.ResolveSkill(pair[0]); got != pair[1] {
			t.Errorf("synonym %s -> %q, want %s", pair[0], got, pair[1])
		}
	}
}

// Any skill or certificate a person types is accepted: a trade or licence of the taxonomy under its
// canonical name (synonyms and slang included), anything else as a free tag kept as typed. Only empty or
// absurd entries are refused, and the error lists every one of them.
func TestOpenVocabulary(t *testing.T) {
	got, res, err := NormalizeSkillsWith(ExactVocabulary, "skills", []string{"瓦工", " 焊工 ", "叉车", "家政", "羊毛剪毛", "瓦工", "砌筑工"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"住家保姆", "叉车司机", "电焊工", "砌筑工", "羊毛剪毛"}; !equal(got, want) {
		t.Errorf("skills = %q, want %q", got, want)
	}
	if res[0].Tag != "砌筑工" || !res[0].Known || res[0].Via != ViaSynonym || !res[0].Change {
		t.Errorf("resolution of 瓦工 = %+v", res[0])
	}
	if res[4].Tag != "羊毛剪毛" || res[4].Known {
		t.Errorf("resolution of the free tag = %+v", res[4])
	}
	certs, err := NormalizeCerts("certs", []string{"电焊证", "Ｃ１", "特种设备安全管理证"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"C1驾照", "焊工证", "特种设备安全管理证"}; !equal(certs, want) {
		t.Errorf("certs = %q, want %q", certs, want)
	}
	_, err = NormalizeSkills("skills", []string{"搬运", "", "！！", "138 1234 5678", "www.example.com", "一二三四五六七八九十一二三四五六七八九十一"}, 10)
	e := AsError(err)
	if e == nil || e.Field != "skills" {
		t.Fatalf("absurd entries accepted: %v", err)
	}
	for _, want := range []string{"第 2 项是空的", "第 3 项", "第 4 项", "手机号", "第 5 项", "网址", "第 6 项", "太长"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not say %q", e.Message, want)
		}
	}
	if strings.Contains(e.Message, "第 1 项") {
		t.Errorf("message %q refuses the good entry", e.Message)
	}
}

func equal(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestPlaces(t *testing.T) {
	lat, lng, err := ValidatePlace("district", "town", "中宁县", "宁安镇")
	if err != nil || lat == 0 || lng == 0 {
		t.Fatal(lat, lng, err)
	}
	if _, _, err := ValidatePlace("district", "town", "中宁县", "海城镇"); err == nil || AsError(err).Field != "town" {
		t.Error("town of another district accepted")
	}
	if _, _, err := ValidatePlace("district", "town", "银川市", ""); err == nil || AsError(err).Field != "district" {
		t.Error("district outside Zhongwei accepted")
	}
	// Zhongwei city (滨河镇) to Haiyuan county seat (海城镇) is about 110 km as the crow flies.
	a, _ := FindTown("沙坡头区", "滨河镇")
	b, _ := FindTown("海原县", "海城镇")
	if d := DistanceKm(a.Lat, a.Lng, b.Lat, b.Lng); d < 95 || d > 125 {
		t.Errorf("滨河镇–海城镇 = %.1f km", d)
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", Invalid("phone", "手机号应为 11 位数字"))
	if ErrorCode(err) != CodeInvalid || AsError(err).Field != "phone" {
		t.Errorf("code %v", ErrorCode(err))
	}
	if ErrorCode(errors.New("boom")) != CodeInternal || AsError(errors.New("boom")).Message == "boom" {
		t.Error("plain errors must become internal with a safe message")
	}
}

// The listing of GET /api/v1/skills holds every trade once, under its category, and the certificates.
func TestTaxonomyListing(t *testing.T) {
	l := Taxonomy()
	n := 0
	for _, c := range l.Categories {
		n += len(c.Skills)
		if len(c.Skills) == 0 {
			t.Errorf("category %s has no trade", c.Name)
		}
	}
	if n != len(Skills) || len(l.Skills) != len(Skills) || len(l.Certificates) != len(Certificates) || l.Sources == "" {
		t.Errorf("listing: %d trades by category, %d trades, %d certificates, sources %q", n, len(l.Skills), len(l.Certificates), l.Sources)
	}
	b, _ := CertificateByName("B2驾照")
	if !equal(b.Implies, []string{"C1驾照"}) {
		t.Errorf("B2驾照 implies %q", b.Implies)
	}
}
