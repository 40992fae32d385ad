package api

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/store/storetest"
)

// storetestSQLite is a fresh SQLite engine (tests about the api itself need only one).
func storetestSQLite(t *testing.T) storetest.Engine { return storetest.Engines(t)[0] }

var apiKeyOnPage = regexp.MustCompile(`id="api-key">(lgk_[^<]+)<`)

// A day at the 中宁县 market through the console's forms: register an employer (the key shown once
// works), post a 现场优先 gig for them, review it from the today page, register a walk-in at the desk
// (a mistake first: nothing saved), sign them in, apply on their behalf from their matches, accept on
// the gig page (an online applicant has to wait), print the contract and record both handwritten
// signatures, and see the day's counts.
func TestConsoleDayAtTheMarket(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		staff := env.newConsoleStaff(admin, "zn-m1-desk", "ZN-M1")

		// An employer comes in: the key is on the page once, and works.
		code, _, page := staff.form("/console/employers", url.Values{"kind": {"individual"}, "name": {"马建军枸杞园"},
			"contact_name": {"马建军"}, "contact_phone": {"13912345678"}, "verified": {"1"}})
		key := apiKeyOnPage.FindStringSubmatch(page)
		if code != 201 || key == nil {
			t.Fatalf("create employer: %d %.500s", code, page)
		}
		var me struct {
			ID          int64  `json:"id"`
			StationCode string `json:"station_code"`
		}
		env.mustJSON("GET", "/api/v1/employer", key[1], nil, 200, &me)
		if me.StationCode != "ZN-M1" {
			t.Errorf("employer registered at %q, want the staff member's station ZN-M1", me.StationCode)
		}
		if _, _, again := staff.get("/console/employers"); strings.Contains(again, key[1]) {
			t.Error("the API key is shown a second time")
		}

		// A gig with a mistake first (no wage), then right, 现场优先.
		workersBefore, jobsBefore := env.count("workers"), env.count("jobs")
		code, _, page = staff.form("/console/gigs", jobValues(me.ID, func(v url.Values) { v.Set("wage", "0") }))
		if code != 400 || !strings.Contains(page, `id="wage-error"`) || !strings.Contains(page, "工钱") || env.count("jobs") != jobsBefore {
			t.Fatalf("low wage: %d, jobs %d -> %d, %.400s", code, jobsBefore, env.count("jobs"), page)
		}
		code, loc, _ := staff.form("/console/gigs", jobValues(me.ID, func(v url.Values) { v.Set("onsite_first", "1") }))
		if code != 303 {
			t.Fatalf("post gig: %d", code)
		}
		jobID := idFrom(t, loc)

		// The today page lists it for review, with the count; one click approves it.
		_, _, today := staff.get("/console")
		if !strings.Contains(today, fmt.Sprintf(`id="review-%d"`, jobID)) || !strings.Contains(today, `id="count-review">1<`) {
			t.Fatalf("the today page does not list the gig for review: %.2000s", today)
		}
		page = staff.flashAfter(fmt.Sprintf("/console/gigs/%d/review", jobID), url.Values{"decision": {"approve"}, "back": {"/console"}})
		if !strings.Contains(page, "已通过") || !strings.Contains(page, `id="count-review">0<`) {
			t.Fatalf("after approving: %.1500s", page)
		}

		// Someone applies online first.
		online := env.register("13700000001", func(m map[string]any) { m["station_code"] = "ZN-M1"; m["town"] = "宁安镇" })
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", jobID), online.Token, nil, 201, nil)

		// 代登记 at the desk: a bad phone and a bad ID number are shown next to their fields, nothing saved.
		workersBefore = env.count("workers")
		code, _, page = staff.form("/console/desk/register", deskValues("1380013800", "马福海", func(v url.Values) { v.Set("id_number", "640502199001011234") }))
		if code != 400 || !strings.Contains(page, `id="phone-error"`) || !strings.Contains(page, `id="id_number-error"`) || env.count("workers") != workersBefore {
			t.Fatalf("bad desk registration: %d, workers %d -> %d: %.600s", code, workersBefore, env.count("workers"), page)
		}
		if !strings.Contains(page, `value="马福海"`) {
			t.Error("the name typed was lost after a failed submit")
		}
		code, loc, _ = staff.form("/console/desk/register", deskValues("13800138000", "马福海"))
		if code != 303 || !strings.HasSuffix(loc, "?new=1") {
			t.Fatalf("desk registration: %d %s", code, loc)
		}
		workerID := idFrom(t, loc)
		_, _, wpage := staff.get(loc)
		for _, want := range []string{"马福海", "已为 马福海 登记", `id="signed-in"`, "今天第 <b>1</b> 位", fmt.Sprintf(`href="/api/v1/workers/%d/card.pdf"`, workerID), "autofocus"} {
			if !strings.Contains(wpage, want) {
				t.Errorf("worker page lacks %q", want)
			}
		}
		if code, _, pdf := staff.get(fmt.Sprintf("/api/v1/workers/%d/card.pdf", workerID)); code != 200 || !strings.HasPrefix(pdf, "%PDF-") {
			t.Errorf("card PDF: %d", code)
		}
		var by, station int64
		env.db.QueryRow("SELECT registered_by_staff_id, station_id FROM workers WHERE id = $1", workerID).Scan(&by, &station)
		zn, _ := env.store.StationByCode(t.Context(), "ZN-M1")
		if by == 0 || station != zn.ID {
			t.Errorf("代登记 recorded by staff %d at station %d, want a staff id and ZN-M1 (%d)", by, station, zn.ID)
		}

		// Scanning the worker's card, typing the number or the phone all open the worker.
		var card struct {
			CardURL string `json:"card_url"`
			No      string `json:"worker_no"`
		}
		env.mustJSON("GET", fmt.Sprintf("/api/v1/workers/%d", workerID), env.admin, nil, 200, &card)
		for _, q := range []string{card.CardURL, card.No, strings.ToLower(card.No), "138 0013 8000"} {
			if code, loc, _ := staff.get("/console/desk?q=" + url.QueryEscape(q)); code != 303 || loc != fmt.Sprintf("/console/workers/%d", workerID) {
				t.Errorf("desk look-up %q: %d %s", q, code, loc)
			}
		}

		// The worker's matches include the gig; apply on their behalf.
		if !strings.Contains(wpage, fmt.Sprintf(`id="apply-%d"`, jobID)) {
			t.Fatalf("the gig is not among the walk-in's matches: %.3000s", wpage)
		}
		page = staff.flashAfter(fmt.Sprintf("/console/workers/%d/apply", workerID), url.Values{"job_id": {fmt.Sprint(jobID)}})
		if !strings.Contains(page, "已为 马福海 报名") {
			t.Errorf("apply: %.800s", page)
		}
		var origin string
		var staffID int64
		env.db.QueryRow("SELECT origin, staff_id FROM applications WHERE worker_id = $1", workerID).Scan(&origin, &staffID)
		if origin != "staff" || staffID == 0 {
			t.Errorf("application origin %q staff %d, want staff-assisted", origin, staffID)
		}
		var audited int
		env.db.QueryRow("SELECT count(*) FROM audit_events WHERE action = 'application.staff' AND actor_kind = 'staff'").Scan(&audited)
		if audited != 1 {
			t.Errorf("%d audit events for the staff-assisted application", audited)
		}

		// The gig page: the walk-in is first in the queue; the online applicant cannot go first.
		_, _, gpage := staff.get(fmt.Sprintf("/console/gigs/%d", jobID))
		if !strings.Contains(gpage, "现场 第 1 位") {
			t.Errorf("gig page does not show the walk-in's place: %.3000s", gpage)
		}
		var onlineApp, walkinApp int64
		env.db.QueryRow("SELECT id FROM applications WHERE worker_id = $1", online.Worker.ID).Scan(&onlineApp)
		env.db.QueryRow("SELECT id FROM applications WHERE worker_id = $1", workerID).Scan(&walkinApp)
		page = staff.flashAfter(fmt.Sprintf("/console/applications/%d/accept", onlineApp), nil)
		if !strings.Contains(page, `id="alert"`) || !strings.Contains(page, "现场优先") {
			t.Errorf("accepting the online applicant first: %.800s", page)
		}
		page = staff.flashAfter(fmt.Sprintf("/console/applications/%d/accept", walkinApp), nil)
		if !strings.Contains(page, "已录用，合约") {
			t.Fatalf("accepting the walk-in: %.800s", page)
		}
		var contractID int64
		env.db.QueryRow("SELECT id FROM contracts WHERE worker_id = $1", workerID).Scan(&contractID)
		if code, _, pdf := staff.get(fmt.Sprintf("/api/v1/contracts/%d/pdf", contractID)); code != 200 || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("contract PDF: %d", code)
		}

		// Both parties sign the printed contract by hand; the staff member records it.
		page = staff.flashAfter(fmt.Sprintf("/console/contracts/%d/witness", contractID), url.Values{"role": {"worker"}})
		if !strings.Contains(page, "已记录零工的手写签名") || !strings.Contains(page, "见证人 测试zn-m1-desk") {
			t.Errorf("witness worker: %.1500s", page)
		}
		page = staff.flashAfter(fmt.Sprintf("/console/contracts/%d/witness", contractID), url.Values{"role": {"employer"}})
		if !strings.Contains(page, "合约生效") || !strings.Contains(page, `id="contract-status">已生效<`) {
			t.Errorf("witness employer: %.1500s", page)
		}
		var method string
		env.db.QueryRow("SELECT method FROM contract_signatures WHERE contract_id = $1 AND role = 'worker'", contractID).Scan(&method)
		if method != "staff_witnessed" {
			t.Errorf("worker signature method %q", method)
		}

		// The day's counts; today's batch prints as one PDF.
		_, _, today = staff.get("/console")
		for _, want := range []string{`id="count-walkins">1<`, `id="count-registrations">2<`, `id="count-contracts">1<`, `id="print-all"`} {
			if !strings.Contains(today, want) {
				t.Errorf("today page lacks %s", want)
			}
		}
		if code, _, pdf := staff.get("/api/v1/stations/ZN-M1/contracts.pdf?date=2026-05-10"); code != 200 || !strings.HasPrefix(pdf, "%PDF-") {
			t.Errorf("today's batch: %d", code)
		}
	})
}

