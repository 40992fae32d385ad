package api

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 22 item 3: the insured roster of each day of a simulated week lists exactly the people whose
// active contract covers that day, with their full ID number, job, place, hours and cover; only the
// admin reads it, every read is audited, and dates far from today are refused.
func TestInsuredRosterForAWeek(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		admin := env.login("admin", "admin-test-password")
		today := domain.DateOf(env.clock.Now())
		empID, key := env.employerWithKey("中宁县杞乡合作社", "ZN-S03")
		type person struct {
			phone, id  string
			start, end domain.Date
			contract   settled
		}
		people := []*person{
			{phone: "13812348001", id: withIDCheck("64052119800101123"), start: today, end: today.AddDays(6)},
			{phone: "13812348002", id: withIDCheck("64052219850202234"), start: today.AddDays(2), end: today.AddDays(3)},
			{phone: "13812348003", id: withIDCheck("64052219900303345"), start: today.AddDays(5), end: today.AddDays(9)},
		}
		for _, p := range people {
			w := env.register(p.phone, func(m map[string]any) { m["id_number"] = p.id })
			job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, p.start, p.end, "07:00-12:00")
			p.contract = env.signedOn(job, w, p.phone, key)
		}
		before := countAudit(t, env, "roster.read")
		for i := 0; i < 7; i++ {
			day := today.AddDays(i)
			var r domain.Roster
			env.mustJSON("GET", "/api/v1/admin/roster?date="+string(day), admin, nil, 200, &r)
			var want, got []string
			for _, p := range people {
				if p.start <= day && day <= p.end {
					want = append(want, p.id)
				}
			}
			for _, l := range r.Lines {
				got = append(got, l.IDNumber)
				if l.HoursMilli != 6000 || l.JobTitle == "" || !strings.Contains(l.Place, "新堡镇") || l.Covered || l.Cover != "未申报保险" {
					t.Errorf("%s: line %+v", day, l)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				t.Errorf("%s: roster %v, want %v", day, got, want)
			}
		}
		if got := countAudit(t, env, "roster.read"); got != before+7 {
			t.Errorf("7 reads audited %d times", got-before)
		}

		// CSV and PDF of the third day: both people, full numbers, as text.
		day := string(today.AddDays(2))
		code, csvBody, hdr := env.do("GET", "/api/v1/admin/roster?format=csv&date="+day, admin, nil)
		if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(string(csvBody), people[0].id) || !strings.Contains(string(csvBody), people[1].id) {
			t.Fatalf("csv: %d %s", code, csvBody)
		}
		code, pdf, _ := env.do("GET", "/api/v1/admin/roster?format=pdf&date="+day, admin, nil)
		if code != 200 {
			t.Fatalf("pdf: %d", code)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"投保名单", people[0].id, people[1].id, "人数：2"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q: %s", want, text)
			}
		}

		// Only the admin; dates outside the window refused.
		staff, _ := env.createStaff("zn-roster", "ZN-S03")
		if code, _, _ := env.do("GET", "/api/v1/admin/roster", staff, nil); code != 403 {
			t.Errorf("staff read the roster: %d", code)
		}
		code, body, _ := env.do("GET", fmt.Sprintf("/api/v1/admin/roster?date=%s", today.AddDays(-30)), admin, nil)
		if code != 400 || apiError(t, body).Field != "date" {
			t.Errorf("a month-old roster: %d %s", code, body)
		}
	})
}
