package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store/storetest"
)

// The embedded database's backup as a station runs it: `lingong backup` while workers register, restored
// into a fresh data folder, gives a consistent database (every registration with its audit event, the
// chain whole); a second copy taken when the writes have stopped restores to the same rows, table by
// table; the daily backup appears by itself and shows on the admin's 今日 page; a damaged or tampered
// copy is refused before anything is replaced.
func TestBackupUnderWriteLoadAndRestore(t *testing.T) {
	live := t.TempDir()
	daily := filepath.Join(t.TempDir(), "daily")
	env := matchEnv(live, "")
	env["LINGONG_BACKUP_DIR"] = daily
	env["LINGONG_OTP_PHONE_PER_HOUR"] = "1000"
	srv := startServer(t, env)
	c := client{t, srv.URL}
	var login struct{ Token string }
	if code, _ := c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword}, &login); code != 200 {
		t.Fatalf("admin login: %d", code)
	}
	runCmd := func(env map[string]string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, &out)
		return out.String(), err
	}

	// Writers: registrations through the API, as long as the backup runs.
	var registered atomic.Int64
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for g := range 4 {
		writers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if registerQuietly(srv.URL, login.Token, fmt.Sprintf("1370%d%06d", g, i)) {
					registered.Add(1)
				}
			}
		})
	}
	for deadline := time.Now().Add(30 * time.Second); registered.Load() < 20; {
		if time.Now().After(deadline) {
			close(stop)
			writers.Wait()
			t.Fatalf("only %d registrations in 30 s; the last answer: %s", registered.Load(), lastRegisterProblem.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	backups := t.TempDir()
	out, err := runCmd(env, "backup", backups)
	before := registered.Load()
	time.Sleep(300 * time.Millisecond) // the writers go on after the copy
	close(stop)
	writers.Wait()
	if err != nil {
		t.Fatalf("backup under load: %v\n%s", err, out)
	}
	t.Logf("%s(registrations: %d before the backup finished, %d in all)", out, before, registered.Load())
	underLoad := backupFile(t, out)

	fresh := t.TempDir()
	freshEnv := matchEnv(fresh, "")
	if out, err := runCmd(freshEnv, "restore", underLoad); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	restored := openSQLite(t, filepath.Join(fresh, "lingong.db"))
	source := openSQLite(t, filepath.Join(live, "lingong.db"))
	var workers, events int
	restored.QueryRow(`SELECT COUNT(*) FROM workers`).Scan(&workers)
	restored.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'worker.register'`).Scan(&events)
	if workers < 20 || workers != events {
		t.Errorf("the copy taken under load has %d workers and %d registration events; want ≥ 20 and equal", workers, events)
	}
	for _, table := range []string{"workers", "audit_events"} {
		got, all := tableRows(t, restored, table), tableRows(t, source, table)
		if len(got) > len(all) || strings.Join(got, "\n") != strings.Join(all[:len(got)], "\n") {
			t.Errorf("%s: the copy's %d rows are not the first rows of the live database's %d", table, len(got), len(all))
		}
	}

	// Quiet now: a copy restored into another fresh folder has every table's rows exactly.
	out, err = runCmd(env, "backup", backups)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	quiet := backupFile(t, out)
	fresh2 := t.TempDir()
	if out, err := runCmd(matchEnv(fresh2, ""), "restore", quiet); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	restored2 := openSQLite(t, filepath.Join(fresh2, "lingong.db"))
	tables := tableNames(t, source)
	if len(tables) < 20 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	compared := 0
	for _, table := range tables {
		got, want := tableRows(t, restored2, table), tableRows(t, source, table)
		if table == "backup_runs" || table == "sqlite_sequence" {
			// The live database records each backup after its copy was taken.
			continue
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("table %s: restored %d rows differ from the live database's %d", table, len(got), len(want))
		}
		compared += len(want)
	}
	t.Logf("compared %d tables, %d rows, row for row", len(tables)-2, compared)
	// The restored folder runs: the admin logs in there.
	srv2 := startServer(t, matchEnv(fresh2, ""))
	if code, _ := (client{t, srv2.URL}).do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword}, nil); code != 200 {
		t.Errorf("admin login on the restored database: %d", code)
	}

	// The daily backup came by itself, with the week's copy, and the admin's 今日 page says so.
	day := time.Now().In(domain.Shanghai)
	year, week := day.ISOWeek()
	for _, name := range []string{"lingong-daily-" + day.Format("2006-01-02") + ".db", fmt.Sprintf("lingong-weekly-%04d-W%02d.db", year, week)} {
		if _, err := os.Stat(filepath.Join(daily, name)); err != nil {
			t.Errorf("daily backup: %v", err)
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(daily, "*.partial*")); len(leftovers) > 0 {
		t.Errorf("temporary files left in the backup folder: %v", leftovers)
	}
	browser := cookieClient()
	consoleLogin(t, browser, srv.URL, "admin", adminPassword)
	page := getPage(t, browser, srv.URL+"/console")
	if !regexp.MustCompile(`id="backup-ok">最近一次成功备份：\d{4}-\d\d-\d\d \d\d:\d\d`).MatchString(page) || !strings.Contains(page, daily) {
		t.Errorf("the admin's 今日 page does not show the last backup:\n%s", section(page, `id="backup"`))
	}

	// Refused copies: the current database stays byte for byte.
	target := filepath.Join(fresh2, "lingong.db")
	restored2.Close()
	sum := fileSum(t, target)
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	raw, _ := os.ReadFile(quiet)
	for i := len(raw) / 2; i < len(raw)/2+8192 && i < len(raw); i++ {
		raw[i] = 0x5a
	}
	os.WriteFile(damaged, raw, 0o600)
	tampered := filepath.Join(t.TempDir(), "tampered.db")
	raw, _ = os.ReadFile(quiet)
	os.WriteFile(tampered, raw, 0o600)
	tdb := openSQLite(t, tampered)
	if _, err := tdb.Exec(`UPDATE audit_events SET ip = '10.0.0.9' WHERE id = (SELECT MAX(id) FROM audit_events WHERE action = 'worker.register')`); err != nil {
		t.Fatal(err)
	}
	tdb.Close()
	for _, tc := range []struct{ name, file, want string }{
		{"damaged", damaged, "not a sound copy"},
		{"tampered", tampered, "审计记录"},
		{"missing", filepath.Join(t.TempDir(), "none.db"), "is not a backup file"},
	} {
		out, err := runCmd(matchEnv(fresh2, ""), "restore", tc.file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("restore of a %s copy: err %v, out %q; want a refusal saying %q", tc.name, err, out, tc.want)
		} else {
			t.Logf("%s copy refused: %v", tc.name, err)
		}
		if fileSum(t, target) != sum {
			t.Errorf("a refused %s copy changed the database", tc.name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(fresh2, "*.restoring*")); len(left) > 0 {
		t.Errorf("a refused restore left %v", left)
	}
}

// On PostgreSQL `lingong backup` and `lingong restore` say that the database's own tools do it, and the
// daily backup cannot be configured.
func TestBackupOnPostgresSaysUsePgDump(t *testing.T) {
	pg := storetest.PostgresURL(t)
	if pg == "" {
		return
	}
	env := map[string]string{"DATABASE_URL": pg, "LINGONG_DATA_DIR": t.TempDir()}
	for _, args := range [][]string{{"backup", t.TempDir()}, {"restore", "/dev/null"}} {
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, &out)
		if err == nil || !strings.Contains(err.Error(), "pg_") || !strings.Contains(err.Error(), "docs/operations.md") {
			t.Errorf("lingong %s on PostgreSQL: %v; want a refusal pointing to pg_dump / pg_restore and docs/operations.md", args[0], err)
		}
	}
	env["LINGONG_BACKUP_DIR"] = t.TempDir()
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "LINGONG_BACKUP_DIR") {
		t.Errorf("LINGONG_BACKUP_DIR with PostgreSQL: %v; want a configuration error naming it", err)
	}
}

// Rotation keeps the newest 7 daily and 4 weekly copies, and the operator's own copies.
func TestBackupRotationKeepsSevenDailyFourWeekly(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, domain.Shanghai)
	for d := range 20 {
		day := start.AddDate(0, 0, d)
		os.WriteFile(filepath.Join(dir, "lingong-daily-"+day.Format("2006-01-02")+".db"), nil, 0o600)
		y, w := day.ISOWeek()
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("lingong-weekly-%04d-W%02d.db", y, w)), nil, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "lingong-20261101-020000.db"), nil, 0o600)
	if err := rotateBackups(dir); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	var got []string
	for _, n := range names {
		got = append(got, filepath.Base(n))
	}
	want := []string{"lingong-20261101-020000.db",
		"lingong-daily-2026-11-14.db", "lingong-daily-2026-11-15.db", "lingong-daily-2026-11-16.db", "lingong-daily-2026-11-17.db",
		"lingong-daily-2026-11-18.db", "lingong-daily-2026-11-19.db", "lingong-daily-2026-11-20.db",
		"lingong-weekly-2026-W44.db", "lingong-weekly-2026-W45.db", "lingong-weekly-2026-W46.db", "lingong-weekly-2026-W47.db"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after rotation:\n got %v\nwant %v", got, want)
	}
}

var backedUpTo = regexp.MustCompile(`backed up to (\S+) \(`)

func backupFile(t *testing.T, out string) string {
	t.Helper()
	m := backedUpTo.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("backup printed no file: %q", out)
	}
	return m[1]
}

// registerQuietly registers one worker (code by SMS, read from the outbox by the admin) and reports
// whether it worked; it never fails the test, as it runs on the writers' goroutines.
func registerQuietly(base, admin, phone string) bool {
	post := func(path string, body any, out any) int {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	if code := post("/api/v1/auth/otp", map[string]string{"phone": phone}, nil); code != 202 {
		lastRegisterProblem.Store(fmt.Sprintf("otp %d", code))
		return false
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/admin/sms-outbox?per_page=1&phone="+phone, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	var outbox struct{ Items []struct{ Body string } }
	json.NewDecoder(resp.Body).Decode(&outbox)
	resp.Body.Close()
	if len(outbox.Items) == 0 {
		return false
	}
	var answer json.RawMessage
	code := post("/api/v1/workers", map[string]any{"phone": phone, "code": sixDigitCode.FindString(outbox.Items[0].Body),
		"station_code": "ZN-S03", "name": "马福海", "district": "中宁县", "town": "新堡镇", "expected_wage_fen": 16000, "max_commute_km": 30, "expected_wage_unit": "day", "certs": []string{}, "skills": []string{"搬运"}}, &answer)
	if code != 201 {
		lastRegisterProblem.Store(fmt.Sprintf("register %d %s", code, answer))
	}
	return code == 201
}

var lastRegisterProblem atomic.Value

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// tableRows is every row of a table, in rowid order, each as text.
func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY rowid`)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%q", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// section is the part of a page from the marker on, for a failure message.
func section(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return "(no " + marker + " on the page)"
	}
	return page[i:min(len(page), i+800)]
}
