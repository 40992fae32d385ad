package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// The matching engine through the real service (issue 5): its acceptance on both engines, and two
// processes on one PostgreSQL following each other's changes.

const adminPassword = "a-long-admin-password"

// matchEnv is the environment of a server in these tests: a known admin password, a shared secret key
// (two processes must seal and sign alike), SMS codes without waiting.
func matchEnv(dataDir, dbURL string) map[string]string {
	env := map[string]string{"LINGONG_DATA_DIR": dataDir, "LINGONG_ADMIN_PASSWORD": adminPassword,
		"LINGONG_SECRET_KEY": "matching-test-secret-key-0123456789abcdef", "LINGONG_OTP_PHONE_INTERVAL": "0s",
		"LINGONG_OTP_IP_PER_HOUR": "10000", "LINGONG_PUBLIC_URL": "http://lg.test"}
	if dbURL != "" {
		env["DATABASE_URL"] = dbURL
	}
	return env
}

// people are the accounts of a test market: the admin, staff of 新堡镇 (ZN-S03), one employer's key.
type people struct {
	admin, staff, key string
}

// newPeople creates the staff account in the database (the console that creates staff is another
// issue's), logs the admin and the staff in through c, and registers an employer with a key.
func newPeople(t *testing.T, c client, dbURL, dataDir string) people {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DatabaseURL: dbURL, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.StationByCode(ctx, "ZN-S03")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateStaffAccount(ctx, domain.NewStaff{Username: "xinbao", DisplayName: "新堡驿站", Role: domain.RoleStaff,
		StationID: st.ID, Password: "xinbao-station-password"}, domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
		t.Fatal(err)
	}
	var p people
	var login struct{ Token string }
	c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword}, &login)
	p.admin = login.Token
	c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "xinbao", "password": "xinbao-station-password"}, &login)
	p.staff = login.Token
	first := "91640521MA7654321"
	var created struct {
		APIKey struct{ Secret string } `json:"api_key"`
	}
	if code, _ := c.do("POST", "/api/v1/employers", p.admin, map[string]any{"kind": "company", "name": "中宁县杞源枸杞种植专业合作社",
		"credit_code": first + string(domain.CreditCodeCheck(first)), "contact_name": "王建国", "contact_phone": "13812345678",
		"station_code": "ZN-S03", "verified": true}, &created); code != 201 {
		t.Fatalf("create employer: %d", code)
	}
	p.key = created.APIKey.Secret
	if p.admin == "" || p.staff == "" || p.key == "" {
		t.Fatalf("accounts: %+v", p)
	}
	return p
}

var (
	sixDigitCode = regexp.MustCompile(`\d{6}`)
	phoneSeq     atomic.Int64
)

func init() { phoneSeq.Store(13600000000) }

