package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
)

func TestEmployerOnboardingAndKeys(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		first := "91640500MA1234567"
		body := map[string]any{"kind": "company", "name": "中宁县杞源枸杞种植专业合作社",
			"credit_code": first + string(domain.CreditCodeCheck(first)), "contact_name": "王建国",
			"contact_phone": "138 1234 5678", "station_code": "ZN-S03"}

		// Staff of another station may not register employers of ZN-S03; its own staff may.
		if r := e.do("POST", "/api/v1/employers", e.staffB, body); r.Code != 403 {
			t.Errorf("other station's staff: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", "/api/v1/employers", "", body); r.Code != 401 {
			t.Errorf("anonymous: %d", r.Code)
		}
		r := e.do("POST", "/api/v1/employers", e.staffA, body)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		var out employerCreated
		json.Unmarshal(r.Body.Bytes(), &out)
		if out.Employer.StationCode != "ZN-S03" || out.Employer.ContactPhone != "13812345678" || !strings.HasPrefix(out.APIKey.Secret, "lgk_") ||
			!strings.HasPrefix(out.APIKey.Secret, out.APIKey.Key.Prefix) {
			t.Fatalf("created %+v", out)
		}
		key, id := out.APIKey.Secret, out.Employer.ID
		if r := e.do("POST", "/api/v1/employers", e.admin, body); r.Code != 409 {
			t.Errorf("same credit code again: %d %s", r.Code, r.Body)
		}

		// Field errors, in Chinese, naming the field; unknown fields refused.
		bad := []struct {
			name, field string
			change      func(m map[string]any)
		}{
			{"bad check character", "credit_code", func(m map[string]any) { m["credit_code"] = first + "Z" }},
			{"individual with a code", "credit_code", func(m map[string]any) { m["kind"] = "individual" }},
			{"no such station", "station_code", func(m map[string]any) { m["station_code"] = "XX-S99" }},
			{"landline", "contact_phone", func(m map[string]any) { m["contact_phone"] = "0955-7012345" }},
			{"mass assignment", "status", func(m map[string]any) { m["status"] = "active" }},
			{"key smuggling", "hash", func(m map[string]any) { m["hash"] = "x" }},
		}
		for _, tc := range bad {
			m := map[string]any{}
			for k, v := range body {
				m[k] = v
			}
			tc.change(m)
			r := e.do("POST", "/api/v1/employers", e.admin, m)
			if r.Code != 400 || r.err().Field != tc.field || r.err().Message == "" {
				t.Errorf("%s: %d %s", tc.name, r.Code, r.Body)
			}
		}

		// The employer sees itself and its keys (prefixes only); another employer sees nothing of them.
		if r := e.do("GET", "/api/v1/employer", key, nil); r.Code != 200 || !strings.Contains(r.Body.String(), "杞源") {
			t.Errorf("me: %d %s", r.Code, r.Body)
		}
		other := e.newEmployer("SPT-S01")
		for _, path := range []string{"/api/v1/employers/%d", "/api/v1/employers/%d/keys"} {
			if r := e.do("GET", fmt.Sprintf(path, id), other.Key, nil); r.Code != 404 {
				t.Errorf("other employer on %s: %d", path, r.Code)
			}
			if r := e.do("GET", fmt.Sprintf(path, id), e.staffB, nil); r.Code != 403 {
				t.Errorf("other station's staff on %s: %d", path, r.Code)
			}
		}
		r = e.do("GET", fmt.Sprintf("/api/v1/employers/%d/keys", id), key, nil)
		if r.Code != 200 || strings.Contains(r.Body.String(), key) || strings.Contains(r.Body.String(), "secret") {
			t.Fatalf("list keys leaks secrets or fails: %d %s", r.Code, r.Body)
		}
		var keys listResponse[domain.APIKey]
		json.Unmarshal(r.Body.Bytes(), &keys)
		if keys.Total != 1 {
			t.Fatalf("keys %+v", keys)
		}

		// Issue a second key, rotate the first, revoke the second: each dead key answers 401 at once.
		var second domain.IssuedAPIKey
		if code := e.call("POST", fmt.Sprintf("/api/v1/employers/%d/keys", id), key, nil, &second); code != 201 {
			t.Fatalf("second key: %d", code)
		}
		// The second key is an ordinary one: it cannot mint keys, nor rotate or revoke its siblings (issue 18).
		if second.Key.Admin || !keys.Items[0].Admin {
			t.Fatalf("admin flags: first %v, second %v; want the first key only", keys.Items[0].Admin, second.Key.Admin)
		}
		for _, tc := range []struct{ method, path string }{
			{"POST", fmt.Sprintf("/api/v1/employers/%d/keys", id)},
			{"POST", fmt.Sprintf("/api/v1/employers/%d/keys/%d/rotate", id, keys.Items[0].ID)},
			{"DELETE", fmt.Sprintf("/api/v1/employers/%d/keys/%d", id, keys.Items[0].ID)},
		} {
			if r := e.do(tc.method, tc.path, second.Secret, nil); r.Code != 403 || r.err().Code != domain.CodeForbidden {
				t.Errorf("ordinary key %s %s: %d %s, want 403", tc.method, tc.path, r.Code, r.Body)
			}
		}
		var rotated domain.IssuedAPIKey
		if code := e.call("POST", fmt.Sprintf("/api/v1/employers/%d/keys/%d/rotate", id, keys.Items[0].ID), key, nil, &rotated); code != 201 || !rotated.Key.Admin {
			t.Fatalf("rotate the administrator key with itself: %d, replacement admin %v", code, rotated.Key.Admin)
		}
		if r := e.do("GET", "/api/v1/employer", key, nil); r.Code != 401 || r.err().Code != domain.CodeUnauthorized {
			t.Errorf("rotated-out key: %d %s", r.Code, r.Body)
		}
		if r := e.do("DELETE", fmt.Sprintf("/api/v1/employers/%d/keys/%d", id, second.Key.ID), e.staffA, nil); r.Code != 200 {
			t.Fatalf("revoke: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", "/api/v1/jobs", second.Secret, jobBody()); r.Code != 401 {
			t.Errorf("revoked key posting: %d", r.Code)
		}
		if r := e.do("GET", "/api/v1/employer", rotated.Secret, nil); r.Code != 200 {
			t.Errorf("rotated-in key: %d", r.Code)
		}
		if r := e.do("POST", fmt.Sprintf("/api/v1/employers/%d/keys", id), rotated.Secret, `{"name":"x"}`); r.Code != 400 || r.err().Field != "name" {
			t.Errorf("unknown field on key creation: %d %s", r.Code, r.Body)
		}
	})
}

func TestPostingRefusesBadJobsWithFieldErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		cases := []struct {
			name, field, want string
			change            func(m map[string]any)
		}{
			{"missing title", "title", "岗位标题", func(m map[string]any) { delete(m, "title") }},
			{"missing dates", "start_date", "开工日期", func(m map[string]any) { delete(m, "start_date") }},
			{"start in the past", "start_date", "不能早于今天", func(m map[string]any) { m["start_date"] = "2026-05-09" }},
			{"end before start", "end_date", "早于开工", func(m map[string]any) { m["end_date"] = "2026-05-10" }},
			{"over a year", "end_date", "最长一年", func(m map[string]any) { m["end_date"] = "2027-06-30" }},
			{"13 hours", "daily_hours", "12", func(m map[string]any) {
				m["shifts"] = []map[string]string{{"start": "05:00", "end": "18:00"}}
			}},
			{"eleven skills", "skills", "最多选 10", func(m map[string]any) {
				var s []string
				for _, sk := range domain.Skills[:11] {
					s = append(s, sk.Name)
				}
				m["skills"] = s
			}},
			{"headcount 0", "headcount", "1 到 500", func(m map[string]any) { m["headcount"] = 0 }},
			{"title 51 characters", "title", "最多 50", func(m map[string]any) { m["title"] = strings.Repeat("招", 51) }},
			{"wage as text", "wage_fen", "整数", func(m map[string]any) { m["wage_fen"] = "150元" }},
			{"unknown field", "salary", "不支持的字段", func(m map[string]any) { m["salary"] = 1 }},
			{"status smuggled", "status", "不支持的字段", func(m map[string]any) { m["status"] = "open" }},
			{"filled smuggled", "filled", "不支持的字段", func(m map[string]any) { m["filled"] = 20 }},
			{"employer_id with a key", "employer_id", "API 密钥", func(m map[string]any) { m["employer_id"] = 1 }},
			{"unknown station", "station_code", "站点", func(m map[string]any) { m["station_code"] = "NOPE" }},
			{"phone in the description", "description", "手机号", func(m map[string]any) { m["description"] = "电话13812345678" }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/jobs", emp.Key, jobBody(tc.change))
				if r.Code != 400 || r.err().Code != domain.CodeInvalid || r.err().Field != tc.field || !strings.Contains(r.err().Message, tc.want) {
					t.Errorf("%d %s; want 400 on %s containing %q", r.Code, r.Body, tc.field, tc.want)
				}
			})
		}
		r := e.do("POST", "/api/v1/jobs", emp.Key, "{\"title\":\"\xff\"}")
		if r.Code != 400 || r.err().Field != "body" {
			t.Errorf("invalid UTF-8: %d %s", r.Code, r.Body)
		}
		if _, total, _ := e.store.Jobs(t.Context(), domain.JobFilter{Page: 1, PerPage: 10}); total != 0 {
			t.Errorf("%d gigs stored from bad requests", total)
		}
	})
}

