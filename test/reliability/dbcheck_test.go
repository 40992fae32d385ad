package reliability

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite"  // "sqlite", to inspect the data file after a crash
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx"

	"lingong/store/storetest"
)

// database is a lingong database a test set up for a server and inspects directly afterwards.
type database struct {
	engine string
	env    map[string]string // what the server needs to reach it
	dsn    string            // how the test reaches it
}

// databases returns a fresh database on each engine (PostgreSQL when configured; required under CI).
func databases(t *testing.T) []database {
	t.Helper()
	var out []database
	for _, e := range storetest.Engines(t) {
		d := database{engine: e.Name, env: map[string]string{"LINGONG_DATA_DIR": e.Dir}}
		if e.Name == "postgres" {
			d.env["DATABASE_URL"] = e.URL
			d.dsn = e.URL
		} else {
			d.dsn = "file:" + filepath.Join(e.Dir, "lingong.db") + "?_pragma=busy_timeout(10000)"
		}
		out = append(out, d)
	}
	return out
}

func (d database) open(t testing.TB) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if d.engine == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, d.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// integrityProblems checks the database file or server after a crash: SQLite's own integrity and
// foreign-key checks; on PostgreSQL, every constraint re-validated against every row (foreign keys
// have their parent, CHECK expressions hold, unique keys are unique) and every index checked against
// its table with amcheck.
func integrityProblems(t *testing.T, d database, db *sql.DB) []string {
	t.Helper()
	var problems []string
	if d.engine == "sqlite" {
		var res string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			problems = append(problems, fmt.Sprintf("integrity_check: %q %v", res, err))
		}
		rows, err := db.Query("PRAGMA foreign_key_check")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var table, parent string
			var rowid, fkid sql.NullInt64
			rows.Scan(&table, &rowid, &parent, &fkid)
			problems = append(problems, fmt.Sprintf("foreign key: %s row %d points at a missing %s", table, rowid.Int64, parent))
		}
		rows.Close()
		return problems
	}
	type constraint struct{ table, name, kind, def string }
	var cons []constraint
	rows, err := db.Query(`SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE n.nspname = current_schema() AND c.contype IN ('f', 'c', 'u', 'p')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c constraint
		rows.Scan(&c.table, &c.name, &c.kind, &c.def)
		cons = append(cons, c)
	}
	rows.Close()
	if len(cons) < 40 {
		t.Fatalf("only %d constraints found in the schema", len(cons))
	}
	for _, c := range cons {
		var q string
		switch c.kind {
		case "c": // CHECK (expr)
			q = fmt.Sprintf("SELECT count(*) FROM %s WHERE NOT %s", c.table, strings.TrimPrefix(c.def, "CHECK "))
		case "f": // FOREIGN KEY (col) REFERENCES parent(pcol)
			var col, parent, pcol string
			if _, err := fmt.Sscanf(strings.NewReplacer("(", " ", ")", " ").Replace(c.def), "FOREIGN KEY %s REFERENCES %s %s", &col, &parent, &pcol); err != nil {
				t.Fatalf("parse %s: %v", c.def, err)
			}
			q = fmt.Sprintf("SELECT count(*) FROM %s x WHERE x.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = x.%s)", c.table, col, parent, pcol, col)
		default: // UNIQUE (cols) / PRIMARY KEY (cols)
			// NULLs are distinct to a unique constraint, so rows with a NULL key take no part.
			cols := c.def[strings.Index(c.def, "(")+1 : strings.LastIndex(c.def, ")")]
			var notNull []string
			for _, col := range strings.Split(cols, ",") {
				notNull = append(notNull, strings.TrimSpace(col)+" IS NOT NULL")
			}
			q = fmt.Sprintf("SELECT count(*) FROM (SELECT %s FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1) d",
				cols, c.table, strings.Join(notNull, " AND "), cols)
		}
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("constraint %s on %s broken by %d rows", c.name, c.table, n))
		}
	}
	db.Exec("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public")
	idx, err := db.Query(`SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		WHERE n.nspname = current_schema() AND a.amname = 'btree'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for idx.Next() {
		var n string
		idx.Scan(&n)
		names = append(names, n)
	}
	idx.Close()
	for _, n := range names {
		if _, err := db.Exec("SELECT public.bt_index_check($1::regclass, true)", n); err != nil {
			problems = append(problems, fmt.Sprintf("index %s: %v", n, err))
		}
	}
	return problems
}
