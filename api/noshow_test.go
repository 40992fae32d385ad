package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// No-shows through the public API on both databases (issue 21 item 5): the sweep marks absent a worker
// without a check-in at the day's start plus the grace exactly (not a second before), once however often
// it runs; one who checked in is never marked. The employer corrects one absence and confirms another,
// which then counts in the worker's record; every step is audited.
func TestNoShowsAreMarkedAtTheLimitAndConfirmedByTheEmployer(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		today := domain.DateOf(env.clock.Now())
		// 06:00 in 中卫 today; the shift starts at 07:00 and the grace is the default 60 minutes.
		env.clock.Advance(today.Start().Add(6 * time.Hour).Sub(env.clock.Now()))
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "07:00-17:00")
		absent := env.signedOn(job, env.register("13812345701", nil), "13812345701", key)
		mistaken := env.signedOn(job, env.register("13812345702", nil), "13812345702", key)
		present := env.signedOn(job, env.register("13812345703", nil), "13812345703", key)

		env.clock.Advance(30 * time.Minute) // 06:30: the recorder checks in one worker
		env.mustJSON("POST", "/api/v1/attendance/scan", key, map[string]string{"card": present.Worker.Worker.CardURL, "kind": "in"}, 201, nil)

		sweep := func() int {
			t.Helper()
			n, err := env.server.app.SweepNoShows(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		list := func() []domain.NoShow {
			t.Helper()
			var out struct{ Items []domain.NoShow }
			env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/no-shows?date=%s", job, today), key, nil, 200, &out)
			return out.Items
		}
		limit := today.Start().Add(7*time.Hour + domain.DefaultNoShowGrace) // 08:00
		env.clock.Advance(limit.Add(-time.Second).Sub(env.clock.Now()))
		if n := sweep(); n != 0 || len(list()) != 0 {
			t.Fatalf("at 07:59:59 the sweep marked %d absent, want none", n)
		}
		env.clock.Advance(time.Second)
		if n := sweep(); n != 2 {
			t.Fatalf("at 08:00:00 the sweep marked %d absent, want 2", n)
		}
		if n := sweep(); n != 0 {
			t.Errorf("a second sweep marked %d more", n)
		}
		// Hired at 08:30 for a day that started at 07:00: not absent from today.
		env.clock.Advance(30 * time.Minute)
		env.signedOn(job, env.register("13812345704", nil), "13812345704", key)
		if n := sweep(); n != 0 {
			t.Errorf("the sweep marked %d absent, among them a worker hired after the day's start", n)
		}
		items := list()
		byContract := map[int64]domain.NoShow{}
		for _, ns := range items {
			byContract[ns.ContractID] = ns
		}
		if len(items) != 2 || byContract[absent.ID].Status != domain.NoShowMarked || byContract[mistaken.ID].Status != domain.NoShowMarked {
			t.Fatalf("marked absences: %+v", items)
		}
		if _, ok := byContract[present.ID]; ok {
			t.Errorf("the worker who checked in was marked absent")
		}

		// Refusals change nothing: a correction without a reason, another employer, a worker.
		decide := func(ns domain.NoShow) string { return fmt.Sprintf("/api/v1/no-shows/%d/decision", ns.ID) }
		status, body, _ := env.do("POST", decide(byContract[mistaken.ID]), key, map[string]string{"decision": "correct"})
		if status != 400 || !strings.Contains(string(body), "reason") {
			t.Errorf("a correction without a reason: %d %s", status, body)
		}
		_, otherKey := env.employerWithKey("中宁县某果蔬公司", "ZN-S03")
		if status, _, _ := env.do("POST", decide(byContract[absent.ID]), otherKey, map[string]string{"decision": "confirm"}); status != 404 {
			t.Errorf("another employer confirming: %d, want 404", status)
		}
		if status, _, _ := env.do("POST", decide(byContract[absent.ID]), absent.Worker.Token, map[string]string{"decision": "confirm"}); status != 403 {
			t.Errorf("the worker confirming their own absence: %d, want 403", status)
		}

		// The mistaken worker's check-in is recorded late: the mark can no longer be confirmed, only corrected.
		env.mustJSON("POST", "/api/v1/attendance/scan", key, map[string]string{"card": mistaken.Worker.Worker.CardURL, "kind": "in"}, 201, nil)
		if status, body, _ := env.do("POST", decide(byContract[mistaken.ID]), key, map[string]string{"decision": "confirm"}); status != 409 || !strings.Contains(string(body), "签到记录") {
			t.Errorf("confirming the absence of a worker who checked in: %d %s, want 409", status, body)
		}
		var got domain.NoShow
		env.mustJSON("POST", decide(byContract[mistaken.ID]), key, map[string]string{"decision": "correct", "reason": "他 8 点 10 分到了，忘了签到"}, 200, &got)
		if got.Status != domain.NoShowCorrected {
			t.Errorf("corrected: %+v", got)
		}
		env.mustJSON("POST", decide(byContract[absent.ID]), key, map[string]string{"decision": "confirm"}, 200, &got)
		if got.Status != domain.NoShowConfirmed || got.DecidedAt == nil {
			t.Errorf("confirmed: %+v", got)
		}
		if status, _, _ := env.do("POST", decide(byContract[absent.ID]), key, map[string]string{"decision": "correct", "reason": "弄错了"}); status != 409 {
			t.Errorf("answering twice: %d, want 409", status)
		}

		// The confirmed absence counts in the worker's record; the corrected one does not.
		for _, c := range []struct {
			who  settled
			want int
		}{{absent, 1}, {mistaken, 0}, {present, 0}} {
			var me struct {
				Worker struct {
					NoShows int `json:"no_shows"`
				} `json:"worker"`
				NoShows *int `json:"no_shows"`
			}
			env.mustJSON("GET", "/api/v1/workers/me", c.who.Worker.Token, nil, 200, &me)
			n := me.Worker.NoShows
			if me.NoShows != nil {
				n = *me.NoShows
			}
			if n != c.want {
				t.Errorf("worker of contract %d: %d no-shows, want %d", c.who.ID, n, c.want)
			}
		}
		var audited int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action LIKE 'attendance.no_show%'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 4 {
			t.Errorf("%d audit events of no-shows, want 4 (two marks, a correction, a confirmation)", audited)
		}
	})
}
