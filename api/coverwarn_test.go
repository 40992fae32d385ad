package api

import (
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
	"lingong/store/storetest"
)

// Issue 22 item 3: the evening before, each worker with a contract working tomorrow that has no
// accident cover gets one SMS, once per worker and day, even when two processes run the schedule at
// the same time and run it again; a worker whose day is covered gets none.
func TestUncoveredTomorrowTextedOnce(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		tomorrow := today.AddDays(1)
		env.mustJSON("PUT", "/api/v1/admin/protection", env.admin, map[string]any{"city_terms": "意外身故、伤残每人 30 万元",
			"city_policy": map[string]any{"insurer": "中华联合财险", "policy_number": "ZW-LG-7", "cover_fen": 30_000_000,
				"valid_from": string(today.AddDays(-30)), "valid_to": string(today.AddDays(60))}}, 200, nil)
		empID, key := env.employerWithKey("沙坡头区果园", "ZN-S03")
		contract := func(phone string, w registered, covered bool, start domain.Date, shift string) {
			job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, start, start.AddDays(3), shift)
			if covered {
				env.mustJSON("PUT", "/api/v1/jobs/"+itoa(job)+"/cover", key, map[string]any{"kind": "city"}, 200, nil)
			}
			env.signedOn(job, w, phone, key)
		}
		bare, insured, twice, later := "13812349301", "13812349302", "13812349303", "13812349304"
		wb := env.register(bare, nil)
		contract(bare, wb, false, tomorrow, "07:00-12:00")
		contract(insured, env.register(insured, nil), true, tomorrow, "07:00-12:00")
		wt := env.register(twice, nil)
		contract(twice, wt, false, tomorrow, "07:00-12:00")
		contract(twice, wt, false, today, "13:00-18:00")
		contract(later, env.register(later, nil), false, today.AddDays(2), "07:00-12:00") // not working tomorrow

		other := app.New(app.Options{SecretKey: storetest.TestKey}, app.Deps{Store: env.store, Clock: env.clock.Now, SMSCallbacks: sms.Callbacks{},
			WorkingDays: app.AttendanceDays{Store: env.store, Clock: env.clock.Now}})
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i, svc := range []*app.Service{env.server.app, other} {
			wg.Go(func() {
				n, err := svc.WarnUncoveredTomorrow(t.Context())
				if err != nil {
					t.Error(err)
				}
				sent[i] = n
			})
		}
		wg.Wait()
		if n, err := env.server.app.WarnUncoveredTomorrow(t.Context()); err != nil || n != 0 {
			t.Errorf("a third run sent %d (%v)", n, err)
		}
		if sent[0]+sent[1] != 2 {
			t.Errorf("the two processes sent %v, want 2 in all", sent)
		}
		for phone, want := range map[string]int{bare: 1, insured: 0, twice: 1, later: 0} {
			var n int
			var body string
			if err := env.db.QueryRow("SELECT count(*), COALESCE(MAX(body), '') FROM sms_outbox WHERE phone = $1 AND kind = 'cover_missing'", phone).Scan(&n, &body); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s got %d warnings, want %d", phone, n, want)
			}
			if want == 1 && (!strings.Contains(body, "明天") || !strings.Contains(body, "没有意外保险（用工方没有申报保险）") || !strings.Contains(body, "0955")) {
				t.Errorf("%s: %s", phone, body)
			}
		}
		// The next evening is another day: told again (still no cover), and the fourth worker now too.
		env.clock.Advance(24 * time.Hour)
		if n, err := env.server.app.WarnUncoveredTomorrow(t.Context()); err != nil || n != 3 {
			t.Errorf("the next evening sent %d (%v), want 3", n, err)
		}
	})
}