// Staff of another station are refused every working screen of this station's records (403), and
// their own today page shows none of it.
func TestConsoleKeepsStationsApart(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		here := env.newConsoleStaff(admin, "here", "ZN-M1")
		there := env.newConsoleStaff(admin, "there", "SPT-S01")
		code, loc, _ := here.form("/console/desk/register", deskValues("13800138001", "李秀兰"))
		if code != 303 {
			t.Fatal(code)
		}
		workerID := idFrom(t, loc)
		if code, _, page := there.get(fmt.Sprintf("/console/workers/%d", workerID)); code != 403 || strings.Contains(page, "13800138001") {
			t.Errorf("another station's staff opened the worker: %d", code)
		}
		if code, _, page := there.get("/console/desk?q=13800138001"); code != 403 || !strings.Contains(page, "其他站点登记") {
			t.Errorf("another station's desk look-up: %d %.300s", code, page)
		}
		if code, _, _ := there.form(fmt.Sprintf("/console/workers/%d/signin", workerID), nil); code != 403 {
			t.Errorf("another station signed the worker in: %d", code)
		}
		if code, _, _ := there.get("/console?station=ZN-M1"); code != 403 {
			t.Errorf("another station's today page for ZN-M1: %d", code)
		}
		_, _, page := there.get("/console")
		if strings.Contains(page, "李秀兰") || !strings.Contains(page, `id="count-registrations">0<`) {
			t.Error("another station's today page shows this station's registration")
		}
		_, _, page = admin.get("/console?station=ZN-M1")
		if !strings.Contains(page, "李秀兰") {
			t.Error("the admin does not see the station's registration")
		}
	})
}

