package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"lingong/store"
	"lingong/store/storetest"
)

// Issue 18 item 8: the SQLite database (every worker's phone, the encrypted ID numbers) and its WAL
// files are readable by their owner only, whether the service creates them or finds them made by an
// older version with the default mode.
func TestDatabaseFilesAreOwnerOnly(t *testing.T) {
	for _, preexisting := range []bool{false, true} {
		dir := t.TempDir()
		if preexisting {
			for _, name := range []string{"lingong.db", "lingong.db-wal"} {
				if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		ctx := context.Background()
		s, err := store.Open(ctx, store.Options{DataDir: dir, Key: storetest.TestKey})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Seed(ctx, store.SeedOptions{AdminPassword: "admin-test-password"}); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "lingong.db*"))
		if len(files) < 2 {
			t.Fatalf("database files %v: want the database and its WAL", files)
		}
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s (preexisting %v): mode %v, want owner only (0600)", filepath.Base(f), preexisting, fi.Mode().Perm())
			}
		}
		s.Close()
	}
}
