package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/domain"
	"lingong/store/storetest"
	"lingong/test/testtool"
)

// newDesktopChromium starts Debian's headless Chromium at a station PC's 1366×768.
func newDesktopChromium(t *testing.T) context.Context {
	t.Helper()
	bin := testtool.Require(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// page drives one Chromium tab through the console, failing the test with the page's content when a
// step does not work.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		html, _ := chromedp.Run(p.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("%s: %v\nat %s:\n%.4000s", step, err, loc, html)
	}
}

func (p page) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (p page) eval(js string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// fetchPDF fetches a link of the page as the browser (with its session) and returns the content type
// and the first bytes: what pressing 打印 opens.
func (p page) fetchPDF(linkSel string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`fetch(document.querySelector(%q).href).then(async r => r.status + " " + r.headers.get("content-type") + " " +
		new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)))`, linkSel))
}

// fitsTheScreen checks that the page needs no sideways scrolling at 1366 px.
func (p page) fitsTheScreen(where string) {
	p.t.Helper()
	w, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || w > 1366 {
		p.t.Errorf("%s is %d px wide (%v): the desk PC would scroll sideways", where, w, err)
	}
}

var digits = regexp.MustCompile(`\d+`)

// leaving marks the document on screen; arrived waits until another has replaced it and loaded. A
// step that clicks a form's button waits with them for the page the post leads to: the next page may
// hold an element with the same id as this one (both have a flash message, a username field).
var leaving = chromedp.Evaluate[chromedp.Void](`window.__lgLeaving = true`)