// Every console form post without the session's token is refused, and changes nothing.
func TestConsoleFormsRefuseAPostWithoutTheToken(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		b := env.consoleLogin("admin", "admin-test-password")
		n := 0
		for _, rt := range env.server.routes() {
			if rt.Access != kit.ConsoleForm {
				continue
			}
			n++
			path := strings.NewReplacer(":id", "1").Replace(rt.Path)
			before := env.count("audit_events")
			for _, token := range []string{"", "not-the-session-token"} {
				v := url.Values{"decision": {"approve"}, "role": {"worker"}}
				if token != "" {
					v.Set("csrf_token", token)
				}
				code, _, page := b.post(path, v)
				if code != 403 || !strings.Contains(page, "表单已过期") {
					t.Errorf("%s %s with token %q: %d", rt.Method, path, token, code)
				}
			}
			if after := env.count("audit_events"); after != before {
				t.Errorf("%s %s without a token wrote %d audit events", rt.Method, path, after-before)
			}
		}
		if n < 14 {
			t.Errorf("only %d console forms: is the table being read?", n)
		}
		// Still logged in: the refused posts did not end the session.
		if code, _, _ := b.get("/console"); code != 200 {
			t.Errorf("console after refused posts: %d", code)
		}
	})
}

// In production (served over HTTPS) every cookie the console sets is Secure; always HttpOnly and
// SameSite.
func TestConsoleCookiesAreSecureInProduction(t *testing.T) {
	e := newConsoleEnv(t, storetestSQLite(t), Options{Production: true})
	b := e.browser()
	resp, err := b.client.Get(e.http.URL + "/console/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loginCookie := resp.Cookies()
	if len(loginCookie) != 1 || !loginCookie[0].Secure || !loginCookie[0].HttpOnly || loginCookie[0].SameSite == 0 {
		t.Fatalf("login form cookie %+v", loginCookie)
	}
	resp, err = b.client.PostForm(e.http.URL+"/console/login", url.Values{"username": {"admin"}, "password": {"admin-test-password"},
		"csrf_token": {loginCookie[0].Value}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session bool
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			session = true
			if !c.Secure || !c.HttpOnly || c.SameSite == 0 || c.MaxAge <= 0 {
				t.Errorf("session cookie %+v", c)
			}
		}
	}
	if resp.StatusCode != 303 || !session {
		t.Fatalf("login: %d, session cookie set: %v", resp.StatusCode, session)
	}
	// A console action's one-time message rides in a cookie, Secure too.
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	e.server.console.Flash(c, "ok", "已签到")
	if ck := rec.Result().Cookies(); len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly {
		t.Errorf("flash cookie %+v", ck)
	}
	// The development server (plain HTTP on a station's LAN) does not set Secure, or the browser
	// would drop the cookie.
	dev := newConsoleEnv(t, storetestSQLite(t), Options{})
	resp, err = dev.browser().client.Get(dev.http.URL + "/console/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Cookies(); len(c) != 1 || c[0].Secure {
		t.Errorf("development login cookie %+v", c)
	}
}
