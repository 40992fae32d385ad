package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// A worker contests a confirmed no-show online, on both databases: the worker withdraws late (a
// confirmed no-show), sees it on the contract page and through the API, contests it with a reason
// instead of travelling to the station; the issuing station's desk lists the request (another
// station's does not), upholds it, and the worker is texted the decision and no longer has the no-show
// on their record. Refusals change nothing: no reason, another worker's no-show, the employer, a
// second request.
func TestWorkerContestsANoShowOnlineAndTheStationDecides(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		env.clock.Advance(today.Start().Add(20 * time.Hour).Sub(env.clock.Now())) // 20:00; the first day starts tomorrow 07:00
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		tomorrow := today.AddDays(1)
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, tomorrow, tomorrow, "07:00-17:00")
		const phone = "13812345741"
		w := env.register(phone, nil)
		ct := env.signedOn(job, w, phone, key)
		other := env.signedOn(job, env.register("13812345742", nil), "13812345742", key)
		for _, s := range []settled{ct, other} { // both withdraw within the notice window: confirmed no-shows
			env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/withdraw", s.ID), s.Worker.Token, map[string]string{}, 200, nil)
		}
		mine := func(token string) []domain.NoShow {
			t.Helper()
			var out struct{ Items []domain.NoShow }
			env.mustJSON("GET", "/api/v1/workers/me/no-shows", token, nil, 200, &out)
			return out.Items
		}
		list := mine(w.Token)
		if len(list) != 1 || list[0].ContractID != ct.ID || list[0].Status != domain.NoShowConfirmed || !list[0].Contestable() {
			t.Fatalf("the worker's own no-shows: %+v", list)
		}
		ns := list[0]
		othersNS := mine(other.Worker.Token)[0]
		noShows := func() int {
			t.Helper()
			var n int
			if err := env.db.QueryRow(`SELECT no_shows FROM workers WHERE id = $1`, w.Worker.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if noShows() != 1 {
			t.Fatalf("the late withdrawal counts %d no-shows, want 1", noShows())
		}

		// Refusals through the API: another worker's no-show answers as an unknown one does; the employer
		// may not; a reason is required.
		contestURL := func(id int64) string { return fmt.Sprintf("/api/v1/workers/me/no-shows/%d/contest", id) }
		why := map[string]string{"reason": "那天下大雨，用工方打电话说不用去"}
		s1, b1, _ := env.do("POST", contestURL(othersNS.ID), w.Token, why)
		s2, b2, _ := env.do("POST", contestURL(othersNS.ID+1000), w.Token, why)
		if s1 != 404 || s1 != s2 || string(b1) != string(b2) {
			t.Errorf("contesting another worker's no-show: %d %s; an unknown one: %d %s", s1, b1, s2, b2)
		}
		if status, _, _ := env.do("POST", contestURL(ns.ID), key, why); status != 403 {
			t.Errorf("the employer contesting for the worker: %d, want 403", status)
		}
		if status, body, _ := env.do("POST", contestURL(ns.ID), w.Token, map[string]string{"reason": "  "}); status != 400 || !strings.Contains(string(body), `"field":"reason"`) {
			t.Errorf("a contest without a reason: %d %s", status, body)
		}
		if got := mine(w.Token)[0]; !got.Contestable() {
			t.Fatalf("a refused contest changed the no-show: %+v", got)
		}

		// The worker's contract page: the absence, why it counts, and the form.
		b := env.browser()
		b.post("/login/otp", url.Values{"phone": {phone}})
		b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}})
		page := fmt.Sprintf("/me/contracts/%d", ct.ID)
		_, _, body := b.get(page)
		if !strings.Contains(body, `id="no-shows"`) || !strings.Contains(body, "计入爽约次数") || !strings.Contains(body, "提出申诉") {
			t.Fatalf("the contract page does not show the no-show or the contest form:\n%s", body)
		}
		csrf := workerCSRFField.FindStringSubmatch(body)[1]
		form := fmt.Sprintf("%s/no-shows/%d/contest", page, ns.ID)
		if status, _, body := b.post(form, url.Values{"csrf_token": {csrf}}); status != 400 || !strings.Contains(body, `id="no-show-error"`) {
			t.Errorf("a contest without a reason on the page: %d", status)
		}
		if status, loc, _ := b.post(form, url.Values{"csrf_token": {csrf}, "reason": {why["reason"]}}); status != 303 || loc != page+"?contested=1#no-shows" {
			t.Fatalf("contesting on the page: %d to %q", status, loc)
		}
		_, _, body = b.get(page + "?contested=1")
		if !strings.Contains(body, "申诉已提出") || !strings.Contains(body, "等签发驿站处理") || strings.Contains(body, form) {
			t.Errorf("after contesting, the page does not say so or still offers the form:\n%s", body)
		}
		if status, body, _ := env.do("POST", contestURL(ns.ID), w.Token, why); status != 409 || !strings.Contains(string(body), "已经") {
			t.Errorf("contesting twice: %d %s, want 409", status, body)
		}

		// The issuing station's desk lists it with the worker's reason; another station's does not.
		env.createStaff("desk-hy", "HY-M1")
		_, _, elsewhere := env.consoleLogin("desk-hy", "staff-test-password").get("/console/attendance")
		if strings.Contains(elsewhere, why["reason"]) || !strings.Contains(elsewhere, "网上提出、待处理的申诉（0）") {
			t.Errorf("another station's desk shows the contest:\n%s", elsewhere)
		}
		env.createStaff("desk-zn", "ZN-S03")
		desk := env.consoleLogin("desk-zn", "staff-test-password")
		_, _, waiting := desk.get("/console/attendance")
		if !strings.Contains(waiting, "网上提出、待处理的申诉（1）") || !strings.Contains(waiting, why["reason"]) || !strings.Contains(waiting, w.Worker.No) {
			t.Fatalf("the issuing station's desk does not list the contest:\n%s", waiting)
		}
		after := desk.flashAfter(fmt.Sprintf("/console/no-shows/%d/contest", ns.ID), url.Values{"decision": {"uphold"}, "reason": {"用工方承认当天停工"}, "worker": {w.Worker.No}})
		if !strings.Contains(after, "申诉成立") || !strings.Contains(after, "待处理的申诉（0）") || !strings.Contains(after, "爽约 0 次") {
			t.Errorf("after upholding, the desk shows:\n%s", after)
		}
		if noShows() != 0 {
			t.Errorf("after an upheld contest the worker has %d no-shows, want 0", noShows())
		}
		var texted int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'no_show_contest' AND worker_id = $1 AND body LIKE '%成立，这次缺勤不再计入%' AND body LIKE '%用工方承认当天停工%'`,
			w.Worker.ID).Scan(&texted); err != nil || texted != 1 {
			t.Errorf("%d texts of the decision to the worker (%v), want 1", texted, err)
		}
		if _, _, body := b.get(page); !strings.Contains(body, "申诉成立，不计入爽约次数") {
			t.Errorf("the worker's page does not show the decision")
		}
		var audited int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'attendance.no_show.contest.request'`).Scan(&audited); err != nil || audited != 1 {
			t.Errorf("%d audit events of online contests (%v), want 1", audited, err)
		}
	})
}