func arrived() chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](`!window.__lgLeaving && document.readyState === "complete"`)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			// While the old document goes away, evaluating may fail ("navigated or closed"): try again.
			if done, err := check(ctx, t); err == nil && done {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for the next page: %w", ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// submit is a step that ends in a new page: it waits for that page, then for sel on it.
func (p page) submit(step string, sel string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	all := append([]chromedp.Action[chromedp.Void]{leaving}, actions...)
	p.do(step, append(all, arrived(), chromedp.WaitVisible(chromedp.CSS(sel)))...)
}

// The acceptance of issue 8, as a new user does it, in Chromium at 1366×768 through the real service:
// the admin logs in and creates a staff account for the 中宁县 market (ZN-M1); that staff member logs in
// and works through a day: registers a walk-in employer (the API key shown once) and posts a 现场优先
// gig for them, reviews it and an API-posted gig from the today page, registers a walk-in at the desk
// (the card prints), finds the worker's match and applies for them, accepts them on the gig page (an
// online applicant must wait), prints the contract, records both handwritten signatures, records the
// employer's cash advance on the settlement screen, and sees the dashboard move: its charts and tables
// show the known figures of the day.
func TestConsoleDayInChromium(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := newDesktopChromium(t)
			addr := freeAddr(t)
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADDR": addr, "LINGONG_PUBLIC_URL": "http://" + addr,
				"LINGONG_ADMIN_PASSWORD": "console-admin-password", "LINGONG_OTP_PHONE_INTERVAL": "0s"}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			api := apiClient{t: t, base: srv.URL}
			p := page{t: t, ctx: ctx}
			today := domain.DateOf(time.Now())
			tomorrow := today.AddDays(1)

			// The admin creates the staff account.
			p.do("open the console", chromedp.Navigate(srv.URL+"/console"), chromedp.WaitVisible(chromedp.ID("username")))
			p.submit("admin logs in", "#counts",
				chromedp.SendKeys(chromedp.ID("username"), "admin"), chromedp.SendKeys(chromedp.ID("password"), "console-admin-password"),
				chromedp.Submit(chromedp.ID("password")))
			p.do("open the staff accounts", chromedp.Navigate(srv.URL+"/console/staff"), chromedp.WaitVisible(chromedp.ID("username")))
			p.submit("create the ZN-M1 staff account", "p.flash",
				chromedp.SendKeys(chromedp.ID("username"), "zn-m1-wang"), chromedp.SendKeys(chromedp.ID("display_name"), "王芳"),
				chromedp.SendKeys(chromedp.ID("password"), "wang-fang-password"), chromedp.SetValue(chromedp.ID("station_code"), "ZN-M1"),
				chromedp.Submit(chromedp.ID("username")))
			if flash := p.text("p.flash"); !strings.Contains(flash, "zn-m1-wang") {
				t.Fatalf("after creating the account: %q", flash)
			}
			p.submit("admin logs out", "#username", chromedp.Click(chromedp.CSS("header form.inline button")))

			// The staff member's day starts.
			p.submit("staff logs in", "#counts", chromedp.SendKeys(chromedp.ID("username"), "zn-m1-wang"), chromedp.SendKeys(chromedp.ID("password"), "wang-fang-password"),
				chromedp.Submit(chromedp.ID("password")))
			if who := p.text("header .who"); !strings.Contains(who, "王芳") || !strings.Contains(who, "中宁县零工市场") {
				t.Errorf("logged in as %q", who)
			}
			p.fitsTheScreen("the today page")
			p.do("the dashboard before", chromedp.Navigate(srv.URL+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("kpis")))
			if before := p.text("#kpi-registrations") + "/" + p.text("#kpi-contracts"); before != "0/0" {
				t.Errorf("the day starts with registrations/contracts %s, want 0/0", before)
			}

			// An employer comes in: registered, the key shown once.
			p.do("open the employers", chromedp.Navigate(srv.URL+"/console/employers"), chromedp.WaitVisible(chromedp.ID("employer-form")))
			p.submit("register the employer", "#api-key",
				chromedp.Click(chromedp.CSS(`input[name=kind][value=individual]`)),
				chromedp.SendKeys(chromedp.ID("e-name"), "马建军枸杞园"), chromedp.SendKeys(chromedp.ID("contact_name"), "马建军"),
				chromedp.SendKeys(chromedp.ID("contact_phone"), "13912345678"), chromedp.Click(chromedp.CSS(`input[name=verified]`)),
				chromedp.Click(chromedp.ID("employer-submit")))
			key := p.text("#api-key")
			var me struct {
				ID int64 `json:"id"`
			}
			if code := api.call("GET", "/api/v1/employer", key, nil, &me); code != 200 {
				t.Fatalf("the key shown on the page does not work: %d", code)
			}

			// A 现场优先 gig posted for them at the desk, and one they post from their own system.
			p.submit("open the gig form", "#gig-form", chromedp.Click(chromedp.ID("post-for")))
			p.submit("post a gig for the employer", "#approve",
				chromedp.SendKeys(chromedp.ID("title"), "枸杞园招摘果工 3 名 日结"),
				chromedp.SendKeys(chromedp.ID("description"), "摘枸杞鲜果，当天过秤。"),
				chromedp.Click(chromedp.CSS(`#skills input[value="枸杞采摘"]`)),
				chromedp.SetValue(chromedp.ID("headcount"), "3"), chromedp.SendKeys(chromedp.ID("wage"), "180"),
				chromedp.SetValue(chromedp.ID("place"), "中宁县/宁安镇"), chromedp.SendKeys(chromedp.ID("address"), "宁安镇枸杞基地"),
				chromedp.Click(chromedp.ID("onsite_first")),
				chromedp.Click(chromedp.ID("gig-submit")))
			onsiteJob := digits.FindString(strings.TrimPrefix(p.eval(`location.pathname`), "/console/gigs/"))
			var posted struct {
				ID int64 `json:"id"`
			}
			if code := api.call("POST", "/api/v1/jobs", key, map[string]any{"title": "枸杞园装车搬运工 5 名", "skills": []string{"搬运"},
				"headcount": 5, "wage_fen": 20000, "wage_unit": "day", "settlement": "daily", "district": "中宁县", "town": "宁安镇",
				"start_date": tomorrow, "end_date": tomorrow.AddDays(6), "daily_hours": 8}, &posted); code != 201 {
				t.Fatalf("the employer's API post: %d", code)
			}

			// Review both from the today page, one click each.
			p.do("open today", chromedp.Navigate(srv.URL+"/console"), chromedp.WaitVisible(chromedp.ID("review")))
			if n := p.text("#count-review"); n != "2" {
				t.Errorf("review queue holds %s, want 2", n)
			}
			for _, id := range []string{onsiteJob, fmt.Sprint(posted.ID)} {
				p.submit("approve gig "+id, "p.flash", chromedp.Click(chromedp.ID("approve-"+id)))
			}
			if n := p.text("#count-review"); n != "0" {
				t.Errorf("after approving, the review queue holds %s", n)
			}

			// Three workers register on their phones at the market's poster (the known data set) ...
			for i, skills := range [][]string{{"枸杞采摘"}, {"枸杞采摘"}, {"搬运"}} {
				phone := fmt.Sprintf("1371234000%d", i)
				if code := api.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil); code != 202 {
					t.Fatalf("otp: %d", code)
				}
				admin := api.adminToken("console-admin-password")
				body := map[string]any{"phone": phone, "code": api.codeFromOutbox(admin, phone), "name": "网上报名者", "station_code": "ZN-M1",
					"skills": skills, "certs": []string{}, "district": "中宁县", "town": "宁安镇", "expected_wage_fen": 15000,
					"expected_wage_unit": "day", "max_commute_km": 30}
				var reg struct{ Token string }
				if code := api.call("POST", "/api/v1/workers", "", body, &reg); code != 201 {
					t.Fatalf("self-registration %d: %d", i, code)
				}
				if i == 0 { // ... and the first applies online for the 现场优先 gig.
					if code := api.call("POST", "/api/v1/jobs/"+onsiteJob+"/applications", reg.Token, nil, nil); code != 201 {
						t.Fatalf("online application: %d", code)
					}
				}
			}

			// A walk-in without a smartphone: 代登记 on one screen, a mistake first.
			p.do("open the desk", chromedp.Navigate(srv.URL+"/console/desk"), chromedp.WaitVisible(chromedp.ID("register-form")))
			focused := p.eval(`document.activeElement.id`)
			if focused != "q" {
				t.Errorf("the desk's focus is on %q, want the scan field", focused)
			}
			p.fitsTheScreen("the desk")
			p.submit("register with a wrong phone", "#phone-error", chromedp.SendKeys(chromedp.ID("phone"), "1380013800"), chromedp.SendKeys(chromedp.ID("name"), "马福海"),
				chromedp.Click(chromedp.CSS(`#skills input[value="枸杞采摘"]`)), chromedp.Click(chromedp.CSS(`#skills input[value="搬运"]`)),
				chromedp.SetValue(chromedp.ID("place"), "中宁县/宁安镇"), chromedp.SendKeys(chromedp.ID("wage"), "150"),
				chromedp.Click(chromedp.ID("register-submit")))
			if kept := p.eval(`document.getElementById("name").value + "|" + document.querySelectorAll("#skills input:checked").length`); kept != "马福海|2" {
				t.Errorf("after the mistake the form holds %q", kept)
			}
			p.submit("correct the phone", "#print-card", chromedp.Clear(chromedp.ID("phone")), chromedp.SendKeys(chromedp.ID("phone"), "13800138000"),
				chromedp.Click(chromedp.ID("register-submit")))
			if f := p.eval(`document.activeElement.id`); f != "print-card" {
				t.Errorf("after 代登记 the focus is on %q, want the print button", f)
			}
			if got := p.fetchPDF("#print-card"); got != "200 application/pdf %PDF-" {
				t.Errorf("the worker card: %q", got)
			}
			workerNo := p.text("#worker-no")
			if !strings.Contains(p.text("#signed-in"), "第 1 位") {
				t.Errorf("the walk-in is not first in today's queue: %q", p.text("#signin"))
			}

			// Scanning the card (a USB scanner types its URL and Enter) finds the worker again.
			var worker struct {
				ID      int64  `json:"id"`
				CardURL string `json:"card_url"`
			}
			staffToken := ""
			{
				var login struct{ Token string }
				api.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "zn-m1-wang", "password": "wang-fang-password"}, &login)
				staffToken = login.Token
			}
			if code := api.call("GET", "/api/v1/workers/lookup?q="+workerNo, staffToken, nil, &worker); code != 200 {
				t.Fatalf("look-up %s: %d", workerNo, code)
			}
			p.do("back to the desk", chromedp.Navigate(srv.URL+"/console/desk"), chromedp.WaitVisible(chromedp.ID("q")))
			p.submit("scan the card", "#worker-no", chromedp.SendKeys(chromedp.ID("q"), worker.CardURL+"\r"))
			if no := p.text("#worker-no"); no != workerNo {
				t.Errorf("the scanned card opened %q, want %q", no, workerNo)
			}

			// Match and apply on the worker's behalf.
			p.submit("apply for the walk-in", "p.flash", chromedp.WaitVisible(chromedp.ID("apply-"+onsiteJob)), chromedp.Click(chromedp.ID("apply-"+onsiteJob)))
			if flash := p.text("p.flash"); !strings.Contains(flash, "已为 马福海 报名") {
				t.Errorf("after applying: %q", flash)
			}

			// Accept on the gig page: the online applicant must wait for the walk-in.
			p.do("open the gig", chromedp.Navigate(srv.URL+"/console/gigs/"+onsiteJob), chromedp.WaitVisible(chromedp.ID("applications")))
			apps := p.eval(`JSON.stringify([...document.querySelectorAll("#applications tbody tr")].map(r => r.id + ":" + r.innerText.includes("现场 第 1 位")))`)
			var online, walkin string
			for _, a := range strings.Split(strings.Trim(apps, `[]`), ",") {
				id, isWalkin, _ := strings.Cut(strings.Trim(a, `"`), ":")
				if isWalkin == "true" {
					walkin = strings.TrimPrefix(id, "app-")
				} else {
					online = strings.TrimPrefix(id, "app-")
				}
			}
			if online == "" || walkin == "" {
				t.Fatalf("applications on the gig page: %s", apps)
			}
			p.submit("accept the online applicant first", "#alert", chromedp.Click(chromedp.ID("accept-"+online)))
			if alert := p.text("#alert"); !strings.Contains(alert, "现场优先") {
				t.Errorf("accepting the online applicant ahead of the walk-in: %q", alert)
			}
			p.submit("accept the walk-in", "p.flash", chromedp.Click(chromedp.ID("accept-"+walkin)))
			if flash := p.text("p.flash"); !strings.Contains(flash, "已录用，合约 ZW-") {
				t.Fatalf("after accepting: %q", flash)
			}

			// Print the contract (the PDF is served), then record both handwritten signatures.
			if got := p.fetchPDF("a.print-one"); got != "200 application/pdf %PDF-" {
				t.Errorf("printing the contract: %q", got)
			}
			p.submit("open the contract", "#signatures", chromedp.Click(chromedp.CSS(`#applications a[href^="/console/contracts/"]`)))
			p.submit("the worker signed by hand", "p.flash", chromedp.Click(chromedp.ID("witness-worker")))
			p.submit("the employer signed by hand", "p.flash", chromedp.Click(chromedp.ID("witness-employer")))
			if status := p.text("#contract-status"); status != "已生效" {
				t.Errorf("contract status %q after both signatures", status)
			}
			// The employer pays an advance of 50 yuan in cash at the desk (the settlement screens).
			p.submit("open the ledger", "#payment-form", chromedp.Click(chromedp.ID("ledger-link")))
			p.submit("record a payment", "#ledger-lines", chromedp.SendKeys(chromedp.ID("p-amount"), "50"),
				chromedp.SetValue(chromedp.ID("p-method"), "cash"), chromedp.Submit(chromedp.ID("p-amount")))
			if paid := p.text("#bal-paid"); paid != "50" {
				t.Errorf("after recording the payment the ledger shows %q paid", paid)
			}
			p.do("today's contracts", chromedp.Navigate(srv.URL+"/console"), chromedp.WaitVisible(chromedp.ID("print-all")))
			if got := p.fetchPDF("#print-all"); got != "200 application/pdf %PDF-" {
				t.Errorf("printing today's contracts: %q", got)
			}
			if counts := p.text("#count-walkins") + "/" + p.text("#count-registrations") + "/" + p.text("#count-contracts"); counts != "1/4/1" {
				t.Errorf("today's walk-ins/registrations/contracts %s, want 1/4/1", counts)
			}

			// The dashboard moved: the day's known figures in the numbers, the charts and the tables.
			p.do("the dashboard after", chromedp.Navigate(srv.URL+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("panel-registrations")))
			p.fitsTheScreen("the dashboard")
			for sel, want := range map[string]string{"#kpi-registrations": "4", "#kpi-open": "2", "#kpi-fill-rate": "12.5%", "#kpi-contracts": "1", "#kpi-paid": "50"} {
				if got := p.text(sel); got != want {
					t.Errorf("dashboard %s = %q, want %q", sel, got, want)
				}
			}
			for _, chart := range []string{"registrations", "skills", "districts", "wages", "arrears"} {
				if n := p.eval(fmt.Sprintf(`String(document.querySelectorAll("#panel-%s svg.chart").length)`, chart)); n != "1" {
					t.Errorf("chart %s: %s SVGs", chart, n)
				}
			}
			// (The 30-day table sits folded under its chart: read the cells, not what is shown.)
			todayRow := p.eval(fmt.Sprintf(`[...document.querySelectorAll('table[data-table=registrations] tbody tr')].map(r => [...r.cells].map(c => c.textContent).join(" ")).find(t => t.startsWith(%q)) || ""`, string(today)))
			if fields := strings.Fields(todayRow); len(fields) != 2 || fields[1] != "4" {
				t.Errorf("registrations table, today's row: %q", todayRow)
			}
			// The bar of today in the registrations chart says 4 and is the tallest.
			bar := p.eval(fmt.Sprintf(`(() => { const r = [...document.querySelectorAll("#panel-registrations svg rect")].find(r => r.textContent === %q);
				const max = Math.max(...[...document.querySelectorAll("#panel-registrations svg rect title")].map(t => +t.parentNode.getAttribute("height")));
				return r ? r.getAttribute("height") + (+r.getAttribute("height") === max && max > 0 ? " tallest" : "") : "none"; })()`, string(today)[5:]+" 登记: 4"))
			if !strings.HasSuffix(bar, " tallest") {
				t.Errorf("today's bar in the registrations chart: %q", bar)
			}
			// Supply and demand by skill: workers with the skill, open places needing it.
			skills := p.eval(`[...document.querySelectorAll('table[data-table=skills] tbody tr')].map(r => [...r.cells].map(c => c.textContent).join(" ")).filter(t => t.startsWith("枸杞采摘 ") || t.startsWith("搬运 ")).sort().join("|")`)
			if skills != "搬运 搬运物流 2 5 3|枸杞采摘 农业采摘 3 2 -1" {
				t.Errorf("skills table rows %q, want 搬运 2 workers 5 open places, 枸杞采摘 3 workers 2 open places", skills)
			}
			csv := p.eval(`fetch("/console/dashboard.csv?table=summary").then(r => r.text())`)
			if !strings.Contains(csv, "新登记零工,4") || !strings.Contains(csv, "签约合约,1") || !strings.Contains(csv, "已付工钱（元）,50") {
				t.Errorf("summary CSV: %q", csv)
			}
		})
	}
}
