package api

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Issue 22 at the console: staff record a deposit from a bank receipt (in yuan), a second staff member
// confirms it (not the one who recorded it), the station pays an overdue arrears alert from the
// guarantee (先行垫付), a refund during the gig is refused on the form; and a cover is declared for a
// walk-in employer with the policy's scan uploaded. Each through the same use case as the API.
func TestConsoleGuaranteeAdvanceAndCoverForms(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		env.mustJSON("PUT", "/api/v1/admin/protection", env.admin, map[string]any{"guarantee": map[string]any{"advance_after_days": 1}}, 200, nil)
		today := domain.DateOf(env.clock.Now())
		const phone = "13812349501"
		w := env.register(phone, nil)
		empID, key := env.employerWithKey("沙坡头区建筑队", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(20), "07:00-17:00")
		ct := env.signedOn(job, w, phone, key)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), key, map[string]any{"kind": "work", "date": string(today), "quantity": 1}, 201, nil)
		env.clock.Advance(48 * time.Hour)
		if _, _, err := env.store.SweepArrears(t.Context(), 0); err != nil {
			t.Fatal(err)
		}
		env.clock.Advance(24 * time.Hour) // the alert has waited the admin's one day
		env.createStaff("zn-g-1", "ZN-S03")
		env.createStaff("zn-g-2", "ZN-S03")
		one := env.consoleLogin("zn-g-1", "staff-test-password")
		two := env.consoleLogin("zn-g-2", "staff-test-password")
		account := fmt.Sprintf("/console/employers/%d/guarantee", empID)

		deposit := url.Values{"kind": {"deposit"}, "amount": {"500"}, "bank_reference": {"ICBC-0001"}, "value_date": {string(today)}}
		bad := clone(deposit)
		bad.Set("bank_reference", "")
		if code, _, page := one.form(account, bad); code != 400 || !strings.Contains(page, `data-field="bank_reference"`) {
			t.Fatalf("no reference: %d %.400s", code, page)
		}
		page := one.flashAfter(account, clone(deposit))
		if !strings.Contains(page, "须由另一位工作人员或管理员复核") || !strings.Contains(page, `id="g-pending">500<`) {
			t.Fatalf("after the deposit: %.3000s", page[strings.Index(page, "<main>"):])
		}
		var entry int64
		if err := env.db.QueryRow("SELECT id FROM guarantee_entries WHERE kind = 'deposit'").Scan(&entry); err != nil {
			t.Fatal(err)
		}
		confirm := fmt.Sprintf("/console/guarantee/%d/confirm", entry)
		ids := url.Values{"employer_id": {fmt.Sprint(empID)}}
		if page := one.flashAfter(confirm, clone(ids)); !strings.Contains(page, "另一位") {
			t.Errorf("self-confirmation: %.2000s", page)
		}
		if page := two.flashAfter(confirm, clone(ids)); !strings.Contains(page, "已复核") || !strings.Contains(page, `id="g-held">500<`) {
			t.Errorf("second person's confirmation: %.2000s", page)
		}

		// 先行垫付 from the arrears page.
		var alert int64
		if err := env.db.QueryRow("SELECT id FROM arrears_alerts").Scan(&alert); err != nil {
			t.Fatal(err)
		}
		if _, _, arrears := one.get("/console/arrears"); !strings.Contains(arrears, fmt.Sprintf("/console/arrears/%d/advance", alert)) {
			t.Fatalf("no advance form on the arrears page")
		}
		if page := one.flashAfter(fmt.Sprintf("/console/arrears/%d/advance", alert), url.Values{"amount": {"300"}}); !strings.Contains(page, "超过未付") {
			t.Errorf("advance above the unpaid amount: %.600s", page[strings.Index(page, "<main>"):])
		}
		page = one.flashAfter(fmt.Sprintf("/console/arrears/%d/advance", alert), url.Values{"amount": {"150"}, "note": {"用工方失联"}})
		if !strings.Contains(page, "已从保证金垫付 150 元") || !strings.Contains(page, "保证金余额 350 元") {
			t.Errorf("after the advance: %.600s", page[strings.Index(page, "<main>"):])
		}
		if n := env.count("ledger_entries"); n != 2 {
			t.Errorf("%d ledger lines after the advance, want the work line and the payment", n)
		}
		// A refund while the gig runs stays on the form.
		refund := url.Values{"kind": {"refund"}, "amount": {"100"}, "bank_reference": {"RF-1"}, "value_date": {string(today)}}
		if code, _, page := one.form(account, refund); code != 409 || !strings.Contains(page, `id="guarantee-error"`) {
			t.Errorf("refund during the gig: %d %.400s", code, page)
		}

		// A cover declared at the desk, with the policy's photo uploaded.
		pending := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(3), today.AddDays(9), "07:00-17:00")
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf_token": one.csrf(), "kind": "own", "insurer": "中国人寿中卫分公司", "policy_number": "PL-2026-88",
			"cover": "500000", "valid_from": string(today), "valid_to": string(today.AddDays(90))} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("scan", "policy.jpg")
		fw.Write(append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1}, 2000)...))
		mw.Close()
		req, err := http.NewRequest("POST", env.http.URL+fmt.Sprintf("/console/gigs/%d/cover", pending), &body)
		if err == nil {
			req.Header.Set("Content-Type", mw.FormDataContentType())
		}
		if code, loc, page := one.send(req, err); code != 303 || loc != fmt.Sprintf("/console/gigs/%d", pending) {
			t.Fatalf("declare cover: %d %s %.600s", code, loc, page)
		}
		var cover struct {
			Kind   string
			Policy struct{ PolicyNumber string } `json:"policy"`
		}
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/cover", pending), key, nil, 200, &cover)
		if cover.Kind != "own" {
			t.Errorf("declared cover: %+v", cover)
		}
		if code, _, page := one.get(fmt.Sprintf("/console/gigs/%d", pending)); code != 200 || !strings.Contains(page, "PL-2026-88") {
			t.Errorf("the gig page after the declaration: %d %s", code, page[strings.Index(page, "cover-note"):][:400])
		}
		// Without the scan: refused on its field, the earlier declaration stands.
		if code, _, page := one.form(fmt.Sprintf("/console/gigs/%d/cover", pending), url.Values{"kind": {"own"}, "insurer": {"x"}, "policy_number": {"y"},
			"cover": {"1"}, "valid_from": {string(today)}, "valid_to": {string(today)}}); code != 400 || !strings.Contains(page, `data-field="scan_base64"`) {
			t.Errorf("no scan: %d %.400s", code, page)
		}
	})
}