// The contest desk shows a worker only to staff who may see them: another station's staff typing a
// worker number (numbers are sequential) get exactly what an unknown number gets, and registering the
// worker's phone at their desk does not name the holder's number; the issuing station sees the worker
// and the no-show.
func TestContestDeskShowsNoOtherStationsWorker(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		env.clock.Advance(today.Start().Add(20 * time.Hour).Sub(env.clock.Now()))
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		tomorrow := today.AddDays(1)
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, tomorrow, tomorrow, "07:00-17:00")
		const phone = "13812345751"
		w := env.register(phone, func(m map[string]any) { m["name"] = "马桂兰" })
		ct := env.signedOn(job, w, phone, key)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/withdraw", ct.ID), ct.Worker.Token, map[string]string{}, 200, nil)

		bearer, _ := env.createStaff("desk-hy", "HY-M1")
		elsewhere := env.consoleLogin("desk-hy", "staff-test-password")
		desk := func(b *browser, q string) string {
			t.Helper()
			status, _, page := b.get("/console/attendance?worker=" + url.QueryEscape(q))
			if status != 200 {
				t.Fatalf("the contest desk for %s: %d", q, status)
			}
			return page[strings.Index(page, `id="contest"`):]
		}
		known, unknown := desk(elsewhere, w.Worker.No), desk(elsewhere, "LG09999999")
		if strings.Contains(known, "马桂兰") || strings.Contains(known, "no-show-") ||
			strings.Replace(known, w.Worker.No, "LG09999999", 1) != unknown {
			t.Errorf("another station's desk tells a worker's number from an unknown one:\n%s\n----\n%s", known, unknown)
		}
		reg := registration(phone, "")
		delete(reg, "code")
		reg["station_code"], reg["district"], reg["town"] = "HY-M1", "海原县", "海城镇"
		if status, body, _ := env.do("POST", "/api/v1/workers", bearer, reg); status != 409 || strings.Contains(string(body), w.Worker.No) {
			t.Errorf("registering another station's worker's phone: %d %s, want 409 without the worker number", status, body)
		}

		env.createStaff("desk-zn", "ZN-S03")
		if page := desk(env.consoleLogin("desk-zn", "staff-test-password"), w.Worker.No); !strings.Contains(page, "马桂兰") || !strings.Contains(page, "临开工退出") {
			t.Errorf("the issuing station's desk does not show the worker and the no-show:\n%s", page)
		}
	})
}
