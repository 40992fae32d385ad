package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
)

// Issue 18 item 3: the lockout is decided before the slow password check, so a burst of guesses sent
// at once cannot all be checked. Each attempt comes from its own address, so only the account's limit
// is at work here.
func TestConcurrentWrongPasswordsCheckAtMostFive(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		const n = 200
		var mu sync.Mutex
		counts := map[domain.Code]int{}
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, _, err := s.LoginStaff(ctx, "admin", fmt.Sprintf("wrong-guess-%d", i), fmt.Sprintf("10.9.%d.%d", i/250, i%250), "")
				mu.Lock()
				counts[domain.ErrorCode(err)]++
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		t.Logf("%d concurrent wrong passwords: %d checked (401), %d refused before checking (429)", n,
			counts[domain.CodeUnauthorized], counts[domain.CodeRateLimited])
		if counts[domain.CodeUnauthorized] > 5 || counts[domain.CodeUnauthorized]+counts[domain.CodeRateLimited] != n {
			t.Fatalf("outcomes %v: want at most 5 passwords checked (unauthorized), the rest rate_limited", counts)
		}
		// The account is locked, even against its right password ...
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", "10.10.0.1", ""); !domain.IsCode(err, domain.CodeRateLimited) {
			t.Fatalf("right password during the lock: %v, want rate_limited", err)
		}
		// ... until the lock runs out; then the right password works and gives the tries back.
		clock.Advance(16 * time.Minute)
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", "10.10.0.1", ""); err != nil {
			t.Fatalf("right password after the lock: %v", err)
		}
	})
}

// Issue 18 item 3: one address may not try passwords across many usernames (5 each would add up).
func TestLoginLimitPerAddressAcrossUsernames(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		const attacker = "203.0.113.7"
		refused := 0
		for i := 0; i < 40; i++ {
			_, _, err := s.LoginStaff(ctx, fmt.Sprintf("user%02d", i), "some-guess-123", attacker, "")
			if domain.IsCode(err, domain.CodeRateLimited) {
				refused++
			} else if !domain.IsCode(err, domain.CodeUnauthorized) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if refused != 10 {
			t.Fatalf("40 attempts on 40 usernames from one address: %d refused, want 10 (30 allowed in 15 minutes)", refused)
		}
		// The right password from that address waits too; from another address it works at once.
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", attacker, ""); !domain.IsCode(err, domain.CodeRateLimited) {
			t.Fatalf("admin from the blocked address: %v, want rate_limited", err)
		}
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", "198.51.100.2", ""); err != nil {
			t.Fatalf("admin from another address: %v", err)
		}
		clock.Advance(16 * time.Minute)
		if _, _, err := s.LoginStaff(ctx, "admin", "admin-test-password", attacker, ""); err != nil {
			t.Fatalf("admin from the address after 15 minutes: %v", err)
		}
	})
}

// Issue 18 item 3: a console password is refused when it is a common one, not only when it is short.
func TestCommonPasswordsAreRefused(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, _ *fakeClock) {
		ctx := context.Background()
		admin := domain.Principal{Kind: domain.AsAdmin, ID: 1}
		st := storeStationID(t, s)
		for _, tc := range []struct {
			password string
			ok       bool
		}{
			{"password123", false},  // in the leaked-password lists
			{"1qaz2wsx3edc", false}, // a keyboard walk
			{"woaini1314", false},   // 我爱你一生一世, the most common Chinese one
			{"qwertyuiop", false},   // a keyboard row
			{"aaaaaaaaaaaa", false}, // a repeat
			{"wangfang2026", false}, // the account's own name and a year
			{"123456789012", false}, // digits only (the old rule)
			{"xinbao-station-password", true},
			{"枸杞园-早班-7号窗口", true}, // Chinese and digits, long enough
		} {
			username := "wangfang" // refused passwords create nothing, so the name stays free
			if tc.ok {
				username = fmt.Sprintf("ok%d", len(tc.password))
			}
			_, err := s.CreateStaffAccount(ctx, domain.NewStaff{Username: username, DisplayName: "王芳", Password: tc.password,
				Role: domain.RoleStaff, StationID: st}, admin, "")
			if tc.ok && err != nil {
				t.Errorf("%q refused: %v", tc.password, err)
			}
			if !tc.ok && (!domain.IsCode(err, domain.CodeInvalid) || domain.AsError(err).Field != "password") {
				t.Errorf("%q: %v, want invalid password", tc.password, err)
			}
		}
	})
}

func storeStationID(t *testing.T, s *store.Store) int64 {
	t.Helper()
	sts, err := s.Stations(context.Background())
	if err != nil || len(sts) == 0 {
		t.Fatalf("stations: %v", err)
	}
	return sts[0].ID
}
