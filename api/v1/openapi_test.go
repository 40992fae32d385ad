package v1

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/app"
)

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

// requestBodies maps each operation with a JSON body to the struct its handler decodes into, so the
// documented fields and the accepted fields cannot drift apart. A new operation with a body must be
// added here.
var requestBodies = map[string]any{
	"POST /api/v1/attendance/{id}/answer":           clockAnswerRequest{},
	"POST /api/v1/jobs/{id}/attendance":             clockRequest{},
	"POST /api/v1/attendance/scan":                  scanRequest{},
	"POST /api/v1/jobs/{id}/cover/check":            coverCheckRequest{},
	"POST /api/v1/ledger/{id}/employer-review":      employerReviewRequest{},
	"POST /api/v1/no-shows/{id}/decision":           noShowDecisionRequest{},
	"POST /api/v1/no-shows/{id}/contest":            noShowDecisionRequest{},
	"POST /api/v1/contracts/{id}/cancel":            cancelRequest{},
	"POST /api/v1/contracts/{id}/withdraw":          cancelRequest{},
	"POST /api/v1/contracts/{id}/end-early":         endEarlyRequest{},
	"POST /api/v1/workers/me/no-shows/{id}/contest": cancelRequest{},
	// The providers' callbacks: each provider's own format, read by package sms, not a struct here.
	"POST /api/v1/sms/{provider}/receipts":             struct{}{},
	"POST /api/v1/sms/{provider}/replies":              struct{}{},
	"POST /api/v1/auth/login":                          loginRequest{},
	"PUT /api/v1/admin/protection":                     protectionSettingsRequest{},
	"PUT /api/v1/jobs/{id}/cover":                      coverRequest{},
	"POST /api/v1/employers/{id}/guarantee":            guaranteeRequest{},
	"POST /api/v1/arrears/{id}/advance":                advanceRequest{},
	"POST /api/v1/incidents":                           incidentRequest{},
	"POST /api/v1/incidents/{id}/status":               incidentStatusRequest{},
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
	"POST /api/v1/applications/{id}/report":            reportRequest{},
	"POST /api/v1/workers/me/otp":                      confirmCodeRequest{},
	"POST /api/v1/contracts/{id}/sign":                 signRequest{},
	"POST /api/v1/contracts/{id}/amend":                app.Amendment{},
	"POST /api/v1/contracts/{id}/ledger":               ledgerRequest{},
	"POST /api/v1/weigh-tickets":                       weighTicketRequest{},
	"POST /api/v1/ledger/{id}/confirm":                 ledgerAnswerRequest{},
	"POST /api/v1/ledger/{id}/dispute":                 ledgerAnswerRequest{},
	"POST /api/v1/ledger/{id}/resolve":                 resolveRequest{},
}
