package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// client talks JSON to a running server.
type client struct {
	t    *testing.T
	base string
}

// do sends a request with an optional bearer token, JSON body and header pairs, and decodes the JSON
// answer into out (when given). It returns the status and the response headers.
func (c client) do(method, path, token string, body any, out any, headers ...string) (int, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, resp.Header
}

type apiError struct {
	Error struct {
		Code, Message, Field string
	}
}

// The acceptance, as a new user would check it, against the real binary on both engines:
// create an employer as admin, post a gig with the key (and retry it with the same Idempotency-Key), see
// it pending and absent from the library, approve it as the station's staff, find it by the keywords,
// post invalid gigs and read each error, revoke the key and see 401.
func TestJobAcceptanceThroughTheBinary(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADMIN_PASSWORD": "a-long-admin-password"}
			dbURL := "sqlite://" + filepath.Join(e.Dir, "lingong.db")
			if e.Name == "postgres" {
				env["DATABASE_URL"], dbURL = e.URL, e.URL
			}
			srv := startServer(t, env)
			c := client{t, srv.URL}

			// The station's staff account (the console that creates staff is another issue's).
			db, err := store.Open(context.Background(), store.Options{DatabaseURL: dbURL, DataDir: e.Dir})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			st, _ := db.StationByCode(context.Background(), "ZN-S03")
			if _, err := db.CreateStaffAccount(context.Background(), domain.NewStaff{Username: "xinbao", DisplayName: "新堡驿站",
				Role: domain.RoleStaff, StationID: st.ID, Password: "xinbao-station-password"}, domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
				t.Fatal(err)
			}
			var login struct{ Token string }
			c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "a-long-admin-password"}, &login)
			admin := login.Token
			c.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "xinbao", "password": "xinbao-station-password"}, &login)
			staff := login.Token

			first := "91640521MA7654321"
			var created struct {
				Employer struct{ ID int64 }
				APIKey   struct{ Secret string } `json:"api_key"`
			}
			code, _ := c.do("POST", "/api/v1/employers", admin, map[string]any{"kind": "company", "name": "中宁县杞源枸杞种植专业合作社",
				"credit_code": first + string(domain.CreditCodeCheck(first)), "contact_name": "王建国", "contact_phone": "13812345678",
				"station_code": "ZN-S03", "verified": true}, &created)
			key := created.APIKey.Secret
			if code != 201 || !strings.HasPrefix(key, "lgk_") {
				t.Fatalf("create employer: %d", code)
			}

			today := domain.DateOf(time.Now())
			posting := map[string]any{
				"title": "中宁枸杞园急招摘果工20名 日结", "description": "摘枸杞，按斤计价，当天过秤当天结。", "skills": []string{"枸杞采摘"},
				"headcount": 20, "wage_fen": 180, "wage_unit": "piece", "expected_hours": 0.06, "settlement": "daily",
				"district": "中宁县", "town": "新堡镇", "start_date": string(today.AddDays(1)), "end_date": string(today.AddDays(40)),
				"shifts":  []map[string]string{{"start": "05:00", "end": "11:00"}, {"start": "15:00", "end": "19:00"}},
				"contact": "王经理 13812345678",
			}
			var job struct {
				ID     int64
				Status string
			}
			code, _ = c.do("POST", "/api/v1/jobs", key, posting, &job, "Idempotency-Key", "acceptance-1")
			if code != 201 || job.Status != "pending_review" {
				t.Fatalf("post: %d %+v", code, job)
			}
			var again struct{ ID int64 }
			code, h := c.do("POST", "/api/v1/jobs", key, posting, &again, "Idempotency-Key", "acceptance-1")
			if code != 201 || again.ID != job.ID || h.Get("Idempotent-Replayed") != "true" {
				t.Errorf("retry: %d id %d (first %d) replayed %q", code, again.ID, job.ID, h.Get("Idempotent-Replayed"))
			}
			var mine struct{ Total int }
			c.do("GET", "/api/v1/employer/jobs", key, nil, &mine)
			if mine.Total != 1 {
				t.Errorf("the retry created a second posting: %d", mine.Total)
			}
			search := func(q string) []int64 {
				var res struct{ Items []struct{ ID int64 } }
				if code, _ := c.do("GET", "/api/v1/jobs?q="+url.QueryEscape(q), "", nil, &res); code != 200 {
					t.Fatalf("search %s: %d", q, code)
				}
				var ids []int64
				for _, it := range res.Items {
					ids = append(ids, it.ID)
				}
				return ids
			}
			if ids := search("摘果"); len(ids) != 0 {
				t.Errorf("pending posting in the library: %v", ids)
			}
			if code, _ := c.do("GET", fmt.Sprintf("/api/v1/jobs/%d", job.ID), "", nil, nil); code != 404 {
				t.Errorf("pending posting for anyone: %d", code)
			}
			if code, _ := c.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", job.ID), staff, map[string]string{"decision": "approve"}, nil); code != 200 {
				t.Fatalf("approve: %d", code)
			}
			for _, q := range []string{"摘果", "枸杞", "日结", "中宁", "20名", "２０名"} {
				if ids := search(q); len(ids) != 1 || ids[0] != job.ID {
					t.Errorf("search %s: %v, want [%d]", q, ids, job.ID)
				}
			}

			for _, bad := range []struct {
				field  string
				change func(m map[string]any)
			}{
				{"start_date", func(m map[string]any) { m["start_date"] = string(today.AddDays(-1)) }},
				{"daily_hours", func(m map[string]any) { m["shifts"] = []map[string]string{{"start": "05:00", "end": "19:00"}} }},
				{"status", func(m map[string]any) { m["status"] = "open" }},
			} {
				m := map[string]any{}
				for k, v := range posting {
					m[k] = v
				}
				bad.change(m)
				var e apiError
				code, _ := c.do("POST", "/api/v1/jobs", key, m, &e)
				if code != 400 || e.Error.Field != bad.field || e.Error.Message == "" {
					t.Errorf("invalid posting (%s): %d %+v", bad.field, code, e)
				}
			}
			// Below the minimum wage is not refused: the posting waits for review with both figures shown.
			var minWage struct {
				Status        string `json:"status"`
				WageFloorNote string `json:"wage_floor_note"`
			}
			code, _ = c.do("POST", "/api/v1/jobs", key, map[string]any{"title": "招小时工", "headcount": 1, "wage_fen": 1500, "wage_unit": "hour",
				"settlement": "daily", "district": "中宁县", "start_date": string(today), "end_date": string(today), "daily_hours": 4}, &minWage)
			if code != 201 || minWage.Status != "pending_review" || !strings.Contains(minWage.WageFloorNote, "15 元") || !strings.Contains(minWage.WageFloorNote, "20 元") {
				t.Errorf("a posting below the minimum wage: %d %+v, want held for review with both figures", code, minWage)
			}

			var keys struct{ Items []struct{ ID int64 } }
			c.do("GET", fmt.Sprintf("/api/v1/employers/%d/keys", created.Employer.ID), staff, nil, &keys)
			if code, _ := c.do("DELETE", fmt.Sprintf("/api/v1/employers/%d/keys/%d", created.Employer.ID, keys.Items[0].ID), staff, nil, nil); code != 200 {
				t.Fatalf("revoke: %d", code)
			}
			var dead apiError
			if code, _ := c.do("POST", "/api/v1/jobs", key, posting, &dead); code != 401 || dead.Error.Code != "unauthorized" {
				t.Errorf("revoked key: %d %+v", code, dead)
			}

			for _, path := range []string{"/api/openapi.yaml", "/api/docs", "/jobs", fmt.Sprintf("/jobs/%d", job.ID), fmt.Sprintf("/jobs/%d/qrcode.png", job.ID)} {
				if code, _ := c.do("GET", path, "", nil, nil); code != 200 {
					t.Errorf("%s: %d", path, code)
				}
			}
		})
	}
}
