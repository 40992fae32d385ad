package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// guaranteeAccount is the account as the API answers it.
type guaranteeAccount struct {
	Held     int64 `json:"held_fen"`
	Pending  int64 `json:"pending_fen"`
	Advanced int64 `json:"advanced_fen"`
	Owed     int64 `json:"owed_fen"`
	// RefundUnchecked: refunds already out of Held whose receipt no second person has checked.
	RefundUnchecked int64 `json:"unconfirmed_refund_fen"`
	Entries         []domain.GuaranteeEntry
}

// Issue 22 item 2: deposits from bank receipts confirmed by a second person, visible to the employer;
// 先行垫付 after the admin's wait, at most the unpaid amount and the guarantee, as a ledger payment the
// worker confirms; bad input refused with nothing changed; every line under the tamper evidence.
func TestWageGuaranteeDepositsAndAdvance(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		admin := env.login("admin", "admin-test-password")
		env.mustJSON("PUT", "/api/v1/admin/protection", admin, map[string]any{"guarantee": map[string]any{"advance_after_days": 1}}, 200, nil)
		w := env.register("13812347001", nil)
		empID, key := env.employerWithKey("中宁县欠薪测试劳务", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(30), "07:00-17:00")
		ct := env.signedOn(job, w, "13812347001", key)
		ledger := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		env.mustJSON("POST", ledger, key, map[string]any{"kind": "work", "date": string(today), "quantity": 1}, 201, nil)

		env.clock.Advance(24 * time.Hour)
		if _, _, err := env.store.SweepArrears(ctx, 0); err != nil {
			t.Fatal(err)
		}
		staff, _ := env.createStaff("zn-guarantee-1", "ZN-S03")
		second, _ := env.createStaff("zn-guarantee-2", "ZN-S03")
		var alerts listResponse[domain.ArrearsAlert]
		env.mustJSON("GET", "/api/v1/arrears", staff, nil, 200, &alerts)
		if alerts.Total != 1 {
			t.Fatalf("alerts: %+v", alerts.Items)
		}
		alert := alerts.Items[0]
		account := fmt.Sprintf("/api/v1/employers/%d/guarantee", empID)

		// Bad receipts: refused on their field, nothing written.
		for name, c := range map[string]struct {
			body  map[string]any
			field string
		}{
			"negative":     {map[string]any{"kind": "deposit", "amount_fen": -100, "bank_reference": "BOC001", "value_date": string(today)}, "amount_fen"},
			"absurd":       {map[string]any{"kind": "deposit", "amount_fen": 100_000_000_000, "bank_reference": "BOC001", "value_date": string(today)}, "amount_fen"},
			"no reference": {map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "", "value_date": string(today)}, "bank_reference"},
			"future date":  {map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "BOC001", "value_date": string(today.AddDays(5))}, "value_date"},
		} {
			code, body, _ := env.do("POST", account, staff, c.body)
			if code != 400 || apiError(t, body).Field != c.field || apiError(t, body).Message == "" {
				t.Errorf("%s: %d %s, want 400 on %s", name, code, body, c.field)
			}
		}
		if n := env.count("guarantee_entries"); n != 0 {
			t.Fatalf("refused receipts wrote %d lines", n)
		}
		if code, _, _ := env.do("POST", account, key, map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "BOC001", "value_date": string(today)}); code != 403 {
			t.Fatalf("the employer records its own deposit: %d", code)
		}

		// A deposit counts once someone else confirms it.
		var dep domain.GuaranteeEntry
		env.mustJSON("POST", account, staff, map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "BOC20260511001", "value_date": string(today)}, 201, &dep)
		if code, _, _ := env.do("POST", account, staff, map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "BOC20260511001", "value_date": string(today)}); code != 409 {
			t.Errorf("the same receipt twice: %d", code)
		}
		var acc guaranteeAccount
		env.mustJSON("GET", account, key, nil, 200, &acc)
		if acc.Held != 0 || acc.Pending != 50000 {
			t.Fatalf("before confirmation: %+v", acc)
		}
		_, otherKey := env.employerWithKey("别家", "ZN-S03")
		if code, _, _ := env.do("GET", account, otherKey, nil); code != 404 {
			t.Errorf("another employer reads the account: %d", code)
		}
		if code, body, _ := env.do("POST", fmt.Sprintf("/api/v1/guarantee/%d/confirm", dep.ID), staff, nil); code != 409 || !strings.Contains(apiError(t, body).Message, "另一位") {
			t.Errorf("self-confirmation: %d %s", code, body)
		}

		// Too early for 先行垫付.
		advance := fmt.Sprintf("/api/v1/arrears/%d/advance", alert.ID)
		if code, body, _ := env.do("POST", advance, staff, map[string]any{"amount_fen": 10000}); code != 409 || !strings.Contains(apiError(t, body).Message, "满 1 天") {
			t.Errorf("advance on the alert's first day: %d %s", code, body)
		}
		env.clock.Advance(24 * time.Hour)
		staff, second = env.login("zn-guarantee-1", "staff-test-password"), env.login("zn-guarantee-2", "staff-test-password")
		env.admin = env.login("admin", "admin-test-password") // the outbox, for the worker's code
		ledgerLines := env.count("ledger_entries")
		// The deposit is not confirmed yet: the guarantee holds nothing, and the ledger payment is rolled back.
		if code, body, _ := env.do("POST", advance, staff, map[string]any{"amount_fen": 10000}); code != 400 || !strings.Contains(apiError(t, body).Message, "保证金余额") {
			t.Errorf("advance above the guarantee: %d %s", code, body)
		}
		if env.count("ledger_entries") != ledgerLines || env.count("guarantee_entries") != 1 {
			t.Fatalf("a refused advance left lines behind")
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/guarantee/%d/confirm", dep.ID), second, nil, 201, nil)
		if code, body, _ := env.do("POST", advance, staff, map[string]any{"amount_fen": 30000}); code != 400 || !strings.Contains(apiError(t, body).Message, "超过未付") {
			t.Errorf("advance above the unpaid amount: %d %s", code, body)
		}
		var paid struct {
			Payment   domain.LedgerEntry
			Guarantee domain.GuaranteeEntry
			Account   guaranteeAccount
		}
		env.mustJSON("POST", advance, staff, map[string]any{"amount_fen": 15000, "note": "用工方失联，先行垫付"}, 201, &paid)
		if paid.Payment.Method != domain.PayGuarantee || paid.Payment.AmountFen != 15000 || paid.Account.Held != 35000 || paid.Account.Owed != 15000 {
			t.Fatalf("advance: %+v", paid)
		}
		// The worker sees the payment in the ledger and confirms it like any other.
		l := env.ledgerOf(ct.ID, w.Token)
		if l.Balance.PaidFen != 15000 || l.Balance.OutstandingFen != 5000 {
			t.Fatalf("ledger after the advance: %+v", l.Balance)
		}
		code := env.confirmCode(w.Token, "13812347001")
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", paid.Payment.ID), w.Token, map[string]string{"code": code}, 200, nil)
		env.mustJSON("GET", account, key, nil, 200, &acc)
		if acc.Held != 35000 || acc.Advanced != 15000 || acc.Owed != 15000 || len(acc.Entries) != 3 {
			t.Fatalf("the employer's view after the advance: %+v", acc)
		}
		// Pressing 垫付 again: the alert now lacks only 50 元, whatever its stored amount says until the next
		// sweep; the rest can be advanced once, and then nothing more. Another day's work (not yet due) keeps
		// the contract owing more than the alert, so only the alert's own unpaid amount stops the press.
		env.mustJSON("POST", ledger, key, map[string]any{"kind": "work", "date": string(domain.DateOf(env.clock.Now())), "quantity": 1}, 201, nil)
		if code, body, _ := env.do("POST", advance, staff, map[string]any{"amount_fen": 15000}); code != 400 || !strings.Contains(apiError(t, body).Message, "超过未付的 50") {
			t.Errorf("the same advance a second time: %d %s", code, body)
		}
		env.mustJSON("POST", advance, staff, map[string]any{"amount_fen": 5000}, 201, nil)
		if code, body, _ := env.do("POST", advance, staff, map[string]any{"amount_fen": 1}); code != 409 || !strings.Contains(apiError(t, body).Message, "已经付清") {
			t.Errorf("an advance on a paid alert: %d %s", code, body)
		}
		env.mustJSON("GET", account, key, nil, 200, &acc)
		if acc.Held != 30000 || acc.Advanced != 20000 {
			t.Fatalf("after advancing the rest: %+v", acc)
		}
		// A refund while the gig runs is refused.
		if code, body, _ := env.do("POST", account, staff, map[string]any{"kind": "refund", "amount_fen": 1000, "bank_reference": "RF0001", "value_date": string(today)}); code != 409 {
			t.Errorf("refund during the gig: %d %s", code, body)
		}

		// Every line is under the tamper evidence: intact now, and an edited advance is found.
		rep, err := env.store.VerifyEvidence(ctx)
		if err != nil || !rep.Intact {
			t.Fatalf("evidence before tampering: %v %v", err, rep.Problems)
		}
		if _, err := env.db.Exec("UPDATE guarantee_entries SET amount_fen = 100 WHERE kind = 'advance'"); err != nil {
			t.Fatal(err)
		}
		rep, _ = env.store.VerifyEvidence(ctx)
		if rep.Intact || !strings.Contains(strings.Join(rep.Problems, "；"), "保证金记录") {
			t.Fatalf("tampering not found: %v", rep.Problems)
		}
	})
}

