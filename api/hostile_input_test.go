package api

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lingong/store/storetest"
)

// Hostile input (issue 9 items 6 and 9): extra fields, long bodies and names, invalid UTF-8, NUL bytes,
// SQL and HTML injection. Each gets a 4xx (with the standard body) or is stored as typed and shown
// escaped; nothing reflects raw HTML into a page.

const (
	xssProbe = `"><script>alert(7)</script><img src=x onerror=alert(8)>`
	sqlProbe = `'); DROP TABLE workers; --`
)

// pageAs fetches a page with a session cookie (the console and /me pages read it), not following
// redirects.
func (e *env) pageAs(token, path string) (int, string) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// reflectsProbe finds the probe's markup alive in a page: the tags themselves, not their escaped text.
func reflectsProbe(body string) bool {
	return strings.Contains(body, "<script>alert(7)") || strings.Contains(body, "<img src=x onerror")
}

// Every page of the router, as anonymous, a worker and an admin, with the probe in every query
// parameter a page reads and in every path parameter: the probe never comes back unescaped.
func TestNoPageReflectsHTML(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approve(e.staffA, job.ID)
		w := e.newWorker("13812347001", "中宁县", "新堡镇")
		probe := url.QueryEscape(xssProbe)
		query := "?" + strings.Join([]string{"q=", "next=", "from=", "to=", "station=", "district=", "phone=", "ok=", "sent=",
			"error=", "date=", "skill=", "wage_min=", "page=", "status=", "month=", "code=", "table="}, probe+"&") + probe
		pages := 0
		for _, r := range e.srv.engine.Routes() {
			if r.Method != "GET" || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") ||
				strings.HasSuffix(r.Path, ".png") || strings.HasSuffix(r.Path, ".csv") || r.Path == "/metrics" {
				continue
			}
			for _, id := range []string{fmt.Sprint(job.ID), url.PathEscape(xssProbe)} {
				path := r.Path
				for _, p := range []string{":id", ":code", ":number", ":token"} {
					path = strings.ReplaceAll(path, p, id)
				}
				for _, who := range []string{"", w.token, e.admin} {
					_, body := e.pageAs(who, path+query)
					pages++
					if reflectsProbe(body) {
						t.Errorf("GET %s reflects the HTML probe unescaped", path)
					}
				}
			}
		}
		if pages < 60 {
			t.Errorf("only %d page requests made; the sweep is not reaching the pages", pages)
		}
	})
}

// Long, broken and injected input into the write routes: a clear 4xx, or stored exactly as typed and
// escaped wherever it is shown.
func TestLongBrokenAndInjectedInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		before := e.countAll()
		cases := []struct {
			name, method, path, token string
			body                      any
			field                     string
		}{
			{"1 MiB body", "POST", "/api/v1/jobs", emp.Key, `{"title":"` + strings.Repeat("摘", 1<<19) + `"}`, ""},
			{"10,000-character name", "POST", "/api/v1/workers", e.staffA, map[string]any{"phone": "13812347002", "name": strings.Repeat("张", 10000),
				"station_code": "ZN-S03", "skills": []string{"搬运"}, "district": "中宁县", "town": "新堡镇"}, "name"},
			// A route with a path parameter: the parameter check must not turn the size into a vague error.
			{"over 1 MiB on a route with a path parameter", "POST", "/api/v1/no-shows/1/decision", emp.Key,
				`{"decision":"confirm","reason":"` + strings.Repeat("a", 1<<20) + `"}`, "body"},
			{"invalid UTF-8", "POST", "/api/v1/jobs", emp.Key, "{\"title\":\"\xff\xfe\xfd\"}", "body"},
			{"NUL byte", "POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["title"] = "摘\x00果" }), "title"},
			{"SQL in a name", "POST", "/api/v1/workers", e.staffA, map[string]any{"phone": "13812347003", "name": sqlProbe,
				"station_code": "ZN-S03", "skills": []string{"搬运"}, "district": "中宁县", "town": "新堡镇"}, "name"},
			{"SQL in a skill", "POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["skills"] = []string{sqlProbe} }), "skills"},
			{"extra status", "POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["status"] = "open" }), "status"},
			{"extra filled", "POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["filled"] = 0 }), "filled"},
			{"extra employer_id", "PATCH", fmt.Sprintf("/api/v1/jobs/%d", 1), emp.Key, map[string]any{"employer_id": 99}, "employer_id"},
			{"extra role", "POST", "/api/v1/auth/login", "", map[string]any{"username": "admin", "password": "x", "role": "admin"}, "role"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do(tc.method, tc.path, tc.token, tc.body)
				if r.Code < 400 || r.Code >= 500 {
					t.Fatalf("%d: %s", r.Code, r.Body)
				}
				if tc.field != "" && r.Code == 400 && r.err().Field != tc.field {
					t.Errorf("error on field %q, want %q: %s", r.err().Field, tc.field, r.Body)
				}
			})
		}
		if after := e.countAll(); !maps.Equal(after, before) {
			t.Errorf("refused requests changed the database: %v -> %v", before, after)
		}
		// Injection that is valid text is stored exactly as typed and shown escaped.
		job := e.postJob(emp.Key, jobBody(func(m map[string]any) {
			m["title"] = "枸杞采摘 <b>急招</b>"
			m["description"] = xssProbe + " " + sqlProbe
		}))
		e.approve(e.staffA, job.ID)
		var got jobView
		if code := e.call("GET", fmt.Sprintf("/api/v1/jobs/%d", job.ID), "", nil, &got); code != 200 || got.Description != xssProbe+" "+sqlProbe {
			t.Errorf("stored description %q (%d)", got.Description, code)
		}
		_, page := e.pageAs("", fmt.Sprintf("/jobs/%d", job.ID))
		if reflectsProbe(page) || strings.Contains(page, "<b>急招</b>") || !strings.Contains(page, "&lt;b&gt;急招&lt;/b&gt;") {
			t.Errorf("the gig page does not escape what the employer typed")
		}
		if code := e.call("GET", "/api/v1/jobs?q="+url.QueryEscape(sqlProbe), "", nil, nil); code != 200 {
			t.Errorf("search for SQL text: %d", code)
		}
		if e.countAll()["workers"] != before["workers"] {
			t.Errorf("workers table changed")
		}
	})
}

// countAll counts the rows of the tables a refused request must not touch.
func (e *env) countAll() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	db := storetest.SQL(e.t, e.eng)
	for _, table := range []string{"workers", "jobs", "employers", "applications", "contracts", "ledger_entries", "audit_events", "idempotency_keys", "staff"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			e.t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
