package store_test

import (
	"context"
	"sync"
	"testing"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

func TestStaffLoginSessionsAndLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		staff, sess, err := s.LoginStaff(ctx, "admin", "admin-test-password", "127.0.0.1", "test")
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if staff.Role != domain.RoleAdmin {
			t.Errorf("role %q", staff.Role)
		}
		p, err := s.Authenticate(ctx, sess.Token)
		if err != nil || p.Kind != domain.AsAdmin || p.ID != staff.ID {
			t.Fatalf("authenticate: %+v %v", p, err)
		}
		// Logout: the same token is refused from now on.
		if err := s.RevokeSession(ctx, p.SessionID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, sess.Token); !domain.IsCode(err, domain.CodeUnauthorized) {
			t.Errorf("token after logout: %v, want unauthorized", err)
		}
		for _, bad := range []string{"", "lgs_nope", "lgk_nope", "lgw_nope", "garbage"} {
			if _, err := s.Authenticate(ctx, bad); !domain.IsCode(err, domain.CodeUnauthorized) {
				t.Errorf("token %q: %v, want unauthorized", bad, err)
			}
		}
		// Unknown user and wrong password look the same.
		_, _, e1 := s.LoginStaff(ctx, "nobody", "x", "", "")
		_, _, e2 := s.LoginStaff(ctx, "admin", "wrong", "", "")
		if domain.AsError(e1).Message != domain.AsError(e2).Message || !domain.IsCode(e1, domain.CodeUnauthorized) {
			t.Errorf("unknown user %v vs wrong password %v", e1, e2)
		}
		// Four more wrong passwords (five in a row) lock the account, even against the right password.
		for i := 0; i < 4; i++ {
			s.LoginStaff(ctx, "admin", "wrong", "", "")
		}
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", "", ""); !domain.IsCode(err, domain.CodeRateLimited) {
			t.Errorf("after 5 failures: %v, want rate_limited (locked)", err)
		}
	})
}

func TestAuditChainDetectsEditsAndDeletions(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := storetest.Open(t, e, nil)
			ctx := context.Background()
			var wg sync.WaitGroup
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					err := s.AppendAudit(ctx, store.Audit{Actor: domain.Principal{Kind: domain.AsStaff, ID: 1},
						Action: "job.approve", EntityKind: "job", EntityID: int64(i), Detail: map[string]any{"n": i}})
					if err != nil {
						t.Error(err)
					}
				}(i)
			}
			wg.Wait()
			if p, err := s.VerifyAuditChain(ctx); err != nil || len(p) != 0 {
				t.Fatalf("intact chain reported %v %v", p, err)
			}
			db := s.SQL()
			var mid int64
			db.QueryRow("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 10").Scan(&mid)
			if _, err := db.Exec("UPDATE audit_events SET detail = '{\"n\":99}' WHERE id = $1", mid); err != nil {
				t.Fatal(err)
			}
			if p, _ := s.VerifyAuditChain(ctx); len(p) == 0 {
				t.Error("edited event not detected")
			}
			if _, err := db.Exec("DELETE FROM audit_events WHERE id = $1", mid); err != nil {
				t.Fatal(err)
			}
			p, _ := s.VerifyAuditChain(ctx)
			if len(p) == 0 {
				t.Error("deleted event not detected")
			}
		})
	}
}
