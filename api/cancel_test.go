package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Cancellations and withdrawals through the public API on both databases (issue 21 item 5), with the
// clock at the notice window's exact limit: the first day starts tomorrow at 07:00 in 中卫. An employer
// cancelling exactly 24 h before owes nothing; a second later owes the terms' cancellation amount,
// written to the ledger (a cancellation line the arrears sweep watches, which the employer then pays on
// the cancelled contract) and texted to the worker. A worker withdrawing exactly 24 h before is fine; a
// second later it is a confirmed no-show, which the station then upholds on contest (it no longer
// counts). Refusals change nothing.
func TestCancellationsAtTheNoticeLimitAndContests(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		today := domain.DateOf(env.clock.Now())
		env.clock.Advance(today.Start().Add(5 * time.Hour).Sub(env.clock.Now())) // 05:00 today in 中卫
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		tomorrow := today.AddDays(1)
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, tomorrow, tomorrow.AddDays(2), "07:00-17:00")
		sign := func(i int) settled {
			phone := fmt.Sprintf("138123457%02d", 10+i)
			return env.signedOn(job, env.register(phone, nil), phone, key)
		}
		early, inTime, late, wInTime, wLate, started := sign(0), sign(1), sign(2), sign(3), sign(4), sign(5)
		start := tomorrow.Start().Add(7 * time.Hour)
		cancel := func(s settled, token string, want int) domain.Cancellation {
			t.Helper()
			var out domain.Cancellation
			env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/cancel", s.ID), token, map[string]string{"reason": "雨天，园子进不去"}, want, &out)
			return out
		}
		withdraw := func(s settled, want int) domain.Cancellation {
			t.Helper()
			var out domain.Cancellation
			env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/withdraw", s.ID), s.Worker.Token, map[string]string{}, want, &out)
			return out
		}
		noShows := func(s settled) int {
			t.Helper()
			var n int
			if err := env.db.QueryRow(`SELECT no_shows FROM workers WHERE id = $1`, s.Worker.Worker.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Refusals: another employer, the worker through the employer's route, no reason, another station's staff.
		_, otherKey := env.employerWithKey("中宁县某果蔬公司", "ZN-S03")
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/cancel", early.ID), otherKey, map[string]string{"reason": "x"}); status != 404 {
			t.Errorf("another employer cancelling: %d, want 404", status)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/cancel", early.ID), early.Worker.Token, map[string]string{"reason": "x"}); status != 403 {
			t.Errorf("the worker on the employer's route: %d, want 403", status)
		}
		if status, body, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/cancel", early.ID), key, map[string]string{}); status != 400 || !strings.Contains(string(body), "reason") {
			t.Errorf("no reason: %d %s", status, body)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/withdraw", early.ID), wLate.Worker.Token, map[string]string{}); status != 404 {
			t.Errorf("another worker withdrawing: %d, want 404", status)
		}
		otherStaff, _ := env.createStaff("shapotou-clerk", "SPT-S01")
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/cancel", early.ID), otherStaff, map[string]string{"reason": "x"}); status != 403 {
			t.Errorf("another station's staff: %d, want 403", status)
		}

		// 25 hours before: nothing owed.
		if got := cancel(early, key, 200); got.Late || got.FeeFen != 0 || got.LedgerEntryID != 0 || !got.StartsAt.Equal(start) {
			t.Errorf("cancelled 25 h before: %+v", got)
		}
		cancel(early, key, 409) // once

		// Exactly 24 hours before: in time, for either side.
		env.clock.Advance(start.Add(-domain.DefaultCancelNotice).Sub(env.clock.Now()))
		if got := cancel(inTime, key, 200); got.Late || got.FeeFen != 0 {
			t.Errorf("cancelled exactly 24 h before: %+v", got)
		}
		if got := withdraw(wInTime, 200); got.Late || got.NoShowID != 0 || noShows(wInTime) != 0 {
			t.Errorf("withdrew exactly 24 h before: %+v, %d no-shows", got, noShows(wInTime))
		}

		// A second later: late.
		env.clock.Advance(time.Second)
		got := cancel(late, key, 200)
		if !got.Late || got.FeeFen != 10000 || got.LedgerEntryID == 0 {
			t.Fatalf("cancelled 23:59:59 before: %+v, want half a day's 100 元 owed", got)
		}
		l := env.ledgerOf(late.ID, late.Worker.Token)
		if len(l.Entries) != 1 || l.Entries[0].Kind != domain.LedgerCancellation || l.Entries[0].AmountFen != 10000 || l.Balance.OutstandingFen != 10000 {
			t.Errorf("the late cancellation's ledger: %+v %+v", l.Entries, l.Balance)
		}
		var texted int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_cancelled' AND worker_id = $1 AND params LIKE '%100元%'`,
			late.Worker.Worker.ID).Scan(&texted); err != nil || texted != 1 {
			t.Errorf("the worker's SMS of the late cancellation: %d (%v)", texted, err)
		}
		wl := withdraw(wLate, 200)
		if !wl.Late || wl.NoShowID == 0 || noShows(wLate) != 1 {
			t.Fatalf("withdrew 23:59:59 before: %+v, %d no-shows", wl, noShows(wLate))
		}

		// The station hears the worker's contest in person: refusals, then upheld (it no longer counts), once.
		staff, _ := env.createStaff("zn-clerk", "ZN-S03")
		contest := func(token string, body map[string]string, want int) domain.NoShow {
			t.Helper()
			var out domain.NoShow
			env.mustJSON("POST", fmt.Sprintf("/api/v1/no-shows/%d/contest", wl.NoShowID), token, body, want, &out)
			return out
		}
		uphold := map[string]string{"decision": "uphold", "reason": "有医院急诊证明"}
		contest(key, uphold, 403)
		contest(otherStaff, uphold, 403)
		contest(staff, map[string]string{"decision": "uphold"}, 400)
		if ns := contest(staff, uphold, 200); ns.Contest != domain.ContestUpheld || ns.Origin != "withdrawal" || noShows(wLate) != 0 {
			t.Errorf("upheld: %+v, %d no-shows", ns, noShows(wLate))
		}
		contest(staff, map[string]string{"decision": "reject", "reason": "改主意"}, 409)

		// Once the first day has started the contract is changed, not cancelled.
		env.clock.Advance(start.Sub(env.clock.Now()))
		cancel(started, key, 409)
		withdraw(started, 409)

		// The unpaid cancellation amount falls due on the first day and the arrears sweep watches it; the
		// employer pays it on the cancelled contract, which clears the alert.
		env.clock.Advance(5 * 24 * time.Hour)
		raised, _, err := env.server.app.SweepArrears(ctx, domain.DefaultArrearsBlockDays)
		if err != nil || raised != 1 {
			t.Fatalf("arrears sweep: raised %d (%v), want the cancellation's 1", raised, err)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", late.ID), key, map[string]any{"kind": "payment", "amount_fen": 10000, "method": "wechat"}, 201, nil)
		if _, cleared, err := env.server.app.SweepArrears(ctx, domain.DefaultArrearsBlockDays); err != nil || cleared != 1 {
			t.Errorf("after payment the sweep cleared %d (%v), want 1", cleared, err)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", early.ID), key, map[string]any{"kind": "payment", "amount_fen": 100, "method": "cash"}); status != 409 {
			t.Errorf("a payment on a contract cancelled in time: %d, want 409", status)
		}
		var audited int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action LIKE 'contract.cancel.%' OR action LIKE 'attendance.no_show.%'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 7 { // 3 employer cancellations, 2 withdrawals, 1 no-show, 1 contest
			t.Errorf("%d audit events of cancellations, want 7", audited)
		}
		// The cancellation line is chained and anchored like every ledger line (lingong audit verify).
		if rep, err := env.store.VerifyEvidence(ctx); err != nil || !rep.Intact {
			t.Fatalf("evidence: %v %v", err, rep.Problems)
		}
	})
}

