package api

import (
	"sort"
	"strings"
	"testing"

	v1 "lingong/api/v1"
	"lingong/app"
	"lingong/domain"
)

// Every route of the router is documented, and every documented operation is routed: a new route
// without documentation, or documentation of a route that went away, fails here.
func TestOpenAPIDocumentsEveryRouteAndNothingElse(t *testing.T) {
	doc, err := v1.Spec()
	if err != nil {
		t.Fatal(err)
	}
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	routed := map[string]bool{}
	for _, r := range s.engine.Routes() {
		routed[r.Method+" "+v1.OpenAPIPath(r.Path)] = true
	}
	documented := map[string]bool{}
	for _, path := range doc.Paths.Keys() {
		for method := range doc.Paths.Value(path).Operations() {
			documented[method+" "+path] = true
		}
	}
	var undocumented, unrouted []string
	for r := range routed {
		if !documented[r] {
			undocumented = append(undocumented, r)
		}
	}
	for d := range documented {
		if !routed[d] {
			unrouted = append(unrouted, d)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unrouted)
	if len(undocumented) > 0 {
		t.Errorf("routes missing from api/openapi.yaml:\n  %s", strings.Join(undocumented, "\n  "))
	}
	if len(unrouted) > 0 {
		t.Errorf("documented operations with no route:\n  %s", strings.Join(unrouted, "\n  "))
	}
	if len(routed) < 20 {
		t.Errorf("only %d routes: is the table being read?", len(routed))
	}
}

func TestParametersAreValidatedAgainstTheDocument(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	h := s.Handler()
	cases := []struct {
		path, field, want string
	}{
		{"/api/v1/jobs?per_page=101", "per_page", "不能大于 100"},
		{"/api/v1/jobs?page=0", "page", "不能小于 1"},
		{"/api/v1/jobs?page=abc", "page", "应为数字"},
		{"/api/v1/jobs?wage_min=-1", "wage_min", "不能小于 0"},
		{"/api/v1/jobs?district=%E5%8C%97%E4%BA%AC", "district", "沙坡头区"},
		{"/api/v1/jobs?date=2026-13-01", "date", "日期"},
		{"/api/v1/jobs?q=" + strings.Repeat("%E6%91%98", 51), "q", "最多 50"},
		{"/api/v1/jobs/abc", "id", "应为数字"},
		{"/api/v1/jobs/0", "id", "不能小于 1"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			rec := do(t, h, "GET", tc.path, "")
			if rec.Code != 400 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if e := errorOf(t, rec); e.Code != domain.CodeInvalid || e.Field != tc.field || !strings.Contains(e.Message, tc.want) {
				t.Errorf("error %+v, want %s containing %q", e, tc.field, tc.want)
			}
		})
	}
}

func TestDocsAreServedFromTheBinary(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	h := s.Handler()
	rec := do(t, h, "GET", "/api/openapi.yaml", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "openapi: 3") {
		t.Fatalf("yaml: %d", rec.Code)
	}
	rec = do(t, h, "GET", "/api/docs", "")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("docs: %d %s", rec.Code, rec.Header())
	}
	for _, want := range []string{"POST</code> <code>/api/v1/jobs</code>", "Idempotency-Key", "wage_fen", "审核岗位", "/api/openapi.yaml"} {
		if !strings.Contains(body, want) {
			t.Errorf("docs page lacks %q", want)
		}
	}
	for _, banned := range []string{"http://", "https://", "<script"} {
		if strings.Contains(body, banned) {
			t.Errorf("docs page refers to %q: it must work without the internet", banned)
		}
	}
}
