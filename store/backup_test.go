package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// A backup is a checked, working copy; CheckCopy refuses a copy whose contract terms, or whose audit
// chain, were changed after the fact; PostgreSQL says its backups are its own tools'.
func TestBackupCopyIsCheckedForTampering(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, e, nil)
			m := newMarket(t, s)
			today := domain.DateOf(time.Now())
			c, _ := activeContract(t, s, m, 18000, domain.PerDay, domain.SettleDaily, today, today.AddDays(3))
			if e.Name == "postgres" {
				if err := s.Backup(ctx, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, store.ErrBackupNotSQLite) ||
					!strings.Contains(err.Error(), "pg_dump") {
					t.Fatalf("Backup on PostgreSQL = %v, want ErrBackupNotSQLite naming pg_dump", err)
				}
				return
			}
			copyOf := func(t *testing.T, tamper string) *store.Store {
				path := filepath.Join(t.TempDir(), "copy.db")
				if err := s.Backup(ctx, path); err != nil {
					t.Fatal(err)
				}
				ce := storetest.Engine{Name: "sqlite", URL: "sqlite://" + path, Dir: filepath.Dir(path)}
				if tamper != "" {
					mustExec(t, storetest.SQL(t, ce), tamper, c.Number)
				}
				cs, err := store.Open(ctx, store.Options{DatabaseURL: ce.URL, Key: storetest.TestKey})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cs.Close() })
				return cs
			}
			t.Run("sound", func(t *testing.T) {
				check, err := copyOf(t, "").CheckCopy(ctx)
				if err != nil || len(check.Problems) != 0 {
					t.Fatalf("a fresh copy: %v %v", check.Problems, err)
				}
				if check.Contracts != 1 || check.AuditEvents < 5 || check.Tables < 20 {
					t.Errorf("checked %d contracts, %d audit events, %d tables; want 1, ≥ 5, ≥ 20", check.Contracts, check.AuditEvents, check.Tables)
				}
			})
			for _, tc := range []struct{ name, sql, want string }{
				{"terms edited", `UPDATE contracts SET terms_json = replace(terms_json, '18000', '8000') WHERE number = ?`, "条款与其哈希值不符"},
				{"terms and hash edited", `UPDATE contracts SET terms_hash = 'ab' || substr(terms_hash, 3) WHERE number = ?`, "建立时的审计记录不一致"},
				{"audit edited", `UPDATE audit_events SET detail = '{}' WHERE action = 'contract.sign' AND entity_id = (SELECT id FROM contracts WHERE number = ?)`, "内容被改动"},
				{"audit deleted", `DELETE FROM audit_events WHERE id = (SELECT MIN(id) FROM audit_events WHERE entity_id = (SELECT id FROM contracts WHERE number = ?) AND entity_kind = 'contract')`, "被删除或改动"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					check, err := copyOf(t, tc.sql).CheckCopy(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(strings.Join(check.Problems, "\n"), tc.want) {
						t.Errorf("problems %q; want one saying %q", check.Problems, tc.want)
					}
				})
			}
		})
	}
}
