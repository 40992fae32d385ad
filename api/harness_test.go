package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"lingong/api/v1/spectest"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
	"lingong/store"
	"lingong/store/storetest"
)

// These tests run the api against a real, migrated store on every engine (SQLite always, PostgreSQL
// when LINGONG_TEST_DATABASE_URL is set), through a real HTTP server.

const testPublicURL = "http://lg.test"

// testClock is a settable clock shared by the api and the store.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testEnv is one running api on one engine.
type testEnv struct {
	t      *testing.T
	engine storetest.Engine
	store  *store.Store
	db     *sql.DB // the same database, for setting up and counting rows
	clock  *testClock
	server *Server
	http   *httptest.Server
	admin  string // an admin's bearer token
	bodies *bodyLog
}

// bodyLog keeps every response body, so a test can assert that none carried a resident ID number.
type bodyLog struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (b *bodyLog) add(p []byte) {
	b.mu.Lock()
	b.bodies = append(b.bodies, append([]byte(nil), p...))
	b.mu.Unlock()
}

// eachEnv runs fn on every engine with a fresh service. limits zero means generous test limits (no
// interval, 100 a hour per phone and per IP), so tests that are not about limits never hit them.
func eachEnv(t *testing.T, limits domain.OTPLimits, fn func(t *testing.T, env *testEnv)) {
	t.Helper()
	if limits == (domain.OTPLimits{}) {
		limits = domain.OTPLimits{PhonePerHour: 100, IPPerHour: 100}
	}
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clock := &testClock{now: time.Now().UTC()}
			st := storetest.Open(t, e, clock.Now)
			s := testServer(Options{PublicURL: testPublicURL, SecretKey: storetest.TestKey}, app.Options{OTPLimits: limits, SMSCallbackToken: testCallbackToken},
				app.Deps{Store: st, Clock: clock.Now, SMSCallbacks: sms.Callbacks{}, WorkingDays: app.AttendanceDays{Store: st, Clock: clock.Now}})
			env := &testEnv{t: t, engine: e, store: st, db: storetest.SQL(t, e), clock: clock, server: s, bodies: &bodyLog{}}
			env.http = httptest.NewServer(spectest.Handler(t, s.Handler()))
			t.Cleanup(env.http.Close)
			var login struct{ Token string }
			env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-test-password"}, 200, &login)
			env.admin = login.Token
			fn(t, env)
		})
	}
}

// do sends a JSON request (body may be nil, a string of raw JSON, or a value to marshal) and returns
// the status and body.
func (env *testEnv) do(method, path, token string, body any, header ...string) (int, []byte, http.Header) {
	env.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			env.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, env.http.URL+path, r)
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		env.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	env.bodies.add(b)
	return resp.StatusCode, b, resp.Header
}

// mustJSON sends a request, insists on the status and decodes the answer into out (when not nil).
func (env *testEnv) mustJSON(method, path, token string, body any, want int, out any) {
	env.t.Helper()
	code, b, _ := env.do(method, path, token, body)
	if code != want {
		env.t.Fatalf("%s %s = %d, want %d: %s", method, path, code, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			env.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

// apiError decodes the standard error body.
func apiError(t *testing.T, b []byte) errorDetail {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(b, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not the standard error body: %s", b)
	}
	return e.Error
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// testCallbackToken is the secret of the SMS providers' callback URLs in tests.
const testCallbackToken = "test-callback-token-0123456789abcdef"

// sendCode asks for a code for phone and reads it from the SMS outbox, as an admin would.
func (env *testEnv) sendCode(phone string) string {
	env.t.Helper()
	env.mustJSON("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, 202, nil)
	return env.lastCode(phone)
}

func (env *testEnv) lastCode(phone string) string {
	env.t.Helper()
	var out listResponse[domain.SMSMessage]
	outbox := "/api/v1/admin/sms-outbox?phone=" + url.QueryEscape(phone) + "&per_page=1"
	if code, _, _ := env.do("GET", outbox, env.admin, nil); code == http.StatusUnauthorized {
		// The test moved its clock past the admin's session (a test that starts just after midnight in
		// 中卫 and jumps to the next morning): log in again, as the admin would.
		env.admin = env.login("admin", "admin-test-password")
	}
	env.mustJSON("GET", outbox, env.admin, nil, 200, &out)
	if len(out.Items) == 0 {
		env.t.Fatalf("no SMS to %s in the outbox", phone)
	}
	code := sixDigits.FindString(out.Items[0].Body)
	if code == "" {
		env.t.Fatalf("no code in %q", out.Items[0].Body)
	}
	return code
}

// registration is a valid POST /api/v1/workers body; change it per case.
func registration(phone, code string) map[string]any {
	return map[string]any{
		"phone": phone, "code": code, "name": "马建国", "station_code": "ZN-S03",
		"skills": []string{"枸杞采摘", "搬运"}, "certs": []string{"健康证"}, "district": "中宁县", "town": "新堡镇",
		"self_description": "会开三轮车", "expected_wage_fen": 15000, "expected_wage_unit": "day",
		"max_commute_km": 20,
	}
}

type registered struct {
	Worker    workerView `json:"worker"`
	Token     string     `json:"token"`
	ExpiresAt string     `json:"expires_at"`
	Created   bool       `json:"created"`
}

// register registers a worker with a fresh code and returns the answer.
func (env *testEnv) register(phone string, change func(map[string]any)) registered {
	env.t.Helper()
	body := registration(phone, env.sendCode(phone))
	if change != nil {
		change(body)
	}
	var out registered
	env.mustJSON("POST", "/api/v1/workers", "", body, 201, &out)
	return out
}

// createStaff adds a console user at the station and returns a bearer token for them.
func (env *testEnv) createStaff(username, stationCode string) (string, domain.Station) {
	env.t.Helper()
	ctx := context.Background()
	st, err := env.store.StationByCode(ctx, stationCode)
	if err != nil {
		env.t.Fatal(err)
	}
	hash, err := store.HashPassword("staff-test-password")
	if err != nil {
		env.t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := env.db.Exec(`INSERT INTO staff (city_code, username, display_name, password_hash, role, station_id, created_at, updated_at)
		VALUES ('640500', $1, $2, $3, 'staff', $4, $5, $6)`, username, username, hash, st.ID, now, now); err != nil {
		env.t.Fatal(err)
	}
	var login struct{ Token string }
	env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": "staff-test-password"}, 200, &login)
	return login.Token, st
}

// count returns a row count.
func (env *testEnv) count(table string) int {
	env.t.Helper()
	var n int
	if err := env.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		env.t.Fatal(err)
	}
	return n
}

// browser is a cookie-keeping client that does not follow redirects, for the form pages.
type browser struct {
	env    *testEnv
	client *http.Client
}

func (env *testEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{env: env, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// get and post return the status, the Location header and the body.
func (b *browser) get(path string) (int, string, string) {
	b.env.t.Helper()
	return b.send(http.NewRequest("GET", b.env.http.URL+path, nil))
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.env.t.Helper()
	req, err := http.NewRequest("POST", b.env.http.URL+path, strings.NewReader(form.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.send(req, err)
}

func (b *browser) send(req *http.Request, err error) (int, string, string) {
	b.env.t.Helper()
	if err != nil {
		b.env.t.Fatal(err)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.env.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.env.bodies.add(body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

func decodeInto(s string, v any) error { return json.Unmarshal([]byte(s), v) }
