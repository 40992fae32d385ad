package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Ending started contracts early (提前结束) through the API on both databases, at 06:00 of day T in 中卫
// (the shift starts at 07:00). A 20-day picking contract started nine days ago; others start later.
// The limits: a last day equal to the start (allowed), the end date minus one (allowed), the end date
// (refused), yesterday (refused for a party, allowed for the station), the station's 7 days back
// (allowed) and 8 (refused); a one-day contract cannot end early; ending again only shortens.
// Refusals change nothing. Then what follows from the new end date: the other party's SMS, the no-shows
// after a past last day no longer counting, the sweep marking nobody after the last day, the roster and
// the attendance sheet no longer listing them, verification still passing (and still catching an end
// date changed behind the system's back), and the PDF's note beside the unchanged terms.
func TestEndingStartedContractsEarlyAtTheLimits(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		T := domain.DateOf(env.clock.Now())
		env.clock.Advance(T.Start().Add(6 * time.Hour).Sub(env.clock.Now()))
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		picking := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T.AddDays(-9), T.AddDays(10), "07:00-17:00")
		n := 0
		sign := func(job int64) settled {
			n++
			phone := fmt.Sprintf("138123460%02d", n)
			return env.signedOn(job, env.register(phone, nil), phone, key)
		}
		byEmployer, byWorker, byStation, control := sign(picking), sign(picking), sign(picking), sign(picking)
		twoDaysAgo := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T.AddDays(-2), T.AddDays(2), "07:00-17:00")
		startedTwoDaysAgo, checkedIn := sign(twoDaysAgo), sign(twoDaysAgo)
		startsToday := sign(env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T, T.AddDays(3), "07:00-17:00"))
		oneDay := sign(env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T, T, "07:00-17:00"))
		staff, _ := env.createStaff("zn-end", "ZN-S03")
		otherStaff, _ := env.createStaff("spt-end", "SPT-S01")
		_, otherKey := env.employerWithKey("中宁县某果蔬公司", "ZN-S03")

		type answer struct {
			domain.ContractEnding
			Error struct{ Code, Field, Message string } `json:"error"`
		}
		end := func(s settled, token string, lastDay domain.Date, reason string, want int) answer {
			t.Helper()
			body := map[string]string{"last_day": string(lastDay)}
			if reason != "" {
				body["reason"] = reason
			}
			status, raw, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/end-early", s.ID), token, body)
			var out answer
			_ = json.Unmarshal(raw, &out)
			if status != want {
				t.Fatalf("ending %d on %s: %d %s, want %d", s.ID, lastDay, status, raw, want)
			}
			if want >= 400 && (out.Error.Code == "" || out.Error.Message == "") {
				t.Errorf("refusal without {code, message}: %s", raw)
			}
			return out
		}
		endDate := func(s settled) domain.Date {
			t.Helper()
			var d string
			if err := env.db.QueryRow(`SELECT end_date FROM contracts WHERE id = $1`, s.ID).Scan(&d); err != nil {
				t.Fatal(err)
			}
			return domain.Date(d)
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var k int
			if err := env.db.QueryRow(q, args...).Scan(&k); err != nil {
				t.Fatal(err)
			}
			return k
		}
		state := func() string {
			return fmt.Sprint(endDate(byEmployer), endDate(byStation), endDate(oneDay), count(`SELECT COUNT(*) FROM contract_endings`),
				countAudit(t, env, "contract.end_early"), count(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended'`))
		}

		// Refusals, each changing nothing; strangers learn nothing of the contract.
		before := state()
		if a := end(byEmployer, key, T.AddDays(-1), "采完了", 400); a.Error.Field != "last_day" {
			t.Errorf("the employer ending yesterday: field %q", a.Error.Field)
		}
		end(byWorker, byWorker.Worker.Token, T.AddDays(-1), "", 400)
		if a := end(byEmployer, key, T.AddDays(10), "采完了", 400); a.Error.Field != "last_day" || !strings.Contains(a.Error.Message, "不是提前结束") {
			t.Errorf("the end date itself: %+v", a.Error)
		}
		end(byEmployer, key, T.AddDays(11), "采完了", 400)
		if a := end(byEmployer, key, T.AddDays(3), "", 400); a.Error.Field != "reason" {
			t.Errorf("the employer without a reason: field %q", a.Error.Field)
		}
		if a := end(byEmployer, key, T.AddDays(3), strings.Repeat("采", 201), 400); a.Error.Field != "reason" {
			t.Errorf("a reason of 201 characters: field %q", a.Error.Field)
		}
		end(byEmployer, key, "2026-02-30", "采完了", 400)
		end(oneDay, key, T, "下雨", 400) // a one-day contract: its only day is its end
		end(byStation, staff, T.AddDays(-8), "双方同意", 400)
		end(byStation, staff, T.AddDays(-10), "双方同意", 400) // before the start
		if a := end(byEmployer, otherKey, T.AddDays(3), "采完了", 404); a.Error.Code != "not_found" {
			t.Errorf("another employer: %+v", a.Error)
		}
		end(byEmployer, control.Worker.Token, T.AddDays(3), "", 404)
		end(byEmployer, otherStaff, T.AddDays(3), "双方同意", 403)
		if after := state(); after != before {
			t.Fatalf("refused requests changed something: %s -> %s", before, after)
		}

		// The limits that pass: the end date minus one; then shorter again, never longer.
		if a := end(byEmployer, key, T.AddDays(9), "采完了", 200); a.LastDay != T.AddDays(9) || a.PreviousEnd != T.AddDays(10) || a.By != domain.EndingByEmployer {
			t.Errorf("ended on the end date minus one: %+v", a.ContractEnding)
		}
		end(byEmployer, key, T.AddDays(9), "采完了", 400) // not earlier than it now ends
		end(byEmployer, key, T, "采完了", 200)
		end(byEmployer, key, T.AddDays(5), "还要干", 400) // never longer
		if endDate(byEmployer) != T {
			t.Errorf("after ending on %s the contract ends %s", T, endDate(byEmployer))
		}
		end(startsToday, key, T, "只要一天", 200) // the last day is the start date
		end(byWorker, byWorker.Worker.Token, T, "", 200)

		// The other party is told: the worker of the employer's ending, the employer of the worker's.
		if k := count(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended' AND worker_id = $1 AND body LIKE '%用工方提前结束%'`, byEmployer.Worker.Worker.ID); k != 2 {
			t.Errorf("the worker got %d SMS of the employer's two endings, want 2", k)
		}
		if k := count(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended' AND worker_id = $1`, byWorker.Worker.Worker.ID); k != 0 {
			t.Errorf("the worker who ended it was texted %d times", k)
		}
		if k := count(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended' AND phone = '13900001111' AND subject = $1 AND body LIKE '%零工提前结束%'`, byWorker.ID); k != 1 {
			t.Errorf("the employer got %d SMS of the worker's ending, want 1", k)
		}

		// The worker who ended it is free for another gig after the last day (same hours).
		nextJob := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T.AddDays(2), T.AddDays(5), "07:00-17:00")
		env.signedOn(nextJob, byWorker.Worker, byWorker.Phone, key)

		// The station records a last day in the past: the no-shows after it stop counting.
		var ns []int64
		for d := T.AddDays(-9); d < T; d = d.AddDays(1) {
			if _, err := env.store.MarkNoShow(ctx, domain.NoShowCandidate{ContractID: byStation.ID, JobID: picking, WorkerID: byStation.Worker.Worker.ID}, d); err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := env.db.QueryRow(`SELECT id FROM no_shows WHERE contract_id = $1 AND work_date = $2`, byStation.ID, string(d)).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ns = append(ns, id)
		}
		for _, i := range []int{1, 3, 4} { // T-8, T-6, T-5 confirmed by the employer
			env.mustJSON("POST", fmt.Sprintf("/api/v1/no-shows/%d/decision", ns[i]), key, map[string]string{"decision": "confirm"}, 200, nil)
		}
		workerNoShows := func() int { return count(`SELECT no_shows FROM workers WHERE id = $1`, byStation.Worker.Worker.ID) }
		if workerNoShows() != 3 {
			t.Fatalf("%d no-shows counted before the ending, want 3", workerNoShows())
		}
		a := end(byStation, staff, T.AddDays(-7), "零工 8 号起回家了，双方在驿站确认", 200)
		if a.VoidedNoShows != 6 || a.By != domain.EndingByStation || workerNoShows() != 1 {
			t.Errorf("ended 7 days back: %+v, %d no-shows count, want 6 voided and T-8's 1 still counting", a.ContractEnding, workerNoShows())
		}
		if k := count(`SELECT COUNT(*) FROM no_shows WHERE contract_id = $1 AND work_date > $2 AND status = 'marked'`, byStation.ID, string(T.AddDays(-7))); k != 0 {
			t.Errorf("%d no-shows after the last day are still waiting to be confirmed", k)
		}
		var decided struct{ Items []domain.NoShow }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/no-shows/%d/decision", ns[8]), key, map[string]string{"decision": "confirm"}, 409, nil)
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/no-shows?date=%s", picking, T.AddDays(-8)), key, nil, 200, &decided)
		if len(decided.Items) != 1 || decided.Items[0].Status != domain.NoShowConfirmed || decided.Items[0].Contest != "" {
			t.Errorf("the no-show before the last day changed: %+v", decided.Items)
		}
		if k := count(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended' AND subject = $1`, byStation.ID); k != 2 {
			t.Errorf("the station's ending texted %d, want both sides", k)
		}
		end(startedTwoDaysAgo, staff, T.AddDays(-2), "双方同意", 200) // the station, the start date, in the past
		// A worker who checked in today cannot be ended before today; today itself is fine.
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/attendance", twoDaysAgo), key, map[string]any{"contract_id": checkedIn.ID, "kind": "in"}, 201, nil)
		if a := end(checkedIn, staff, T.AddDays(-1), "双方同意", 409); !strings.Contains(a.Error.Message, "签到") || endDate(checkedIn) != T.AddDays(2) {
			t.Errorf("a last day before a check-in: %+v, ends %s", a.Error, endDate(checkedIn))
		}
		end(checkedIn, staff, T, "双方同意", 200)

		// The next day: nobody is marked absent, rostered or checked in after their last day.
		env.clock.Advance(T.AddDays(1).Start().Add(8 * time.Hour).Sub(env.clock.Now())) // 08:00: the sweep is due
		if marked, err := env.server.app.SweepNoShows(ctx); err != nil || marked != 1 {
			t.Errorf("the sweep on T+1 marked %d (%v), want only the control contract", marked, err)
		}
		if k := count(`SELECT COUNT(*) FROM no_shows WHERE work_date = $1 AND contract_id <> $2`, string(T.AddDays(1)), control.ID); k != 0 {
			t.Errorf("%d ended contracts marked absent after their last day", k)
		}
		var roster domain.Roster
		env.mustJSON("GET", "/api/v1/admin/roster?date="+string(T.AddDays(1)), env.login("admin", "admin-test-password"), nil, 200, &roster)
		var listed []string
		for _, l := range roster.Lines {
			listed = append(listed, l.ContractNumber)
		}
		if strings.Join(listed, ",") != control.Number {
			t.Errorf("the roster of T+1 lists %v, want only %s", listed, control.Number)
		}
		clock := func(s settled, want int) {
			t.Helper()
			env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/attendance", picking), key, map[string]any{"contract_id": s.ID, "kind": "in"}, want, nil)
		}
		clock(byEmployer, 409)
		clock(control, 201)
		var sheet struct{ Items []domain.AttendanceDay }
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/attendance?date=%s", picking, T.AddDays(1)), key, nil, 200, &sheet)
		if len(sheet.Items) != 1 || sheet.Items[0].ContractID != control.ID {
			t.Errorf("the attendance sheet of T+1 lists %+v, want only the control contract", sheet.Items)
		}

		// Verification passes with the signed terms unchanged; the paper notes the ending beside them.
		var v verification
		env.mustJSON("GET", "/api/v1/verify/"+byEmployer.Number+"?code="+testCheckCode(byEmployer.Number), "", nil, 200, &v)
		if !v.Intact || v.End != T.AddDays(10) {
			t.Errorf("verification after the ending: intact %v, end %s (%v), want intact with the signed end", v.Intact, v.End, v.Problems)
		}
		if rep, err := env.store.VerifyEvidence(ctx); err != nil || !rep.Intact {
			t.Fatalf("evidence after the endings: %v %v", err, rep.Problems)
		}
		status, pdf, _ := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d/pdf", byEmployer.ID), key, nil)
		text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		if status != 200 || !strings.Contains(text, "已于"+string(T)+"提前结束（用工方提出，原因：采完了；原定"+string(T.AddDays(10))+"结束）") ||
			!strings.Contains(text, "共20天") {
			t.Errorf("the contract PDF (%d) lacks the ending note or the signed period:\n%s", status, text)
		}
		// An end date changed behind the system's back is still found.
		if _, err := env.db.Exec(`UPDATE contracts SET end_date = $1 WHERE id = $2`, string(T.AddDays(-1)), byEmployer.ID); err != nil {
			t.Fatal(err)
		}
		env.mustJSON("GET", "/api/v1/verify/"+byEmployer.Number+"?code="+testCheckCode(byEmployer.Number), "", nil, 200, &v)
		if v.Intact {
			t.Errorf("an end date edited in the database passes verification")
		}
		// Nor does editing the ending's own audit event to match: its keyed hash no longer fits, so it is
		// no anchor for the earlier end date.
		forged := `"last_day":"` + string(T.AddDays(-1)) + `"`
		if res, err := env.db.Exec(`UPDATE audit_events SET detail = REPLACE(detail, $1, $2) WHERE action = 'contract.end_early' AND entity_id = $3`,
			`"last_day":"`+string(T)+`"`, forged, byEmployer.ID); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("forging: no ending event of the contract holds last_day %s", T)
		}
		env.mustJSON("GET", "/api/v1/verify/"+byEmployer.Number+"?code="+testCheckCode(byEmployer.Number), "", nil, 200, &v)
		if v.Intact {
			t.Errorf("an end date backed by a forged ending event passes verification")
		}
	})
}

