// Package storetest opens real, migrated, seeded databases for tests: a SQLite file in a temporary
// directory, and a fresh schema in the PostgreSQL named by LINGONG_TEST_DATABASE_URL. Every database
// test runs against both engines through Each.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite"  // the "sqlite" database/sql driver, for SQL
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create and drop test schemas

	"lingong/domain"
	"lingong/store"
)

// PostgresEnv names the variable that points tests at a PostgreSQL server, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "LINGONG_TEST_DATABASE_URL"

// TestKey is the secret key tests open stores with (32 bytes).
var TestKey = []byte("lingong-test-key-0123456789abcdef")

// Engine is one database a test runs against.
type Engine struct {
	Name string // "sqlite" or "postgres"
	URL  string // DATABASE_URL that reaches this database (for starting a server on it)
	Dir  string // data directory (SQLite file lives here)
}

// Engines returns a fresh, empty database on each engine. SQLite always; PostgreSQL when
// LINGONG_TEST_DATABASE_URL is set. Without it the PostgreSQL case is skipped with a message, except
// under CI=true, where a missing PostgreSQL fails the test.
func Engines(t testing.TB) []Engine {
	t.Helper()
	dir := t.TempDir()
	out := []Engine{{Name: "sqlite", URL: "sqlite://" + filepath.Join(dir, "lingong.db"), Dir: dir}}
	if pg := PostgresURL(t); pg != "" {
		out = append(out, Engine{Name: "postgres", URL: pg, Dir: t.TempDir()})
	}
	return out
}

// PostgresURL creates a fresh schema in the test PostgreSQL, drops it when the test ends, and returns a
// URL whose search_path points at it. It returns "" (after logging why) when no server is configured and
// CI is not set; under CI=true it fails the test instead.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: the PostgreSQL tests must run in CI", PostgresEnv)
		}
		t.Logf("skipping the PostgreSQL case: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run it", PostgresEnv)
		return ""
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lgt_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is not usable: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens, migrates and seeds a store on the engine. The store closes when the test ends.
func Open(t testing.TB, e Engine, clock domain.Clock) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DatabaseURL: e.URL, DataDir: e.Dir, Key: TestKey, Clock: clock})
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	if _, err := s.Seed(ctx, store.SeedOptions{AdminPassword: "admin-test-password"}); err != nil {
		t.Fatalf("seed %s: %v", e.Name, err)
	}
	return s
}

// SQL opens a plain database/sql connection to the engine's database (closed when the test ends), for
// tests outside package store that set up or inspect rows directly: staff accounts, counts, what is
// stored at rest.
func SQL(t testing.TB, e Engine) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", e.URL
	if e.Name == "sqlite" {
		driver = "sqlite"
		dsn = "file:" + strings.TrimPrefix(e.URL, "sqlite://") + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as a subtest on every engine with a migrated, seeded store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, Open(t, e, nil))
		})
	}
}
