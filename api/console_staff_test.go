package api

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var tempPassword = regexp.MustCompile(`id="temp-password">([^<]+)<`)

// Issue 18 item 7: an admin disables a staff account (its sessions end at once), resets its password
// (the staff member must change it at the next login) and moves it to another station; all audited.
func TestConsoleAdminManagesStaffAccounts(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		desk := env.newConsoleStaff(admin, "desk01", "ZN-S03")
		var id int64
		if err := env.db.QueryRow("SELECT id FROM staff WHERE username = 'desk01'").Scan(&id); err != nil {
			t.Fatal(err)
		}
		path := func(action string) string { return "/console/staff/" + itoa(id) + "/" + action }
		var apiLogin struct{ Token string }
		env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "desk01", "password": "staff-password-1"}, 200, &apiLogin)

		// Disable: the open console session and the API token stop working at once; login is refused.
		if page := admin.flashAfter(path("disable"), url.Values{"disabled": {"true"}}); !strings.Contains(page, "已停用") {
			t.Fatalf("after disabling: %.300s", page)
		}
		if code, loc, _ := desk.get("/console"); code != 303 || !strings.HasPrefix(loc, "/console/login") {
			t.Errorf("disabled account's console session: %d %s, want the login page", code, loc)
		}
		if code, _, _ := env.do("GET", "/api/v1/stats", apiLogin.Token, nil); code != 401 {
			t.Errorf("disabled account's API token: %d, want 401", code)
		}
		if code, _, _ := env.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "desk01", "password": "staff-password-1"}); code != 401 {
			t.Errorf("disabled account logs in: %d, want 401", code)
		}
		admin.flashAfter(path("disable"), url.Values{"disabled": {"false"}})
		desk = env.consoleLogin("desk01", "staff-password-1")

		// Reset: a new password shown once; the old one and the open session stop working.
		code, _, page := admin.form(path("reset-password"), nil)
		m := tempPassword.FindStringSubmatch(page)
		if code != 200 || m == nil {
			t.Fatalf("reset: %d, no password shown: %.300s", code, page)
		}
		temp := m[1]
		if code, loc, _ := desk.get("/console"); code != 303 || !strings.HasPrefix(loc, "/console/login") {
			t.Errorf("session after the reset: %d %s, want the login page", code, loc)
		}
		if code, _, _ := env.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "desk01", "password": "staff-password-1"}); code != 401 {
			t.Errorf("old password after the reset: %d, want 401", code)
		}
		// With the new password the account can do nothing but change it.
		desk = env.consoleLogin("desk01", temp)
		for _, p := range []string{"/console", "/console/workers", "/console/gigs"} {
			if code, loc, _ := desk.get(p); code != 303 || loc != "/console/password" {
				t.Errorf("GET %s before changing the password: %d %s, want /console/password", p, code, loc)
			}
		}
		if code, _, page := desk.get("/console/password"); code != 200 || !strings.Contains(page, "管理员重置了您的密码") {
			t.Errorf("password page: %d %.200s", code, page)
		}
		env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "desk01", "password": temp}, 200, &apiLogin)
		if code, b, _ := env.do("GET", "/api/v1/stats", apiLogin.Token, nil); code != 403 || !strings.Contains(apiError(t, b).Message, "修改密码") {
			t.Errorf("API before changing the password: %d %s, want 403", code, b)
		}
		if page := desk.flashAfter("/console/password", url.Values{"current_password": {temp}, "new_password": {"xinbao-desk-秋收"},
			"confirm_password": {"xinbao-desk-秋收"}}); !strings.Contains(page, "密码已修改") {
			t.Fatalf("change: %.300s", page)
		}
		if code, _, _ := desk.get("/console"); code != 200 {
			t.Errorf("console after changing the password: %d", code)
		}

		// Move: the account acts for the new station from its next request.
		admin.flashAfter(path("station"), url.Values{"station_code": {"SPT-S01"}})
		if code, _, _ := desk.get("/console/dashboard?station=ZN-S03"); code != 403 {
			t.Errorf("old station's dashboard after the move: %d, want 403", code)
		}
		if code, _, _ := desk.get("/console/dashboard?station=SPT-S01"); code != 200 {
			t.Errorf("new station's dashboard after the move: %d, want 200", code)
		}

		// A staff member cannot do any of it, to anyone; an admin not to themself.
		other := env.newConsoleStaff(admin, "desk02", "ZN-S03")
		for _, a := range []string{"disable", "reset-password", "station"} {
			if code, _, _ := other.form(path(a), url.Values{"station_code": {"ZN-S03"}}); code != 403 {
				t.Errorf("staff %s another account: %d, want 403", a, code)
			}
		}
		var adminID int64
		env.db.QueryRow("SELECT id FROM staff WHERE username = 'admin'").Scan(&adminID)
		if page := admin.flashAfter("/console/staff/"+itoa(adminID)+"/disable", url.Values{"disabled": {"true"}}); !strings.Contains(page, "不能停用自己") {
			t.Errorf("admin disables themself: %.300s", page)
		}

		// Audited: each action once, by the admin, on the account.
		for action, want := range map[string]int{"staff.disable": 2, "staff.reset_password": 1, "staff.station": 1} {
			var n int
			env.db.QueryRow("SELECT COUNT(*) FROM audit_events WHERE action = $1 AND entity_kind = 'staff' AND entity_id = $2 AND actor_id = $3", action, id, adminID).Scan(&n)
			if n != want {
				t.Errorf("audit %s: %d events, want %d", action, n, want)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
