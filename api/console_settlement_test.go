package api

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

var consoleCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
var formIdem = regexp.MustCompile(`name="idem" value="([^"]+)"`)

// console logs a staff member into the console in a fresh browser and returns it with the session's
// form token.
func (env *testEnv) console(username, password string) (*browser, string) {
	env.t.Helper()
	b := env.browser()
	_, _, page := b.get("/console/login")
	m := consoleCSRF.FindStringSubmatch(page)
	if m == nil {
		env.t.Fatal("no login form")
	}
	code, loc, _ := b.post("/console/login", url.Values{"csrf_token": {m[1]}, "username": {username}, "password": {password}, "next": {"/console/ledger"}})
	if code != 303 || loc != "/console/ledger" {
		env.t.Fatalf("console login %s: %d %s", username, code, loc)
	}
	_, _, page = b.get("/console/ledger")
	m = consoleCSRF.FindStringSubmatch(page)
	if m == nil {
		env.t.Fatal("no session form token on the console")
	}
	return b, m[1]
}

// A station's day of settlement in the console: find the contract, record work and a payment (a double
// submit records it once), weigh and print the slip, resolve a dispute, see and clear an arrears
// alert, open the payroll. Another station's staff are refused, and forms without the token too.
func TestConsoleSettlementScreens(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346081")
		var me workerView
		env.mustJSON("GET", "/api/v1/workers/me", ct.Worker.Token, nil, 200, &me)
		env.createStaff("zn-desk", "ZN-S03")
		env.createStaff("hy-desk", "HY-M1")
		b, csrf := env.console("zn-desk", "staff-test-password")

		code, _, page := b.get("/console/ledger")
		for _, want := range []string{ct.Number, `href="/console/disputes"`, `href="/console/arrears"`, `href="/console/weigh"`, `href="/console/payroll"`} {
			if !strings.Contains(page, want) {
				t.Errorf("ledger finder lacks %q (%d)", want, code)
			}
		}
		code, loc, _ := b.get("/console/ledger?number=" + strings.ToLower(ct.Number))
		ledgerPage := fmt.Sprintf("/console/contracts/%d/ledger", ct.ID)
		if code != 303 || loc != ledgerPage {
			t.Fatalf("find by number: %d %s", code, loc)
		}
		_, _, page = b.get(ledgerPage)
		idem := formIdem.FindStringSubmatch(page)[1]
		today := string(domain.DateOf(env.clock.Now()))
		if code, _, _ := b.post(ledgerPage, url.Values{"csrf_token": {csrf}, "idem": {idem}, "kind": {"work"}, "date": {today}, "quantity": {"2.5"}}); code != 303 {
			t.Fatalf("record work: %d", code)
		}
		pay := url.Values{"csrf_token": {csrf}, "idem": {idem + "p"}, "kind": {"payment"}, "amount": {"150.5"}, "method": {"cash"}, "reference": {"收据 0012"}}
		for i := 0; i < 2; i++ { // the double click
			if code, _, _ := b.post(ledgerPage, pay); code != 303 {
				t.Fatalf("record payment (%d): %d", i, code)
			}
		}
		l := env.ledgerOf(ct.ID, ct.Key)
		if len(l.Entries) != 2 || l.Balance.EarnedFen != 450 || l.Balance.PaidFen != 15050 {
			t.Errorf("after the desk: %d entries, %+v", len(l.Entries), l.Balance)
		}
		code, _, page = b.post(ledgerPage, url.Values{"csrf_token": {csrf}, "idem": {"x1"}, "kind": {"work"}, "date": {today}, "quantity": {"1.2345"}})
		if code != 400 || !strings.Contains(page, `id="ledger-error"`) || !strings.Contains(page, "三位小数") || !strings.Contains(page, `value="1.2345"`) {
			t.Errorf("bad quantity: %d", code)
		}
		if code, _, _ := b.post(ledgerPage, url.Values{"idem": {"x2"}, "kind": {"payment"}, "amount": {"1"}, "method": {"cash"}}); code != 403 {
			t.Errorf("form without the CSRF token: %d", code)
		}
		_, _, page = b.get(ledgerPage)
		if !strings.Contains(page, "150.50") && !strings.Contains(page, "150.5") || !strings.Contains(page, "收据 0012") {
			t.Errorf("the ledger page does not list the payment")
		}

		// The weigh desk: scan, weigh, print the slip.
		_, _, page = b.get("/console/weigh")
		code, loc, _ = b.post("/console/weigh", url.Values{"csrf_token": {csrf}, "idem": {formIdem.FindStringSubmatch(page)[1]}, "card": {me.CardURL}, "weight": {"12.5"}, "date": {today}})
		if code != 303 || !strings.HasSuffix(loc, "/slip") {
			t.Fatalf("weigh: %d %s", code, loc)
		}
		_, _, slip := b.get(loc)
		for _, want := range []string{"过秤单", "12.5 斤", "22.50 元", "1.80 元/斤", "第 2 次过秤，共 15 斤，27 元", ct.Number, "马建国", "/static/print.js"} {
			if !strings.Contains(slip, want) {
				t.Errorf("slip lacks %q", want)
			}
		}
		code, _, page = b.post("/console/weigh", url.Values{"csrf_token": {csrf}, "idem": {"w2"}, "card": {"LG99999999"}, "weight": {"1"}})
		if code != 404 || !strings.Contains(page, `id="weigh-error"`) {
			t.Errorf("unknown card at the desk: %d", code)
		}

		// A dispute from the worker reaches the queue; staff resolve it with a correction in yuan.
		lines := env.ledgerOf(ct.ID, ct.Key).Entries
		ticket := lines[len(lines)-1]
		sms := env.confirmCode(ct.Worker.Token, ct.Phone)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", ticket.ID), ct.Worker.Token, map[string]string{"code": sms, "reason": "秤不准"}, 200, nil)
		_, _, page = b.get("/console/disputes")
		if !strings.Contains(page, fmt.Sprintf(`id="dispute-%d"`, ticket.ID)) || !strings.Contains(page, "秤不准") {
			t.Fatalf("dispute queue does not show the dispute")
		}
		resolve := fmt.Sprintf("/console/disputes/%d/resolve", ticket.ID)
		if code, _, page := b.post(resolve, url.Values{"csrf_token": {csrf}, "resolution": {"复秤"}, "amount": {"1.234"}}); code != 400 || !strings.Contains(page, `id="resolve-error"`) {
			t.Errorf("bad correction amount: %d", code)
		}
		if code, _, _ := b.post(resolve, url.Values{"csrf_token": {csrf}, "resolution": {"复秤少 1 斤，退回 1.8 元"}, "amount": {"-1.8"}}); code != 303 {
			t.Fatalf("resolve: %d", code)
		}
		_, _, page = b.get("/console/disputes")
		if !strings.Contains(page, `id="open-disputes">0<`) || !strings.Contains(page, "复秤少 1 斤") {
			t.Errorf("queue after resolving")
		}
		if bal := env.ledgerOf(ct.ID, ct.Key).Balance; bal.EarnedFen != 450+2250-180 {
			t.Errorf("balance after the correction %+v", bal)
		}

		// Another station's staff.
		hb, hcsrf := env.console("hy-desk", "staff-test-password")
		for _, p := range []string{ledgerPage, "/console/ledger/" + fmt.Sprint(ticket.ID) + "/slip"} {
			if code, _, _ := hb.get(p); code != 403 {
				t.Errorf("another station opens %s: %d", p, code)
			}
		}
		if code, _, _ := hb.post(ledgerPage, url.Values{"csrf_token": {hcsrf}, "kind": {"payment"}, "amount": {"1"}, "method": {"cash"}}); code != 403 {
			t.Errorf("another station records a payment: %d", code)
		}
		if _, _, page := hb.get("/console/disputes"); strings.Contains(page, "秤不准") {
			t.Error("another station sees the dispute")
		}

		// Arrears: a big afternoon the desk paid only part of; two days on, the unpaid day shows on the
		// list and is cleared by hand.
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), ct.Key, map[string]any{"kind": "work", "date": today, "quantity": 100}, 201, nil)
		env.clock.Advance(48 * time.Hour)
		if _, _, err := env.store.SweepArrears(t.Context(), 0); err != nil {
			t.Fatal(err)
		}
		b, csrf = env.console("zn-desk", "staff-test-password")
		_, _, page = b.get("/console/arrears")
		alerts, _ := env.store.ArrearsAlerts(t.Context(), domain.ArrearsFilter{OpenOnly: true})
		if len(alerts) != 1 || !strings.Contains(page, fmt.Sprintf(`id="alert-%d"`, alerts[0].ID)) || !strings.Contains(page, ct.Number) {
			t.Fatalf("arrears page: %d alerts", len(alerts))
		}
		hb, hcsrf = env.console("hy-desk", "staff-test-password")
		if code, _, _ := hb.post(fmt.Sprintf("/console/arrears/%d/clear", alerts[0].ID), url.Values{"csrf_token": {hcsrf}}); code != 403 {
			t.Errorf("another station clears: %d", code)
		}
		if code, _, _ := b.post(fmt.Sprintf("/console/arrears/%d/clear", alerts[0].ID), url.Values{"csrf_token": {csrf}}); code != 303 {
			t.Fatalf("clear: %d", code)
		}
		if _, _, page = b.get("/console/arrears"); !strings.Contains(page, `id="open-arrears">0<`) {
			t.Error("alert still listed after clearing")
		}

		// The month's payroll on screen, with its downloads.
		_, _, page = b.get("/console/payroll")
		for _, want := range []string{ct.Number, "马建国", `id="payroll-csv"`, `id="payroll-pdf"`} {
			if !strings.Contains(page, want) {
				t.Errorf("payroll page lacks %q", want)
			}
		}
		if strings.Contains(page, `id="payroll-csv-full"`) {
			t.Error("staff are offered the full-ID export")
		}
		csvURL := regexp.MustCompile(`id="payroll-csv" href="([^"]+)"`).FindStringSubmatch(page)[1]
		if code, _, csv := b.get(strings.ReplaceAll(csvURL, "&amp;", "&")); code != 200 || !strings.HasPrefix(csv, "\uFEFF序号") {
			t.Errorf("CSV through the console's cookie: %d", code)
		}
		assertNoIDNumberInBodies(t, env)
	})
}
