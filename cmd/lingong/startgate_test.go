package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// While the index is still loading, a probe sees a live process (/healthz 200) that is not ready yet
// (/readyz 503, Retry-After), and a phone's request gets the standard error body, not a hung connection;
// once ready, the service answers everything.
func TestStartGateAnswersHealthAtOnceAndReadyWhenBuilt(t *testing.T) {
	g := &startGate{}
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	if w := get("/healthz"); w.Code != 200 || !strings.Contains(w.Body.String(), `"ok"`) {
		t.Errorf("/healthz while starting: %d %s", w.Code, w.Body)
	}
	for _, p := range []string{"/readyz", "/api/v1/jobs?q=摘果"} {
		w := get(p)
		if w.Code != 503 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"code":"unavailable"`) {
			t.Errorf("%s while starting: %d %v %s", p, w.Code, w.Header(), w.Body)
		}
	}
	g.ready(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for _, p := range []string{"/healthz", "/readyz"} {
		if w := get(p); w.Code != http.StatusTeapot {
			t.Errorf("%s once ready: %d, want the service's answer", p, w.Code)
		}
	}
}
