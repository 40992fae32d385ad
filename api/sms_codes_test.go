package api

import (
	"strings"
	"testing"

	"lingong/domain"
	"lingong/store/storetest"
)

// Issue 18 item 6: an SMS code is never stored in clear. The database's outbox holds code messages
// masked; a development server shows them in clear from its memory (API and console page, admins only)
// so a newcomer can register in a browser; a production server has no way at all to read a code.
func TestSMSCodesAreNeverStoredInClear(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name+"/development", func(t *testing.T) {
			env := newConsoleEnv(t, e, Options{})
			const phone = "13700002468"
			code := env.sendCode(phone) // read from the development inbox through the API
			assertOutboxMasked(t, env, phone, code)
			// The console's page shows it to an admin, and only to an admin.
			admin := env.consoleLogin("admin", "admin-test-password")
			if status, _, page := admin.get("/console/dev/sms?phone=" + phone); status != 200 || !strings.Contains(page, code) {
				t.Errorf("dev SMS page for the admin: %d, code shown %v", status, strings.Contains(page, code))
			}
			desk := env.newConsoleStaff(admin, "desk03", "ZN-S03")
			if status, _, page := desk.get("/console/dev/sms"); status != 403 || strings.Contains(page, code) {
				t.Errorf("dev SMS page for staff: %d", status)
			}
			// The code works: the inbox shows what the phone received.
			env.mustJSON("POST", "/api/v1/workers", "", registration(phone, code), 201, nil)
		})
		t.Run(e.Name+"/production", func(t *testing.T) {
			env := newConsoleEnv(t, e, Options{Production: true})
			const phone = "13700002469"
			env.mustJSON("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, 202, nil)
			assertOutboxMasked(t, env, phone, "")
			code, b, _ := env.do("GET", "/api/v1/admin/sms-outbox?phone="+phone, env.admin, nil)
			if code != 404 || apiError(t, b).Code != domain.CodeNotFound {
				t.Errorf("production SMS outbox API: %d %s, want 404", code, b)
			}
			admin := env.consoleLogin("admin", "admin-test-password")
			if status, _, _ := admin.get("/console/dev/sms"); status != 404 {
				t.Errorf("production dev SMS page: %d", status)
			}
			if _, _, page := admin.get("/console/staff"); strings.Contains(page, "dev-sms-link") {
				t.Errorf("production console links the dev SMS page")
			}
		})
	}
}

// assertOutboxMasked checks the database itself: the phone's code message is there, with ****** where
// the code was, and no 6-digit run (when code is known, not that code either).
func assertOutboxMasked(t *testing.T, env *testEnv, phone, code string) {
	t.Helper()
	rows, err := env.db.Query("SELECT body FROM sms_outbox WHERE phone = $1 AND purpose = 'otp'", phone)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		n++
		if sixDigits.MatchString(body) || (code != "" && strings.Contains(body, code)) || !strings.Contains(body, "******") {
			t.Errorf("outbox row holds a code in clear (or no mask): %q", body)
		}
	}
	if n == 0 {
		t.Fatalf("no code message to %s in the outbox table", phone)
	}
}
