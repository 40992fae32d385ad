package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/domain"
	"lingong/store/storetest"
)

// The pages of issue 20 at the sizes people use them: a worker's phone (360×740) and a station PC
// (1366×768), through the real service in Chromium. Each page is checked for sideways scrolling,
// lines that should not wrap, and the result of an action in the first screen. With
// LINGONG_SCREENSHOTS=dir every page is also saved there as a PNG, to look at.

// shot saves a screenshot of the page as name.png when LINGONG_SCREENSHOTS names a folder.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LINGONG_SCREENSHOTS")
	if dir == "" {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

// phoneFits fails when the page is wider than a 360 px phone.
func (p page) phoneFits(where string) {
	p.t.Helper()
	if w := p.eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		p.t.Errorf("%s is %s px wide: a 360 px phone would scroll sideways", where, w)
	}
}

// transferred logs what the page and its stylesheet cost on the wire (compressed) and as read
// (decoded), from the browser's own timing entries, and fails when a page over 4 KB was not at least
// halved: the phone pages are served compressed.
func (p page) transferred(what string) {
	p.t.Helper()
	got := p.eval(`(() => { const n = performance.getEntriesByType("navigation")[0];
		const css = performance.getEntriesByType("resource").find(r => r.name.endsWith("/static/app.css"));
		return n.encodedBodySize + " " + n.decodedBodySize + " " + (css ? css.encodedBodySize + " " + css.decodedBodySize : "0 0"); })()`)
	var wire, plain, cssWire, cssPlain int
	fmt.Sscan(got, &wire, &plain, &cssWire, &cssPlain)
	p.t.Logf("%s: %d bytes on the wire for %d of HTML; app.css %d for %d", what, wire, plain, cssWire, cssPlain)
	if plain > 4096 && wire*2 > plain {
		p.t.Errorf("%s: %d bytes on the wire for %d: not compressed", what, wire, plain)
	}
}

