package spectest

import (
	"net/http"
	"strings"
	"testing"
)

// The checker is what makes drift fail the API tests, so it must itself tell a good answer from each
// kind of bad one.
func TestCheckTellsDriftFromAGoodAnswer(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	cases := []struct {
		name, method, path string
		status             int
		body               string
		wantErr            string // "" = passes
	}{
		{"a documented answer", "GET", "/healthz", 200, `{"status":"ok"}`, ""},
		{"an undocumented status", "GET", "/healthz", 418, `{"status":"ok"}`, "status is not supported"},
		{"a field the document does not declare", "GET", "/healthz", 200, `{"status":"ok","uptime":3}`, "$.uptime"},
		{"a required field missing", "GET", "/healthz", 200, `{}`, "status"},
		{"a nested undeclared field", "GET", "/api/v1/verify/ZW-202605-000001", 200,
			`{"number":"ZW-202605-000001","version":1,"status":"active","status_text":"已生效","intact":true,"problems":[],"terms_hash":"x","employer":"e","worker":"w","work":"k","start":"2026-05-11","end":"2026-06-30","station":"s","signatures":[{"role":"worker","method":"sms","signer":"马**","signed_at":"2026-05-10T01:30:00Z","ip":"1.2.3.4"}]}`,
			"$.signatures[0].ip"},
		{"a wrong type", "GET", "/api/v1/arrears", 200, `{"items":[],"total":"0","page":1,"per_page":20}`, "total"},
		{"the standard error on a documented status", "GET", "/api/v1/contracts/7", 404, `{"error":{"code":"not_found","message":"合约不存在"}}`, ""},
		{"a path the document does not describe", "GET", "/nowhere", 404, `{}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.method, tc.path, tc.status, jsonHeader, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Check = %v, want it to pass", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Check = %v, want an error naming %q", err, tc.wantErr)
			}
		})
	}
}
