package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
	"lingong/test/testtool"
)

// The acceptance of issue 7 as a new user would check it, against the real binary on both engines: on
// an active contract, post work records and weigh tickets, see the SMS in the outbox, pay part, confirm
// a payment as the worker and dispute another, let two days pass (the service restarted with its clock
// moved on, as a demo would), see the arrears alert in the console, and print the contract with its
// settlement record. And the ledger cannot be deleted behind the service's back.
func TestSettlementAcceptanceThroughTheBinary(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADMIN_PASSWORD": "a-long-admin-password",
				"LINGONG_OTP_PHONE_INTERVAL": "0s", "LINGONG_OTP_PHONE_PER_HOUR": "30", "LINGONG_ARREARS_SWEEP_INTERVAL": "1s"}
			dbURL := "sqlite://" + filepath.Join(e.Dir, "lingong.db")
			if e.Name == "postgres" {
				env["DATABASE_URL"], dbURL = e.URL, e.URL
			}
			srv := startServer(t, env)
			c := client{t, srv.URL}
			a := apiClient{t, srv.URL}
			must := func(want int, method, path, token string, body, out any, headers ...string) {
				t.Helper()
				if code, _ := c.do(method, path, token, body, out, headers...); code != want {
					t.Fatalf("%s %s: %d, want %d", method, path, code, want)
				}
			}

			db, err := store.Open(context.Background(), store.Options{DatabaseURL: dbURL, DataDir: e.Dir})
			if err != nil {
				t.Fatal(err)
			}
			st, _ := db.StationByCode(context.Background(), "ZN-S03")
			if _, err := db.CreateStaffAccount(context.Background(), domain.NewStaff{Username: "xinbao", DisplayName: "新堡驿站 李娟",
				Role: domain.RoleStaff, StationID: st.ID, Password: "xinbao-station-password"}, domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
				t.Fatal(err)
			}
			db.Close()
			admin := a.adminToken("a-long-admin-password")
			var login struct{ Token string }
			must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "xinbao", "password": "xinbao-station-password"}, &login)
			staff := login.Token

			// An employer, a piece-rate gig starting today, a picker, a signed contract.
			first := "91640521MA7651234"
			var created struct {
				APIKey struct{ Secret string } `json:"api_key"`
			}
			must(201, "POST", "/api/v1/employers", admin, map[string]any{"kind": "company", "name": "中宁县杞乡红枸杞种植专业合作社",
				"credit_code": first + string(domain.CreditCodeCheck(first)), "contact_name": "王建国", "contact_phone": "13812345678",
				"station_code": "ZN-S03", "verified": true}, &created)
			key := created.APIKey.Secret
			today := domain.DateOf(time.Now())
			var job struct{ ID int64 }
			must(201, "POST", "/api/v1/jobs", key, map[string]any{
				"title": "中宁枸杞园急招摘果工 按斤计 日结", "description": "摘枸杞，过秤计价，当天结。", "skills": []string{"枸杞采摘"},
				"headcount": 20, "wage_fen": 180, "wage_unit": "piece", "piece_unit": "斤", "expected_hours": 0.06, "settlement": "daily",
				"district": "中宁县", "town": "新堡镇", "start_date": string(today), "end_date": string(today.AddDays(30)),
				"shifts": []map[string]string{{"start": "05:00", "end": "11:00"}}, "contact": "王经理 13812345678",
			}, &job)
			must(200, "POST", fmt.Sprintf("/api/v1/jobs/%d/review", job.ID), staff, map[string]string{"decision": "approve"}, nil)

			phone := "13995120001"
			must(202, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil)
			var reg struct {
				Worker struct {
					No string `json:"worker_no"`
				}
				Token string
			}
			must(201, "POST", "/api/v1/workers", "", map[string]any{"phone": phone, "code": a.codeFromOutbox(admin, phone), "name": "马桂兰",
				"station_code": "ZN-S03", "skills": []string{"枸杞采摘"}, "certs": []string{}, "district": "中宁县", "town": "新堡镇",
				"self_description": "摘过五年枸杞", "expected_wage_fen": 15000, "expected_wage_unit": "day", "max_commute_km": 15}, &reg)
			worker := reg.Token
			var applied struct{ Application struct{ ID int64 } }
			must(201, "POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job.ID), worker, nil, &applied)
			var acc struct {
				Contract struct {
					ID     int64
					Number string
				}
			}
			must(201, "POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, &acc)
			ct := acc.Contract
			confirmCode := func() string {
				t.Helper()
				must(202, "POST", "/api/v1/workers/me/otp", worker, nil, nil)
				return a.codeFromOutbox(admin, phone)
			}
			must(200, "POST", fmt.Sprintf("/api/v1/contracts/%d/sign", ct.ID), worker, map[string]string{"code": confirmCode()}, nil)
			must(200, "POST", fmt.Sprintf("/api/v1/contracts/%d/sign", ct.ID), key, nil, nil)

			// Work records and weigh tickets; the picker's SMS.
			ledger := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
			must(201, "POST", ledger, key, map[string]any{"kind": "work", "date": string(today), "quantity": 20.5, "note": "早班"}, nil, "Idempotency-Key", "work-1")
			must(201, "POST", ledger, key, map[string]any{"kind": "work", "date": string(today), "quantity": 20.5, "note": "早班"}, nil, "Idempotency-Key", "work-1")
			var ticket struct {
				Entry        struct{ ID int64 }
				DayWeightJin float64 `json:"day_weight_jin"`
			}
			must(201, "POST", "/api/v1/weigh-tickets", key, map[string]any{"card": reg.Worker.No, "weight_jin": 31.2}, &ticket)
			must(201, "POST", "/api/v1/weigh-tickets", staff, map[string]any{"card": reg.Worker.No, "weight_jin": 18.3}, &ticket)
			var outbox struct{ Items []struct{ Body string } }
			must(200, "GET", "/api/v1/admin/sms-outbox?per_page=50&phone="+phone, admin, nil, &outbox)
			var weighSMS []string
			for _, m := range outbox.Items {
				if strings.Contains(m.Body, "过秤") {
					weighSMS = append(weighSMS, m.Body)
				}
			}
			if len(weighSMS) != 2 || !strings.Contains(weighSMS[0], "18.3 斤 × 1.80 元/斤 = 32.94 元") || !strings.Contains(weighSMS[0], "今天累计 70 斤，126 元") {
				t.Errorf("weigh SMS in the outbox: %q", weighSMS)
			}

			// Pay part; the picker confirms one payment and disputes another.
			var pay1, pay2 struct{ ID int64 }
			must(201, "POST", ledger, key, map[string]any{"kind": "payment", "amount_fen": 10000, "method": "wechat", "reference": "微信 0001"}, &pay1)
			must(201, "POST", ledger, key, map[string]any{"kind": "payment", "amount_fen": 1600, "method": "cash"}, &pay2)
			must(200, "POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", pay1.ID), worker, map[string]string{"code": confirmCode()}, nil)
			must(200, "POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", pay2.ID), worker, map[string]string{"code": confirmCode(), "reason": "没收到这 16 元现金"}, nil)
			var bal struct {
				Entries []struct{ ID int64 }
				Balance domain.Balance
			}
			must(200, "GET", ledger, worker, nil, &bal)
			want := domain.Balance{EarnedFen: 12600, PaidFen: 11600, ConfirmedFen: 10000, DisputedFen: 1600, OutstandingFen: 1000}
			if bal.Balance != want || len(bal.Entries) != 5 {
				t.Errorf("balance %+v (%d entries), want %+v", bal.Balance, len(bal.Entries), want)
			}

			// Two days pass: the service starts again with its clock moved on; the sweep raises the alert.
			if err := srv.stop(); err != nil {
				t.Fatal(err)
			}
			env["LINGONG_DEV_CLOCK_OFFSET"] = "48h"
			srv = startServer(t, env)
			c, a = client{t, srv.URL}, apiClient{t, srv.URL}
			must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "xinbao", "password": "xinbao-station-password"}, &login)
			staff = login.Token
			var alerts struct {
				Items []domain.ArrearsAlert
			}
			deadline := time.Now().Add(20 * time.Second)
			for len(alerts.Items) == 0 && time.Now().Before(deadline) {
				must(200, "GET", "/api/v1/arrears", staff, nil, &alerts)
				time.Sleep(200 * time.Millisecond)
			}
			if len(alerts.Items) != 1 || alerts.Items[0].ContractNumber != ct.Number || alerts.Items[0].AmountFen != 1000 || alerts.Items[0].AgeDays != 2 {
				t.Fatalf("alerts after two days: %+v", alerts.Items)
			}
			if len(srv.Logs.find("arrears swept")) == 0 {
				t.Error("the sweep did not log what it raised")
			}

			// The console shows it, and the dispute in the station's queue.
			page := consoleGet(t, srv.URL, "xinbao", "xinbao-station-password", "/console/arrears", "/console/disputes")
			if !strings.Contains(page["/console/arrears"], ct.Number) || !strings.Contains(page["/console/arrears"], "10 元") && !strings.Contains(page["/console/arrears"], ">10<") {
				t.Errorf("the console's arrears list lacks the alert")
			}
			if !strings.Contains(page["/console/disputes"], "没收到这 16 元现金") {
				t.Errorf("the console's dispute queue lacks the dispute")
			}

			// Print the contract with its settlement record: the printed totals are the balance.
			req, _ := http.NewRequest("GET", srv.URL+fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), nil)
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			pdf, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			text := pdfToText(t, pdf)
			for _, want := range []string{"零工用工协议", ct.Number, "结算记录", "应得 126 元", "已付 116 元", "未付 10 元", "有异议", "已确认", "凭证 微信 0001"} {
				if !strings.Contains(text, want) {
					t.Errorf("the contract PDF lacks %q", want)
				}
			}

			// Retention: the database itself refuses to delete or change a fresh ledger row.
			raw := storetest.SQL(t, e)
			if _, err := raw.Exec("DELETE FROM ledger_entries WHERE contract_id = $1", ct.ID); err == nil {
				t.Error("a ledger row younger than 3 years was deleted")
			}
			if _, err := raw.Exec("UPDATE ledger_entries SET amount_fen = 0 WHERE contract_id = $1", ct.ID); err == nil {
				t.Error("a ledger row was updated")
			}
			must(200, "GET", ledger, key, nil, &bal)
			if bal.Balance.EarnedFen != 12600 || len(bal.Entries) != 5 {
				t.Errorf("ledger changed: %+v", bal.Balance)
			}
		})
	}
}

var consoleToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consoleGet logs into the console as a browser would (login form, cookie) and returns the pages asked for.
func consoleGet(t *testing.T, base, username, password string, paths ...string) map[string]string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	get := func(p string) string {
		resp, err := hc.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", p, resp.StatusCode)
		}
		return string(b)
	}
	m := consoleToken.FindStringSubmatch(get("/console/login"))
	if m == nil {
		t.Fatal("no login form")
	}
	resp, err := hc.PostForm(base+"/console/login", url.Values{"csrf_token": {m[1]}, "username": {username}, "password": {password}, "next": {"/console/arrears"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := map[string]string{}
	for _, p := range paths {
		out[p] = get(p)
	}
	return out
}

// pdfToText is pdftotext over a PDF, with spaces and line breaks removed between words.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := testtool.Require(t, "pdftotext")
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