// inFirstScreen fails when the element's bottom is below the first screen of height h.
func (p page) inFirstScreen(sel string, h int, what string) {
	p.t.Helper()
	bottom := p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? String(Math.round(e.getBoundingClientRect().bottom)) : "missing"; })()`, sel))
	if n, err := strconv.Atoi(bottom); err != nil || n > h {
		p.t.Errorf("%s (%s) ends at %s px, below the first screen of %d px", what, sel, bottom, h)
	}
}

func TestPagesAtPhoneAndDeskSizes(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			addr := freeAddr(t)
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADDR": addr, "LINGONG_PUBLIC_URL": "http://" + addr,
				"LINGONG_ADMIN_PASSWORD": "pages-admin-password", "LINGONG_OTP_PHONE_INTERVAL": "0s"}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			t.Cleanup(func() {
				if t.Failed() {
					srv.Logs.mu.Lock()
					defer srv.Logs.mu.Unlock()
					for _, l := range srv.Logs.lines {
						if l["level"] == "ERROR" || l["level"] == "WARN" {
							t.Logf("server: %v", l)
						}
					}
				}
			})
			api := apiClient{t: t, base: srv.URL}
			admin := api.adminToken("pages-admin-password")
			tomorrow := domain.DateOf(time.Now()).AddDays(1)

			// An employer of ZN-S03 with 30 approved gigs: more than a page of the console's list.
			var emp struct {
				Employer struct{ ID int64 }      `json:"employer"`
				APIKey   struct{ Secret string } `json:"api_key"`
			}
			first := "91640500MA0000001"
			if code := api.call("POST", "/api/v1/employers", admin, map[string]any{"kind": "company", "name": "中宁县杞香源枸杞种植专业合作社",
				"credit_code": first + string(domain.CreditCodeCheck(first)), "contact_name": "王建国", "contact_phone": "13912345678",
				"station_code": "ZN-S03", "verified": true}, &emp); code != 201 {
				t.Fatalf("employer: %d", code)
			}
			var jobs []int64
			for i := 0; i < 30; i++ {
				var j struct{ ID int64 }
				if code := api.call("POST", "/api/v1/jobs", emp.APIKey.Secret, map[string]any{"title": fmt.Sprintf("新堡镇枸杞园招摘果工 第%d批", i+1),
					"description": "摘枸杞鲜果，当天过秤当天结。", "skills": []string{"枸杞采摘"}, "headcount": 5, "wage_fen": 20000, "wage_unit": "day",
					"settlement": "daily", "district": "中宁县", "town": "新堡镇", "address": "新堡镇枸杞基地", "start_date": tomorrow,
					"end_date": tomorrow.AddDays(3), "daily_hours": 8}, &j); code != 201 {
					t.Fatalf("gig %d: %d", i, code)
				}
				if code := api.call("POST", fmt.Sprintf("/api/v1/jobs/%d/review", j.ID), admin, map[string]string{"decision": "approve"}, nil); code != 200 {
					t.Fatalf("approve %d: %d", j.ID, code)
				}
				jobs = append(jobs, j.ID)
			}
			// One closed, so the console's filter has one to find.
			if code := api.call("POST", fmt.Sprintf("/api/v1/jobs/%d/close", jobs[0]), admin, map[string]string{"reason": "招够了"}, nil); code != 200 {
				t.Fatalf("close: %d", code)
			}
			job := fmt.Sprintf("/jobs/%d", jobs[29])

			// A worker registered before (on the API), who logs in on the phone from a gig.
			phone := "13812345678"
			api.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil)
			var reg struct {
				Worker struct{ ID int64 } `json:"worker"`
			}
			if code := api.call("POST", "/api/v1/workers", "", map[string]any{"phone": phone, "code": api.codeFromOutbox(admin, phone),
				"name": "马建国", "station_code": "ZN-S03", "skills": []string{"枸杞采摘"}, "district": "中宁县", "town": "新堡镇",
				"expected_wage_fen": 15000, "expected_wage_unit": "day", "max_commute_km": 30}, &reg); code != 201 {
				t.Fatalf("register: %d", code)
			}

			// --- The phone ---
			ctx := newChromium(t)
			p := page{t: t, ctx: ctx}
			p.do("open the gig", chromedp.Navigate(srv.URL+job), chromedp.WaitVisible(chromedp.ID("apply-login")))
			p.phoneFits("the gig page")
			p.transferred("the gig page")
			shot(t, ctx, "phone-gig-anonymous")
			p.submit("log in from the gig", "#phone", chromedp.Click(chromedp.ID("apply-login")))
			p.submit("send the code", "#code", chromedp.SendKeys(chromedp.ID("phone"), phone), chromedp.Click(chromedp.ID("send-code")))
			p.submit("type the code", "#apply-button", chromedp.SendKeys(chromedp.ID("code"), api.codeFromOutbox(admin, phone)), chromedp.Click(chromedp.ID("verify-code")))
			if loc := p.eval(`location.pathname`); loc != job {
				t.Errorf("after logging in the worker is at %s, not back on the gig %s", loc, job)
			}
			p.submit("我要报名", "#apply-result", chromedp.Click(chromedp.ID("apply-button")))
			p.inFirstScreen("#apply-result", 740, "the answer to 我要报名")
			if b := p.text("#apply-button"); b != "已报名" {
				t.Errorf("after applying the button says %q", b)
			}
			p.phoneFits("the gig page after applying")
			shot(t, ctx, "phone-gig-applied")
			p.do("visit the gig again", chromedp.Navigate(srv.URL+job), chromedp.WaitVisible(chromedp.ID("my-standing")))
			p.inFirstScreen("#my-standing", 740, "the worker's standing on a later visit")
			if s := p.text("#my-standing .standing-label"); s != "已报名" {
				t.Errorf("a later visit shows %q", s)
			}

			// Accepted: the contract waits for the worker, on the gig and first on /me.
			var apps struct {
				Items []struct{ ID int64 } `json:"items"`
			}
			api.call("GET", fmt.Sprintf("/api/v1/jobs/%d/applications", jobs[29]), emp.APIKey.Secret, nil, &apps)
			var accepted struct {
				Contract struct{ ID int64 } `json:"contract"`
			}
			if len(apps.Items) != 1 || api.call("POST", fmt.Sprintf("/api/v1/applications/%d/accept", apps.Items[0].ID), emp.APIKey.Secret, nil, &accepted) != 201 {
				t.Fatalf("accept: %+v", apps)
			}
			p.do("the gig once accepted", chromedp.Navigate(srv.URL+job), chromedp.WaitVisible(chromedp.ID("standing-action")))
			if s := p.text("#my-standing .standing-label"); s != "已录用 · 待我确认" {
				t.Errorf("accepted, the gig page shows %q", s)
			}
			p.inFirstScreen("#standing-action", 740, "the button to confirm the contract")
			shot(t, ctx, "phone-gig-accepted")
			p.do("open /me", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(chromedp.ID("my-contracts")))
			p.inFirstScreen("#my-contracts h2", 740, "我的合约 on /me")
			if order := p.eval(`String(document.getElementById("my-contracts").getBoundingClientRect().top < document.querySelector(".worker-card").getBoundingClientRect().top &&
				document.getElementById("my-applications").getBoundingClientRect().top < document.getElementById("my-matches").getBoundingClientRect().top)`); order != "true" {
				t.Error("/me does not put the contract and the applications before the card and the recommendations")
			}
			p.phoneFits("/me")
			p.transferred("/me")
			shot(t, ctx, "phone-me")

			// An employer's invitation (issue 18): first on /me, with big buttons; 不去 answers it.
			var invited struct {
				Application struct{ ID int64 } `json:"application"`
			}
			if code := api.call("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", jobs[28]), emp.APIKey.Secret, map[string]int64{"worker_id": reg.Worker.ID}, &invited); code != 201 {
				t.Fatalf("invite: %d", code)
			}
			offer := fmt.Sprintf("#offer-%d", invited.Application.ID)
			p.do("/me with an offer", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(offer)))
			p.inFirstScreen(offer+" form button", 740, "the buttons answering the offer")
			p.phoneFits("/me with an offer")
			if h, _ := strconv.ParseFloat(p.eval(`String(document.querySelector("#my-offers .btn-primary").getBoundingClientRect().height)`), 64); h < 44 {
				t.Errorf("the 接受 button is %.0f px high, too small for a thumb", h)
			}
			shot(t, ctx, "phone-me-offer")
			p.submit("不去", "#my-applications", chromedp.Click(chromedp.CSS(offer+` form[action$="/refuse"] button`)))
			if n := p.text(".notice"); !strings.Contains(n, "已谢绝") {
				t.Errorf("after 不去 /me says %q", n)
			}
			if left := p.eval(fmt.Sprintf(`String(document.querySelector(%q) === null)`, offer)); left != "true" {
				t.Error("the refused offer is still on /me")
			}
			p.do("open the contract", chromedp.Navigate(fmt.Sprintf("%s/me/contracts/%d", srv.URL, accepted.Contract.ID)), chromedp.WaitVisible(chromedp.ID("terms")))
			p.phoneFits("the contract page")
			if w, _ := strconv.ParseFloat(p.eval(`String(Math.min(...[...document.querySelectorAll("#terms dd")].map(d => d.getBoundingClientRect().width)))`), 64); w < 280 {
				t.Errorf("the contract's terms are printed in a column %.0f px wide", w)
			}
			shot(t, ctx, "phone-contract")

			// The job list: the search box's hint shows whole.
			p.do("open /jobs", chromedp.Navigate(srv.URL+"/jobs"), chromedp.WaitVisible(chromedp.ID("q")))
			if fits := p.eval(`(() => { const i = document.getElementById("q"), s = getComputedStyle(i), c = document.createElement("canvas").getContext("2d");
				c.font = s.fontSize + " " + s.fontFamily; const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
				return String(c.measureText(i.placeholder).width <= room); })()`); fits != "true" {
				t.Error("the search box's placeholder is cut off at 360 px")
			}
			p.phoneFits("/jobs")
			p.transferred("/jobs")
			shot(t, ctx, "phone-jobs")

			// Registration step 3 for a new phone at the station: place, then the station's common trades,
			// the rest and the certificates folded.
			p.do("log out", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`form[action="/me/logout"] button`)))
			p.submit("log out", "main", chromedp.Click(chromedp.CSS(`form[action="/me/logout"] button`)))
			p.do("scan the poster", chromedp.Navigate(srv.URL+"/r/ZN-S03"), chromedp.WaitVisible(chromedp.ID("phone")))
			p.submit("send the code", "#code", chromedp.SendKeys(chromedp.ID("phone"), "13712340000"), chromedp.Click(chromedp.ID("send-code")))
			p.submit("type the code", "#profile-form", chromedp.SendKeys(chromedp.ID("code"), api.codeFromOutbox(admin, "13712340000")), chromedp.Click(chromedp.ID("verify-code")))
			p.phoneFits("registration step 3")
			p.transferred("registration step 3")
			if order := p.eval(`String(document.getElementById("place").getBoundingClientRect().top < document.getElementById("skills").getBoundingClientRect().top)`); order != "true" {
				t.Error("step 3 asks for the skills before the place")
			}
			common := p.eval(`[...document.querySelectorAll("#common-skills input")].map(i => i.value).join(",")`)
			if n := len(strings.Split(common, ",")); n < 8 || n > 12 || !strings.HasPrefix(common, "枸杞采摘") {
				t.Errorf("the station's common trades: %q (want 8–12, the station's own first)", common)
			}
			if open := p.eval(`String(document.getElementById("more-skills").open || document.getElementById("certs").open)`); open != "false" {
				t.Error("the other trades or the certificates are not folded")
			}
			height := p.eval(`String(document.documentElement.scrollHeight)`)
			t.Logf("registration step 3 is %s px tall at 360 px", height)
			if h, _ := strconv.Atoi(height); h > 4*740 {
				t.Errorf("registration step 3 is %d px, over four phone screens", h)
			}
			shot(t, ctx, "phone-register-step3")

			// --- The station PC ---
			dctx := newDesktopChromium(t)
			d := page{t: t, ctx: dctx}
			d.do("open the console", chromedp.Navigate(srv.URL+"/console"), chromedp.WaitVisible(chromedp.ID("username")))
			d.submit("admin logs in", "#counts", chromedp.SendKeys(chromedp.ID("username"), "admin"),
				chromedp.SendKeys(chromedp.ID("password"), "pages-admin-password"), chromedp.Submit(chromedp.ID("password")))
			for _, pg := range []struct{ path, sel, name string }{
				{"/console", "#counts", "desk-today"},
				{"/console/gigs", "#gigs", "desk-gigs"},
				{"/console/gigs/new", "#piece_unit", "desk-gig-form"},
				{"/console/workers", "#workers", "desk-workers"},
				{"/console/employers", "#employers", "desk-employers"},
				{"/console/ledger", "#contracts", "desk-settlement-ledger"},
				{"/console/weigh", "#weigh-form", "desk-settlement-weigh"},
				{"/console/disputes", "#settle-tabs", "desk-settlement-disputes"},
				{"/console/arrears", "#arrears", "desk-settlement-arrears"},
				{"/console/payroll", "#choose-station", "desk-settlement-payroll"},
				{"/console/dashboard", "#kpis", "desk-dashboard"},
				{"/console/staff", "#staff", "desk-staff"},
			} {
				d.do("open "+pg.path, chromedp.Navigate(srv.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.sel)))
				d.fitsTheScreen(pg.path)
				if h, _ := strconv.ParseFloat(d.eval(`String(document.querySelector("header.bar").getBoundingClientRect().height)`), 64); h > 60 {
					t.Errorf("%s: the console's header is %.0f px tall: it wraps", pg.path, h)
				}
				// No header cell of a list breaks over lines.
				if wrapped := d.eval(`[...document.querySelectorAll("table.grid th")].filter(th => th.getBoundingClientRect().height > 40).map(th => th.textContent).join(",")`); wrapped != "" {
					t.Errorf("%s: table headings wrap: %s", pg.path, wrapped)
				}
				shot(t, dctx, pg.name)
			}
			// The gig form's piece unit: the posting's own unit words (斤, 公斤, 箱...), shown as 每斤 and so on.
			d.do("the gig form", chromedp.Navigate(srv.URL+"/console/gigs/new"), chromedp.WaitVisible(chromedp.ID("piece_unit")))
			if units := d.eval(`[...document.querySelectorAll("#piece_unit option")].map(o => o.textContent).join(",")`); !strings.Contains(units, "每斤") || !strings.Contains(units, "每件") {
				t.Errorf("the gig form's piece units: %q, want 每斤 and 每件 among them", units)
			}
			d.do("the wage fields", chromedp.ScrollIntoView(chromedp.ID("piece_unit")))
			shot(t, dctx, "desk-gig-form-wage")
			if tabs := d.eval(`[...document.querySelectorAll("#settle-tabs a")].length + ""`); tabs != "0" {
				t.Errorf("the staff page shows the settlement tabs")
			}
			d.do("the settlement tabs", chromedp.Navigate(srv.URL+"/console/ledger"), chromedp.WaitVisible(chromedp.ID("settle-tabs")))
			if tabs := d.eval(`[...document.querySelectorAll("#settle-tabs .tab-label")].map(a => a.textContent).join(",")`); tabs != "合约与台账,过秤,异议,欠薪预警,工资台账" {
				t.Errorf("settlement tabs: %q", tabs)
			}
			if n := d.eval(`String(document.querySelectorAll("header.bar nav a").length)`); n != "11" { // 考勤 (issue 21) and 出险 (issue 22) joined the menu
				t.Errorf("the admin's menu has %s entries", n)
			}

			// The gigs list: 30 gigs, 25 a page, a second page that reaches the rest; the search and the
			// filters (已关闭 among them) find what they name.
			d.do("gigs, page 1", chromedp.Navigate(srv.URL+"/console/gigs"), chromedp.WaitVisible(chromedp.ID("gigs")))
			if n := d.eval(`String(document.querySelectorAll("#gigs tbody tr").length)`); n != "25" {
				t.Errorf("the first page lists %s gigs, want 25", n)
			}
			d.submit("gigs, page 2", "#gigs", chromedp.Click(chromedp.CSS(`nav.pager a[rel=next]`)))
			if n := d.eval(`String(document.querySelectorAll("#gigs tbody tr").length)`); n != "5" {
				t.Errorf("the second page lists %s gigs, want 5", n)
			}
			d.do("search by number", chromedp.Navigate(fmt.Sprintf("%s/console/gigs?q=%d", srv.URL, jobs[7])), chromedp.WaitVisible(chromedp.ID("gigs")))
			if got := d.text("#gigs tbody tr td:first-child"); got != strconv.FormatInt(jobs[7], 10) {
				t.Errorf("searching gig %d finds %q", jobs[7], got)
			}
			d.do("search by the employer's phone", chromedp.Navigate(srv.URL+"/console/gigs?q=5678"), chromedp.WaitVisible(chromedp.ID("gigs")))
			if n := d.eval(`String(document.querySelectorAll("#gigs tbody tr").length)`); n != "25" || !strings.Contains(d.text("nav.pager"), "共 30 条") {
				t.Errorf("searching the phone tail 5678: %s rows, %q", n, d.text("nav.pager"))
			}
			d.do("the closed ones", chromedp.Navigate(srv.URL+"/console/gigs?status=closed"), chromedp.WaitVisible(chromedp.ID("gigs")))
			if got := d.eval(`[...document.querySelectorAll("select[name=status] option")].map(o => o.textContent).join(",")`); !strings.Contains(got, "已关闭") || !strings.Contains(got, "已结束") {
				t.Errorf("status filter offers %q", got)
			}
			if n := d.eval(`String(document.querySelectorAll("#gigs tbody tr").length)`); n != "1" {
				t.Errorf("已关闭 lists %s gigs, want 1", n)
			}
			d.do("the contracts", chromedp.Navigate(srv.URL+"/console/ledger?q=马建国"), chromedp.WaitVisible(chromedp.ID("contracts")))
			if n := d.eval(`String(document.querySelectorAll("#contracts tbody tr").length)`); n != "1" {
				t.Errorf("the worker's contracts: %s rows", n)
			}
			d.do("payroll asks the admin", chromedp.Navigate(srv.URL+"/console/payroll"), chromedp.WaitVisible(chromedp.ID("choose-station")))
			if got := d.eval(`document.getElementById("payroll-station").value`); got != "" {
				t.Errorf("payroll chose station %q for the admin", got)
			}
		})
	}
}
