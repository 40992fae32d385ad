package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"lingong/migrations"
	"lingong/store"
	"lingong/store/storetest"
)

// Two servers on one database (DESIGN.md section 6: N stateless processes behind a load balancer): what
// revokes or changes a caller through server A is honoured by server B's very next request, with no
// waiting — a logout, a session that expired, a worker blocked, a console account disabled, a profile
// edit and an application, through the API or typed in SQL. Nothing about a caller may be kept in a
// process between requests unless it travels as fast as that: the matches route keeps a worker by the
// version number its session query reads on every request (migration 00210's triggers move it). On
// PostgreSQL the two are real `lingong serve` processes' worth of pools and indexes; SQLite runs one
// process in deployment, but two on one file must agree just the same.
func TestSessionRevocationsReachTheOtherServer(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		revocationsReachTheOtherServer(t, "sqlite://"+filepath.Join(t.TempDir(), "shared.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		if dbURL := storetest.PostgresURL(t); dbURL != "" {
			revocationsReachTheOtherServer(t, dbURL)
		}
	})
}

func revocationsReachTheOtherServer(t *testing.T, dbURL string) {
	a := startServer(t, matchEnv(t.TempDir(), dbURL))
	ca := client{t, a.URL}
	p := newPeople(t, ca, dbURL, t.TempDir())
	raw := openRaw(t, dbURL)
	exec := func(q string) {
		t.Helper()
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// A gig that needs an electrician's certificate: a near miss for a worker without one.
	electricianJob := postAndApprove(t, ca, p.key, p.staff, jobFor(map[string]any{"title": "配电箱检修电工", "station_code": "ZN-S03",
		"district": "中宁县", "town": "新堡镇", "skills": []string{"电工"}, "required_certs": []string{"电工证"}, "wage_fen": 30000}))
	open := postAndApprove(t, ca, p.key, p.staff, jobFor(map[string]any{"title": "枸杞园摘果工", "station_code": "ZN-S03",
		"district": "中宁县", "town": "新堡镇", "skills": []string{"枸杞采摘"}, "wage_fen": 16000}))
	// B starts after the gigs are open, so its index has them on SQLite too (no change feed there).
	b := startServer(t, matchEnv(t.TempDir(), dbURL))
	cb := client{t, b.URL}
	wid, tok := registerWorker(t, ca, p.admin, map[string]any{"name": "马建军", "district": "中宁县", "town": "新堡镇",
		"skills": []string{"电工", "枸杞采摘"}, "expected_wage_fen": 13000, "max_commute_km": 30})
	type entry struct {
		Job     struct{ ID int64 }
		Applied bool
		Missing []string
	}
	matchesOnB := func(token string) (int, map[int64]entry, map[int64]entry) {
		t.Helper()
		var raw struct {
			Items      []entry `json:"items"`
			NearMisses []entry `json:"near_misses"`
		}
		code, _ := cb.do("GET", "/api/v1/workers/me/matches?limit=50", token, nil, &raw)
		items, near := map[int64]entry{}, map[int64]entry{}
		for _, e := range raw.Items {
			items[e.Job.ID] = e
		}
		for _, e := range raw.NearMisses {
			near[e.Job.ID] = e
		}
		return code, items, near
	}

	code, items, near := matchesOnB(tok)
	if code != 200 || items[open].Job.ID != open || near[electricianJob].Job.ID != electricianJob || items[electricianJob].Job.ID != 0 {
		t.Fatalf("before any change, B: %d, items %v, near misses %v; want gig %d listed and %d a near miss", code, items, near, open, electricianJob)
	}
	// A profile edit on A: with the certificate the electrician's gig is a match on B at once.
	if code, _ := ca.do("PATCH", "/api/v1/workers/me", tok, map[string]any{"certs": []string{"电工证"}}, nil); code != 200 {
		t.Fatalf("patch on A: %d", code)
	}
	if code, items, _ := matchesOnB(tok); code != 200 || items[electricianJob].Job.ID != electricianJob {
		t.Errorf("after the worker added 电工证 on A, B's next matches: %d, items %v; want gig %d among them", code, items, electricianJob)
	}
	// An application on A: B marks the gig 已报名 at once.
	if code, _ := ca.do("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", open), tok, nil, nil); code != 201 {
		t.Fatalf("apply on A: %d", code)
	}
	if code, items, _ := matchesOnB(tok); code != 200 || !items[open].Applied {
		t.Errorf("after applying on A, B's next matches: %d, gig %d applied = %v; want true", code, open, items[open].Applied)
	}
	// The same changes typed by hand in SQL (an operator, a repair script): B's next matches follow at
	// once, though B served this worker a moment ago (it keeps workers by the version their session
	// reads, and the database's triggers move it).
	matchesOnB(tok)
	exec(fmt.Sprintf("UPDATE applications SET status = 'withdrawn' WHERE worker_id = %d", wid))
	if code, items, _ := matchesOnB(tok); code != 200 || items[open].Applied {
		t.Errorf("after the application was withdrawn by SQL, B's next matches: %d, gig %d applied = %v; want false", code, open, items[open].Applied)
	}
	exec(fmt.Sprintf("DELETE FROM worker_certs WHERE worker_id = %d", wid))
	if code, items, near := matchesOnB(tok); code != 200 || items[electricianJob].Job.ID != 0 || near[electricianJob].Job.ID != electricianJob {
		t.Errorf("after 电工证 was deleted by SQL, B's next matches: %d, items %v, near misses %v; want gig %d a near miss again", code, items, near, electricianJob)
	}
	exec(fmt.Sprintf("INSERT INTO worker_certs (worker_id, cert) VALUES (%d, '电工证')", wid))
	if code, items, _ := matchesOnB(tok); code != 200 || items[electricianJob].Job.ID != electricianJob {
		t.Errorf("after 电工证 was inserted by SQL, B's next matches: %d, items %v; want gig %d among them", code, items, electricianJob)
	}
	exec(fmt.Sprintf("UPDATE workers SET lat = lat + 1, max_commute_km = 5 WHERE id = %d", wid))
	if code, items, _ := matchesOnB(tok); code != 200 || items[open].Job.ID != 0 {
		t.Errorf("after the worker was moved 111 km away by SQL, B's next matches: %d, items %v; want gig %d gone", code, items, open)
	}

	// Logout on A: the token is dead on B.
	if code, _ := ca.do("POST", "/api/v1/auth/logout", tok, nil, nil); code != 204 {
		t.Fatalf("logout on A: %d", code)
	}
	if code, _, _ := matchesOnB(tok); code != 401 {
		t.Errorf("after logout on A, B's next matches answered %d, want 401", code)
	}

	// A worker blocked (status inactive, as an operator does it): every session of theirs is dead on B.
	_, tok2 := registerWorker(t, ca, p.admin, map[string]any{"name": "杨秀兰", "district": "中宁县", "town": "新堡镇",
		"skills": []string{"枸杞采摘"}, "expected_wage_fen": 13000, "max_commute_km": 30})
	if code, _, _ := matchesOnB(tok2); code != 200 {
		t.Fatalf("second worker on B: %d", code)
	}
	exec(fmt.Sprintf("UPDATE workers SET status = 'inactive' WHERE id = (SELECT subject_id FROM sessions WHERE subject_kind = 'worker' AND subject_id <> %d ORDER BY id DESC LIMIT 1)", wid))
	if code, _, _ := matchesOnB(tok2); code != 401 {
		t.Errorf("after the worker was blocked, B's next matches answered %d, want 401", code)
	}

	// A session that expired (its expiry moved into the past by another process's clock): dead on B.
	_, tok3 := registerWorker(t, ca, p.admin, map[string]any{"name": "李卫东", "district": "中宁县", "town": "新堡镇",
		"skills": []string{"枸杞采摘"}, "expected_wage_fen": 13000, "max_commute_km": 30})
	if code, _, _ := matchesOnB(tok3); code != 200 {
		t.Fatalf("third worker on B: %d", code)
	}
	exec("UPDATE sessions SET expires_at = created_at WHERE id = (SELECT max(id) FROM sessions WHERE subject_kind = 'worker')")
	if code, _, _ := matchesOnB(tok3); code != 401 {
		t.Errorf("after the session expired, B's next matches answered %d, want 401", code)
	}

	// Staff: a console account disabled on A, and a staff logout on A, are refused by B at once.
	candidates := fmt.Sprintf("/api/v1/jobs/%d/candidates", open)
	if code, _ := cb.do("GET", candidates, p.staff, nil, nil); code != 200 {
		t.Fatalf("staff on B: %d", code)
	}
	exec("UPDATE staff SET disabled = " + boolSQL(dbURL, true) + " WHERE username = 'xinbao'")
	if code, _ := cb.do("GET", candidates, p.staff, nil, nil); code != 401 {
		t.Errorf("after the staff account was disabled, B answered %d, want 401", code)
	}
	if code, _ := cb.do("GET", candidates, p.admin, nil, nil); code != 200 {
		t.Fatalf("admin on B: %d", code)
	}
	if code, _ := ca.do("POST", "/api/v1/auth/logout", p.admin, nil, nil); code != 204 {
		t.Fatalf("admin logout on A: %d", code)
	}
	if code, _ := cb.do("GET", candidates, p.admin, nil, nil); code != 401 {
		t.Errorf("after the admin logged out on A, B answered %d, want 401", code)
	}
}

// openRaw opens the test database behind the servers' backs (what an operator's psql would do).
func openRaw(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	dialect, dsn, err := store.ParseDatabaseURL(dbURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	driver := "pgx"
	if dialect == migrations.SQLite {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func boolSQL(dbURL string, v bool) string {
	dialect, _, _ := store.ParseDatabaseURL(dbURL, "")
	switch {
	case dialect == migrations.Postgres && v:
		return "true"
	case dialect == migrations.Postgres:
		return "false"
	case v:
		return "1"
	}
	return "0"
}
