package api

import (
	"context"
	"fmt"
	"lingong/api/v1/spectest"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
	"lingong/sms"
	"lingong/store/storetest"
)

// The console is tested through a real HTTP server with a cookie-keeping browser, as staff use it:
// log in through the form, read the csrf_token from the page, post forms, follow redirects by hand.

// consoleNow is 2026-05-10 09:30 in 中卫: gigs start tomorrow, walk-ins sign in this morning.
var consoleNow = time.Date(2026, 5, 10, 1, 30, 0, 0, time.UTC)

// eachConsoleEnv runs fn on every engine with a fresh service that, like serve, has a matching index
// (built from the database at start; the api keeps it current).
func eachConsoleEnv(t *testing.T, fn func(t *testing.T, env *testEnv)) {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, newConsoleEnv(t, e, Options{}))
		})
	}
}

func newConsoleEnv(t *testing.T, e storetest.Engine, opts Options) *testEnv {
	t.Helper()
	clock := &testClock{now: consoleNow}
	st := storetest.Open(t, e, clock.Now)
	ctx := context.Background()
	jobs, err := st.OpenJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	workers, err := st.ActiveWorkers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts.PublicURL, opts.SecretKey = testPublicURL, storetest.TestKey
	ao := app.Options{OTPLimits: domain.OTPLimits{PhonePerHour: 100, IPPerHour: 100}, Wage: domain.DefaultWageStandard(), SMSCallbackToken: testCallbackToken}
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s := testServer(opts, ao, app.Deps{Store: st, Clock: clock.Now, Index: matching.Build(jobs, workers), Logger: log,
		SMSCallbacks: sms.Callbacks{}})
	env := &testEnv{t: t, engine: e, store: st, db: storetest.SQL(t, e), clock: clock, server: s, bodies: &bodyLog{}}
	env.http = httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(env.http.Close)
	var login struct{ Token string }
	env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-test-password"}, 200, &login)
	env.admin = login.Token
	return env
}

// testLog writes the server's warnings and errors into the test's log, so a 500 says why.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var consoleCSRFField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consoleLogin logs a new browser in through the console's login form and returns it.
func (env *testEnv) consoleLogin(username, password string) *browser {
	env.t.Helper()
	b := env.browser()
	code, _, page := b.get("/console/login")
	m := consoleCSRFField.FindStringSubmatch(page)
	if code != 200 || m == nil {
		env.t.Fatalf("login page: %d, token %v", code, m)
	}
	code, loc, page := b.post("/console/login", url.Values{"username": {username}, "password": {password}, "csrf_token": {m[1]}, "next": {"/console"}})
	if code != 303 || loc != "/console" {
		env.t.Fatalf("console login as %s: %d %s %.300s", username, code, loc, page)
	}
	return b
}

// csrf is the browser's session token for forms, read from a console page.
func (b *browser) csrf() string {
	b.env.t.Helper()
	code, _, page := b.get("/console/password")
	m := consoleCSRFField.FindStringSubmatch(page)
	if code != 200 || m == nil {
		b.env.t.Fatalf("no csrf token on the console (%d)", code)
	}
	return m[1]
}

// form posts a console form with the session's token and returns status, Location and body.
func (b *browser) form(path string, v url.Values) (int, string, string) {
	b.env.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("csrf_token") == "" {
		v.Set("csrf_token", b.csrf())
	}
	return b.post(path, v)
}

// flashAfter posts a form that redirects, follows the redirect and returns the page it lands on,
// which carries the action's message.
func (b *browser) flashAfter(path string, v url.Values) string {
	b.env.t.Helper()
	code, loc, body := b.form(path, v)
	if code != 303 {
		b.env.t.Fatalf("POST %s: %d, want a redirect: %.500s", path, code, body)
	}
	code, _, page := b.get(loc)
	if code != 200 {
		b.env.t.Fatalf("GET %s after POST %s: %d %.300s", loc, path, code, page)
	}
	return page
}

// newConsoleStaff creates a staff account for the station through the admin's console page and logs
// them in.
func (env *testEnv) newConsoleStaff(admin *browser, username, station string) *browser {
	env.t.Helper()
	code, loc, page := admin.form("/console/staff", url.Values{"username": {username}, "display_name": {"测试" + username},
		"password": {"staff-password-1"}, "role": {"staff"}, "station_code": {station}})
	if code != 303 || !strings.HasPrefix(loc, "/console/staff") {
		env.t.Fatalf("create staff %s: %d %s %.300s", username, code, loc, page)
	}
	return env.consoleLogin(username, "staff-password-1")
}

// jobValues is a valid gig form for the console's 代发岗位: 中宁枸杞 picking from tomorrow.
func jobValues(employerID int64, change ...func(url.Values)) url.Values {
	v := url.Values{"employer_id": {fmt.Sprint(employerID)}, "title": {"枸杞园招摘果工 3 名 日结"},
		"description": {"摘枸杞鲜果，当天过秤。"}, "skills": {"枸杞采摘"}, "headcount": {"3"}, "wage": {"180"},
		"wage_unit": {"day"}, "settlement": {"daily"}, "place": {"中宁县/宁安镇"}, "address": {"宁安镇枸杞基地"},
		"start_date": {"2026-05-11"}, "end_date": {"2026-05-20"}, "shift1_start": {"06:00"}, "shift1_end": {"11:00"},
		"shift2_start": {"15:00"}, "shift2_end": {"18:00"}, "contact": {"王经理 13812345678"}}
	for _, c := range change {
		c(v)
	}
	return v
}

// deskValues is a valid 代登记 form.
func deskValues(phone, name string, change ...func(url.Values)) url.Values {
	v := url.Values{"phone": {phone}, "name": {name}, "skills": {"枸杞采摘", "搬运"}, "place": {"中宁县/宁安镇"},
		"available_from": {"2026-05-10"}, "wage": {"150"}, "wage_unit": {"day"}, "max_commute_km": {"30"}, "signin": {"1"}}
	for _, c := range change {
		c(v)
	}
	return v
}

var idInPath = regexp.MustCompile(`/(\d+)(?:\?|$)`)

// idFrom reads the record id at the end of a redirect's Location.
func idFrom(t *testing.T, loc string) int64 {
	t.Helper()
	m := idInPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("no id in %q", loc)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}