// The pages of cancellations on both databases: the worker withdraws from /me/contracts/{id} (the box
// "我确认退出" must be ticked; the page says beforehand that it will count as a no-show), the station
// hears the contest at /console/attendance and rejects it (the no-show stands), and cancels another
// contract for the employer on its console page, which writes the cancellation amount. The gig's page
// offers the day's 考勤表 for printing.
func TestWithdrawContestAndCancelOnThePages(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		env.clock.Advance(today.Start().Add(20 * time.Hour).Sub(env.clock.Now())) // 20:00; the first day starts tomorrow 07:00
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		tomorrow := today.AddDays(1)
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, tomorrow, tomorrow, "07:00-17:00")
		const phone = "13812345731"
		w := env.register(phone, nil)
		ct := env.signedOn(job, w, phone, key)
		other := env.signedOn(job, env.register("13812345732", nil), "13812345732", key)

		b := env.browser()
		b.post("/login/otp", url.Values{"phone": {phone}})
		b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}})
		page := fmt.Sprintf("/me/contracts/%d", ct.ID)
		_, _, body := b.get(page)
		if !strings.Contains(body, `id="withdraw"`) || !strings.Contains(body, "现在退出会记一次爽约") {
			t.Fatalf("the contract page offers no withdrawal or does not warn it is late:\n%s", body)
		}
		csrf := workerCSRFField.FindStringSubmatch(body)[1]
		if status, _, body := b.post(page+"/withdraw", url.Values{"csrf_token": {csrf}}); status != 400 || !strings.Contains(body, "我确认退出") {
			t.Errorf("withdrawing without ticking the box: %d", status)
		}
		if status, loc, _ := b.post(page+"/withdraw", url.Values{"csrf_token": {csrf}, "confirm": {"1"}, "reason": {"家里有事"}}); status != 303 || loc != page+"?withdrew=late" {
			t.Fatalf("withdrawing: %d to %q", status, loc)
		}
		if _, _, body := b.get(page + "?withdrew=late"); !strings.Contains(body, "记了一次爽约") || strings.Contains(body, `id="withdraw"`) {
			t.Errorf("after withdrawing the page does not say so, or still offers it")
		}

		env.createStaff("desk-zn", "ZN-S03")
		desk := env.consoleLogin("desk-zn", "staff-test-password")
		_, _, list := desk.get("/console/attendance?worker=" + w.Worker.No)
		if !strings.Contains(list, "临开工退出") || !strings.Contains(list, "爽约 1 次") {
			t.Fatalf("the contest desk does not list the withdrawal:\n%s", list)
		}
		var nsID int64
		if err := env.db.QueryRow(`SELECT id FROM no_shows WHERE contract_id = $1`, ct.ID).Scan(&nsID); err != nil {
			t.Fatal(err)
		}
		after := desk.flashAfter(fmt.Sprintf("/console/no-shows/%d/contest", nsID), url.Values{"decision": {"reject"}, "reason": {"没有证明"}, "worker": {w.Worker.No}})
		if !strings.Contains(after, "申诉不成立") || !strings.Contains(after, "爽约 1 次") {
			t.Errorf("after rejecting, the desk shows:\n%s", after)
		}

		if after := desk.flashAfter(fmt.Sprintf("/console/contracts/%d/cancel", other.ID), url.Values{"reason": {"雨天"}, "confirm": {"1"}}); !strings.Contains(after, "误工补偿 100 元已记入台账") {
			t.Errorf("the station's cancellation for the employer:\n%s", after)
		}
		if l := env.ledgerOf(other.ID, key); l.Balance.OutstandingFen != 10000 {
			t.Errorf("after the station's cancellation the employer owes %d fen, want 10000", l.Balance.OutstandingFen)
		}
		if _, _, page := desk.get(fmt.Sprintf("/console/gigs/%d", job)); !strings.Contains(page, fmt.Sprintf(`href="/api/v1/jobs/%d/attendance.pdf"`, job)) {
			t.Errorf("the gig's console page has no 考勤表 to print")
		}
	})
}
