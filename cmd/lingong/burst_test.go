package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/store/storetest"
	"lingong/test/testtool"
)

// The registration burst of issue 3: N workers register through the HTTP API of the real service on
// SQLite, arriving at an even rate (an open loop: a slow answer does not slow the arrivals), each as a
// phone does it: ask for a code, read it (here from the SMS outbox, as an admin), register. Every 2xx
// registration must succeed and be in the database afterwards. The latencies are logged; a load run
// (LINGONG_LOADTEST=1, a machine of its own) also requires the 99th percentile (over all three requests)
// under 300 ms and the burst done within 60 s.
//
// The normal test run does a short burst (100 in 5 s, on every engine) and checks correctness only; the
// full one is
//
//	LINGONG_LOADTEST=1 go test ./cmd/lingong -run TestRegistrationBurst -burst 1000 -burst.seconds 60 -v
var (
	burstN       = flag.Int("burst", 100, "registrations in the burst test")
	burstSeconds = flag.Float64("burst.seconds", 5, "seconds over which the burst's registrations arrive")
)

// latencies collects request durations per kind.
type latencies struct {
	mu sync.Mutex
	by map[string][]time.Duration
}

func (l *latencies) add(kind string, d time.Duration) {
	l.mu.Lock()
	l.by[kind] = append(l.by[kind], d)
	l.mu.Unlock()
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func TestRegistrationBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	engines := storetest.Engines(t)
	// The full burst runs on both engines: issue 3 measures it on SQLite, issue 9 on both.
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) {
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADMIN_PASSWORD": "burst-admin-password",
				// Every simulated phone comes from 127.0.0.1: the per-IP SMS limit is raised, as a
				// load test (or a station behind one shared address) does through the environment.
				"LINGONG_OTP_IP_PER_HOUR": "1000000"}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			api := apiClient{t: t, base: srv.URL}
			admin := api.adminToken("burst-admin-password")
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0}, Timeout: 30 * time.Second}

			lat := &latencies{by: map[string][]time.Duration{}}
			call := func(kind, method, path, token string, body any, out any) (int, error) {
				var r io.Reader
				if body != nil {
					b, _ := json.Marshal(body)
					r = bytes.NewReader(b)
				}
				req, _ := http.NewRequest(method, srv.URL+path, r)
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					return 0, err
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat.add(kind, time.Since(start))
				if err == nil && out != nil && resp.StatusCode < 300 {
					err = json.Unmarshal(b, out)
				}
				return resp.StatusCode, err
			}

			type outcome struct {
				phone, no string
				step      string // the request that failed: otp, outbox, register
				status    int
				err       error
			}
			n := *burstN
			results := make([]outcome, n)
			gap := time.Duration(*burstSeconds * float64(time.Second) / float64(n))
			skills := [][]string{{"枸杞采摘"}, {"搬运", "建筑小工"}, {"保洁", "钟点工"}, {"硒砂瓜采收", "搬运"}}
			places := [][2]string{{"沙坡头区", "滨河镇"}, {"中宁县", "宁安镇"}, {"海原县", "海城镇"}, {"中宁县", "石空镇"}}
			stations := []string{"SPT-M1", "ZN-M1", "HY-M1", "ZN-S01"}
			var wg sync.WaitGroup
			start := time.Now()
			for i := 0; i < n; i++ {
				time.Sleep(time.Until(start.Add(time.Duration(i) * gap)))
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					phone := fmt.Sprintf("1370%07d", i)
					res := &results[i]
					res.phone, res.step = phone, "otp"
					if res.status, res.err = call("otp", "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil); res.err != nil || res.status != 202 {
						return
					}
					var box struct {
						Items []struct{ Body string } `json:"items"`
					}
					res.step = "outbox"
					if res.status, res.err = call("outbox", "GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+phone, admin, nil, &box); res.err != nil || len(box.Items) == 0 {
						return
					}
					var reg struct {
						Worker struct {
							No string `json:"worker_no"`
						} `json:"worker"`
					}
					code := otpInBody.FindString(box.Items[0].Body)
					if res.step = "register"; code == "" {
						res.step = "register (no code in the outbox's body: " + box.Items[0].Body + ")"
					}
					body := map[string]any{"phone": phone, "code": code, "name": "测试" + string(rune('甲'+i%10)),
						"station_code": stations[i%4], "skills": skills[i%4], "district": places[i%4][0], "town": places[i%4][1],
						"expected_wage_fen": 12000 + 100*(i%50), "expected_wage_unit": "day", "max_commute_km": 30}
					res.status, res.err = call("register", "POST", "/api/v1/workers", "", body, &reg)
					res.no = reg.Worker.No
				}(i)
			}
			wg.Wait()
			elapsed := time.Since(start)

			ok := 0
			failures := map[string]int{}
			for _, r := range results {
				if r.err == nil && r.status == 201 && r.no != "" {
					ok++
				} else {
					failures[fmt.Sprintf("%s: %d %v", r.step, r.status, r.err)]++
				}
			}
			all := append(append(append([]time.Duration{}, lat.by["otp"]...), lat.by["outbox"]...), lat.by["register"]...)
			t.Logf("%s: %d/%d registrations in %v (arrivals over %.0f s); %d requests", e.Name, ok, n, elapsed.Round(time.Millisecond), *burstSeconds, len(all))
			for _, kind := range []string{"otp", "outbox", "register"} {
				ds := lat.by[kind]
				t.Logf("  %-8s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms", kind,
					ms(percentile(ds, .50)), ms(percentile(ds, .95)), ms(percentile(ds, .99)), ms(percentile(ds, 1)))
			}
			p99 := percentile(all, .99)
			t.Logf("  all      p99 %6.1f ms", ms(p99))
			if ok != n {
				t.Errorf("%d registrations failed: %v", n-ok, failures)
			}
			// The 300 ms and the 60 s of issue 3 are goals of a load run on a machine of its own (the
			// race detector slows everything several times over, so not there either).
			if testtool.LoadGoals() && !raceEnabled {
				if elapsed > 60*time.Second {
					t.Errorf("the burst took %v, more than 60 s", elapsed)
				}
				if limit := 300 * time.Millisecond; p99 >= limit {
					t.Errorf("p99 %v, want under %v", p99, limit)
				}
			}

			// Every acknowledged registration is in the database, with the number it was given.
			db := storetest.SQL(t, e)
			stored := map[string]string{}
			rows, err := db.Query("SELECT phone, worker_no FROM workers")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var phone, no string
				rows.Scan(&phone, &no)
				stored[phone] = no
			}
			rows.Close()
			missing := 0
			for _, r := range results {
				if r.status == 201 && stored[r.phone] != r.no {
					missing++
				}
			}
			if missing > 0 || len(stored) != ok {
				t.Errorf("%d acknowledged registrations missing; %d workers stored for %d acknowledged", missing, len(stored), ok)
			}
			if strings.Contains(fmt.Sprint(failures), "500") {
				t.Errorf("server errors: %v", failures)
			}
			if ok != n {
				logServerTrouble(t, srv.Logs)
			}
		})
	}
}

// logServerTrouble prints the server's own account of failed requests (an unexplained 500 was once seen
// on SQLite under the race detector): first every line of each request answered 500 (or another 5xx
// but 503), found by its request id, then up to 20 other error and warning lines.
func logServerTrouble(t *testing.T, logs *logSink) {
	logs.mu.Lock()
	lines := slices.Clone(logs.lines)
	raw := slices.Clone(logs.raw)
	logs.mu.Unlock()
	bad := map[string]bool{}
	for _, l := range lines {
		if st, _ := l["status"].(float64); st >= 500 && st != 503 {
			if id, _ := l["request_id"].(string); id != "" {
				bad[id] = true
			}
		}
	}
	others := 0
	for _, line := range raw {
		var l map[string]any
		json.Unmarshal([]byte(line), &l)
		id, _ := l["request_id"].(string)
		level, _ := l["level"].(string)
		switch {
		case bad[id]:
			t.Logf("server (5xx): %s", line)
		case (level == "ERROR" || level == "WARN") && others < 20:
			t.Logf("server: %s", line)
			others++
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
