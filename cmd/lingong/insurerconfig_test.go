package main

import (
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// The roster's configuration: the default directory under the data dir, the HTTP driver needs its key,
// a bad cut-off names the variable; the schedule sends the next day's roster from an hour before the cut-off.
func TestInsurerConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	c, err := loadInsurerConfig(env(), "/var/lib/lingong")
	if err != nil || c.Driver != "dir" || c.Dir != "/var/lib/lingong/rosters" || c.Cutoff != 7*time.Hour+30*time.Minute {
		t.Fatalf("default: %+v %v", c, err)
	}
	if _, err := loadInsurerConfig(env("LINGONG_INSURER", "https://insurer.example/rosters"), "d"); err == nil || !strings.Contains(err.Error(), "LINGONG_INSURER_KEY") {
		t.Errorf("HTTP without a key: %v", err)
	}
	c, err = loadInsurerConfig(env("LINGONG_INSURER", "https://insurer.example/rosters", "LINGONG_INSURER_KEY", "zw:0123456789abcdef", "LINGONG_ROSTER_CUTOFF", "06:45"), "d")
	if err != nil || c.Driver != "http" || c.KeyID != "zw" || c.Cutoff != 6*time.Hour+45*time.Minute {
		t.Fatalf("http: %+v %v", c, err)
	}
	if _, err := loadInsurerConfig(env("LINGONG_ROSTER_CUTOFF", "7.30"), "d"); err == nil || !strings.Contains(err.Error(), "LINGONG_ROSTER_CUTOFF") {
		t.Errorf("bad cut-off: %v", err)
	}
	day := domain.Date("2026-05-10")
	at := func(h, m int) time.Time {
		return day.Start().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	c, _ = loadInsurerConfig(env(), "d")
	if got := c.rosterDays(at(5, 0)); len(got) != 1 || got[0] != day {
		t.Errorf("05:00: %v", got)
	}
	if got := c.rosterDays(at(6, 40)); len(got) != 2 || got[1] != "2026-05-11" {
		t.Errorf("06:40: %v", got)
	}
}

// The day-before cover SMS goes out from 17:00 to before 21:00 Beijing time, whatever the server's zone.
func TestCoverWarningsOnlyInTheEvening(t *testing.T) {
	day := domain.Date("2026-05-10").Start() // 00:00 in 中卫
	for _, c := range []struct {
		at   time.Duration
		want bool
	}{{16*time.Hour + 59*time.Minute, false}, {17 * time.Hour, true}, {20*time.Hour + 59*time.Minute, true}, {21 * time.Hour, false}, {3 * time.Hour, false}} {
		if got := coverWarnDue(day.Add(c.at).UTC()); got != c.want {
			t.Errorf("at %v after midnight: %v, want %v", c.at, got, c.want)
		}
	}
}
