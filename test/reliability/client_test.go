package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"lingong/api/v1/spectest"
	"lingong/domain"
)

// client speaks the public API of a running service, as a phone, an employer's system or a station PC
// does.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func newClient(t testing.TB, base string) *client {
	// Every answer is checked against api/v1/openapi.yaml, under load and during an outage too.
	transport := spectest.Transport(&http.Transport{MaxIdleConnsPerHost: 512, IdleConnTimeout: 30 * time.Second},
		func(err error) { t.Errorf("the answer breaks api/v1/openapi.yaml: %v", err) })
	return &client{t: t, base: base, http: &http.Client{Timeout: 30 * time.Second, Transport: transport}}
}

// reply is one answer: status, body and how long it took.
type reply struct {
	Status int
	Body   []byte
	Header http.Header
	Took   time.Duration
	Err    error
}

func (r reply) decode(v any) error { return json.Unmarshal(r.Body, v) }

// call sends a JSON request (body nil, raw string, or a value to marshal) with an optional bearer token
// and extra header pairs.
func (c *client) call(method, path, token string, body any, header ...string) reply {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return reply{Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{Err: err, Took: time.Since(start)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Body: b, Header: resp.Header, Took: time.Since(start), Err: err}
}

// must insists on a status and decodes the body into out (when not nil).
func (c *client) must(want int, method, path, token string, body, out any) reply {
	c.t.Helper()
	r := c.call(method, path, token, body)
	if r.Err != nil || r.Status != want {
		c.t.Fatalf("%s %s = %d (%v), want %d: %s", method, path, r.Status, r.Err, want, r.Body)
	}
	if out != nil {
		if err := r.decode(out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, r.Body)
		}
	}
	return r
}

func (c *client) login(username, password string) string {
	c.t.Helper()
	var out struct{ Token string }
	c.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, &out)
	return out.Token
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// lastCode reads the newest SMS code sent to phone from the outbox (admin).
func (c *client) lastCode(admin, phone string) (string, error) {
	r := c.call("GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+url.QueryEscape(phone), admin, nil)
	if r.Err != nil || r.Status != 200 {
		return "", fmt.Errorf("outbox: %d %v", r.Status, r.Err)
	}
	var out struct {
		Items []struct{ Body string } `json:"items"`
	}
	if err := r.decode(&out); err != nil || len(out.Items) == 0 {
		return "", fmt.Errorf("no SMS to %s", phone)
	}
	code := sixDigits.FindString(out.Items[0].Body)
	if code == "" {
		return "", fmt.Errorf("no code in %q", out.Items[0].Body)
	}
	return code, nil
}

// phoneSeq numbers fresh phones; it starts at a random point so that the processes of one test (and a
// restarted server on the same database) never hand out a number twice.
var phoneSeq = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(rand.Int64N(40_000_000))
	return &n
}()

// newPhone gives a fresh, valid mobile number (139xxxxxxxx).
func newPhone() string { return fmt.Sprintf("139%08d", phoneSeq.Add(1)) }

// registration is a valid POST /api/v1/workers body.
func registration(phone, code, station string) map[string]any {
	return map[string]any{
		"phone": phone, "code": code, "name": "马建国", "station_code": station,
		"skills": []string{"枸杞采摘", "搬运"}, "certs": []string{}, "district": "中宁县", "town": "新堡镇",
		"self_description": "能吃苦，会摘枸杞", "expected_wage_fen": 15000, "expected_wage_unit": "day", "max_commute_km": 50,
	}
}

// registerWorker does what a phone does: ask for a code, read it (from the outbox, as admin), register.
// It returns the replies of the two requests and the worker's token on success.
func (c *client) registerWorker(admin, station string) (token string, replies []reply, err error) {
	phone := newPhone()
	r1 := c.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone})
	replies = append(replies, r1)
	if r1.Err != nil || r1.Status != 202 {
		return "", replies, fmt.Errorf("otp: %d %v %s", r1.Status, r1.Err, r1.Body)
	}
	code, err := c.lastCode(admin, phone)
	if err != nil {
		return "", replies, err
	}
	r2 := c.call("POST", "/api/v1/workers", "", registration(phone, code, station))
	replies = append(replies, r2)
	if r2.Err != nil || r2.Status != 201 {
		return "", replies, fmt.Errorf("register: %d %v %s", r2.Status, r2.Err, r2.Body)
	}
	var out struct {
		Token  string
		Worker struct {
			ID    int64  `json:"id"`
			Phone string `json:"phone"`
		}
	}
	r2.decode(&out)
	return out.Token, replies, nil
}

var creditSeq atomic.Int64

// newEmployer creates a company at the station (admin) and returns its id and API key.
func (c *client) newEmployer(admin, station string) (int64, string) {
	c.t.Helper()
	first := fmt.Sprintf("91640500MA%07d", 3000000+creditSeq.Add(1)+int64(time.Now().UnixNano()%1000)*1000)
	var out struct {
		Employer struct{ ID int64 }      `json:"employer"`
		APIKey   struct{ Secret string } `json:"api_key"`
	}
	c.must(201, "POST", "/api/v1/employers", admin, map[string]any{
		"kind": "company", "name": "可靠性测试用工单位" + first[10:], "credit_code": first + string(domain.CreditCodeCheck(first)),
		"contact_name": "王建国", "contact_phone": "13812345678", "station_code": station,
	}, &out)
	return out.Employer.ID, out.APIKey.Secret
}

// gig is a valid gig payload starting tomorrow (Asia/Shanghai) for days days.
func job(headcount, days int) map[string]any {
	start := domain.DateOf(time.Now()).AddDays(1)
	return map[string]any{
		"title": "中宁枸杞园急招摘果工 日结", "description": "摘枸杞，按天计，管午饭。",
		"skills": []string{"枸杞采摘"}, "required_certs": []string{}, "headcount": headcount,
		"wage_fen": 20000, "wage_unit": "day", "settlement": "daily",
		"district": "中宁县", "town": "新堡镇", "address": "新堡镇枸杞基地",
		"start_date": string(start), "end_date": string(start.AddDays(days - 1)),
		"shifts":  []map[string]string{{"start": "06:00", "end": "12:00"}, {"start": "15:00", "end": "18:00"}},
		"contact": "王经理",
	}
}

// openJob posts a gig with the key and approves it as admin; it returns the gig's id.
func (c *client) openJob(admin, key string, headcount, days int) int64 {
	c.t.Helper()
	var j struct{ ID int64 }
	c.must(201, "POST", "/api/v1/jobs", key, job(headcount, days), &j)
	c.must(200, "POST", fmt.Sprintf("/api/v1/jobs/%d/review", j.ID), admin, map[string]string{"decision": "approve"}, nil)
	return j.ID
}
