package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
	"lingong/matching"
	"lingong/test/testtool"
)

// TestLibraryUnderLoad holds GET /api/v1/jobs?q=… at 2,000 requests per second against the real server
// (run, on 127.0.0.1) with 100,000 open gigs in its index (LINGONG_LOADTEST_GIGS to change), using wrk
// from Debian, and requires p99 under 20 ms with no error. It is a load test, so the default test run
// skips it:
//
//	LINGONG_LOADTEST=1 go test ./cmd/lingong -run LibraryUnderLoad -v       # 30 s, the figure for the README
//	LINGONG_LOADTEST=short go test ./cmd/lingong -run LibraryUnderLoad -v   # 5 s, the CI-sized version
//
// Under CI=true the short version runs without being asked, and like every plain run it checks only
// that every request succeeded and logs the figures: CI's cores may be busy with other work. The rate and
// p99 are checked when LINGONG_LOADTEST is set, and not under the race detector (several times slower).
func TestLibraryUnderLoad(t *testing.T) {
	if raceEnabled {
		// It starts on the demo month, which takes minutes under the race detector; .ci/run runs this
		// test again without it.
		t.Skip("the library load test runs without the race detector (.ci/run runs it so)")
	}
	mode := os.Getenv("LINGONG_LOADTEST")
	if mode == "" && testtool.InCI() {
		mode = "short"
	}
	if mode == "" {
		t.Skip("load test: set LINGONG_LOADTEST=1 (30 s) or LINGONG_LOADTEST=short (5 s)")
	}
	wrk := testtool.Require(t, "wrk")
	duration := 30 * time.Second
	if mode == "short" {
		duration = 5 * time.Second
	}
	jobs := 100_000 // the library's benchmark scale: ten times a busy season's open gigs in the city
	if raceEnabled {
		jobs = 2_000 // the race detector makes the bulk insert slow, and the figures are not checked
	}
	if v := os.Getenv("LINGONG_LOADTEST_GIGS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("LINGONG_LOADTEST_GIGS=%q is not a count", v)
		}
		jobs = n
	}

	// A server with the demo market, then the open gigs written straight into its database
	// (through the store they would take minutes of audited transactions), then a restart: the index
	// is built from all of them, as at any start.
	dir := t.TempDir()
	env := map[string]string{"LINGONG_DATA_DIR": dir, "LINGONG_DEMO": "1"}
	first := startServer(t, env)
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	bulkInsertJobs(t, filepath.Join(dir, "lingong.db"), jobs)
	t.Logf("inserted %d gigs in %v", jobs, time.Since(start).Round(time.Millisecond))
	srv, indexed := startLeanServer(t, env)
	if indexed < jobs {
		t.Fatalf("index built from %d gigs, want at least %d", indexed, jobs)
	}

	// The queries people type: the engine's benchmark pairs (two keywords and a district) and single
	// words, some in full width, some with filters and pages.
	var paths []string
	for _, q := range matching.BenchQueries() {
		paths = append(paths, "/api/v1/jobs?q="+url.QueryEscape(q.Q)+"&district="+url.QueryEscape(q.District))
	}
	for _, q := range []string{"摘果", "枸杞", "日结", "中宁", "20名", "２０名", "装卸", "保洁", "小工", "司机"} {
		paths = append(paths, "/api/v1/jobs?q="+url.QueryEscape(q))
	}
	paths = append(paths, "/api/v1/jobs?q="+url.QueryEscape("日结")+"&page=2", "/api/v1/jobs?skill="+url.QueryEscape("搬运")+"&per_page=50")
	var check struct{ Total int }
	for _, p := range paths {
		if code := getJSON(t, srv.URL+p, &check); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}

	// wrk drives closed loops; each connection waits delay() ms between requests, which holds the
	// offered rate near connections × 1000 / (delay + latency): 80 × 1000 / 36 ≈ 2,220 requests/s at most.
	const connections, delayMs = 80, 36
	script := filepath.Join(t.TempDir(), "library.lua")
	var lua strings.Builder
	lua.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&lua, "  %q,\n", p)
	}
	fmt.Fprintf(&lua, `}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
delay = function() return %d end
`, delayMs)
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-t2", fmt.Sprintf("-c%d", connections), fmt.Sprintf("-d%ds", int(duration.Seconds())), "--latency", "-s", script, srv.URL}
	t.Logf("wrk %s", strings.Join(args, " "))
	ctx, cancel := context.WithTimeout(context.Background(), duration+time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, wrk, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	t.Logf("wrk output:\n%s", out)
	res := parseWrk(t, string(out))
	t.Logf("library under load: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d requests, %d errors (%d gigs, %d connections, %v)",
		res.rps, res.p50, res.p99, res.requests, res.errors, jobs, connections, duration)
	if res.errors > 0 {
		t.Errorf("%d requests failed or answered non-2xx", res.errors)
	}
	if raceEnabled || !testtool.LoadGoals() {
		t.Logf("rate and latency are not checked (checked in a load run: LINGONG_LOADTEST=1, no race detector)")
		return
	}
	if res.rps < 2000 {
		t.Errorf("%.0f requests/s, want at least 2,000", res.rps)
	}
	if res.p99 >= 20 {
		t.Errorf("p99 %.2f ms, want under 20 ms", res.p99)
	}
}

