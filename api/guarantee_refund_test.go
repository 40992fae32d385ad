package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// The guarantee is refunded only when no worker can still need it, on both databases: closing the gig
// does not end its contracts, so a refund waits until the last contract has ended (its last day
// included) and every contract's wages are paid, overdue or not; one bank receipt backs one line,
// whatever its kind or employer, however its serial number is spaced or cased. Refusals write nothing.
func TestGuaranteeRefundWaitsForTheLastContractAndItsWages(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		empID, key := env.employerWithKey("中宁县退款测试劳务", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleWeekly, today, today.AddDays(2), "07:00-17:00")
		ct := env.signedOn(job, env.register("13812347001", nil), "13812347001", key)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), key, map[string]any{"kind": "work", "date": string(today), "quantity": 1}, 201, nil)

		staff, _ := env.createStaff("zn-g-1", "ZN-S03")
		second, _ := env.createStaff("zn-g-2", "ZN-S03")
		account := fmt.Sprintf("/api/v1/employers/%d/guarantee", empID)
		var dep domain.GuaranteeEntry
		env.mustJSON("POST", account, staff, map[string]any{"kind": "deposit", "amount_fen": 500000, "bank_reference": "BOC-R-0001", "value_date": string(today)}, 201, &dep)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/guarantee/%d/confirm", dep.ID), second, nil, 201, nil)
		lines := func() int {
			t.Helper()
			var n int
			if err := env.db.QueryRow(`SELECT COUNT(*) FROM guarantee_entries`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := lines()
		refund := func(ref string) (int, errorDetail) {
			t.Helper()
			code, body, _ := env.do("POST", account, staff, map[string]any{"kind": "refund", "amount_fen": 500000, "bank_reference": ref,
				"value_date": string(domain.DateOf(env.clock.Now()))})
			if code == 201 {
				return code, errorDetail{}
			}
			return code, apiError(t, body)
		}

		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/close", job), key, nil, 200, nil)
		if code, e := refund("BOC-R-0002"); code != 409 || !strings.Contains(e.Message, "1 份没有结束的合约") {
			t.Errorf("refund after closing the gig, its contract running: %d %+v", code, e)
		}
		env.clock.Advance(2 * 24 * time.Hour) // the contract's last day
		staff = env.login("zn-g-1", "staff-test-password")
		if code, e := refund("BOC-R-0002"); code != 409 || !strings.Contains(e.Message, "没有结束的合约") {
			t.Errorf("refund on the contract's last day: %d %+v", code, e)
		}
		env.clock.Advance(24 * time.Hour) // ended, 200 元 unpaid, not overdue yet (weekly settlement)
		staff = env.login("zn-g-1", "staff-test-password")
		if code, e := refund("BOC-R-0002"); code != 409 || !strings.Contains(e.Message, "1 份合约的工钱没有付清（共 200 元）") {
			t.Errorf("refund with wages unpaid: %d %+v", code, e)
		}
		if n := lines(); n != before {
			t.Fatalf("refused refunds wrote %d lines", n-before)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), key, map[string]any{"kind": "payment", "amount_fen": 20000, "method": "wechat"}, 201, nil)

		// One receipt, one line: the deposit's serial number again, as a refund, spaced and in small letters.
		if code, e := refund("boc - r - 0001"); code != 409 || e.Field != "bank_reference" {
			t.Errorf("a refund on the deposit's receipt: %d %+v", code, e)
		}
		if code, e := refund("BOC-R-0002"); code != 201 {
			t.Fatalf("refund once the contract ended and was paid: %d %+v", code, e)
		}
		emp2, _ := env.employerWithKey("中宁县另一家劳务", "ZN-S03")
		for _, c := range []struct{ path, kind string }{{account, "repay"}, {fmt.Sprintf("/api/v1/employers/%d/guarantee", emp2), "deposit"}} {
			code, body, _ := env.do("POST", c.path, staff, map[string]any{"kind": c.kind, "amount_fen": 100000, "bank_reference": "BOC-R-0001",
				"value_date": string(domain.DateOf(env.clock.Now()))})
			if code != 409 || apiError(t, body).Field != "bank_reference" {
				t.Errorf("receipt BOC-R-0001 again as %s at %s: %d %s", c.kind, c.path, code, body)
			}
		}
	})
}
