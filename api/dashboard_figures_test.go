package api

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// The dashboard's attendance (issue 21 item 7) and protection (issue 22 item 6) figures, on both
// databases, for a small market built through the public API: four days around New Year in 中卫, two
// gigs in two districts, check-ins by the recorder (the first one at 07:30 on 1 January, which is still
// 31 December in UTC), no-shows marked by the sweep and answered, work lines from attendance and by
// hand, payments, an arrears alert paid from the wage guarantee. The figures of 2027-01-01..03 are
// asserted exactly, in JSON and on the page; a range without data shows "—" and null, never NaN.
func TestDashboardAttendanceAndProtectionFigures(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ctx := t.Context()
		at := func(day, hm string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, domain.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		set := func(tm time.Time) { env.clock.Advance(tm.Sub(env.clock.Now())) }
		set(at("2026-12-31", "06:00"))
		admin := env.login("admin", "admin-test-password")
		env.admin = admin // the outbox, for the workers' codes
		env.mustJSON("PUT", "/api/v1/admin/protection", admin, map[string]any{
			"city_policy": map[string]any{"insurer": "中华联合财险中卫中心支公司", "policy_number": "ZW-LG-2027", "cover_fen": 30_000_000,
				"valid_from": "2026-12-01", "valid_to": "2027-01-02"},
			"guarantee": map[string]any{"advance_after_days": 1}}, 200, nil)

		// Gig A (中宁县, ZN-S03): the city's group policy, which ends on 2 January; two workers.
		empA, keyA := env.employerWithKey("中宁县枸杞合作社", "ZN-S03")
		jobA := env.jobFrom(empA, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, "2026-12-31", "2027-01-03", "07:00-17:00")
		env.mustJSON("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", jobA), keyA, map[string]any{"kind": "city"}, 200, nil)
		w1 := env.signedOn(jobA, env.register("13812348001", nil), "13812348001", keyA)
		w2 := env.signedOn(jobA, env.register("13812348002", nil), "13812348002", keyA)

		// Gig B (海原县, HY-S01): approved on 1 January on a staff exemption, one worker.
		empB, keyB := env.employerWithKey("海原县建筑劳务", "HY-S01")
		jobB := env.jobFrom(empB, "HY-S01", domain.PerDay, 20000, domain.SettleDaily, "2027-01-01", "2027-01-02", "07:00-17:00")
		if _, err := env.db.Exec(`UPDATE jobs SET status = 'pending_review', approved_at = NULL, district = '海原县' WHERE id = $1`, jobB); err != nil {
			t.Fatal(err)
		}
		hy1, _ := env.createStaff("hy-dash-1", "HY-S01")
		env.createStaff("hy-dash-2", "HY-S01")
		set(at("2027-01-01", "06:00"))
		hy1 = env.login("hy-dash-1", "staff-test-password")
		env.admin = env.login("admin", "admin-test-password")
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", jobB), hy1, map[string]any{"decision": "approve", "cover_exemption": "村集体义务劳动，镇政府统一投保"}, 200, nil)
		w3 := env.signedOn(jobB, env.register("13812348003", nil), "13812348003", keyB)

		scan := func(key string, w settled, kind, day, hm string) {
			t.Helper()
			set(at(day, hm))
			env.mustJSON("POST", "/api/v1/attendance/scan", key, map[string]string{"card": w.Worker.Worker.CardURL, "kind": kind}, 201, nil)
		}
		sweepNoShows := func(day string) {
			t.Helper()
			set(at(day, "08:00"))
			if _, err := env.server.app.SweepNoShows(ctx); err != nil {
				t.Fatal(err)
			}
		}
		decide := func(key string, job int64, day string, decision string) {
			t.Helper()
			var out struct{ Items []domain.NoShow }
			env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/no-shows?date=%s", job, day), key, nil, 200, &out)
			if len(out.Items) != 1 {
				t.Fatalf("no-shows of gig %d on %s: %+v", job, day, out.Items)
			}
			env.mustJSON("POST", fmt.Sprintf("/api/v1/no-shows/%d/decision", out.Items[0].ID), key, map[string]string{"decision": decision}, 200, nil)
		}
		pay := func(key string, w settled, fen int64, day, hm string) {
			t.Helper()
			set(at(day, hm))
			env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", w.ID), key, map[string]any{"kind": "payment", "amount_fen": fen,
				"method": "cash", "paid_at": at(day, hm).Format(time.RFC3339)}, 201, nil)
		}
		sweepArrears := func(day, hm string) {
			t.Helper()
			set(at(day, hm))
			if _, _, err := env.store.SweepArrears(ctx, 0); err != nil {
				t.Fatal(err)
			}
		}

		// 31 December (outside the range): w1 checks in.
		set(at("2026-12-31", "07:30"))
		env.mustJSON("POST", "/api/v1/attendance/scan", keyA, map[string]string{"card": w1.Worker.Worker.CardURL, "kind": "in"}, 201, nil)
		// 1 January: w1 and w3 work; w2 does not come (confirmed).
		scan(keyA, w1, "in", "2027-01-01", "07:30")
		scan(keyB, w3, "in", "2027-01-01", "07:40")
		sweepNoShows("2027-01-01")
		decide(keyA, jobA, "2027-01-01", "confirm")
		scan(keyA, w1, "out", "2027-01-01", "17:30")
		scan(keyB, w3, "out", "2027-01-01", "17:40")
		// 2 January: w1 and w2 work; w3 is marked absent (nobody answers) but the employer writes the day by hand.
		scan(keyA, w1, "in", "2027-01-02", "07:20")
		scan(keyA, w2, "in", "2027-01-02", "07:20")
		sweepNoShows("2027-01-02")
		// On the morning of the 2nd only the 1st is due: w1's and w2's day of gig A and w3's of gig B.
		var early domain.Stats
		env.mustJSON("GET", "/api/v1/stats?from=2027-01-01&to=2027-01-02", env.login("admin", "admin-test-password"), nil, 200, &early)
		if early.Attendance.DaysDue != 3 {
			t.Errorf("on the 2nd, %d contract-days due; want 3 (the 1st's)", early.Attendance.DaysDue)
		}
		// w1's noon payment is typed as 400 元 and corrected to 200 元 at once: the figures count the
		// corrected amount, so it pays the 1st in full but not the 2nd.
		set(at("2027-01-02", "12:00"))
		var typed domain.LedgerEntry
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", w1.ID), keyA, map[string]any{"kind": "payment", "amount_fen": 40000,
			"method": "cash", "paid_at": at("2027-01-02", "12:00").Format(time.RFC3339)}, 201, &typed)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", w1.ID), keyA, map[string]any{"kind": "correction", "corrects_id": typed.ID,
			"amount_fen": -20000, "note": "多打了一个零"}, 201, nil)
		scan(keyA, w1, "out", "2027-01-02", "17:20")
		scan(keyA, w2, "out", "2027-01-02", "17:20")
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", w3.ID), keyB, map[string]any{"kind": "work", "date": "2027-01-02", "quantity": 1}, 201, nil)
		// 3 January: w1 checks in but never out (the employer writes the day); w2 is absent (confirmed).
		scan(keyA, w1, "in", "2027-01-03", "07:30")
		sweepNoShows("2027-01-03")
		decide(keyA, jobA, "2027-01-03", "confirm")
		sweepArrears("2027-01-03", "09:00") // w1's, w2's and w3's unpaid days of the 1st and 2nd: four alerts
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", w1.ID), keyA, map[string]any{"kind": "work", "date": "2027-01-03", "quantity": 1}, 201, nil)
		pay(keyA, w2, 20000, "2027-01-03", "18:30")
		sweepArrears("2027-01-03", "19:00") // w2's alert paid after 10 hours
		// 4 January: w1 is paid the rest; w3's first day is paid from the guarantee of gig B's employer.
		pay(keyA, w1, 40000, "2027-01-04", "08:00")
		hy1 = env.login("hy-dash-1", "staff-test-password")
		hy2 := env.login("hy-dash-2", "staff-test-password")
		account := fmt.Sprintf("/api/v1/employers/%d/guarantee", empB)
		var dep domain.GuaranteeEntry
		env.mustJSON("POST", account, hy1, map[string]any{"kind": "deposit", "amount_fen": 50000, "bank_reference": "HY20270104001", "value_date": "2027-01-04"}, 201, &dep)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/guarantee/%d/confirm", dep.ID), hy2, nil, 201, nil)
		zn, _ := env.createStaff("zn-dash-1", "ZN-S03")
		env.mustJSON("POST", fmt.Sprintf("/api/v1/employers/%d/guarantee", empA), zn, map[string]any{"kind": "deposit", "amount_fen": 10000,
			"bank_reference": "ZN20270104001", "value_date": "2027-01-04"}, 201, nil) // not confirmed: not held
		var alerts listResponse[domain.ArrearsAlert]
		env.mustJSON("GET", "/api/v1/arrears", hy1, nil, 200, &alerts)
		var w3First int64
		for _, a := range alerts.Items {
			if a.ContractID == w3.ID && a.DueDate == "2027-01-01" {
				w3First = a.ID
			}
		}
		set(at("2027-01-04", "09:15"))
		env.mustJSON("POST", fmt.Sprintf("/api/v1/arrears/%d/advance", w3First), hy1, map[string]any{"amount_fen": 20000}, 201, nil)
		sweepArrears("2027-01-04", "09:30") // w1's and w3's first alerts paid after 24.5 hours; w3's second stays
		set(at("2027-01-04", "10:00"))

		// The figures of 1–3 January. Pay times (hours from the check-out, or the end of the day, to
		// the payment that covers the day): w1 1st 18.5, w1 2nd 38.67, w1 3rd 8 (no check-out),
		// w2 2nd 25.17, w3 1st 63.58; w3's 2nd is unpaid.
		admin = env.login("admin", "admin-test-password")
		var st domain.Stats
		env.mustJSON("GET", "/api/v1/stats?from=2027-01-01&to=2027-01-03", admin, nil, 200, &st)
		a, p := st.Attendance, st.Protection
		// Money by work date: six days of work at 200 元 (w1 three, w2 one, w3 two) and the payments
		// made on 2 and 3 January, w1's counted as corrected (200 元, not 400).
		if st.EarnedFen != 120000 || st.PaidFen != 40000 {
			t.Errorf("earned %d, paid %d fen; want 120000 and 40000", st.EarnedFen, st.PaidFen)
		}
		f1 := func(x *float64) string {
			if x == nil {
				return "null"
			}
			return fmt.Sprintf("%.2f", *x)
		}
		got := fmt.Sprintf("check-ins %d due %d confirmed %d rate %s unanswered %d worked %d paid %d median %s p90 %s",
			a.CheckIns, a.DaysDue, a.NoShowsConfirmed, f1(a.NoShowRate), a.NoShowsUnanswered, a.DaysWorked, a.DaysPaid, f1(a.PayHoursMedian), f1(a.PayHoursP90))
		if want := "check-ins 5 due 8 confirmed 2 rate 0.25 unanswered 1 worked 6 paid 5 median 25.17 p90 63.58"; got != want {
			t.Errorf("attendance:\n got %s\nwant %s", got, want)
		}
		var perDay []string
		for _, d := range a.CheckInsPerDay {
			perDay = append(perDay, fmt.Sprintf("%s:%d", d.Day, d.Count))
		}
		if got, want := strings.Join(perDay, " "), "2027-01-01:2 2027-01-02:2 2027-01-03:1"; got != want {
			t.Errorf("check-ins per day: %s, want %s", got, want)
		}
		groups := map[string]string{}
		for _, g := range append(append([]domain.AttendanceGroup{}, a.ByDistrict...), a.ByStation...) {
			groups[g.Code] = fmt.Sprintf("%d %d %d %s %d %d %d %s %s", g.CheckIns, g.DaysDue, g.NoShowsConfirmed, f1(g.NoShowRate),
				g.NoShowsUnanswered, g.DaysWorked, g.DaysPaid, f1(g.PayHoursMedian), f1(g.PayHoursP90))
		}
		for code, want := range map[string]string{
			"中宁县":    "4 6 2 0.33 0 4 4 21.83 38.67",
			"海原县":    "1 2 0 0.00 1 2 1 63.58 63.58",
			"沙坡头区":   "0 0 0 null 0 0 0 null null",
			"ZN-S03": "4 6 2 0.33 0 4 4 21.83 38.67",
			"HY-S01": "1 2 0 0.00 1 2 1 63.58 63.58",
			"SPT-M1": "0 0 0 null 0 0 0 null null",
		} {
			if groups[code] != want {
				t.Errorf("attendance of %s: %q, want %q", code, groups[code], want)
			}
		}
		// Protection: gig A's 6 contract-days are insured on the 1st and 2nd (4), gig B's 2 are exempt.
		got = fmt.Sprintf("working %d covered %d share %s exemptions %d held %d advances %d %d arrears paid %d unpaid %d median %s p90 %s",
			p.WorkingDays, p.CoveredDays, f1(p.CoveredShare), p.Exemptions, p.GuaranteeHeldFen, p.Advances, p.AdvancedFen,
			p.ArrearsPaid, p.ArrearsUnpaid, f1(p.ArrearsDaysMedian), f1(p.ArrearsDaysP90))
		if want := "working 8 covered 4 share 0.50 exemptions 1 held 30000 advances 0 0 arrears paid 3 unpaid 1 median 1.02 p90 1.02"; got != want {
			t.Errorf("protection:\n got %s\nwant %s", got, want)
		}
		// The advance was paid on the 4th: in a range that includes it.
		var st4 domain.Stats
		env.mustJSON("GET", "/api/v1/stats?from=2027-01-01&to=2027-01-04", admin, nil, 200, &st4)
		if st4.Protection.Advances != 1 || st4.Protection.AdvancedFen != 20000 {
			t.Errorf("advances 1–4 January: %d, %d fen; want 1, 20000", st4.Protection.Advances, st4.Protection.AdvancedFen)
		}

		// Staff of ZN-S03 see their station only: gig A's figures, no exemption, no guarantee held (gig A's
		// employer's deposit is not confirmed), none of gig B's alerts.
		var mine domain.Stats
		env.mustJSON("GET", "/api/v1/stats?from=2027-01-01&to=2027-01-03", env.login("zn-dash-1", "staff-test-password"), nil, 200, &mine)
		if m := mine.Protection; mine.Attendance.CheckIns != 4 || mine.Attendance.DaysDue != 6 || m.WorkingDays != 6 || m.CoveredDays != 4 ||
			m.Exemptions != 0 || m.GuaranteeHeldFen != 0 || m.ArrearsPaid != 2 || m.ArrearsUnpaid != 0 || len(mine.Attendance.ByStation) != 1 {
			t.Errorf("ZN-S03's staff see %+v %+v", mine.Attendance.AttendanceCounts, m)
		}

		// The page shows the same figures.
		b := env.consoleLogin("admin", "admin-test-password")
		_, _, page := b.get("/console/dashboard?from=2027-01-01&to=2027-01-03")
		for id, want := range map[string]string{
			"kpi-check-ins": "5", "kpi-no-show-rate": "25.0%", "kpi-no-shows-open": "1", "kpi-pay-median": "25.2 小时",
			"kpi-pay-p90": "63.6 小时", "kpi-covered-share": "50.0%", "kpi-exemptions": "1", "kpi-guarantee-held": "300",
			"kpi-advanced": "0", "kpi-arrears-days": "1.0",
		} {
			m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(page)
			if m == nil || m[1] != want {
				t.Errorf("%s on the page: %v, want %q", id, m, want)
			}
		}
		for _, row := range []string{"<td>中宁县</td><td>4</td><td>6</td><td>2</td><td>33.3%</td><td>0</td><td>4</td><td>4</td><td>21.8</td><td>38.7</td>",
			"<td>沙坡头区</td><td>0</td><td>0</td><td>0</td><td>—</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td>",
			"<td>2027-01-01</td><td>2</td>"} {
			if !strings.Contains(page, row) {
				t.Errorf("the page lacks the row %s", row)
			}
		}
		if code, _, csv := b.get("/console/dashboard.csv?table=attendance_districts&from=2027-01-01&to=2027-01-03"); code != 200 ||
			!strings.Contains(csv, "海原县,1,2,0,0.0%,1,2,1,63.6,63.6") {
			t.Errorf("attendance by district as CSV: %d %q", code, csv)
		}

		// A range without data: "—" and null, never NaN.
		var empty domain.Stats
		env.mustJSON("GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30", admin, nil, 200, &empty)
		if empty.Attendance.NoShowRate != nil || empty.Attendance.PayHoursMedian != nil || empty.Protection.CoveredShare != nil || empty.Protection.ArrearsDaysMedian != nil {
			t.Errorf("figures without data: %+v %+v", empty.Attendance.AttendanceCounts, empty.Protection)
		}
		_, _, page = b.get("/console/dashboard?from=2026-11-01&to=2026-11-30")
		for _, id := range []string{"kpi-no-show-rate", "kpi-pay-median", "kpi-pay-p90", "kpi-covered-share", "kpi-arrears-days"} {
			if !strings.Contains(page, `id="`+id+`">—<`) {
				t.Errorf("%s without data is not —", id)
			}
		}
		if strings.Contains(page, "NaN") {
			t.Errorf("the page shows NaN")
		}
	})
}
