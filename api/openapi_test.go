package api

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/app"
	"lingong/domain"
)

// Every route of the router is documented, and every documented operation is routed: a new route
// without documentation, or documentation of a route that went away, fails here.
func TestOpenAPIDocumentsEveryRouteAndNothingElse(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	routed := map[string]bool{}
	for _, r := range s.engine.Routes() {
		routed[r.Method+" "+openapiPath(r.Path)] = true
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

// requestBodies maps each operation with a JSON body to the struct its handler decodes into, so the
// documented fields and the accepted fields cannot drift apart. A new operation with a body must be
// added here.
var requestBodies = map[string]any{
	"POST /api/v1/auth/login":                          loginRequest{},
	"POST /api/v1/auth/otp":                            otpRequest{},
	"POST /api/v1/auth/worker":                         workerLoginRequest{},
	"POST /api/v1/workers":                             registerRequest{},
	"PATCH /api/v1/workers/me":                         profilePatch{},
	"POST /api/v1/employers":                           employerRequest{},
	"POST /api/v1/employers/{id}/keys":                 struct{}{},
	"POST /api/v1/employers/{id}/keys/{key_id}/rotate": struct{}{},
	"POST /api/v1/jobs":                                jobCreateRequest{},
	"PATCH /api/v1/jobs/{id}":                          jobFields{},
	"POST /api/v1/jobs/{id}/review":                    reviewRequest{},
	"POST /api/v1/jobs/{id}/close":                     closeRequest{},
	"POST /api/v1/jobs/{id}/applications":              applyRequest{},
	"POST /api/v1/workers/me/otp":                      confirmCodeRequest{},
	"POST /api/v1/contracts/{id}/sign":                 signRequest{},
	"POST /api/v1/contracts/{id}/amend":                app.Amendment{},
	"POST /api/v1/contracts/{id}/ledger":               ledgerRequest{},
	"POST /api/v1/weigh-tickets":                       weighTicketRequest{},
	"POST /api/v1/ledger/{id}/confirm":                 ledgerAnswerRequest{},
	"POST /api/v1/ledger/{id}/dispute":                 ledgerAnswerRequest{},
	"POST /api/v1/ledger/{id}/resolve":                 resolveRequest{},
}

func TestDocumentedBodiesMatchTheRequestStructs(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range doc.Paths.Keys() {
		for method, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
				continue
			}
			key := method + " " + path
			seen[key] = true
			v, ok := requestBodies[key]
			if !ok {
				t.Errorf("%s documents a JSON body: add its request struct to requestBodies", key)
				continue
			}
			props, _ := collectProps(op.RequestBody.Value.Content.Get("application/json").Schema)
			var documented []string
			for n := range props {
				documented = append(documented, n)
			}
			sort.Strings(documented)
			accepted := jsonFields(reflect.TypeOf(v))
			sort.Strings(accepted)
			if d := cmp.Diff(documented, accepted); d != "" {
				t.Errorf("%s: documented fields vs accepted fields (-documented +accepted):\n%s", key, d)
			}
		}
	}
	for key := range requestBodies {
		if !seen[key] {
			t.Errorf("requestBodies has %s, which documents no JSON body", key)
		}
	}
}

// jsonFields lists the JSON names a struct accepts, through embedded structs.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		switch {
		case f.Anonymous && tag == "":
			out = append(out, jsonFields(f.Type)...)
		case tag == "-":
		case tag != "":
			out = append(out, tag)
		default:
			out = append(out, f.Name)
		}
	}
	return out
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
			rec := do(h, "GET", tc.path, "")
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
	rec := do(h, "GET", "/api/openapi.yaml", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "openapi: 3") {
		t.Fatalf("yaml: %d", rec.Code)
	}
	rec = do(h, "GET", "/api/docs", "")
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