func TestStaffPostForWalkInEmployers(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		if r := e.do("POST", "/api/v1/jobs", e.staffA, jobBody()); r.Code != 400 || r.err().Field != "employer_id" {
			t.Errorf("staff without employer_id: %d %s", r.Code, r.Body)
		}
		withEmp := jobBody(func(m map[string]any) { m["employer_id"] = emp.ID })
		if r := e.do("POST", "/api/v1/jobs", e.staffB, withEmp); r.Code != 403 {
			t.Errorf("staff of another station: %d %s", r.Code, r.Body)
		}
		j := e.postJob(e.staffA, withEmp)
		if j.EmployerID != emp.ID || j.StationCode != "ZN-S03" || j.Status != domain.JobPendingReview {
			t.Errorf("walk-in gig %+v", j.Job)
		}
		if r := e.do("POST", "/api/v1/jobs", e.staffA, jobBody(func(m map[string]any) { m["employer_id"] = 999999 })); r.Code != 400 || r.err().Field != "employer_id" {
			t.Errorf("unknown employer: %d %s", r.Code, r.Body)
		}
	})
}

// The isolation rules: employer A cannot read, edit or close employer B's pending gigs (404); a
// station's staff cannot review another station's gigs (403).
func TestEmployersAndStationsAreIsolated(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.newEmployer("ZN-S03"), e.newEmployer("ZN-S03")
		jobB := e.postJob(b.Key, jobBody())
		path := fmt.Sprintf("/api/v1/jobs/%d", jobB.ID)
		for _, tc := range []struct{ method, path string }{
			{"GET", path}, {"PATCH", path}, {"POST", path + "/close"},
		} {
			r := e.do(tc.method, tc.path, a.Key, map[string]any{})
			if r.Code != 404 || r.err().Code != domain.CodeNotFound {
				t.Errorf("employer A %s %s: %d %s", tc.method, tc.path, r.Code, r.Body)
			}
			if r := e.do(tc.method, tc.path, "", map[string]any{}); r.Code != 404 && r.Code != 401 {
				t.Errorf("anonymous %s %s: %d", tc.method, tc.path, r.Code)
			}
		}
		if r := e.do("GET", path, b.Key, nil); r.Code != 200 {
			t.Errorf("owner reads its pending gig: %d", r.Code)
		}
		if r := e.do("POST", path+"/review", e.staffB, map[string]string{"decision": "approve"}); r.Code != 403 || r.err().Code != domain.CodeForbidden {
			t.Errorf("other station's staff review: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", path+"/review", b.Key, map[string]string{"decision": "approve"}); r.Code != 403 {
			t.Errorf("employer reviews its own gig: %d", r.Code)
		}
		e.approve(e.staffA, jobB.ID)
		// Approved, it is public; still only its owner and its station may change it.
		if r := e.do("GET", path, "", nil); r.Code != 200 || strings.Contains(r.Body.String(), "13812345678") {
			t.Errorf("public read of an open gig: %d %s", r.Code, r.Body)
		}
		if r := e.do("GET", path, b.Key, nil); !strings.Contains(r.Body.String(), "13812345678") {
			t.Errorf("the owner should see its full contact: %s", r.Body)
		}
		if r := e.do("PATCH", path, a.Key, map[string]any{"headcount": 1}); r.Code != 404 {
			t.Errorf("employer A edits B's open gig: %d", r.Code)
		}
		if r := e.do("POST", path+"/close", e.staffB, nil); r.Code != 403 {
			t.Errorf("other station's staff closes: %d", r.Code)
		}
		var list listResponse[jobView]
		if code := e.call("GET", "/api/v1/employer/jobs", a.Key, nil, &list); code != 200 || list.Total != 0 {
			t.Errorf("A's list shows B's gigs: %d %d", code, list.Total)
		}
		if code := e.call("GET", "/api/v1/employer/jobs?status=open", b.Key, nil, &list); code != 200 || list.Total != 1 {
			t.Errorf("B's open gigs: %d %d", code, list.Total)
		}
		if code := e.call("GET", "/api/v1/station/jobs?status=open", e.staffB, nil, &list); code != 200 || list.Total != 0 {
			t.Errorf("SPT-S01's queue shows ZN-S03's gigs: %d %d", code, list.Total)
		}
		if r := e.do("GET", "/api/v1/station/jobs?station=ZN-S03", e.staffB, nil); r.Code != 403 {
			t.Errorf("staff B asks for ZN-S03's list: %d", r.Code)
		}
		if code := e.call("GET", "/api/v1/station/jobs?station=ZN-S03&status=open,pending_review", e.admin, nil, &list); code != 200 || list.Total != 1 {
			t.Errorf("admin's view of ZN-S03: %d %d", code, list.Total)
		}
	})
}

