package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"lingong/api/v1/spectest"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
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
