package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/store/storetest"
)

// BenchmarkWorkerMatches measures GET /api/v1/workers/me/matches through the router and every middleware
// (no network) against a real database: the session lookup, the worker with their tags and live
// applications, the engine's worker query over the 100,000 gigs of BenchmarkLibrarySearch, and the JSON.
// Eight workers registered through the API ask in turn. SQLite always, PostgreSQL with
// LINGONG_TEST_DATABASE_URL; p50 and p99 per request:
//
//	go test ./api -run '^$' -bench 'WorkerMatches' -benchtime 5000x
func BenchmarkWorkerMatches(b *testing.B) {
	ix := libraryIndex()
	clock := domain.Clock(func() time.Time { return benchToday.Start().Add(10 * time.Hour) })
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			st := storetest.Open(b, e, nil)
			s := testServer(Options{PublicURL: testPublicURL, SecretKey: storetest.TestKey},
				app.Options{OTPLimits: domain.OTPLimits{PhonePerHour: 100, IPPerHour: 10_000}},
				app.Deps{Store: st, Index: ix, Clock: clock})
			h := s.Handler()
			tokens := benchWorkers(b, h, 8)
			for _, gz := range []bool{false, true} {
				name := "http"
				if gz {
					name = "http-gzip"
				}
				b.Run(name, func(b *testing.B) {
					lat := make([]time.Duration, 0, b.N)
					b.ReportAllocs()
					for i := 0; b.Loop(); i++ {
						r := httptest.NewRequest("GET", "/api/v1/workers/me/matches", nil)
						r.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
						if gz {
							r.Header.Set("Accept-Encoding", "gzip")
						}
						w := httptest.NewRecorder()
						t0 := time.Now()
						h.ServeHTTP(w, r)
						lat = append(lat, time.Since(t0))
						if w.Code != 200 {
							b.Fatalf("matches: %d %.300s", w.Code, w.Body)
						}
					}
					reportPercentiles(b, lat)
				})
			}
		})
	}
}

var benchCode = regexp.MustCompile(`\d{6}`)

// benchWorkers registers n workers through the API (a code from the outbox, then the profile) and
// returns their tokens; each has a few matches among the benchmark's gigs.
func benchWorkers(b *testing.B, h http.Handler, n int) []string {
	b.Helper()
	call := func(method, path, token, body string, out any) int {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if out != nil {
			json.Unmarshal(w.Body.Bytes(), out)
		}
		return w.Code
	}
	var login struct{ Token string }
	if code := call("POST", "/api/v1/auth/login", "", `{"username":"admin","password":"admin-test-password"}`, &login); code != 200 {
		b.Fatalf("admin login: %d", code)
	}
	skills := []string{`["搬运","装卸"]`, `["保洁"]`, `["枸杞采摘"]`, `["建筑小工","搬运"]`}
	places := [][2]string{{"沙坡头区", "滨河镇"}, {"中宁县", "宁安镇"}, {"海原县", "海城镇"}, {"中宁县", "石空镇"}}
	var tokens []string
	for i := range n {
		phone := fmt.Sprintf("1391234%04d", i)
		if code := call("POST", "/api/v1/auth/otp", "", `{"phone":"`+phone+`"}`, nil); code != 202 {
			b.Fatalf("otp: %d", code)
		}
		var outbox struct{ Items []struct{ Body string } }
		call("GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+phone, login.Token, "", &outbox)
		if len(outbox.Items) == 0 {
			b.Fatalf("no code for %s", phone)
		}
		body := fmt.Sprintf(`{"phone":%q,"code":%q,"name":"测试工","station_code":"ZN-S03","skills":%s,"certs":[],
			"district":%q,"town":%q,"expected_wage_fen":12000,"expected_wage_unit":"day","max_commute_km":50}`,
			phone, benchCode.FindString(outbox.Items[0].Body), skills[i%4], places[i%4][0], places[i%4][1])
		var reg struct{ Token string }
		if code := call("POST", "/api/v1/workers", "", body, &reg); code != 201 {
			b.Fatalf("register: %d", code)
		}
		tokens = append(tokens, reg.Token)
	}
	return tokens
}

// reportPercentiles reports p50 and p99 in µs (the matches route has no per-request target here).
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Nanoseconds()) / 1000 }
	b.ReportMetric(p(0.5), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}