// registerWorker registers a worker as a new user would: an SMS code to their phone (read from the
// outbox by the admin), then the profile. It returns the worker's id and token.
func registerWorker(t *testing.T, c client, admin string, profile map[string]any) (int64, string) {
	t.Helper()
	phone := fmt.Sprint(phoneSeq.Add(1))
	if code, _ := c.do("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil); code != 202 {
		t.Fatalf("otp: %d", code)
	}
	var outbox struct{ Items []struct{ Body string } }
	c.do("GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+phone, admin, nil, &outbox)
	if len(outbox.Items) == 0 {
		t.Fatalf("no code sent to %s", phone)
	}
	body := map[string]any{"phone": phone, "code": sixDigitCode.FindString(outbox.Items[0].Body), "station_code": "ZN-S03",
		"expected_wage_unit": "day", "certs": []string{}, "skills": []string{}}
	for k, v := range profile {
		body[k] = v
	}
	var reg struct {
		Worker struct{ ID int64 }
		Token  string
	}
	if code, _ := c.do("POST", "/api/v1/workers", "", body, &reg); code != 201 {
		t.Fatalf("register %v: %d", profile["name"], code)
	}
	return reg.Worker.ID, reg.Token
}

// jobFor is a valid gig payload starting tomorrow, changed by the given fields.
func jobFor(fields map[string]any) map[string]any {
	today := domain.DateOf(time.Now())
	m := map[string]any{"description": "", "skills": []string{}, "required_certs": []string{}, "headcount": 3,
		"wage_fen": 15000, "wage_unit": "day", "settlement": "daily", "daily_hours": 8,
		"start_date": string(today.AddDays(1)), "end_date": string(today.AddDays(10))}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// postAndApprove posts a gig with the key and approves it as approver; it returns the gig's id.
func postAndApprove(t *testing.T, c client, key, approver string, posting map[string]any) int64 {
	t.Helper()
	var job struct {
		ID    int64
		Error struct{ Field, Message string }
	}
	if code, _ := c.do("POST", "/api/v1/jobs", key, posting, &job); code != 201 {
		t.Fatalf("post %v: %d %+v", posting["title"], code, job.Error)
	}
	if code, _ := c.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", job.ID), approver, map[string]string{"decision": "approve"}, nil); code != 200 {
		t.Fatalf("approve %d: %d", job.ID, code)
	}
	return job.ID
}

// libraryHas reports whether a keyword search on c finds exactly the gig.
func libraryHas(t *testing.T, c client, q string, id int64) bool {
	t.Helper()
	var res struct{ Items []struct{ ID int64 } }
	if code, _ := c.do("GET", "/api/v1/jobs?q="+url.QueryEscape(q), "", nil, &res); code != 200 {
		t.Fatalf("search %s: %d", q, code)
	}
	return len(res.Items) == 1 && res.Items[0].ID == id
}

// within polls cond every 2 ms until it holds or limit passes, and returns how long it took.
func within(limit time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for {
		if cond() {
			return time.Since(start), true
		}
		if time.Since(start) > limit {
			return time.Since(start), false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

type matchItem struct {
	Job struct {
		ID            int64
		Title         string
		RequiredCerts []string    `json:"required_certs"`
		StartDate     domain.Date `json:"start_date"`
		EndDate       domain.Date `json:"end_date"`
		Remaining     int
	}
	DistanceKm float64 `json:"distance_km"`
	Score      float64
	Reasons    []string
	Missing    []string
}

type matchAnswer struct {
	Items      []matchItem
	NearMisses []matchItem `json:"near_misses"`
}

type candidateItem struct {
	Worker struct {
		ID     int64
		Name   string
		Phone  string
		Certs  []string
		Masked bool
	}
	DistanceKm float64 `json:"distance_km"`
	Score      float64
	Reasons    []string
}

type candidateAnswer struct {
	Items      []candidateItem
	NearMisses []candidateItem `json:"near_misses"`
}

func candidateIDs(a candidateAnswer) []int64 {
	var ids []int64
	for _, c := range a.Items {
		ids = append(ids, c.Worker.ID)
	}
	return ids
}

var han = regexp.MustCompile(`\p{Han}`)

// The acceptance, as a new user would check it, through the real binary on both engines:
// workers register and employers post gigs through the API; then each worker's matches and each gig's
// candidates put the sensible pairs first, never break a hard filter (certificates, dates, places left,
// commute), and explain every result in Chinese. The 58-year-old in 海原 who wrote “能吃苦 啥活都干, 会砌墙”
// sees the building site 20 km away first, not the 电工 gig whose certificate he lacks nor the 枸杞 gig
// 100 km away; the approvals push each gig to the workers who fit.
func TestMatchingAcceptanceThroughTheBinary(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			srv := startServer(t, matchEnv(e.dir, e.url))
			c := client{t, srv.URL}
			p := newPeople(t, c, e.storeURL, e.dir)
			today := domain.DateOf(time.Now())

			type worker struct {
				id       int64
				token    string
				certs    []string
				commute  float64
				from, to domain.Date
			}
			reg := func(profile map[string]any) worker {
				id, token := registerWorker(t, c, p.admin, profile)
				w := worker{id: id, token: token, commute: float64(profile["max_commute_km"].(int)), from: today}
				if cs, ok := profile["certs"].([]string); ok {
					w.certs = cs
				}
				if f, ok := profile["available_from"].(string); ok {
					w.from = domain.Date(f)
				}
				if to, ok := profile["available_to"].(string); ok {
					w.to = domain.Date(to)
				}
				return w
			}
			mason := reg(map[string]any{"name": "马福海", "district": "海原县", "town": "海城镇", "self_description": "能吃苦 啥活都干, 会砌墙",
				"expected_wage_fen": 15000, "max_commute_km": 30})
			picker := reg(map[string]any{"name": "杨秀兰", "district": "中宁县", "town": "新堡镇", "skills": []string{"枸杞采摘"},
				"certs": []string{"健康证"}, "expected_wage_fen": 13000, "max_commute_km": 20})
			electrician := reg(map[string]any{"name": "李明", "district": "沙坡头区", "town": "文昌镇", "skills": []string{"电工"},
				"certs": []string{"电工证"}, "expected_wage_fen": 30000, "max_commute_km": 30})
			cleaner := reg(map[string]any{"name": "王桂花", "district": "沙坡头区", "town": "文昌镇", "skills": []string{"保洁"},
				"expected_wage_fen": 12000, "max_commute_km": 10})
			porter := reg(map[string]any{"name": "张强", "district": "中宁县", "town": "宁安镇", "skills": []string{"搬运"},
				"expected_wage_fen": 16000, "max_commute_km": 30})
			later := reg(map[string]any{"name": "马小军", "district": "中宁县", "town": "新堡镇", "skills": []string{"枸杞采摘"},
				"certs": []string{"健康证"}, "expected_wage_fen": 13000, "max_commute_km": 20,
				"available_from": string(today.AddDays(60)), "available_to": string(today.AddDays(90))})
			workers := []worker{mason, picker, electrician, cleaner, porter, later}

			site := postAndApprove(t, c, p.key, p.admin, jobFor(map[string]any{"title": "海原县城建筑工地招小工 搬砖砌墙", "station_code": "HY-M1",
				"district": "海原县", "town": "三河镇", "description": "工地小工，和灰搬砖，会砌墙的优先。", "wage_fen": 18000}))
			wiring := postAndApprove(t, c, p.key, p.admin, jobFor(map[string]any{"title": "商场电工 维修线路", "station_code": "SPT-S01",
				"district": "沙坡头区", "town": "文昌镇", "skills": []string{"电工"}, "required_certs": []string{"电工证"}, "wage_fen": 35000}))
			wolfberry := postAndApprove(t, c, p.key, p.staff, jobFor(map[string]any{"title": "中宁枸杞园急招摘果工 日结", "station_code": "ZN-S03",
				"district": "中宁县", "town": "新堡镇", "skills": []string{"枸杞采摘"}, "required_certs": []string{"健康证"}, "headcount": 5, "wage_fen": 16000}))
			cleaning := postAndApprove(t, c, p.key, p.admin, jobFor(map[string]any{"title": "小区保洁 打扫楼道", "station_code": "SPT-S01",
				"district": "沙坡头区", "town": "文昌镇", "wage_fen": 16000}))
			loading := postAndApprove(t, c, p.key, p.staff, jobFor(map[string]any{"title": "物流仓库装车卸货 日结", "station_code": "ZN-S03",
				"district": "中宁县", "town": "宁安镇", "wage_fen": 17000}))

			matches := map[int64]matchAnswer{}
			for _, w := range workers {
				var m matchAnswer
				if code, _ := c.do("GET", "/api/v1/workers/me/matches?limit=10", w.token, nil, &m); code != 200 {
					t.Fatalf("matches of %d: %d", w.id, code)
				}
				matches[w.id] = m
				for _, it := range m.Items {
					// Every hard filter, checked from what the answer says.
					for _, cert := range it.Job.RequiredCerts {
						if !slices.Contains(w.certs, cert) {
							t.Errorf("worker %d matched %q, which needs %s they lack", w.id, it.Job.Title, cert)
						}
					}
					if it.Job.EndDate < w.from || (w.to != "" && it.Job.StartDate > w.to) {
						t.Errorf("worker %d (available %s–%s) matched %q (%s–%s)", w.id, w.from, w.to, it.Job.Title, it.Job.StartDate, it.Job.EndDate)
					}
					if it.DistanceKm > w.commute || it.Job.Remaining <= 0 {
						t.Errorf("worker %d matched %q at %.1f km (limit %.0f), %d places left", w.id, it.Job.Title, it.DistanceKm, w.commute, it.Job.Remaining)
					}
					if len(it.Reasons) == 0 || !han.MatchString(strings.Join(it.Reasons, "")) {
						t.Errorf("worker %d's match %q does not explain itself: %v", w.id, it.Job.Title, it.Reasons)
					}
				}
				for _, it := range m.NearMisses {
					if len(it.Missing) == 0 || !han.MatchString(strings.Join(it.Missing, "")) {
						t.Errorf("near miss %q for worker %d does not say what is missing: %v", it.Job.Title, w.id, it.Missing)
					}
				}
			}
			first := func(w worker) int64 {
				if items := matches[w.id].Items; len(items) > 0 {
					return items[0].Job.ID
				}
				return 0
			}
			for _, tc := range []struct {
				who  string
				w    worker
				want int64
			}{{"the mason of 海原", mason, site}, {"the picker", picker, wolfberry}, {"the electrician", electrician, wiring},
				{"the cleaner", cleaner, cleaning}, {"the porter", porter, loading}} {
				if got := first(tc.w); got != tc.want {
					t.Errorf("%s's first match is gig %d, want %d (%+v)", tc.who, got, tc.want, matches[tc.w.id].Items)
				}
			}
			if n := len(matches[later.id].Items); n != 0 {
				t.Errorf("a worker available only in two months has %d matches this week", n)
			}
			for _, it := range matches[mason.id].Items {
				if it.Job.ID == wiring || it.Job.ID == wolfberry {
					t.Errorf("the mason of 海原 is offered %q", it.Job.Title)
				}
			}

			// The other direction, as the owner employer sees it (masked) and as the admin does.
			for _, tc := range []struct {
				job  int64
				best worker
				deny []worker
			}{{wiring, electrician, []worker{cleaner, mason}}, {wolfberry, picker, []worker{later, porter, mason}},
				{site, mason, []worker{picker, electrician}}} {
				var a candidateAnswer
				if code, _ := c.do("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates", tc.job), p.key, nil, &a); code != 200 {
					t.Fatalf("candidates of %d: %d", tc.job, code)
				}
				ids := candidateIDs(a)
				if len(ids) == 0 || ids[0] != tc.best.id {
					t.Errorf("gig %d: candidates %v, want %d first", tc.job, ids, tc.best.id)
				}
				for _, d := range tc.deny {
					if slices.Contains(ids, d.id) {
						t.Errorf("gig %d: worker %d breaks a hard filter and is a candidate", tc.job, d.id)
					}
				}
				for _, it := range a.Items {
					if !it.Worker.Masked || strings.Count(it.Worker.Phone, "*") != 4 || len(it.Reasons) == 0 || !han.MatchString(strings.Join(it.Reasons, "")) {
						t.Errorf("gig %d: candidate %+v is not masked for the employer, or does not explain itself", tc.job, it)
					}
				}
			}

			// The approvals pushed each gig to the workers who fit (in the background, just after; the
			// limit only tells a push that comes from one that never does).
			if _, ok := within(30*time.Second, func() bool {
				var inbox struct {
					Items []struct {
						Kind  string
						JobID int64 `json:"job_id"`
					}
				}
				c.do("GET", "/api/v1/workers/me/notifications", picker.token, nil, &inbox)
				return slices.ContainsFunc(inbox.Items, func(n struct {
					Kind  string
					JobID int64 `json:"job_id"`
				}) bool {
					return n.Kind == "job_push" && n.JobID == wolfberry
				})
			}); !ok {
				t.Error("the picker was not pushed the 枸杞 gig")
			}
		})
	}
}

// engines are storetest's engines as a server and a store reach them.
func engines(t *testing.T) []engine {
	var out []engine
	for _, e := range storetest.Engines(t) {
		en := engine{name: e.Name, dir: e.Dir, storeURL: "sqlite://" + filepath.Join(e.Dir, "lingong.db")}
		if e.Name == "postgres" {
			en.url, en.storeURL = e.URL, e.URL
		}
		out = append(out, en)
	}
	return out
}

// engine is where a test's server keeps its data.
type engine struct {
	name     string
	dir      string // LINGONG_DATA_DIR
	url      string // DATABASE_URL for the server ("" = SQLite in dir)
	storeURL string // the same database for store.Open
}
