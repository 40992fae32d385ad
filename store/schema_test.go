package store_test

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/store"
	"lingong/store/storetest"
)

// columnClass folds each engine's spelling of a type into one class, so the two schemas compare.
func columnClass(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "timestamp"):
		return "timestamp"
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "double"), strings.Contains(t, "real"):
		return "float"
	case strings.Contains(t, "bool"):
		return "bool"
	case strings.Contains(t, "text"):
		return "text"
	}
	return t
}

func schemaOf(t *testing.T, db *sql.DB, dialect string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var rows *sql.Rows
	var err error
	if dialect == "sqlite" {
		rows, err = db.Query(`SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	} else {
		rows, err = db.Query(`SELECT table_name, column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema()`)
	}
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], col+" "+columnClass(typ))
	}
	// goose's bookkeeping table is goose's own, created per dialect; ours are compared.
	delete(out, "goose_db_version")
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out
}

// The two engines must end up with the same tables and columns (of the same kind) from the same
// migrations: a test that passes on SQLite then means the same on PostgreSQL.
func TestSchemaIsTheSameOnBothEngines(t *testing.T) {
	engines := storetest.Engines(t)
	if len(engines) < 2 {
		t.Skip("needs PostgreSQL too")
	}
	var schemas []map[string][]string
	for _, e := range engines {
		s := storetest.Open(t, e, nil)
		schemas = append(schemas, schemaOf(t, s.SQL(), string(s.Dialect())))
	}
	if len(schemas[0]) < 20 {
		t.Fatalf("sqlite has only %d tables", len(schemas[0]))
	}
	if diff := cmp.Diff(schemas[0], schemas[1]); diff != "" {
		t.Errorf("schemas differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestSeedFillsAnEmptyDatabaseOnceAndOnlyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		stations, err := s.Stations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		districts := map[string]int{}
		for _, st := range stations {
			kinds[string(st.Kind)]++
			districts[st.District]++
			if st.Lat < 36 || st.Lat > 38 || st.Lng < 104.5 || st.Lng > 106.5 {
				t.Errorf("%s lies outside Zhongwei: %v,%v", st.Code, st.Lat, st.Lng)
			}
		}
		if diff := cmp.Diff(map[string]int{"market": 5, "station": 20}, kinds); diff != "" {
			t.Errorf("station kinds (-want +got):\n%s", diff)
		}
		if len(districts) != 3 {
			t.Errorf("stations cover %d districts, want 3: %v", len(districts), districts)
		}
		// A second seed (a second start) adds nothing and makes no new admin password.
		res, err := s.Seed(ctx, store.SeedOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.StationsCreated != 0 || res.SkillsCreated != 0 || res.AdminCreated || res.GeneratedAdminPassword != "" {
			t.Errorf("second seed changed something: %+v", res)
		}
		again, _ := s.Stations(ctx)
		if len(again) != 25 {
			t.Errorf("after a second seed there are %d stations, want 25", len(again))
		}
	})
}

func TestMigrateTwiceAppliesNothingTheSecondTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		applied, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v", applied)
		}
		st, err := s.MigrationStatus(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if !m.Applied {
				t.Errorf("%s not applied", m.File)
			}
		}
	})
}