// Review, edit, close and fill move a gig in and out of the library, and every transition is audited.
func TestJobLifecycleKeepsTheLibraryCurrent(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		j := e.postJob(emp.Key, jobBody())
		path := fmt.Sprintf("/api/v1/jobs/%d", j.ID)
		if j.Status != domain.JobPendingReview || e.index.has(j.ID) {
			t.Fatalf("a new gig must await review outside the library: %s %v", j.Status, e.index.has(j.ID))
		}
		if r := e.do("POST", path+"/review", e.staffA, map[string]string{"decision": "reject"}); r.Code != 400 || r.err().Field != "reason" {
			t.Errorf("reject without reason: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", path+"/review", e.staffA, map[string]string{"decision": "maybe"}); r.Code != 400 || r.err().Field != "decision" {
			t.Errorf("unknown decision: %d %s", r.Code, r.Body)
		}
		r := e.do("POST", path+"/review", e.staffA, map[string]string{"decision": "reject", "reason": "请写明工作地点"})
		var got jobView
		json.Unmarshal(r.Body.Bytes(), &got)
		if r.Code != 200 || got.Status != domain.JobRejected || e.index.has(j.ID) {
			t.Fatalf("reject: %d %s", r.Code, r.Body)
		}
		e.call("GET", path, emp.Key, nil, &got)
		if got.RejectReason != "请写明工作地点" || got.StatusLabel != "未通过审核" {
			t.Errorf("the employer must read the reason: %+v", got)
		}
		// Editing a rejected gig resubmits it.
		got = jobView{}
		e.call("PATCH", path, emp.Key, map[string]any{"address": "新堡镇枸杞基地 3 号地"}, &got)
		if got.Status != domain.JobPendingReview || got.RejectReason != "" {
			t.Fatalf("resubmitted %+v", got.Job)
		}
		e.approve(e.staffA, j.ID)
		if !e.index.has(j.ID) {
			t.Fatal("approved gig is not in the library")
		}
		// An edit of an approved gig sends it back to review: out of the library until approved again.
		r = e.do("PATCH", path, emp.Key, map[string]any{"wage_fen": 200})
		json.Unmarshal(r.Body.Bytes(), &got)
		if r.Code != 200 || got.Status != domain.JobPendingReview || got.WageFen != 200 || e.index.has(j.ID) {
			t.Fatalf("edit: %d %s in library %v", r.Code, r.Body, e.index.has(j.ID))
		}
		if r := e.do("PATCH", path, emp.Key, map[string]any{"wage_unit": "day"}); r.Code != 400 || r.err().Field != "expected_hours" {
			t.Errorf("inconsistent edit: %d %s", r.Code, r.Body)
		}
		if r := e.do("PATCH", path, emp.Key, map[string]any{"status": "open"}); r.Code != 400 || r.err().Field != "status" {
			t.Errorf("status through PATCH: %d %s", r.Code, r.Body)
		}
		e.approve(e.staffA, j.ID)
		if !e.index.has(j.ID) {
			t.Fatal("re-approved gig is not in the library")
		}
		// Close.
		r = e.do("POST", path+"/close", emp.Key, map[string]string{"reason": "人招够了"})
		json.Unmarshal(r.Body.Bytes(), &got)
		if r.Code != 200 || got.Status != domain.JobClosed || e.index.has(j.ID) {
			t.Fatalf("close: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", path+"/close", emp.Key, nil); r.Code != 409 {
			t.Errorf("close twice: %d", r.Code)
		}
		if r := e.do("PATCH", path, emp.Key, map[string]any{"title": "再招一批摘果工"}); r.Code != 409 {
			t.Errorf("edit a closed gig: %d", r.Code)
		}
		events, _ := e.store.AuditEvents(t.Context(), "job", j.ID)
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
		}
		want := "job.create job.reject job.edit job.approve job.edit job.approve job.close"
		if strings.Join(actions, " ") != want {
			t.Errorf("audit: %v, want %s", actions, want)
		}
	})
}

func TestIdempotencyKeyOverHTTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		body, _ := json.Marshal(jobBody())
		type answer struct {
			code     int
			id       int64
			replayed bool
		}
		answers := make([]answer, 20)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do("POST", "/api/v1/jobs", emp.Key, body, IdempotencyHeader, "order-20260510-001")
				var j jobView
				json.Unmarshal(r.Body.Bytes(), &j)
				answers[i] = answer{r.Code, j.ID, r.Header().Get(replayedHeader) == "true"}
			}()
		}
		wg.Wait()
		replays := 0
		for _, a := range answers {
			if a.code != 201 || a.id != answers[0].id || a.id == 0 {
				t.Fatalf("answers differ: %+v", answers)
			}
			if a.replayed {
				replays++
			}
		}
		_, total, _ := e.store.Jobs(t.Context(), domain.JobFilter{Page: 1, PerPage: 50})
		if total != 1 || replays != 19 {
			t.Fatalf("%d gigs, %d replays from 20 identical requests; want 1 and 19", total, replays)
		}
		// The same body re-serialised with other key order still replays.
		var m map[string]any
		json.Unmarshal(body, &m)
		reordered, _ := json.MarshalIndent(m, "", "  ")
		if r := e.do("POST", "/api/v1/jobs", emp.Key, reordered, IdempotencyHeader, "order-20260510-001"); r.Code != 201 || r.Header().Get(replayedHeader) != "true" {
			t.Errorf("re-serialised retry: %d %q", r.Code, r.Header().Get(replayedHeader))
		}
		// The same key with a different body: 422 in the standard error body, nothing created.
		r := e.do("POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 21 }), IdempotencyHeader, "order-20260510-001")
		if r.Code != 422 || r.err().Code != domain.CodeIdempotencyMismatch || r.err().Message == "" {
			t.Errorf("different body: %d %s", r.Code, r.Body)
		}
		// A retry of a success still replays the next day, even though its start date is now past.
		e.clock.set(testNow.Add(48 * time.Hour))
		if r := e.do("POST", "/api/v1/jobs", emp.Key, body, IdempotencyHeader, "order-20260510-001"); r.Code != 201 || r.Header().Get(replayedHeader) != "true" {
			t.Errorf("replay after the rules changed: %d %s", r.Code, r.Body)
		}
		e.clock.set(testNow)
		// A failed request records nothing: after fixing, the same key works.
		if r := e.do("POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 0 }), IdempotencyHeader, "k2"); r.Code != 400 {
			t.Fatalf("bad request: %d", r.Code)
		}
		if r := e.do("POST", "/api/v1/jobs", emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 2 }), IdempotencyHeader, "k2"); r.Code != 201 || r.Header().Get(replayedHeader) != "" {
			t.Errorf("after a failed attempt: %d %s", r.Code, r.Body)
		}
		// Keys are per caller: another employer's identical key is its own.
		other := e.newEmployer("ZN-S03")
		if r := e.do("POST", "/api/v1/jobs", other.Key, body, IdempotencyHeader, "order-20260510-001"); r.Code != 201 || r.Header().Get(replayedHeader) != "" {
			t.Errorf("another employer's key: %d %q", r.Code, r.Header().Get(replayedHeader))
		}
		if r := e.do("POST", "/api/v1/jobs", emp.Key, body, IdempotencyHeader, "has space"); r.Code != 400 || r.err().Field != IdempotencyHeader {
			t.Errorf("bad key: %d %s", r.Code, r.Body)
		}
		// Without a key, two posts are two gigs.
		e.postJob(emp.Key, jobBody())
		e.postJob(emp.Key, jobBody())
		_, total, _ = e.store.Jobs(t.Context(), domain.JobFilter{EmployerID: emp.ID, Page: 1, PerPage: 50})
		if total != 4 {
			t.Errorf("employer has %d gigs, want 4", total)
		}
	})
}

