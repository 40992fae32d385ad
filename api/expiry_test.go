package api

import (
	"testing"
	"time"

	"lingong/domain"
)

// Credentials expire (issue 9 item 7): a worker's session after 30 days, a console session after 12
// hours, and a logged-out one at once. (Brute force, send limits, revoked keys and forged cards have
// their own tests: TestOTPRulesThroughTheAPI, TestAPIKeys…, TestTamperedAndRevokedCardsAreRefused.)
func TestSessionsExpireAndLogoutEndsThem(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		w := env.register("13812346001", nil)
		staff, _ := env.createStaff("expiry-staff", "ZN-S03")
		check := func(name, token string, want int) {
			t.Helper()
			path := "/api/v1/workers/me"
			if name != "worker" {
				path = "/api/v1/stats"
			}
			if code, b, _ := env.do("GET", path, token, nil); code != want {
				t.Errorf("%s token: %d, want %d: %s", name, code, want, b)
			}
		}
		check("worker", w.Token, 200)
		check("staff", staff, 200)
		env.clock.Advance(12*time.Hour + time.Minute)
		check("staff", staff, 401)
		check("worker", w.Token, 200)
		env.clock.Advance(30 * 24 * time.Hour)
		check("worker", w.Token, 401)

		fresh, _ := env.createStaff("expiry-staff-2", "ZN-S03")
		env.mustJSON("POST", "/api/v1/auth/logout", fresh, nil, 204, nil)
		check("logged-out staff", fresh, 401)
	})
}
