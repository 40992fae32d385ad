package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lingong/store/storetest"
)

var resetPasswordLine = regexp.MustCompile(`new password for admin \(shown once, not stored\): (\S+)`)

// An operator who lost the admin's password resets it on the server, on both engines, while the service
// runs: the new password is printed once, the old one and its sessions stop working, the console sends
// the account to 修改密码 before anything else until it has chosen its own, and the audit log records the
// reset as the system's.
func TestAdminResetPassword(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			env := matchEnv(e.Dir, "")
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			c := client{t, srv.URL}
			var login struct{ Token string }
			if code, _ := c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword}, &login); code != 200 {
				t.Fatalf("admin login before the reset: %d", code)
			}
			if code, _ := c.do("GET", "/api/v1/admin/sms-outbox", login.Token, nil, nil); code != 200 {
				t.Fatalf("admin session before the reset: %d", code)
			}

			reset := func() string {
				var out bytes.Buffer
				if err := run(context.Background(), []string{"admin", "reset-password", "admin"}, func(k string) string { return env[k] }, &out); err != nil {
					t.Fatalf("reset-password: %v\n%s", err, out.String())
				}
				m := resetPasswordLine.FindStringSubmatch(out.String())
				if m == nil {
					t.Fatalf("reset-password printed no password: %q", out.String())
				}
				if strings.Count(out.String(), m[1]) != 1 {
					t.Errorf("the password is printed %d times", strings.Count(out.String(), m[1]))
				}
				return m[1]
			}
			first := reset()
			if len(first) < 16 {
				t.Errorf("new password %q is shorter than 16 characters", first)
			}
			if code, _ := c.do("GET", "/api/v1/admin/sms-outbox", login.Token, nil, nil); code != 401 {
				t.Errorf("the session opened before the reset answers %d, want 401", code)
			}
			if code, _ := c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword}, nil); code != 401 {
				t.Errorf("the old password logs in after the reset: %d", code)
			}
			password := reset()
			if password == first {
				t.Fatal("two resets gave the same password")
			}
			if code, _ := c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": first}, nil); code != 401 {
				t.Errorf("the first reset's password still logs in after the second: %d", code)
			}

			// The console: logged in with the printed password, every page leads to 修改密码 until a new one is set.
			browser := cookieClient()
			body := consoleLogin(t, browser, srv.URL, "admin", password)
			if !strings.Contains(body, "请先设置自己的新密码") {
				t.Fatalf("after logging in with a reset password the console does not ask for a new one:\n%s", body)
			}
			for _, path := range []string{"/console", "/console/staff"} {
				resp, err := browser.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.Request.URL.Path != "/console/password" {
					t.Errorf("%s with a reset password shows %s, want /console/password", path, resp.Request.URL.Path)
				}
			}
			page := getPage(t, browser, srv.URL+"/console/password")
			form := url.Values{"csrf_token": {hiddenCSRF(t, page)}, "current_password": {password},
				"new_password": {"my-own-admin-password"}, "confirm_password": {"my-own-admin-password"}}
			resp, err := browser.PostForm(srv.URL+"/console/password", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			resp, err = browser.Get(srv.URL + "/console")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Request.URL.Path != "/console" {
				t.Errorf("after choosing a new password /console = %d at %s", resp.StatusCode, resp.Request.URL.Path)
			}

			db := storetest.SQL(t, storetest.Engine{Name: e.Name, URL: dbURLOf(e)})
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'staff.password_reset' AND actor_kind = 'system'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("audit events of the resets = %d, want 2 (actor system)", n)
			}
			var out bytes.Buffer
			err = run(context.Background(), []string{"admin", "reset-password", "nobody"}, func(k string) string { return env[k] }, &out)
			if err == nil || out.Len() != 0 {
				t.Errorf("reset of an unknown account: err %v, printed %q; want an error and nothing printed", err, out.String())
			}
		})
	}
}

// dbURLOf is the database of an engine as storetest.SQL reaches it.
func dbURLOf(e storetest.Engine) string {
	if e.Name == "sqlite" {
		return "sqlite://" + e.Dir + "/lingong.db"
	}
	return e.URL
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func hiddenCSRF(t *testing.T, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf_token on the page:\n%s", page)
	}
	return m[1]
}

func getPage(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// consoleLogin logs in through the console's login form and returns the page it lands on.
func consoleLogin(t *testing.T, c *http.Client, base, username, password string) string {
	t.Helper()
	page := getPage(t, c, base+"/console/login")
	resp, err := c.PostForm(base+"/console/login", url.Values{"csrf_token": {hiddenCSRF(t, page)}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("console login as %s: %d\n%s", username, resp.StatusCode, b)
	}
	return string(b)
}

// cookieClient is a browser's cookie-keeping HTTP client.
func cookieClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}
