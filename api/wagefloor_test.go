package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// A posting below the local minimum wage is not refused: it waits for review, the employer and the
// staff see both figures, and once approved a worker sees 低于本地最低工资标准 on it, in the API and on
// the page. At the floor itself nothing is said. (中宁县 is tier 1: 2050 元/月 ÷ 21.75 = 94.25 元 for an
// 8-hour day.)
func TestPostingBelowTheWageFloorIsHeldForReview(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		day := func(fen int) func(m map[string]any) {
			return func(m map[string]any) {
				m["wage_unit"], m["wage_fen"], m["settlement"] = "day", fen, "daily"
				m["shifts"] = []map[string]string{{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}}
				delete(m, "expected_hours")
				delete(m, "piece_unit")
			}
		}
		type view struct {
			ID            int64  `json:"id"`
			Status        string `json:"status"`
			WageFloorNote string `json:"wage_floor_note"`
		}
		var below, at view
		if code := e.call("POST", "/api/v1/jobs", emp.Key, jobBody(day(9424)), &below); code != 201 {
			t.Fatalf("a posting a fen below the floor is refused: %d %+v", code, below)
		}
		if below.Status != "pending_review" || !strings.Contains(below.WageFloorNote, "工钱折合 94.24 元/天，低于本地最低工资标准 94.25 元/天") {
			t.Fatalf("employer sees %+v", below)
		}
		var staffView view
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d", below.ID), e.staffA, nil, &staffView)
		if !strings.Contains(staffView.WageFloorNote, "94.25 元/天") {
			t.Fatalf("reviewing staff see %+v", staffView)
		}
		e.approve(e.staffA, below.ID)
		if code := e.call("POST", "/api/v1/jobs", emp.Key, jobBody(day(9425)), &at); code != 201 || at.WageFloorNote != "" {
			t.Fatalf("a posting at the floor: %d %+v", code, at)
		}
		e.approve(e.staffA, at.ID)

		var public view
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d", below.ID), "", nil, &public)
		if public.WageFloorNote != "低于本地最低工资标准" {
			t.Errorf("the public sees %q", public.WageFloorNote)
		}
		var list struct {
			Items []struct {
				ID    int64 `json:"id"`
				Below bool  `json:"below_minimum_wage"`
			}
		}
		e.call("GET", "/api/v1/jobs?per_page=100", "", nil, &list)
		seen := map[int64]bool{}
		for _, it := range list.Items {
			seen[it.ID] = it.Below
		}
		if b, ok := seen[below.ID]; !ok || !b {
			t.Errorf("the library does not mark the gig below the floor: %+v", list.Items)
		}
		if b, ok := seen[at.ID]; !ok || b {
			t.Errorf("the library marks the gig at the floor: %+v", list.Items)
		}
		page := e.do("GET", fmt.Sprintf("/jobs/%d", below.ID), "", nil).Body.String()
		if !strings.Contains(page, `id="below-minimum"`) || !strings.Contains(page, "低于本地最低工资标准") {
			t.Errorf("the job page does not say so")
		}
		if page := e.do("GET", fmt.Sprintf("/jobs/%d", at.ID), "", nil).Body.String(); strings.Contains(page, `id="below-minimum"`) {
			t.Errorf("the job page of a gig at the floor says it is below")
		}
	})
}

// The reviewing staff see both figures on the today page's queue and on the gig's page.
func TestConsoleShowsTheWageFloorToTheReviewer(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		staff := env.newConsoleStaff(admin, "zn-m1-floor", "ZN-M1")
		code, _, page := staff.form("/console/employers", url.Values{"kind": {"individual"}, "name": {"马建军枸杞园"},
			"contact_name": {"马建军"}, "contact_phone": {"13912345678"}, "verified": {"1"}})
		key := apiKeyOnPage.FindStringSubmatch(page)
		if code != 201 || key == nil {
			t.Fatalf("create employer: %d", code)
		}
		var me struct {
			ID int64 `json:"id"`
		}
		env.mustJSON("GET", "/api/v1/employer", key[1], nil, 200, &me)
		// 90 元 for the form's 8-hour day, below 2050 ÷ 21.75 = 94.25 元 (中宁县, tier 1): taken, held.
		code, loc, _ := staff.form("/console/gigs", jobValues(me.ID, func(v url.Values) { v.Set("wage", "90") }))
		if code != 303 {
			t.Fatalf("a gig below the floor is refused: %d", code)
		}
		want := "工钱折合 90 元/天，低于本地最低工资标准 94.25 元/天"
		if _, _, today := staff.get("/console"); !strings.Contains(today, want) {
			t.Errorf("the review queue does not show both figures")
		}
		if _, _, job := staff.get(loc); !strings.Contains(job, `id="wage-floor"`) || !strings.Contains(job, want) {
			t.Errorf("the gig page does not show both figures")
		}
	})
}
