package domain

import (
	"errors"
	"fmt"
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
	if len(Skills) < 60 {
		t.Errorf("only %d skills", len(Skills))
	}
	seen := map[string]string{}
	for _, s := range Skills {
		if !contains(SkillCategories, s.Category) {
			t.Errorf("%s has unknown category %s", s.Name, s.Category)
		}
		for _, c := range s.Certs {
			if !IsCertificate(c) {
				t.Errorf("%s needs unknown certificate %s", s.Name, c)
			}
		}
		for _, w := range append([]string{s.Name}, s.Synonyms...) {
			if other, dup := seen[w]; dup {
				t.Errorf("%q names both %s and %s", w, other, s.Name)
			}
			seen[w] = s.Name
		}
	}
	for _, pair := range [][2]string{{"装卸", "搬运"}, {"装车", "搬运"}, {"打扫", "保洁"}, {"清洁", "保洁"}, {"摘枸杞", "枸杞采摘"}, {"力工", "建筑小工"}, {"杂工", "建筑小工"}} {
		if seen[pair[0]] != pair[1] {
			t.Errorf("synonym %s -> %q, want %s", pair[0], seen[pair[0]], pair[1])
		}
	}
	if _, err := NormalizeSkills("skills", []string{"搬运", "保洁", "搬运"}, 10); err != nil {
		t.Error(err)
	}
	if _, err := NormalizeSkills("skills", []string{"飞行员"}, 10); err == nil || AsError(err).Field != "skills" {
		t.Error("unknown skill accepted")
	}
}

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
