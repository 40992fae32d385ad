package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 22 item 4 at the console: the station records an accident by the contract's number (bad input
// stays on the form with its message and writes nothing), sees it listed with the pack's link, moves
// the claim forward with the payment in yuan, and the dashboard counts it; another station's staff
// see nothing and cannot record on the contract.
func TestConsoleIncidents(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		const phone = "13812349401"
		w := env.register(phone, nil)
		empID, key := env.employerWithKey("海原县养殖场", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(3), "07:00-12:00")
		ct := env.signedOn(job, w, phone, key)
		env.createStaff("zn-console-inc", "ZN-S03")
		env.createStaff("spt-console-inc", "SPT-S01")
		b := env.consoleLogin("zn-console-inc", "staff-test-password")
		there := env.consoleLogin("spt-console-inc", "staff-test-password")

		form := url.Values{"contract_number": {strings.ToLower(ct.Number)}, "occurred_on": {string(today)}, "occurred_time": {"09:15"},
			"place": {"羊舍东侧"}, "what": {"清理羊舍时被铁门夹伤左手"}, "injuries": {"左手食指骨折"}, "witnesses": {""}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("what", "夹伤")
		code, _, page := b.form("/console/incidents", bad)
		if code != 400 || !strings.Contains(page, `data-field="what"`) || !strings.Contains(page, "至少写 4 个字") || !strings.Contains(page, "羊舍东侧") {
			t.Fatalf("bad input: %d %.2000s", code, page)
		}
		code, _, page = there.form("/console/incidents", clone(form))
		if code != 400 || !strings.Contains(page, `data-field="contract_number"`) {
			t.Errorf("another station records: %d %.600s", code, page)
		}
		if n := env.count("incidents"); n != 0 {
			t.Fatalf("refused forms wrote %d incidents", n)
		}
		page = b.flashAfter("/console/incidents", clone(form))
		if !strings.Contains(page, "已登记出险") || !strings.Contains(page, ct.Number) || !strings.Contains(page, "/pack.pdf") || !strings.Contains(page, "已登记") {
			t.Fatalf("after recording: %.3000s", page)
		}
		var id int64
		if err := env.db.QueryRow("SELECT id FROM incidents").Scan(&id); err != nil {
			t.Fatal(err)
		}
		status := fmt.Sprintf("/console/incidents/%d/status", id)
		code, _, page = b.form(status, url.Values{"status": {"paid"}, "paid": {"1200"}, "insurer_reference": {"PA-1"}})
		if code != 409 || !strings.Contains(page, "先登记报案理赔") {
			t.Errorf("paid before claimed: %d %.500s", code, page)
		}
		b.flashAfter(status, url.Values{"status": {"claimed"}})
		page = b.flashAfter(status, url.Values{"status": {"paid"}, "paid": {"1,200.50"}, "insurer_reference": {"PA-1"}})
		if !strings.Contains(page, "已赔付") || !strings.Contains(page, "1,200.50 元") && !strings.Contains(page, "1200.50 元") {
			t.Errorf("after payment: %.3000s", page)
		}
		var paid int64
		if err := env.db.QueryRow("SELECT paid_fen FROM incidents").Scan(&paid); err != nil || paid != 120050 {
			t.Errorf("paid_fen %d %v", paid, err)
		}
		if _, _, other := there.get("/console/incidents"); strings.Contains(other, ct.Number) || strings.Contains(other, fmt.Sprintf(`id="incident-%d"`, id)) {
			t.Error("another station lists the incident")
		}
		if code, _, _ := there.form(status, url.Values{"status": {"closed"}}); code != 404 {
			t.Errorf("another station moves it: %d", code)
		}
		_, _, dash := b.get("/console/dashboard")
		if !strings.Contains(dash, `id="kpi-incidents">1<`) || !strings.Contains(dash, `id="kpi-incidents-paid">1<`) || !strings.Contains(dash, `id="kpi-incident-days">0.0<`) {
			t.Errorf("dashboard block: %.200s", dash[strings.Index(dash, "panel-incidents"):])
		}
	})
}

// clone copies form values (a browser's form() fills in its own CSRF token).
func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}
