package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"lingong/domain"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // "sqlite" driver, to inspect the file after a kill

	"lingong/store/storetest"
)

// logSink collects the JSON log lines a server writes, and tells when it is listening.
type logSink struct {
	mu    sync.Mutex
	lines []map[string]any
	raw   []string
	addr  chan string
	buf   strings.Builder
}

func newLogSink() *logSink { return &logSink{addr: make(chan string, 1)} }

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for {
		s := l.buf.String()
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			break
		}
		line := s[:i]
		l.buf.Reset()
		l.buf.WriteString(s[i+1:])
		l.raw = append(l.raw, line)
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			l.lines = append(l.lines, m)
			if m["msg"] == "listening" {
				select {
				case l.addr <- m["addr"].(string):
				default:
				}
			}
		}
	}
	return len(p), nil
}

// messages returns the msg of every line so far.
func (l *logSink) find(msg string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, m := range l.lines {
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// testServer is a running `lingong serve`.
type testServer struct {
	URL  string
	Logs *logSink
	stop func() error
}

// startServer runs the real service (run) on 127.0.0.1:0 with the given environment on top of a
// minimal one, and stops it when the test ends.
func startServer(t *testing.T, env map[string]string) *testServer {
	t.Helper()
	base := map[string]string{
		"LINGONG_ADDR":       "127.0.0.1:0",
		"LINGONG_LOG_FORMAT": "json",
		"LINGONG_DATA_DIR":   t.TempDir(),
	}
	for k, v := range env {
		base[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := newLogSink()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return base[k] }, logs) }()
	var addr string
	select {
	case addr = <-logs.addr:
	case err := <-done:
		cancel()
		t.Fatalf("server exited before listening: %v", err)
	case <-time.After(120 * time.Second):
		cancel()
		t.Fatal("server did not start listening within 120 s (the demo month loads first)")
	}
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(30 * time.Second):
				stopErr = context.DeadlineExceeded
			}
		})
		return stopErr
	}
	t.Cleanup(func() {
		stop()
		logs.assertNoPersonalData(t)
	})
	return &testServer{URL: "http://" + addr, Logs: logs, stop: stop}
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: not JSON (%v): %s", url, err, body)
		}
	}
	return resp.StatusCode
}

type stationList struct {
	Items []struct {
		Code     string  `json:"code"`
		Kind     string  `json:"kind"`
		District string  `json:"district"`
		Lat      float64 `json:"lat"`
		Lng      float64 `json:"lng"`
	} `json:"items"`
	Total int `json:"total"`
}

// The newcomer's path: start with no configuration but a data dir, and the real service answers with
// Zhongwei's stations; a second start on the same data changes nothing; shutdown is clean.
func TestServeStartsMigratesSeedsAndRestartsCleanly(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			if code := getJSON(t, srv.URL+"/healthz", nil); code != 200 {
				t.Errorf("/healthz = %d", code)
			}
			if code := getJSON(t, srv.URL+"/readyz", nil); code != 200 {
				t.Errorf("/readyz = %d", code)
			}
			var list stationList
			if code := getJSON(t, srv.URL+"/api/v1/stations", &list); code != 200 {
				t.Fatalf("/api/v1/stations = %d", code)
			}
			kinds, districts := map[string]int{}, map[string]bool{}
			for _, s := range list.Items {
				kinds[s.Kind]++
				districts[s.District] = true
				if s.Lat == 0 || s.Lng == 0 {
					t.Errorf("station %s has no coordinates", s.Code)
				}
			}
			if list.Total != 25 || kinds["market"] != 5 || kinds["station"] != 20 || len(districts) != 3 {
				t.Errorf("stations: total %d, kinds %v, districts %v; want 25 = 5 markets + 20 stations in 3 districts", list.Total, kinds, districts)
			}
			if len(srv.Logs.find("created the admin account with a random password: log in as admin and change it")) != 1 {
				t.Error("first start did not log the generated admin password exactly once")
			}
			resp, err := http.Get(srv.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			metrics, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, want := range []string{`lingong_http_requests_total{method="GET",route="/api/v1/stations",status="200"} 1`, "lingong_db_connections_open"} {
				if !strings.Contains(string(metrics), want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			if err := srv.stop(); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
			if len(srv.Logs.find("stopped")) != 1 {
				t.Error("server did not log a clean stop")
			}

			// Second start on the same data: no migration, no seeding, no new admin password.
			again := startServer(t, env)
			if len(again.Logs.find("migrated")) != 0 || len(again.Logs.find("seeded")) != 0 ||
				len(again.Logs.find("created the admin account with a random password: log in as admin and change it")) != 0 {
				t.Error("second start migrated or seeded again")
			}
			var list2 stationList
			getJSON(t, again.URL+"/api/v1/stations", &list2)
			if list2.Total != 25 {
				t.Errorf("after restart: %d stations", list2.Total)
			}
		})
	}
}

