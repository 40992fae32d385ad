package api

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Issue 22 item 2 with attendance (app.AttendanceDays): over a simulated week, each morning's roster
// of tomorrow lists the active contracts, and each day's roster read that evening lists the active
// contracts plus anyone who checked in on a contract no longer active, with the hours actually worked
// where the worker checked out (else the gig's daily hours).
func TestRosterFromAttendanceOverAWeek(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		// Start at 08:00 (Beijing) tomorrow, so a day's check-in and check-out stay on that day.
		now := env.clock.Now()
		env.clock.Advance(domain.DateOf(now).AddDays(1).Start().Add(8 * time.Hour).Sub(now))
		day0 := domain.DateOf(env.clock.Now())
		empID, key := env.employerWithKey("沙坡头区枸杞合作社", "ZN-S03")
		type person struct {
			name       string
			phone      string
			start, end domain.Date
			w          registered
			ct         settled
		}
		people := []*person{
			{name: "A", phone: "13812349101", start: day0, end: day0.AddDays(6)},            // comes every day but day 2; checks out on day 1
			{name: "B", phone: "13812349102", start: day0.AddDays(1), end: day0.AddDays(2)}, // two days, never checks in
			{name: "C", phone: "13812349103", start: day0, end: day0.AddDays(6)},            // checks in on day 3, and the contract ends that day
		}
		for _, p := range people {
			p.w = env.register(p.phone, nil)
			job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, p.start, p.end, "00:00-23:59")
			p.ct = env.signedOn(job, p.w, p.phone, key)
		}
		names := map[int64]string{}
		for _, p := range people {
			names[p.ct.ID] = p.name
		}
		roster := func(day domain.Date) map[string]int64 {
			t.Helper()
			var r domain.Roster
			env.mustJSON("GET", "/api/v1/admin/roster?date="+string(day), env.login("admin", "admin-test-password"), nil, 200, &r)
			out := map[string]int64{}
			for _, l := range r.Lines {
				out[names[l.ContractID]] = l.HoursMilli
			}
			return out
		}
		show := func(m map[string]int64) string {
			var s []string
			for k, v := range m {
				s = append(s, fmt.Sprintf("%s=%d", k, v))
			}
			sort.Strings(s)
			return strings.Join(s, " ")
		}
		scan := func(p *person, kind string) {
			t.Helper()
			env.mustJSON("POST", "/api/v1/attendance/scan", key, map[string]string{"card": p.w.Worker.CardURL, "kind": kind}, 201, nil)
		}
		for i := range 7 {
			day := domain.DateOf(env.clock.Now())
			// Tomorrow's roster is made from the contracts: who is due, with the gig's daily hours (6).
			want := map[string]int64{}
			for _, p := range people {
				if p.start <= day.AddDays(1) && day.AddDays(1) <= p.end && !(p.name == "C" && i >= 4) {
					want[p.name] = 6000
				}
			}
			if got := roster(day.AddDays(1)); show(got) != show(want) {
				t.Errorf("day %d, tomorrow's roster %s, want %s", i, show(got), show(want))
			}
			// The day's work.
			if i != 2 {
				scan(people[0], "in")
			}
			if i == 3 {
				scan(people[2], "in")
				// C's contract ends that afternoon (completed): C is no longer on an active contract.
				if _, err := env.db.Exec("UPDATE contracts SET status = 'completed' WHERE id = $1", people[2].ct.ID); err != nil {
					t.Fatal(err)
				}
			}
			env.clock.Advance(5 * time.Hour)
			if i == 1 {
				scan(people[0], "out")
			}
			// The day's roster read that evening: the active contracts plus whoever checked in.
			want = map[string]int64{}
			for _, p := range people {
				if p.start <= day && day <= p.end && !(p.name == "C" && i >= 3) {
					want[p.name] = 6000
				}
			}
			if i == 1 {
				want["A"] = 5000 // checked in at 08:00, out at 13:00
			}
			if i == 3 {
				want["C"] = 6000 // checked in, contract completed since: still insured that day
			}
			if got := roster(day); show(got) != show(want) {
				t.Errorf("day %d (%s): roster %s, want %s", i, day, show(got), show(want))
			}
			env.clock.Advance(19 * time.Hour)
		}
	})
}
