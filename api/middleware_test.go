package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"lingong/api/v1/spectest"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
)

// fakeStore answers the operations routes; only what these middleware tests touch.
type fakeStore struct {
	app.Store
	pingErr error
}

func (f *fakeStore) Ping(context.Context) error { return f.pingErr }
func (f *fakeStore) PoolStats() sql.DBStats     { return sql.DBStats{} }
func (f *fakeStore) Authenticate(context.Context, string) (domain.Principal, error) {
	return domain.Principal{}, domain.Unauthorized("登录凭证无效，请重新登录")
}

func do(t testing.TB, h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if err := spectest.Check(method, path, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Errorf("the answer breaks api/v1/openapi.yaml: %v", err)
	}
	return rec
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) errorDetail {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("body is not the standard error JSON: %v: %s", err, rec.Body.String())
	}
	return b.Error
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	fs := &fakeStore{}
	s := testServer(Options{}, app.Options{}, app.Deps{Store: fs})
	if rec := do(t, s.Handler(), "GET", "/readyz", ""); rec.Code != 200 {
		t.Errorf("ready: %d", rec.Code)
	}
	fs.pingErr = domain.Unavailable(errors.New("connection refused"))
	rec := do(t, s.Handler(), "GET", "/readyz", "")
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || errorOf(t, rec).Code != domain.CodeUnavailable {
		t.Errorf("database down: %d %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if rec := do(t, s.Handler(), "GET", "/healthz", ""); rec.Code != 200 {
		t.Errorf("healthz must not depend on the database: %d", rec.Code)
	}
}

func TestPanicsBecome500InTheStandardBody(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	s.engine.GET("/api/v1/boom", func(c *gin.Context) { panic("boom") })
	rec := do(t, s.Handler(), "GET", "/api/v1/boom", "")
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	if e := errorOf(t, rec); e.Code != domain.CodeInternal || strings.Contains(e.Message, "boom") {
		t.Errorf("error body %+v (must not leak the panic)", e)
	}
}

func TestStrictBodies(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	h := s.Handler()
	cases := []struct {
		name, body, wantField string
	}{
		{"unknown field is refused, not ignored", `{"username":"a","password":"b","role":"admin"}`, "role"},
		{"wrong type names the field", `{"username":1,"password":"b"}`, "username"},
		{"not json", `{"username":`, "body"},
		{"two objects", `{"username":"a","password":"b"}{}`, "body"},
		{"invalid utf-8", "{\"username\":\"\xff\xfe\",\"password\":\"b\"}", "body"},
		{"nul byte", "{\"username\":\"a\\u0000\",\"password\":\"b\"}", "username"},
		{"over 1 MiB", `{"username":"` + strings.Repeat("a", 1<<20) + `","password":"b"}`, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, h, "POST", "/api/v1/auth/login", tc.body, "Content-Type", "application/json")
			if rec.Code != 400 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if e := errorOf(t, rec); e.Code != domain.CodeInvalid || e.Field != tc.wantField || e.Message == "" {
				t.Errorf("error %+v, want invalid on %q", e, tc.wantField)
			}
		})
	}
}

func TestUnknownRoutesAndBadTokens(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	h := s.Handler()
	rec := do(t, h, "GET", "/api/v1/nope", "")
	if rec.Code != 404 || errorOf(t, rec).Code != domain.CodeNotFound {
		t.Errorf("unknown api route: %d %s", rec.Code, rec.Body)
	}
	rec = do(t, h, "GET", "/nope", "")
	if rec.Code != 404 || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), "没有这个地址") {
		t.Errorf("unknown page: %d %s", rec.Code, rec.Header())
	}
	// A dead credential is refused at once, even on a public route.
	rec = do(t, h, "GET", "/healthz", "", "Authorization", "Bearer lgk_revoked")
	if rec.Code != 401 || errorOf(t, rec).Code != domain.CodeUnauthorized {
		t.Errorf("bad token: %d %s", rec.Code, rec.Body)
	}
	rec = do(t, h, "POST", "/api/v1/auth/logout", "")
	if rec.Code != 401 {
		t.Errorf("logout without login: %d", rec.Code)
	}
	if rec.Header().Get("X-Request-ID") == "" {
		t.Error("no request id header")
	}
}

// What operations relies on from every request (docs/operations.md): one access-log line with the
// request id, method, route template, path without the query, status, duration, bytes and client IP; the
// security headers and Vary on every answer; and the request counter per route and status, counting each
// request.
func TestEveryRequestIsLoggedCountedAndHeadered(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(WithRequestIDs(slog.NewJSONHandler(&logs, nil)))
	clock := domain.Clock(func() time.Time { return benchToday.Start().Add(10 * time.Hour) })
	ix := matching.Build(matching.GenerateJobs(200, 20260601, benchToday), nil)
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &benchStore{}, Index: ix, Clock: clock, Logger: log})
	h := s.Handler()
	for range 3 {
		rec := do(t, h, "GET", "/api/v1/jobs?q=%E6%9E%B8%E6%9D%9E&page=1", "", "X-Request-ID", "req-0123456789")
		if rec.Code != 200 {
			t.Fatalf("search: %d %s", rec.Code, rec.Body)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			"X-Frame-Options": "DENY", "Vary": "Accept-Encoding", "X-Request-ID": "req-0123456789"} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("Content-Security-Policy %q", rec.Header().Get("Content-Security-Policy"))
		}
		if rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
			t.Errorf("Content-Length %q for %d bytes", rec.Header().Get("Content-Length"), rec.Body.Len())
		}
	}
	lines := 0
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] != "request" {
			continue
		}
		lines++
		for k, want := range map[string]any{"request_id": "req-0123456789", "method": "GET", "route": "/api/v1/jobs",
			"path": "/api/v1/jobs", "status": 200.0, "ip": "192.0.2.1", "level": "INFO"} {
			if rec[k] != want {
				t.Errorf("access log %s = %v, want %v: %s", k, rec[k], want, line)
			}
		}
		if d, ok := rec["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("access log duration_ms = %v", rec["duration_ms"])
		}
		if b, ok := rec["bytes"].(float64); !ok || b < 100 {
			t.Errorf("access log bytes = %v", rec["bytes"])
		}
	}
	if lines != 3 {
		t.Errorf("%d access log lines for 3 requests:\n%s", lines, logs.String())
	}
	metrics := do(t, h, "GET", "/metrics", "").Body.String()
	if want := `lingong_http_requests_total{method="GET",route="/api/v1/jobs",status="200"} 3`; !strings.Contains(metrics, want) {
		t.Errorf("/metrics lacks %s", want)
	}
	if want := `lingong_http_request_duration_seconds_count{method="GET",route="/api/v1/jobs"} 3`; !strings.Contains(metrics, want) {
		t.Errorf("/metrics lacks %s", want)
	}
}
