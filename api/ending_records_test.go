package api

import (
	"fmt"
	"strings"
	"testing"

	"lingong/domain"
)

// A backdated early ending may not cut off what was already recorded on the contract, on both
// databases: not an accident (its day would leave the contract's period and the insurer's roster), not
// an uncorrected day's work. The day of the accident itself may be the last day; a refusal changes
// nothing (the roster still lists the contract that day).
func TestEndingEarlyKeepsRecordedAccidentsAndWorkInsideTheContract(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		admin := env.login("admin", "admin-test-password")
		env.mustJSON("PUT", "/api/v1/admin/protection", admin, map[string]any{"city_terms": "意外身故、伤残每人 30 万元",
			"city_policy": map[string]any{"insurer": "中华联合财险中卫中心支公司", "policy_number": "ZW-LG-9", "cover_fen": 30_000_000,
				"valid_from": string(today.AddDays(-30)), "valid_to": string(today.AddDays(60))}}, 200, nil)
		empID, key := env.employerWithKey("中宁县枸杞园", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-3), today.AddDays(5), "00:00-23:59")
		env.mustJSON("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", job), key, map[string]any{"kind": "city"}, 200, nil)
		hurt := env.signedOn(job, env.register("13812349201", nil), "13812349201", key)
		worked := env.signedOn(job, env.register("13812349202", nil), "13812349202", key)
		staff, _ := env.createStaff("zn-incident", "ZN-S03")
		accident := today.AddDays(-1)
		env.mustJSON("POST", "/api/v1/incidents", staff, map[string]any{"contract_id": hurt.ID, "occurred_on": string(accident), "occurred_time": "10:40",
			"place": "新堡镇枸杞基地三号地", "what": "搬运枸杞筐时从田埂上滑倒，右脚踝扭伤", "injuries": "右脚踝骨折", "witnesses": "同组零工马某"}, 201, nil)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", worked.ID), key, map[string]any{"kind": "work", "date": string(accident), "quantity": 1}, 201, nil)
		rosterHas := func(s settled, day domain.Date) bool {
			t.Helper()
			var r domain.Roster
			env.mustJSON("GET", "/api/v1/admin/roster?format=json&date="+string(day), admin, nil, 200, &r)
			for _, l := range r.Lines {
				if l.ContractNumber == s.Number {
					return true
				}
			}
			return false
		}
		end := func(s settled, last domain.Date) (int, string) {
			t.Helper()
			code, body, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/end-early", s.ID), staff, map[string]string{"last_day": string(last), "reason": "双方同意"})
			return code, string(body)
		}
		if code, body := end(hurt, accident.AddDays(-1)); code != 409 || !strings.Contains(body, "出险") {
			t.Errorf("ending the day before a recorded accident: %d %s", code, body)
		}
		if !rosterHas(hurt, accident) {
			t.Errorf("after a refused ending the roster of the accident's day lacks the contract")
		}
		if code, body := end(worked, accident.AddDays(-1)); code != 409 || !strings.Contains(body, "记了工") {
			t.Errorf("ending the day before a recorded day's work: %d %s", code, body)
		}
		for _, s := range []settled{hurt, worked} {
			if code, body := end(s, accident); code != 200 {
				t.Errorf("ending contract %d on the accident's or the work's own day: %d %s", s.ID, code, body)
			}
		}
		if !rosterHas(hurt, accident) {
			t.Errorf("ended on the accident's day, the roster of that day lacks the contract")
		}
	})
}

// What the platform texts under its own name carries no phone number or link an employer typed: an
// early ending's reason with either is refused (400 on reason, nothing ended, nothing sent), and so is a
// gig title with a link.
func TestEmployerTextSentAsThePlatformCarriesNoPhoneOrLink(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		empID, key := env.employerWithKey("中宁县枸杞园", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "00:00-23:59")
		ct := env.signedOn(job, env.register("13812349301", nil), "13812349301", key)
		for _, reason := range []string{"补偿加微信13900001111", "补偿点 t.cn/Ab12 领取"} {
			code, body, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/end-early", ct.ID), key, map[string]string{"last_day": string(today.AddDays(1)), "reason": reason})
			if code != 400 || apiError(t, body).Field != "reason" {
				t.Errorf("an ending whose reason is %q: %d %s", reason, code, body)
			}
		}
		var sent int
		if err := env.db.QueryRow(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'contract_ended'`).Scan(&sent); err != nil || sent != 0 {
			t.Errorf("%d texts of an ending after refusals (%v)", sent, err)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/end-early", ct.ID), key, map[string]string{"last_day": string(today.AddDays(1)), "reason": "园子提前摘完了"}, 200, nil)

		code, body, _ := env.do("POST", "/api/v1/jobs", key, map[string]any{"title": "摘枸杞 日结 详情 www.zg88.top", "headcount": 2, "wage_fen": 20000,
			"wage_unit": "day", "settlement": "daily", "district": "中宁县", "town": "新堡镇", "address": "新堡镇枸杞基地",
			"start_date": today.AddDays(1), "end_date": today.AddDays(2), "daily_hours": 8, "skills": []string{"枸杞采摘"}})
		if code != 400 || apiError(t, body).Field != "title" {
			t.Errorf("a gig title with a link: %d %s", code, body)
		}
	})
}
