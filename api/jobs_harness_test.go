package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"lingong/api/v1/spectest"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
	"lingong/store"
	"lingong/store/storetest"
)

// jobClock is a clock the test moves by hand (expiry, "today").
type jobClock struct{ now atomic.Value }

func newJobClock(t time.Time) *jobClock {
	c := &jobClock{}
	c.now.Store(t)
	return c
}
func (c *jobClock) set(t time.Time)     { c.now.Store(t) }
func (c *jobClock) clock() domain.Clock { return func() time.Time { return c.now.Load().(time.Time) } }

// index is the matching engine's real index, as serve builds it, with the test's question.
type index struct{ *matching.Index }

func (ix index) has(id int64) bool { _, ok := ix.Job(id); return ok }

// env is one api server on a real, seeded database, with its principals.
type env struct {
	t      *testing.T
	eng    storetest.Engine
	store  *store.Store
	srv    *Server
	h      http.Handler
	clock  *jobClock
	index  index
	admin  string // bearer tokens
	staffA string // staff of ZN-S03 (中宁县新堡镇)
	staffB string // staff of SPT-S01 (沙坡头区文昌镇)
}

// testNow is 2026-05-10 10:00 in 中卫.
var testNow = time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)

// eachEngine runs fn with a fresh env on SQLite and (when configured) PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			fn(t, newEnv(t, eng))
		})
	}
}

func newEnv(t *testing.T, eng storetest.Engine) *env {
	return newEnvWith(t, eng, app.Options{}, app.Deps{})
}

// newEnvWith is newEnv with some options and collaborators of the service given (the SMS ones).
func newEnvWith(t *testing.T, eng storetest.Engine, ao app.Options, deps app.Deps) *env {
	t.Helper()
	clk := newJobClock(testNow)
	s := storetest.Open(t, eng, clk.clock())
	e := &env{t: t, eng: eng, store: s, clock: clk, index: index{matching.NewIndex()}}
	ao.Wage = domain.DefaultWageStandard()
	deps.Store, deps.Clock, deps.Index = s, clk.clock(), e.index.Index
	e.srv = testServer(Options{PublicURL: "http://lg.test"}, ao, deps)
	e.h = spectest.Handler(t, e.srv.Handler())
	e.admin = e.login("admin", "admin-test-password")
	e.staffA = e.newStaff("staff-zn-s03", "ZN-S03")
	e.staffB = e.newStaff("staff-spt-s01", "SPT-S01")
	return e
}

func (e *env) newStaff(username, station string) string {
	e.t.Helper()
	ctx := context.Background()
	st, err := e.store.StationByCode(ctx, station)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.CreateStaffAccount(ctx, domain.NewStaff{Username: username, DisplayName: "测试", Role: domain.RoleStaff,
		StationID: st.ID, Password: "staff-test-password"}, domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
		e.t.Fatal(err)
	}
	return e.login(username, "staff-test-password")
}

func (e *env) login(username, password string) string {
	e.t.Helper()
	var out struct{ Token string }
	if code := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, &out); code != 200 {
		e.t.Fatalf("login %s: %d", username, code)
	}
	return out.Token
}

// response is a recorded answer.
type response struct {
	*httptest.ResponseRecorder
}

func (r response) err() errorDetail {
	var b errorBody
	json.Unmarshal(r.Body.Bytes(), &b)
	return b.Error
}

// do sends a request: body is marshalled unless it is a string or []byte; headers come in pairs.
func (e *env) do(method, path, token string, body any, headers ...string) response {
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return response{rec}
}

// call is do, decoding a JSON answer into out (when not nil) and returning the status.
func (e *env) call(method, path, token string, body, out any) int {
	e.t.Helper()
	r := e.do(method, path, token, body)
	if out != nil && r.Code < 300 {
		if err := json.Unmarshal(r.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, r.Body)
		}
	}
	return r.Code
}

// employer is a registered employer with its API key.
type employer struct {
	ID  int64
	Key string
}

var creditSeq atomic.Int64

// newEmployer registers a company at the station as admin, through the API.
func (e *env) newEmployer(station string) employer {
	e.t.Helper()
	first := fmt.Sprintf("91640500MA%07d", 2000000+creditSeq.Add(1))
	var out employerCreated
	code := e.call("POST", "/api/v1/employers", e.admin, map[string]any{
		"kind": "company", "name": "测试用工单位" + first[10:], "credit_code": first + string(domain.CreditCodeCheck(first)),
		"contact_name": "王建国", "contact_phone": "13812345678", "station_code": station, "verified": true,
	}, &out)
	if code != 201 || out.APIKey.Secret == "" {
		e.t.Fatalf("create employer: %d %+v", code, out)
	}
	return employer{ID: out.Employer.ID, Key: out.APIKey.Secret}
}

// worker is a registered worker with a session token.
type worker struct {
	ID    int64
	token string
}

// newWorker registers a worker in the town as the station's staff would, and logs them in.
func (e *env) newWorker(phone, district, town string) worker {
	e.t.Helper()
	ctx := context.Background()
	st, _ := e.store.StationByCode(ctx, "ZN-S03")
	profile, problems := domain.WorkerProfile{Name: "马福海", Skills: []string{"枸杞采摘"}, District: district, Town: town, ExpectedWageFen: 15000}.Normalize(e.clock.clock().Today(), nil)
	if len(problems) > 0 {
		e.t.Fatal(problems[0])
	}
	reg := domain.Registration{Worker: domain.Worker{Phone: phone, StationID: st.ID, StationCode: st.Code},
		Staff: domain.Principal{Kind: domain.AsAdmin, ID: 1}}
	reg.Worker.SetProfile(profile)
	w, _, _, err := e.store.RegisterWorker(ctx, reg)
	if err != nil {
		e.t.Fatal(err)
	}
	sess, err := e.store.CreateWorkerSession(ctx, w.ID, "127.0.0.1", "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return worker{ID: w.ID, token: sess.Token}
}

// jobBody is a valid gig payload: the 中宁枸杞园急招摘果工20名 日结, starting tomorrow.
func jobBody(changes ...func(m map[string]any)) map[string]any {
	m := map[string]any{
		"title": "中宁枸杞园急招摘果工20名 日结", "description": "摘枸杞（采摘鲜果），按斤计价，当天过秤当天结。",
		"skills": []string{"枸杞采摘"}, "required_certs": []string{}, "headcount": 20,
		"wage_fen": 180, "wage_unit": "piece", "piece_unit": "斤", "expected_hours": 0.06, "settlement": "daily",
		"district": "中宁县", "town": "新堡镇", "address": "新堡镇枸杞基地",
		"start_date": "2026-05-11", "end_date": "2026-06-30",
		"shifts":  []map[string]string{{"start": "05:00", "end": "11:00"}, {"start": "15:00", "end": "19:00"}},
		"contact": "王经理 13812345678",
	}
	for _, c := range changes {
		c(m)
	}
	return m
}

// postJob posts a gig with the key and returns it.
func (e *env) postJob(key string, body map[string]any) jobView {
	e.t.Helper()
	var j jobView
	r := e.do("POST", "/api/v1/jobs", key, body)
	if r.Code != 201 {
		e.t.Fatalf("post gig: %d %s", r.Code, r.Body)
	}
	json.Unmarshal(r.Body.Bytes(), &j)
	return j
}

// approve approves a gig as the token's staff.
func (e *env) approve(token string, id int64) {
	e.t.Helper()
	if r := e.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", id), token, map[string]string{"decision": "approve"}); r.Code != 200 {
		e.t.Fatalf("approve %d: %d %s", id, r.Code, r.Body)
	}
}
