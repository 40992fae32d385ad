package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/store"
)

// LINGONG_DEMO=1 is a month of a real market, lived through the use cases: registrations over weeks,
// gigs at every station, applications, signed contracts, work lines and weigh tickets, payments, a
// dispute still open, arrears alerts. Every contract verifies as the product verifies it, and the
// console's settlement pages and dashboard are full; the dashboard is looked at in Chromium.
func TestDemoIsAMonthOfARealMarket(t *testing.T) {
	if raceEnabled {
		// A month lived through the use cases takes minutes under the race detector; .ci/run runs this
		// test again without it.
		t.Skip("the demo month runs without the race detector (.ci/run runs it so)")
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServer(t, map[string]string{"LINGONG_DATA_DIR": dir, "LINGONG_DEMO": "1", "LINGONG_ADDR": addr,
		"LINGONG_ADMIN_PASSWORD": adminPassword, "LINGONG_SECRET_KEY": "demo-test-secret-key-0123456789abcdef"})
	db := openSQLite(t, filepath.Join(dir, "lingong.db"))
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	var first, last string
	db.QueryRow(`SELECT min(created_at), max(created_at) FROM workers`).Scan(&first, &last)
	t0, _ := time.Parse("2006-01-02", first[:10])
	t1, _ := time.Parse("2006-01-02", last[:10])
	if span := t1.Sub(t0); span < 21*24*time.Hour {
		t.Errorf("registrations span %s to %s (%s); want at least 3 weeks", first, last, span)
	}
	weeks := count(`SELECT count(DISTINCT strftime('%W', created_at)) FROM workers`)
	figures := map[string]int{
		"workers":                     count(`SELECT count(*) FROM workers`),
		"registration weeks":          weeks,
		"stations":                    count(`SELECT count(*) FROM stations`),
		"stations with gigs":          count(`SELECT count(DISTINCT station_id) FROM jobs`),
		"stations with contracts":     count(`SELECT count(DISTINCT station_id) FROM contracts`),
		"open gigs":                   count(`SELECT count(*) FROM jobs WHERE status = 'open'`),
		"ended gigs":                  count(`SELECT count(*) FROM jobs WHERE status = 'expired'`),
		"gigs waiting for review":     count(`SELECT count(*) FROM jobs WHERE status = 'pending_review'`),
		"applications":                count(`SELECT count(*) FROM applications`),
		"active contracts":            count(`SELECT count(*) FROM contracts WHERE status = 'active'`),
		"unsigned contracts":          count(`SELECT count(*) FROM contracts WHERE status = 'draft'`),
		"work lines":                  count(`SELECT count(*) FROM ledger_entries WHERE kind = 'work'`),
		"weigh tickets":               count(`SELECT count(*) FROM ledger_entries WHERE kind = 'work' AND unit = 'piece'`),
		"payments":                    count(`SELECT count(*) FROM ledger_entries WHERE kind = 'payment'`),
		"corrections":                 count(`SELECT count(*) FROM ledger_entries WHERE kind = 'correction'`),
		"open arrears alerts":         count(`SELECT count(*) FROM arrears_alerts WHERE cleared_at IS NULL`),
		"days with ledger lines":      count(`SELECT count(DISTINCT work_date) FROM ledger_entries`),
		"employers":                   count(`SELECT count(*) FROM employers`),
		"walk-ins":                    count(`SELECT count(*) FROM walkin_signins`),
		"lines recorded before today": count(`SELECT count(*) FROM ledger_entries WHERE work_date < '` + time.Now().Add(8*time.Hour).UTC().Format("2006-01-02") + `'`),
	}
	t.Logf("demo month: %v", figures)
	for _, want := range []struct {
		what string
		min  int
	}{{"workers", 300}, {"registration weeks", 4}, {"stations with gigs", figures["stations"]}, {"stations with contracts", figures["stations"]},
		{"open gigs", 30}, {"ended gigs", 30}, {"gigs waiting for review", 1}, {"applications", 200}, {"active contracts", 100},
		{"unsigned contracts", 1}, {"work lines", 500}, {"weigh tickets", 10}, {"payments", 300}, {"corrections", 2},
		{"open arrears alerts", 1}, {"days with ledger lines", 25}, {"employers", 30}, {"walk-ins", 100}} {
		if figures[want.what] < want.min {
			t.Errorf("%s: %d, want at least %d", want.what, figures[want.what], want.min)
		}
	}

	// Nothing the product could not have made: every contract verifies (terms, signatures, audit).
	s, err := store.Open(context.Background(), store.Options{DatabaseURL: "sqlite://" + filepath.Join(dir, "lingong.db"),
		Key: []byte("demo-test-secret-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := db.Query(`SELECT number FROM contracts`)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		numbers = append(numbers, n)
	}
	rows.Close()
	for _, n := range numbers {
		if v, err := s.VerifyContract(context.Background(), n); err != nil || !v.Intact {
			t.Errorf("contract %s does not verify: %v %v", n, v.Problems, err)
		}
	}
	if check, err := s.CheckCopy(context.Background()); err != nil || len(check.Problems) > 0 {
		t.Errorf("the demo database does not pass the restore check: %v %v", check.Problems, err)
	}

	// The console's pages are full.
	browser := cookieClient()
	consoleLogin(t, browser, srv.URL, "admin", adminPassword)
	for _, c := range []struct{ path, row string }{
		{"/console/ledger", `id="contract-`}, {"/console/disputes", `id="dispute-`}, {"/console/arrears", `id="alert-`},
		{"/console/gigs", `/console/gigs/`}, {"/console/workers", `/console/workers/`},
	} {
		if page := getPage(t, browser, srv.URL+c.path); !strings.Contains(page, c.row) {
			t.Errorf("%s lists nothing (no %s)", c.path, c.row)
		}
	}
	dash := getPage(t, browser, srv.URL+"/console/dashboard")
	for _, kpi := range []string{"kpi-registrations", "kpi-contracts", "kpi-earned", "kpi-paid", "kpi-outstanding"} {
		m := regexp.MustCompile(`id="` + kpi + `">([0-9.,]+)<`).FindStringSubmatch(dash)
		if m == nil {
			t.Errorf("dashboard: no %s", kpi)
			continue
		}
		if v, _ := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64); v <= 0 {
			t.Errorf("dashboard: %s is %s", kpi, m[1])
		}
	}

	// Looked at in Chromium, as the admin sees it at a station PC.
	t.Run("in Chromium", func(t *testing.T) {
		ctx := newDesktopChromium(t)
		p := page{t: t, ctx: ctx}
		p.do("open the console", chromedp.Navigate(srv.URL+"/console"), chromedp.WaitVisible(chromedp.ID("username")))
		p.submit("admin logs in", "#counts", chromedp.SendKeys(chromedp.ID("username"), "admin"),
			chromedp.SendKeys(chromedp.ID("password"), adminPassword), chromedp.Submit(chromedp.ID("password")))
		shot(t, ctx, "demo-today")
		p.do("the dashboard", chromedp.Navigate(srv.URL+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("kpis")))
		if got := p.text("#kpi-contracts"); got == "0" {
			t.Errorf("the dashboard in Chromium shows %s signed contracts", got)
		}
		p.fitsTheScreen("the demo dashboard")
		shot(t, ctx, "demo-dashboard")
		p.do("the arrears", chromedp.Navigate(srv.URL+"/console/arrears"), chromedp.WaitVisible(chromedp.CSS("main")))
		shot(t, ctx, "demo-arrears")
	})
}