// The admin's rule: a company's gig needs a guarantee of the configured share of its wage bill before
// approval; the review refuses it until the deposit is confirmed, and says how much is missing.
func TestGuaranteeRequiredBeforeApproval(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		admin := env.login("admin", "admin-test-password")
		if code, body, _ := env.do("PUT", "/api/v1/admin/protection", admin, map[string]any{"guarantee": map[string]any{"percent": 150}}); code != 400 || apiError(t, body).Field != "guarantee.percent" {
			t.Fatalf("absurd percent: %d %s", code, body)
		}
		env.mustJSON("PUT", "/api/v1/admin/protection", admin, map[string]any{"guarantee": map[string]any{"wage_bill_fen": 1_000_000, "percent": 10}}, 200, nil)
		empID, key := env.employerWithKey("沙坡头区大工程劳务", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		// 10 people × 5 days × 200 元 = 10,000 元: at the threshold; 10% = 1,000 元.
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(1), today.AddDays(5), "07:00-17:00")
		if _, err := env.db.Exec("UPDATE jobs SET status = 'pending_review', approved_at = NULL WHERE id = $1", job); err != nil {
			t.Fatal(err)
		}
		staff, _ := env.createStaff("zn-rule-1", "ZN-S03")
		second, _ := env.createStaff("zn-rule-2", "ZN-S03")
		var need domain.GuaranteeNeed
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/guarantee", job), key, nil, 200, &need)
		if !need.Required || need.Met || need.WageBillFen != 1_000_000 || need.RequiredFen != 100_000 {
			t.Fatalf("need: %+v", need)
		}
		review := fmt.Sprintf("/api/v1/jobs/%d/review", job)
		if code, body, _ := env.do("POST", review, staff, map[string]string{"decision": "approve"}); code != 409 || !strings.Contains(apiError(t, body).Message, "还差 1000 元") {
			t.Fatalf("approve without the guarantee: %d %s", code, body)
		}
		var dep domain.GuaranteeEntry
		env.mustJSON("POST", fmt.Sprintf("/api/v1/employers/%d/guarantee", empID), staff,
			map[string]any{"kind": "deposit", "amount_fen": 100_000, "bank_reference": "ICBC-778899", "value_date": string(today)}, 201, &dep)
		if code, _, _ := env.do("POST", review, staff, map[string]string{"decision": "approve"}); code != 409 {
			t.Fatalf("an unconfirmed deposit counted: %d", code)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/guarantee/%d/confirm", dep.ID), second, nil, 201, nil)
		env.mustJSON("POST", review, staff, map[string]string{"decision": "approve"}, 200, nil)

		// After the gig's last day the unused guarantee is refunded, at most what the account holds.
		account := fmt.Sprintf("/api/v1/employers/%d/guarantee", empID)
		refund := func(fen int64, ref string) (int, []byte) {
			code, body, _ := env.do("POST", account, staff, map[string]any{"kind": "refund", "amount_fen": fen, "bank_reference": ref, "value_date": string(domain.DateOf(env.clock.Now()))})
			return code, body
		}
		if code, body := refund(100_000, "RF-EARLY-1"); code != 409 || !strings.Contains(apiError(t, body).Message, "最后一个岗位结束后") {
			t.Fatalf("refund before the gig ends: %d %s", code, body)
		}
		env.clock.Advance(6 * 24 * time.Hour)
		staff = env.login("zn-rule-1", "staff-test-password")
		if code, body := refund(100_001, "RF-TOO-MUCH"); code != 400 || apiError(t, body).Field != "amount_fen" {
			t.Fatalf("refund above the balance: %d %s", code, body)
		}
		if code, body := refund(100_000, "RF-20260516"); code != 201 {
			t.Fatalf("refund: %d %s", code, body)
		}
		// The refund leaves the balance at once (the money has gone by the receipt), and waits for a
		// second person's check like any receipt: not the one who recorded it.
		var acc guaranteeAccount
		env.mustJSON("GET", account, key, nil, 200, &acc)
		if acc.Held != 0 || acc.RefundUnchecked != 100_000 || len(acc.Entries) != 3 || acc.Entries[2].Kind != domain.GuaranteeRefund || acc.Entries[2].Confirmed {
			t.Fatalf("after the refund: %+v", acc)
		}
		refundLine := fmt.Sprintf("/api/v1/guarantee/%d/confirm", acc.Entries[2].ID)
		if code, body, _ := env.do("POST", refundLine, staff, nil); code != 409 || !strings.Contains(apiError(t, body).Message, "登记人不能复核") {
			t.Fatalf("the recorder checks their own refund: %d %s", code, body)
		}
		// The desk shows the unchecked refund and its check button; the second person checks it there.
		desk := env.consoleLogin("zn-rule-2", "staff-test-password")
		deskAccount := fmt.Sprintf("/console/employers/%d/guarantee", empID)
		checkForm := fmt.Sprintf("/console/guarantee/%d/confirm", acc.Entries[2].ID)
		if _, _, page := desk.get(deskAccount); !strings.Contains(page, `id="g-refund-unchecked">1000<`) || !strings.Contains(page, `action="`+checkForm+`"`) {
			t.Fatalf("the desk's account page before the check: %.3000s", page)
		}
		if page := desk.flashAfter(checkForm, url.Values{"employer_id": {fmt.Sprint(empID)}}); !strings.Contains(page, "已复核这张回单") ||
			strings.Contains(page, "g-refund-unchecked") || strings.Contains(page, `action="`+checkForm+`"`) {
			t.Fatalf("the desk's account page after the check: %.3000s", page)
		}
		second = env.login("zn-rule-2", "staff-test-password")
		if code, body, _ := env.do("POST", refundLine, second, nil); code != 409 {
			t.Fatalf("a refund checked twice: %d %s", code, body)
		}
		env.mustJSON("GET", account, key, nil, 200, &acc)
		if acc.Held != 0 || acc.RefundUnchecked != 0 || len(acc.Entries) != 4 || !acc.Entries[2].Confirmed {
			t.Fatalf("after the refund's check: %+v", acc)
		}
	})
}
