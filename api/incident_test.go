package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Issue 22 item 4: station staff record an accident on a contract, move its claim forward only (each
// step with its date, audited), record the insurer's payment, and print the evidence pack (contract,
// the day's attendance, the roster entry with the day's cover, the ledger), read by pdftotext. Staff of
// another station, other employers and workers get 404; the job's employer reads the incident without
// the ID number; bad input changes nothing; an edit in the database is found.
func TestIncidentRecordedClaimedPaidAndPacked(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		today := domain.DateOf(env.clock.Now())
		admin := env.login("admin", "admin-test-password")
		env.mustJSON("PUT", "/api/v1/admin/protection", admin, map[string]any{"city_terms": "意外身故、伤残每人 30 万元",
			"city_policy": map[string]any{"insurer": "中华联合财险中卫中心支公司", "policy_number": "ZW-LG-9", "cover_fen": 30_000_000,
				"valid_from": string(today.AddDays(-30)), "valid_to": string(today.AddDays(60))}}, 200, nil)
		const phone = "13812349201"
		w := env.register(phone, func(m map[string]any) { m["id_number"] = withIDCheck("64052119800101123") })
		empID, key := env.employerWithKey("中宁县枸杞园", "ZN-S03")
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-2), today.AddDays(5), "00:00-23:59")
		env.mustJSON("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", job), key, map[string]any{"kind": "city"}, 200, nil)
		ct := env.signedOn(job, w, phone, key)
		env.mustJSON("POST", "/api/v1/attendance/scan", key, map[string]string{"card": w.Worker.CardURL, "kind": "in"}, 201, nil)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), key, map[string]any{"kind": "work", "date": string(today.AddDays(-1)), "quantity": 1}, 201, nil)
		staff, _ := env.createStaff("zn-incident", "ZN-S03")
		there, _ := env.createStaff("spt-incident", "SPT-S01")

		good := map[string]any{"contract_id": ct.ID, "occurred_on": string(today), "occurred_time": "10:40", "place": "新堡镇枸杞基地三号地",
			"what": "搬运枸杞筐时从田埂上滑倒，右脚踝扭伤", "injuries": "右脚踝扭伤，送中宁县人民医院", "witnesses": "同组零工马某"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for a, b := range good {
				m[a] = b
			}
			m[k] = v
			return m
		}
		// Bad input: refused on its field, nothing written.
		for name, c := range map[string]struct {
			body  map[string]any
			code  int
			field string
		}{
			"tomorrow":          {with("occurred_on", string(today.AddDays(1))), 400, "occurred_on"},
			"before the period": {with("occurred_on", string(today.AddDays(-3))), 400, "occurred_on"},
			"bad time":          {with("occurred_time", "25:10"), 400, "occurred_time"},
			"no place":          {with("place", " "), 400, "place"},
			"what too short":    {with("what", "摔了"), 400, "what"},
			"no contract":       {with("contract_id", 999999), 404, "contract_id"},
		} {
			code, body, _ := env.do("POST", "/api/v1/incidents", staff, c.body)
			if code != c.code || apiError(t, body).Field != c.field || apiError(t, body).Message == "" {
				t.Errorf("%s: %d %s, want %d on %s", name, code, body, c.code, c.field)
			}
		}
		// Staff of another station: the same answer as for a contract that does not exist.
		if code, body, _ := env.do("POST", "/api/v1/incidents", there, good); code != 404 || apiError(t, body).Field != "contract_id" {
			t.Errorf("another station records: %d %s", code, body)
		}
		if code, _, _ := env.do("POST", "/api/v1/incidents", key, good); code != 403 {
			t.Errorf("the employer records: %d", code)
		}
		if n := env.count("incidents"); n != 0 {
			t.Fatalf("refused records wrote %d incidents", n)
		}

		var inc domain.Incident
		env.mustJSON("POST", "/api/v1/incidents", staff, good, 201, &inc)
		if inc.Status != domain.IncidentReported || inc.ReportedOn != today || inc.WorkerName != w.Worker.Name ||
			inc.WorkerIDMasked == "" || strings.Contains(inc.WorkerIDMasked, "0101123") || inc.ContractNumber != ct.Number {
			t.Fatalf("recorded: %+v", inc)
		}
		one := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)

		// Who reads it: the station, the admin, the job's employer without the ID number; nobody else.
		var seen domain.Incident
		env.mustJSON("GET", one, key, nil, 200, &seen)
		if seen.WorkerIDMasked != "" || seen.What != inc.What {
			t.Errorf("the employer's view: %+v", seen)
		}
		_, otherKey := env.employerWithKey("别家", "ZN-S03")
		for who, tok := range map[string]string{"another station": there, "another employer": otherKey, "the worker": w.Token} {
			if code, _, _ := env.do("GET", one, tok, nil); code != 404 && code != 403 {
				t.Errorf("%s reads the incident: %d", who, code)
			}
			if code, _, _ := env.do("GET", one+"/pack.pdf", tok, nil); code != 404 && code != 403 {
				t.Errorf("%s reads the pack: %d", who, code)
			}
		}
		if code, _, _ := env.do("GET", one, there, nil); code != 404 {
			t.Errorf("staff of another station: %d, want 404", code)
		}
		if code, _, _ := env.do("GET", one+"/pack.pdf", key, nil); code != 403 {
			t.Errorf("the employer downloads the pack: %d", code)
		}
		var list listResponse[domain.Incident]
		env.mustJSON("GET", "/api/v1/incidents", there, nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("another station lists %d incidents", list.Total)
		}
		env.mustJSON("GET", "/api/v1/incidents", otherKey, nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("another employer lists %d incidents", list.Total)
		}
		env.mustJSON("GET", "/api/v1/incidents?status=reported", staff, nil, 200, &list)
		if list.Total != 1 || list.Items[0].ID != inc.ID {
			t.Errorf("the station's list: %+v", list)
		}

		// The claim moves forward only; paid needs the amount and the insurer's reference.
		status := one + "/status"
		for name, c := range map[string]struct {
			body  map[string]any
			code  int
			field string
		}{
			"paid before claimed": {map[string]any{"status": "paid", "paid_fen": 100, "insurer_reference": "P1"}, 409, ""},
			"back to reported":    {map[string]any{"status": "reported"}, 409, ""},
			"unknown":             {map[string]any{"status": "lost"}, 400, "status"},
			"claimed tomorrow":    {map[string]any{"status": "claimed", "on": string(today.AddDays(1))}, 400, "on"},
			"claimed before":      {map[string]any{"status": "claimed", "on": string(today.AddDays(-1))}, 400, "on"},
		} {
			code, body, _ := env.do("POST", status, staff, c.body)
			if code != c.code || apiError(t, body).Field != c.field {
				t.Errorf("%s: %d %s", name, code, body)
			}
		}
		if code, _, _ := env.do("POST", status, there, map[string]any{"status": "claimed"}); code != 404 {
			t.Errorf("another station moves it: %d", code)
		}
		env.clock.Advance(24 * time.Hour)
		staff = env.login("zn-incident", "staff-test-password")
		env.mustJSON("POST", status, staff, map[string]any{"status": "claimed"}, 200, &inc)
		if inc.Status != domain.IncidentClaimed || inc.ClaimedOn != today.AddDays(1) {
			t.Fatalf("claimed: %+v", inc)
		}
		for name, body := range map[string]map[string]any{
			"no amount":    {"status": "paid", "insurer_reference": "PA2026-0001"},
			"absurd":       {"status": "paid", "paid_fen": 1_000_000_000, "insurer_reference": "PA2026-0001"},
			"no reference": {"status": "paid", "paid_fen": 380000},
		} {
			if code, b, _ := env.do("POST", status, staff, body); code != 400 {
				t.Errorf("%s: %d %s", name, code, b)
			}
		}
		env.clock.Advance(9 * 24 * time.Hour)
		staff = env.login("zn-incident", "staff-test-password")
		env.mustJSON("POST", status, staff, map[string]any{"status": "paid", "paid_fen": 380000, "insurer_reference": "PA2026-0001",
			"on": string(today.AddDays(8))}, 200, &inc)
		if inc.Status != domain.IncidentPaid || inc.PaidOn != today.AddDays(8) || inc.PaidFen != 380000 || inc.InsurerReference != "PA2026-0001" {
			t.Fatalf("paid: %+v", inc)
		}
		if n := countAudit(t, env, "incident.paid"); n != 1 {
			t.Errorf("the payment audited %d times", n)
		}
		var by string
		if err := env.db.QueryRow("SELECT actor_kind FROM audit_events WHERE action = 'incident.claimed'").Scan(&by); err != nil || by != "staff" {
			t.Errorf("the claim's audit: %q %v", by, err)
		}

		// The dashboard's figures: one paid, eight days from report to payment.
		var district string
		if err := env.db.QueryRow("SELECT district FROM jobs WHERE id = $1", job).Scan(&district); err != nil {
			t.Fatal(err)
		}
		f, err := env.store.IncidentFigures(ctx, 0, district)
		if err != nil || f.Total != 1 || f.ByStatus[domain.IncidentPaid] != 1 || f.Paid != 1 || f.AvgDaysToPay != 8 || f.PaidFen != 380000 {
			t.Errorf("figures of %s: %+v %v", district, f, err)
		}
		// The dashboard filtered to another district does not count it.
		for _, other := range domain.Districts {
			if f, err := env.store.IncidentFigures(ctx, 0, other); other != district && (err != nil || f.Total != 0 || f.Paid != 0) {
				t.Errorf("figures of %s count %s's incident: %+v %v", other, district, f, err)
			}
		}

		// The evidence pack, as pdftotext reads it; the read is audited.
		before := countAudit(t, env, "incident.pack_read")
		code, pdf, hdr := env.do("GET", one+"/pack.pdf", staff, nil)
		if code != 200 || hdr.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pack: %d %s", code, pdf)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		for _, want := range []string{"出险证据包", ct.Number, "10:40", "从田埂上滑倒", "右脚踝扭伤", "同组零工马某", "签到", "记录员代记",
			"有意外保险：中华联合财险中卫中心支公司·ZW-LG-9", w.Worker.Name, inc.WorkerIDMasked, "零工用工协议", "结算记录", "PA2026-0001", "3800元"} {
			if !strings.Contains(text, strings.ReplaceAll(want, " ", "")) {
				t.Errorf("the pack lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, withIDCheck("64052119800101123")) {
			t.Error("the pack prints the full ID number")
		}
		if got := countAudit(t, env, "incident.pack_read"); got != before+1 {
			t.Errorf("the pack's read audited %d times", got-before)
		}

		env.mustJSON("POST", status, staff, map[string]any{"status": "closed"}, 200, &inc)
		if code, _, _ := env.do("POST", status, staff, map[string]any{"status": "closed"}); code != 409 {
			t.Errorf("closed twice: %d", code)
		}

		// Tamper evidence: intact, then an amount edited in the database is found.
		rep, err := env.store.VerifyEvidence(ctx)
		if err != nil || !rep.Intact {
			t.Fatalf("evidence: %v %v", err, rep.Problems)
		}
		if _, err := env.db.Exec("UPDATE incidents SET paid_fen = 3800000"); err != nil {
			t.Fatal(err)
		}
		rep, _ = env.store.VerifyEvidence(ctx)
		if rep.Intact || !strings.Contains(strings.Join(rep.Problems, "；"), "出险记录") {
			t.Fatalf("tampering not found: %v", rep.Problems)
		}
	})
}