// startLeanServer is startServer for the load test: the server logs every request as in production, but
// the test keeps none of those lines (startServer's sink parses and keeps every line, which at 2,000
// lines a second would load the very process being measured). It returns the URL and the number of
// gigs the index was built from.
func startLeanServer(t *testing.T, env map[string]string) (*testServer, int) {
	t.Helper()
	base := map[string]string{"LINGONG_ADDR": "127.0.0.1:0", "LINGONG_LOG_FORMAT": "json"}
	for k, v := range env {
		base[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	sink := &leanSink{addr: make(chan string, 1), jobs: make(chan int, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return base[k] }, sink) }()
	var addr string
	var jobs int
	for addr == "" {
		select {
		case addr = <-sink.addr:
		case jobs = <-sink.jobs:
		case err := <-done:
			cancel()
			t.Fatalf("server exited before listening: %v", err)
		case <-time.After(5 * time.Minute):
			cancel()
			t.Fatal("server did not start listening within 5 minutes")
		}
	}
	var once sync.Once
	stop := func() error {
		once.Do(func() {
			cancel()
			<-done
		})
		return nil
	}
	t.Cleanup(func() { stop() })
	return &testServer{URL: "http://" + addr, stop: stop}, jobs
}

// leanSink looks only at the start-up lines it needs; request lines cost one byte search.
type leanSink struct {
	addr chan string
	jobs chan int
}

var (
	listeningLine = regexp.MustCompile(`"msg":"listening".*"addr":"([^"]+)"`)
	indexLine     = regexp.MustCompile(`"msg":"built the matching index".*"gigs":(\d+)`)
)

func (l *leanSink) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"msg":"request"`)) {
		return len(p), nil
	}
	if m := listeningLine.FindSubmatch(p); m != nil {
		l.addr <- string(m[1])
	}
	if m := indexLine.FindSubmatch(p); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		l.jobs <- n
	}
	return len(p), nil
}

type wrkResult struct {
	rps, p50, p99    float64 // requests/s, milliseconds
	requests, errors int
}

var (
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkLatency  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`(\d+) requests in`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func parseWrk(t *testing.T, out string) wrkResult {
	t.Helper()
	var r wrkResult
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no Requests/sec in wrk output")
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, m := range wrkLatency.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if m[1] == "50" {
			r.p50 = v
		} else {
			r.p99 = v
		}
	}
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.errors += n
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	return r
}

// bulkInsertJobs writes n open gigs (the matching engine's benchmark corpus, dated from today) into a
// stopped server's SQLite database in one transaction, spread over the demo employers and the stations.
func bulkInsertJobs(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	employers, stations := demoEmployersAndStations(t, db)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	insJob, err := tx.Prepare(`INSERT INTO jobs (employer_id, station_id, title, description, headcount, filled, wage_fen, wage_unit,
		expected_hours, settlement, district, town, address, lat, lng, start_date, end_date, shifts, daily_hours, contact, status,
		approved_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, '', 'open', ?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	insSkill, _ := tx.Prepare("INSERT INTO job_skills (job_id, skill) VALUES (?, ?)")
	insCert, _ := tx.Prepare("INSERT INTO job_certs (job_id, cert) VALUES (?, ?)")
	for _, j := range matching.GenerateJobs(n, 20260601, domain.DateOf(time.Now())) {
		res, err := insJob.Exec(employers[j.ID%int64(len(employers))], stations[j.District], j.Title, j.Description, j.Headcount,
			j.Filled, j.WageFen, string(j.WageUnit), j.ExpectedHours, string(j.Settlement), j.District, j.Town, j.Address, j.Lat, j.Lng,
			string(j.StartDate), string(j.EndDate), j.DailyHours, j.CreatedAt, j.CreatedAt, j.CreatedAt)
		if err != nil {
			t.Fatalf("insert gig %d: %v", j.ID, err)
		}
		id, _ := res.LastInsertId()
		for _, s := range j.Skills {
			if _, err := insSkill.Exec(id, s); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range j.RequiredCerts {
			if _, err := insCert.Exec(id, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var open int
	db.QueryRow("SELECT count(*) FROM jobs WHERE status = 'open'").Scan(&open)
	if open < n {
		t.Fatalf("%d open gigs after the bulk insert", open)
	}
}

// demoEmployersAndStations reads the demo market's employers and, per district, its first station: what
// the bulk loaders of the load tests spread their generated gigs over.
func demoEmployersAndStations(t *testing.T, db *sql.DB) ([]int64, map[string]int64) {
	t.Helper()
	var employers []int64
	rows, err := db.Query("SELECT id FROM employers ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		employers = append(employers, id)
	}
	rows.Close()
	stations := map[string]int64{}
	rows, _ = db.Query("SELECT id, district FROM stations ORDER BY id")
	for rows.Next() {
		var id int64
		var district string
		rows.Scan(&id, &district)
		if _, ok := stations[district]; !ok {
			stations[district] = id
		}
	}
	rows.Close()
	if len(employers) == 0 || len(stations) != 3 {
		t.Fatalf("demo data missing: %d employers, %d districts", len(employers), len(stations))
	}
	return employers, stations
}
