package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
	"lingong/store"
	"lingong/store/storetest"
)

// FuzzHTTPInputs replays fuzzed input through the real router on a real (SQLite) store, into every
// decoder of outside input: JSON bodies (registration, SMS code, gig, ledger, review, profile) and query
// parameters (the library's paging and filters, the monitoring filters, the staff look-up, the verify
// path). Whatever arrives, the answer is never a 5xx and never a panic (issue 9 item 9).
func FuzzHTTPInputs(f *testing.F) {
	e := storetest.Engines(f)[0]
	clock := func() time.Time { return time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC) }
	st := storetest.Open(f, e, clock)
	srv := testServer(Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey},
		app.Options{Wage: domain.DefaultWageStandard(), OTPLimits: domain.OTPLimits{PhonePerHour: 1 << 30, IPPerHour: 1 << 30}},
		app.Deps{Store: st, Clock: clock, Index: matching.NewIndex()})
	h := srv.Handler()
	call := func(method, path, token, body string) int {
		req, err := http.NewRequest(method, "http://lg.test"+path, strings.NewReader(body))
		if err != nil || strings.ContainsAny(path, " \t\r\n") {
			return 0 // not a request a client could send
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	var login struct{ Token string }
	{
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"username":"admin","password":"admin-test-password"}`))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		json.Unmarshal(rec.Body.Bytes(), &login)
	}
	admin := login.Token
	db := storetest.SQL(f, e)
	now := clock()
	var empID int64
	if err := db.QueryRow(`INSERT INTO employers (kind, name, contact_name, contact_phone, station_id, created_at, updated_at)
		VALUES ('individual', '王建国', '王建国', '13900001111', 1, $1, $1) RETURNING id`, now).Scan(&empID); err != nil {
		f.Fatal(err)
	}
	key := store.NewSecret(store.APIKeyPrefix)
	db.Exec(`INSERT INTO api_keys (employer_id, prefix, key_hash, created_at) VALUES ($1, 'lgk_', $2, $3)`, empID, store.HashSecret(key), now)

	type target struct {
		method, path, token string
		query               bool // the input goes into the query string, not the body
	}
	targets := []target{
		{"POST", "/api/v1/workers", "", false},
		{"POST", "/api/v1/workers", admin, false},
		{"POST", "/api/v1/auth/otp", "", false},
		{"POST", "/api/v1/auth/worker", "", false},
		{"POST", "/api/v1/jobs", key, false},
		{"POST", "/api/v1/employers", admin, false},
		{"POST", "/api/v1/jobs/1/review", admin, false},
		{"POST", "/api/v1/contracts/1/ledger", key, false},
		{"POST", "/api/v1/weigh-tickets", key, false},
		{"POST", "/api/v1/ledger/1/resolve", admin, false},
		{"GET", "/api/v1/stations/ZN-S03/payroll?", admin, true},
		{"GET", "/api/v1/arrears?", admin, true},
		{"POST", "/api/v1/jobs/1/applications", key, false},
		{"POST", "/api/v1/contracts/1/sign", admin, false},
		{"GET", "/api/v1/jobs?", "", true},
		{"GET", "/api/v1/stats?", admin, true},
		{"GET", "/api/v1/workers/lookup?q=", admin, true},
		{"GET", "/api/v1/admin/sms-outbox?", admin, true},
		{"GET", "/api/v1/verify/", "", true},
		{"GET", "/jobs?", "", true},
	}
	for i := range targets {
		f.Add(uint8(i), `{"phone":"13812348000"}`)
		f.Add(uint8(i), `page=2&per_page=100&q=枸杞&district=中宁县&date=2026-06-02&wage_min=100`)
		f.Add(uint8(i), "\xff\x00{")
		f.Add(uint8(i), `{"kind":"payment","amount_fen":12.5,"method":"cash"}`)
		f.Add(uint8(i), `{"title":"`+strings.Repeat("摘", 300)+`","headcount":-1}`)
	}
	f.Fuzz(func(t *testing.T, which uint8, input string) {
		tg := targets[int(which)%len(targets)]
		path, body := tg.path, input
		if tg.query {
			if strings.HasSuffix(path, "=") || strings.HasSuffix(path, "/") {
				path += url.PathEscape(input)
			} else {
				path += input
			}
			body = ""
			if _, err := url.ParseRequestURI(path); err != nil {
				return // not a request a client could send
			}
		}
		var buf bytes.Buffer
		buf.WriteString(body)
		if code := call(tg.method, path, tg.token, buf.String()); code >= 500 {
			t.Fatalf("%s %s with %q answered %d", tg.method, path, input, code)
		}
	})
}
