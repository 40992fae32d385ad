package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 18 item 8: a name with characters the documents' font lacks (they print as 〓) is accepted with
// a warning at registration that names them and the worker number printed beside the name; the worker's
// page repeats it. A name that prints gets no warning.
func TestUnprintableNameIsWarnedAtRegistration(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		type resp struct {
			registered
			NameWarning string `json:"name_warning"`
		}
		for _, tc := range []struct {
			phone, name string
			want        []string // in the warning; nil = no warning
		}{
			{"13700003001", "䶮", []string{"都无法打印", "〓", "LG"}},
			{"13700003002", "刘䶮", []string{"“䶮”", "〓", "LG"}},
			{"13700003003", "王芳", nil},
		} {
			body := registration(tc.phone, env.sendCode(tc.phone))
			body["name"] = tc.name
			var r resp
			env.mustJSON("POST", "/api/v1/workers", "", body, 201, &r)
			if tc.want == nil {
				if r.NameWarning != "" {
					t.Errorf("%s: warning %q, want none", tc.name, r.NameWarning)
				}
				continue
			}
			for _, w := range append(tc.want, r.Worker.No) {
				if !strings.Contains(r.NameWarning, w) {
					t.Errorf("%s: warning %q lacks %q", tc.name, r.NameWarning, w)
				}
			}
			b := env.browser()
			b.client.Jar.SetCookies(mustURL(t, env.http.URL), []*http.Cookie{{Name: "lg_session", Value: r.Token}})
			if code, _, page := b.get("/me"); code != 200 || !strings.Contains(page, `id="name-warning"`) || !strings.Contains(page, r.Worker.No) {
				t.Errorf("%s: /me %d without the warning", tc.name, code)
			}
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
