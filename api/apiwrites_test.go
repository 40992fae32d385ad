package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 18 item 4: another site cannot make a logged-in browser write through the JSON API. The console
// session cookie (staff) and the worker pages' cookie are refused for writes without the session's
// X-CSRF-Token, and a body that is not declared JSON is refused with 415 whoever sends it.
func TestCookieCannotWriteTheAPIFromAnotherSite(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		worker := env.register("13700001234", nil)
		employer := `{"kind":"individual","name":"马建军枸杞园","contact_name":"马建军","contact_phone":"13912345678","station_code":"ZN-S03"}`
		send := func(method, path, body, ctype string, header ...string) (int, errorDetail) {
			t.Helper()
			var r io.Reader
			if body != "" {
				r = strings.NewReader(body)
			}
			req, err := http.NewRequest(method, env.http.URL+path, r)
			if err != nil {
				t.Fatal(err)
			}
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			req.Header.Set("Origin", "https://evil.example")
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var e errorDetail
			if resp.StatusCode >= 400 {
				e = apiError(t, b)
			}
			return resp.StatusCode, e
		}
		staffCookie := "lg_session=" + env.admin
		workerCookie := "lg_session=" + worker.Token
		employersBefore := env.count("employers")
		for _, tc := range []struct {
			name             string
			method, path     string
			body, ctype      string
			header           []string
			wantStatus       int
			wantCode, wField string
		}{
			{"staff cookie, text/plain, foreign origin", "POST", "/api/v1/employers", employer, "text/plain", []string{"Cookie", staffCookie}, 415, "unsupported_media_type", "Content-Type"},
			{"staff cookie, form encoding", "POST", "/api/v1/employers", employer, "application/x-www-form-urlencoded", []string{"Cookie", staffCookie}, 415, "unsupported_media_type", "Content-Type"},
			{"staff cookie, no content type", "POST", "/api/v1/employers", employer, "", []string{"Cookie", staffCookie}, 415, "unsupported_media_type", "Content-Type"},
			{"staff cookie, JSON without the CSRF token", "POST", "/api/v1/employers", employer, "application/json", []string{"Cookie", staffCookie}, 403, "forbidden", "X-CSRF-Token"},
			{"staff cookie, JSON with a wrong CSRF token", "POST", "/api/v1/employers", employer, "application/json", []string{"Cookie", staffCookie, "X-CSRF-Token", "guess"}, 403, "forbidden", "X-CSRF-Token"},
			{"bearer token, text/plain", "POST", "/api/v1/employers", employer, "text/plain", []string{"Authorization", "Bearer " + env.admin}, 415, "unsupported_media_type", "Content-Type"},
			{"worker cookie revokes own card without a token", "POST", "/api/v1/workers/me/card/revoke", "", "", []string{"Cookie", workerCookie}, 403, "forbidden", "X-CSRF-Token"},
			{"worker cookie revokes own card, text/plain body", "POST", "/api/v1/workers/me/card/revoke", "{}", "text/plain", []string{"Cookie", workerCookie}, 415, "unsupported_media_type", "Content-Type"},
		} {
			status, e := send(tc.method, tc.path, tc.body, tc.ctype, tc.header...)
			if status != tc.wantStatus || string(e.Code) != tc.wantCode || e.Field != tc.wField || e.Message == "" {
				t.Errorf("%s: %d %+v, want %d %s on %s", tc.name, status, e, tc.wantStatus, tc.wantCode, tc.wField)
			}
		}
		if n := env.count("employers"); n != employersBefore {
			t.Errorf("employers %d -> %d: a refused request wrote", employersBefore, n)
		}
		// The card still works: the worker's own card was not revoked.
		if code, _, _ := env.do("GET", "/api/v1/workers/me", worker.Token, nil); code != 200 {
			t.Fatalf("worker after the refused revocation: %d", code)
		}
		// Reads by cookie still work (the console links PDFs), and so does a write with the session's token.
		p, err := env.store.Authenticate(context.Background(), env.admin)
		if err != nil {
			t.Fatal(err)
		}
		csrf, _ := env.store.StaffCSRFToken(context.Background(), p.SessionID)
		if status, e := send("GET", "/api/v1/stats", "", "", "Cookie", staffCookie); status != 200 {
			t.Errorf("cookie read: %d %+v", status, e)
		}
		if status, e := send("POST", "/api/v1/employers", employer, "application/json; charset=utf-8", "Cookie", staffCookie, "X-CSRF-Token", csrf); status != 201 {
			t.Errorf("cookie write with the session's token: %d %+v", status, e)
		}
	})
}