// The pages of an early ending on both databases: the worker's contract page offers 提前结束 only once
// the contract has started (before, it offers the withdrawal), needs the box ticked, then shows the note
// and no longer offers it; the station's console contract page records a past last day both sides
// agreed, and shows the note too.
func TestEndingEarlyOnThePages(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		T := domain.DateOf(env.clock.Now())
		env.clock.Advance(T.Start().Add(12 * time.Hour).Sub(env.clock.Now())) // noon in 中卫
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T.AddDays(-7), T.AddDays(12), "07:00-17:00")
		later := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, T.AddDays(30), T.AddDays(32), "07:00-17:00")
		const phone = "13812346101"
		w := env.register(phone, nil)
		ct := env.signedOn(job, w, phone, key)
		other := env.signedOn(job, env.register("13812346102", nil), "13812346102", key)
		notYet := env.signedOn(later, w, phone, key) // the same worker, a gig next month

		b := env.browser()
		b.post("/login/otp", url.Values{"phone": {phone}})
		b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}})
		page := fmt.Sprintf("/me/contracts/%d", ct.ID)
		_, _, body := b.get(page)
		if !strings.Contains(body, `id="end-early"`) || !strings.Contains(body, `min="`+string(T)+`"`) || strings.Contains(body, `id="withdraw"`) {
			t.Fatalf("the started contract's page offers no early ending from today (or still a withdrawal):\n%s", body)
		}
		csrf := workerCSRFField.FindStringSubmatch(body)[1]
		form := url.Values{"csrf_token": {csrf}, "last_day": {string(T)}, "reason": {"家里收麦子"}}
		if status, _, body := b.post(page+"/end-early", form); status != 400 || !strings.Contains(body, "我确认提前结束这份工") {
			t.Errorf("ending without ticking the box: %d", status)
		}
		form.Set("confirm", "1")
		form.Set("last_day", string(T.AddDays(-1)))
		if status, _, body := b.post(page+"/end-early", form); status != 400 || !strings.Contains(body, `id="end-early-error"`) || !strings.Contains(body, "驿站") {
			t.Errorf("the worker ending yesterday: %d, want 400 on the form sending them to the station", status)
		}
		form.Set("last_day", string(T))
		if status, loc, _ := b.post(page+"/end-early", form); status != 303 || loc != page+"?ended=1" {
			t.Fatalf("ending: %d to %q", status, loc)
		}
		_, _, body = b.get(page + "?ended=1")
		if !strings.Contains(body, "已于 "+string(T)+" 提前结束（零工提出，原因：家里收麦子") || strings.Contains(body, `id="end-early"`) ||
			!strings.Contains(body, string(T.AddDays(12))) {
			t.Errorf("after ending the page lacks the note or the signed end, or still offers it:\n%s", body)
		}
		// A contract not yet started: the withdrawal, not the early ending.
		_, _, body = b.get(fmt.Sprintf("/me/contracts/%d", notYet.ID))
		if strings.Contains(body, `id="end-early"`) || !strings.Contains(body, `id="withdraw"`) {
			t.Errorf("a contract not started yet offers the early ending, or not the withdrawal")
		}

		env.createStaff("desk-end", "ZN-S03")
		desk := env.consoleLogin("desk-end", "staff-test-password")
		cpage := fmt.Sprintf("/console/contracts/%d", other.ID)
		if _, _, p := desk.get(cpage); !strings.Contains(p, `id="end-early"`) || !strings.Contains(p, `min="`+string(T.AddDays(-domain.EndingBackDays))+`"`) {
			t.Fatalf("the console contract page offers no early ending back to %s:\n%s", T.AddDays(-domain.EndingBackDays), p)
		}
		after := desk.flashAfter(cpage+"/end-early", url.Values{"last_day": {string(T.AddDays(-2))}, "reason": {"零工前天起没来，双方确认"}, "confirm": {"1"}})
		if !strings.Contains(after, "合约已提前结束，最后工作日 "+string(T.AddDays(-2))) || !strings.Contains(after, `id="contract-ending"`) ||
			!strings.Contains(after, "双方在签发驿站提出") {
			t.Errorf("after the station's ending the console shows:\n%s", after)
		}
		after = desk.flashAfter(cpage+"/end-early", url.Values{"last_day": {string(T.AddDays(-10))}, "reason": {"x"}, "confirm": {"1"}})
		if !strings.Contains(after, "不能早于合约开工日") {
			t.Errorf("a last day before the start: the console does not say why it was refused")
		}
	})
}