func TestBadConfigurationFailsFastNamingTheVariable(t *testing.T) {
	cases := []struct {
		name, key, value, wantInError string
	}{
		{"malformed database url", "DATABASE_URL", "mysql://x", "DATABASE_URL"},
		{"postgres url without database", "DATABASE_URL", "postgres://postgres@127.0.0.1:5432", "DATABASE_URL"},
		{"postgres url with a bad sslmode", "DATABASE_URL", "postgres://postgres:s3cret-pw@127.0.0.1:5432/test?sslmode=bogus", "DATABASE_URL: is not a valid PostgreSQL URL: failed to configure TLS (sslmode is invalid)"},
		{"postgres url with a bad connect_timeout", "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?connect_timeout=soon", "DATABASE_URL"},
		{"address without port", "LINGONG_ADDR", "localhost", "LINGONG_ADDR"},
		{"address with bad port", "LINGONG_ADDR", ":99999", "LINGONG_ADDR"},
		{"public url not absolute", "LINGONG_PUBLIC_URL", "lingong.example", "LINGONG_PUBLIC_URL"},
		{"short secret key", "LINGONG_SECRET_KEY", "short", "LINGONG_SECRET_KEY"},
		{"demo not a flag", "LINGONG_DEMO", "maybe", "LINGONG_DEMO"},
		{"production without key", "LINGONG_ENV", "production", "LINGONG_SECRET_KEY"},
		{"sms interval negative", "LINGONG_OTP_PHONE_INTERVAL", "-1s", "LINGONG_OTP_PHONE_INTERVAL"},
		{"sms per phone not a number", "LINGONG_OTP_PHONE_PER_HOUR", "many", "LINGONG_OTP_PHONE_PER_HOUR"},
		{"sms per IP zero", "LINGONG_OTP_IP_PER_HOUR", "0", "LINGONG_OTP_IP_PER_HOUR"},
		{"trusted proxy not an address", "LINGONG_TRUSTED_PROXIES", "10.0.0.0/33", "LINGONG_TRUSTED_PROXIES"},
		{"push factor not a number", "LINGONG_PUSH_FACTOR", "three", "LINGONG_PUSH_FACTOR"},
		{"push factor too large", "LINGONG_PUSH_FACTOR", "50", "LINGONG_PUSH_FACTOR"},
		{"push cap zero", "LINGONG_PUSH_MAX", "0", "LINGONG_PUSH_MAX"},
		{"push daily limit zero", "LINGONG_PUSH_DAILY_LIMIT", "0", "LINGONG_PUSH_DAILY_LIMIT"},
		{"arrears sweep not a duration", "LINGONG_ARREARS_SWEEP_INTERVAL", "often", "LINGONG_ARREARS_SWEEP_INTERVAL"},
		{"arrears grace negative", "LINGONG_ARREARS_GRACE_DAYS", "-1", "LINGONG_ARREARS_GRACE_DAYS"},
		{"arrears hold zero", "LINGONG_ARREARS_BLOCK_DAYS", "0", "LINGONG_ARREARS_BLOCK_DAYS"},
		{"arrears hold not a number", "LINGONG_ARREARS_BLOCK_DAYS", "never", "LINGONG_ARREARS_BLOCK_DAYS"},
		{"clock offset backwards", "LINGONG_DEV_CLOCK_OFFSET", "-24h", "LINGONG_DEV_CLOCK_OFFSET"},
		{"minimum wage missing a district", "LINGONG_MIN_WAGE", "沙坡头区=2050/20,中宁县=2050/20", "LINGONG_MIN_WAGE"},
		{"minimum wage not an amount", "LINGONG_MIN_WAGE", "沙坡头区=两千/20,中宁县=2050/20,海原县=1900/18", "LINGONG_MIN_WAGE"},
		{"sms driver unknown", "LINGONG_SMS_DRIVER", "twilio", "LINGONG_SMS_DRIVER"},
		{"sms provider without keys", "LINGONG_SMS_DRIVER", "aliyun", "LINGONG_SMS_ALIYUN_ACCESS_KEY_ID"},
		{"sms fallback without a provider", "LINGONG_SMS_FALLBACK", "tencent", "LINGONG_SMS_FALLBACK"},
		{"sms template of no kind", "LINGONG_SMS_ALIYUN_TEMPLATES", "free_text=SMS_1", "LINGONG_SMS_ALIYUN_TEMPLATES"},
		{"sms callback token short", "LINGONG_SMS_CALLBACK_TOKEN", "secret", "LINGONG_SMS_CALLBACK_TOKEN"},
		{"sms rate negative", "LINGONG_SMS_RATE", "-1", "LINGONG_SMS_RATE"},
		{"sms reply window too short", "LINGONG_SMS_REPLY_WINDOW", "10s", "LINGONG_SMS_REPLY_WINDOW"},
		{"attendance radius zero", "LINGONG_ATTENDANCE_RADIUS_M", "0", "LINGONG_ATTENDANCE_RADIUS_M"},
		{"attendance offline window zero", "LINGONG_ATTENDANCE_OFFLINE_WINDOW", "0s", "LINGONG_ATTENDANCE_OFFLINE_WINDOW"},
		{"attendance confirm window zero", "LINGONG_ATTENDANCE_CONFIRM_WINDOW", "0s", "LINGONG_ATTENDANCE_CONFIRM_WINDOW"},
		{"no-show grace zero", "LINGONG_NOSHOW_GRACE", "0s", "LINGONG_NOSHOW_GRACE"},
		{"no-show grace of a day", "LINGONG_NOSHOW_GRACE", "24h", "LINGONG_NOSHOW_GRACE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"LINGONG_DATA_DIR": dir, tc.key: tc.value}
			err := run(context.Background(), nil, func(k string) string { return env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantInError) {
				t.Fatalf("run = %v, want an error naming %s", err, tc.wantInError)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("error shows the database password: %q", err)
			}
			// It fails before it opens or creates anything: no database file, no generated key.
			if left, err := os.ReadDir(dir); err != nil || len(left) > 0 {
				t.Errorf("the failed start left %v in the data directory (%v)", left, err)
			}
		})
	}
}

func TestDevelopmentKeyIsGeneratedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir}
	k1, err := cfg.secretKey()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := cfg.secretKey()
	if err != nil {
		t.Fatal(err)
	}
	if string(k1) != string(k2) || len(k1) < 32 {
		t.Errorf("key changed between starts or is short: %q vs %q", k1, k2)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
}

func TestVersionAndMigrateSubcommands(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out); err != nil || !strings.HasPrefix(out.String(), "lingong ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	env := map[string]string{"LINGONG_DATA_DIR": t.TempDir(), "LINGONG_LOG_FORMAT": "json"}
	getenv := func(k string) string { return env[k] }
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "status"}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "00001_schema.sql") || !strings.Contains(out.String(), "pending") {
		t.Errorf("status before migrating: %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "up"}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run(context.Background(), []string{"migrate", "status"}, getenv, &out)
	if strings.Contains(out.String(), "pending") || !strings.Contains(out.String(), "applied") {
		t.Errorf("status after migrating: %q", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, getenv, io.Discard); err == nil {
		t.Error("unknown command accepted")
	}
}

// Kill -9 during start-up migrations, at random moments, then restart: the database is migrated or
// untouched, never half. Each goose migration runs in one transaction with its version row, so this
// holds by construction; the test proves it with the real binary and a real SIGKILL.
func TestKillDuringMigrationLeavesDatabaseWholeOrUntouched(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "lingong")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for i := 0; i < 12; i++ {
		dir := t.TempDir()
		cmd := exec.Command(bin, "migrate")
		cmd.Env = append(os.Environ(), "LINGONG_DATA_DIR="+dir, "DATABASE_URL=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Spread the kills over the first 60 ms, where opening and migrating happen.
		time.Sleep(time.Duration(i*5) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		tables, applied := inspectSQLite(t, filepath.Join(dir, "lingong.db"))
		switch {
		case !applied && tables > 0:
			t.Fatalf("kill %d: %d tables exist but the migration is not recorded: half-migrated", i, tables)
		case applied && tables < 26:
			t.Fatalf("kill %d: migration recorded but only %d tables exist", i, tables)
		}
		// A restart completes the work.
		up := exec.Command(bin, "migrate")
		up.Env = cmd.Env
		if b, err := up.CombinedOutput(); err != nil {
			t.Fatalf("kill %d: migrate after kill failed: %v\n%s", i, err, b)
		}
		if tables, applied := inspectSQLite(t, filepath.Join(dir, "lingong.db")); !applied || tables < 26 {
			t.Fatalf("kill %d: after restart %d tables, applied=%v", i, tables, applied)
		}
	}
}

// inspectSQLite counts our tables (not goose's) and reports whether migration 1 is recorded.
func inspectSQLite(t *testing.T, path string) (tables int, applied bool) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0, false
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`).Scan(&tables); err != nil {
		t.Fatalf("inspect %s: %v", path, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM goose_db_version WHERE version_id = 1 AND is_applied`).Scan(&n); err == nil {
		applied = n == 1
	}
	return tables, applied
}

// SIGTERM (here: cancelling run's context) lets a request that is already in flight finish: the client
// gets its answer, not a reset connection; only then does the server stop and the database close.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	srv := startServer(t, map[string]string{"LINGONG_ADMIN_PASSWORD": "a-long-admin-password"})
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/auth/login", pr)
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		code int
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{0, err}
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got <- result{resp.StatusCode, nil}
	}()
	pw.Write([]byte(`{"username":"admin",`))
	time.Sleep(200 * time.Millisecond) // the request is now in flight
	stopped := make(chan error, 1)
	go func() { stopped <- srv.stop() }()
	time.Sleep(300 * time.Millisecond) // shutdown has begun and is waiting for us
	select {
	case err := <-stopped:
		t.Fatalf("server stopped (%v) while a request was still in flight", err)
	default:
	}
	pw.Write([]byte(`"password":"a-long-admin-password"}`))
	pw.Close()
	r := <-got
	if r.err != nil || r.code != 200 {
		t.Fatalf("in-flight login: %d %v", r.code, r.err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// Personal data never reaches the log (issue 9 item 8): every line every end-to-end server wrote is
// scanned for a resident ID number and a full mobile number (phones are logged masked, 138****8000).
var (
	idInLog    = regexp.MustCompile(`(^|[^0-9A-Za-z])[0-9]{17}[0-9Xx]([^0-9A-Za-z]|$)`)
	phoneInLog = regexp.MustCompile(`(^|[^0-9A-Za-z])1[3-9][0-9]{9}([^0-9A-Za-z]|$)`)
)

func (l *logSink) assertNoPersonalData(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.raw {
		if m := idInLog.FindString(line) + phoneInLog.FindString(line); m != "" {
			t.Errorf("a log line carries personal data (%q): %.300s", m, line)
		}
	}
}

// A provider starts only with a template code for every kind of message: one missing is named.
func TestSMSProviderNeedsEveryTemplate(t *testing.T) {
	var pairs []string
	for _, tp := range domain.SMSTemplates() {
		pairs = append(pairs, string(tp.Kind)+"=SMS_"+string(tp.Kind))
	}
	env := map[string]string{"LINGONG_SMS_DRIVER": "aliyun", "LINGONG_SMS_ALIYUN_ACCESS_KEY_ID": "id", "LINGONG_SMS_ALIYUN_ACCESS_KEY_SECRET": "secret",
		"LINGONG_SMS_ALIYUN_TEMPLATES": strings.Join(pairs, ",")}
	get := func(k string) string { return env[k] }
	c, err := loadSMSConfig(get)
	if err != nil || c.Sender(nil) == nil {
		t.Fatalf("every template given: %v", err)
	}
	env["LINGONG_SMS_ALIYUN_TEMPLATES"] = strings.Join(pairs[1:], ",")
	if _, err := loadSMSConfig(get); err == nil || !strings.Contains(err.Error(), string(domain.SMSTemplates()[0].Kind)) {
		t.Errorf("one missing: %v", err)
	}
}
