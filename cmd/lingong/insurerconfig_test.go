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

// The roster (full resident ID numbers) goes to the insurer only over TLS in production: http:// is
// refused there, https:// accepted; development still allows a plain test insurer.
func TestInsurerOverPlainHTTPIsRefusedInProduction(t *testing.T) {
	for _, c := range []struct {
		env, url string
		ok       bool
	}{{"production", "http://insurer.example.cn/roster", false}, {"production", "https://insurer.example.cn/roster", true},
		{"development", "http://127.0.0.1:9000/roster", true}} {
		env := map[string]string{
			"LINGONG_ENV": c.env, "LINGONG_SECRET_KEY": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			"LINGONG_DATA_DIR": t.TempDir(), "LINGONG_ADMIN_PASSWORD": "a-long-admin-password", "LINGONG_PUBLIC_URL": "https://lingong.example.cn",
			"LINGONG_INSURER": c.url, "LINGONG_INSURER_KEY": "zw:0123456789abcdef0123",
		}
		_, err := loadConfig(func(k string) string { return env[k] })
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), "LINGONG_INSURER")) {
			t.Errorf("%s with %s: %v", c.env, c.url, err)
		}
	}
}