func TestExpiryWithAnInjectedClock(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		j := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["end_date"] = "2026-05-12" }))
		e.approve(e.staffA, j.ID)
		other := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["end_date"] = "2026-05-12" }))
		e.approve(e.staffA, other.ID)
		path := fmt.Sprintf("/api/v1/jobs/%d", j.ID)

		e.clock.set(time.Date(2026, 5, 12, 15, 59, 0, 0, time.UTC)) // 23:59 on the last day in 中卫
		var got jobView
		e.call("GET", path, "", nil, &got)
		if got.Status != domain.JobOpen || !e.index.has(j.ID) {
			t.Fatalf("on its last day: %s", got.Status)
		}
		// Past midnight, a read expires it on the spot, before any sweep ran, and it leaves the library.
		e.clock.set(time.Date(2026, 5, 12, 16, 0, 1, 0, time.UTC))
		e.call("GET", path, "", nil, &got)
		if got.Status != domain.JobExpired || got.StatusLabel != "已结束" || e.index.has(j.ID) || e.index.has(other.ID) {
			t.Fatalf("after its last day: %s, in library %v/%v", got.Status, e.index.has(j.ID), e.index.has(other.ID))
		}
		if err := e.srv.app.ExpireJobs(t.Context()); err != nil {
			t.Fatal(err)
		}
		if r := e.do("PATCH", path, emp.Key, map[string]any{"end_date": "2026-06-30"}); r.Code != 409 {
			t.Errorf("edit an expired gig: %d", r.Code)
		}
	})
}
