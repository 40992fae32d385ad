package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"lingong/app"
	"lingong/store/storetest"
)

// Issue 18 item 8: production answers carry HSTS, and /metrics is not public there: it needs the
// configured token, or is not served at all without one.
func TestProductionSendsHSTSAndGuardsMetrics(t *testing.T) {
	st := storetest.Open(t, storetestSQLite(t), nil)
	get := func(s *Server, path, auth string) *http.Response {
		t.Helper()
		srv := newTestHTTP(t, s)
		req, _ := http.NewRequest("GET", srv+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const token = "metrics-token-0123456789"
	prod := testServer(Options{Production: true}, app.Options{}, app.Deps{Store: st})
	prodWithToken := testServer(Options{Production: true, MetricsToken: token}, app.Options{}, app.Deps{Store: st})
	dev := testServer(Options{}, app.Options{}, app.Deps{Store: st})

	for _, path := range []string{"/healthz", "/api/v1/stations", "/console/login", "/no-such-page"} {
		if h := get(prod, path, "").Header.Get("Strict-Transport-Security"); h != "max-age=31536000; includeSubDomains" {
			t.Errorf("production %s: HSTS %q", path, h)
		}
		if h := get(dev, path, "").Header.Get("Strict-Transport-Security"); h != "" {
			t.Errorf("development %s (plain HTTP on a LAN): HSTS %q", path, h)
		}
	}
	for _, tc := range []struct {
		name   string
		s      *Server
		auth   string
		status int
	}{
		{"production without a token configured", prod, "", 404},
		{"production, token configured, none sent", prodWithToken, "", 401},
		{"production, wrong token", prodWithToken, "Bearer metrics-token-wrong", 401},
		{"production, a staff session token", prodWithToken, "Bearer lgs_abc", 401},
		{"production, the token", prodWithToken, "Bearer " + token, 200},
		{"development without a token configured", dev, "", 200},
	} {
		if got := get(tc.s, "/metrics", tc.auth).StatusCode; got != tc.status {
			t.Errorf("%s: /metrics %d, want %d", tc.name, got, tc.status)
		}
	}
}

// newTestHTTP serves s on a loopback port for the test and returns its base URL.
func newTestHTTP(t *testing.T, s *Server) string {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}
