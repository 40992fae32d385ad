package api

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"lingong/store/storetest"
)

// A one-pixel PNG, as a phone would upload a photo of the policy.
var pngPolicy = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// coverBody is an own-policy declaration valid from the gig's start to validTo.
func coverBody(validTo string) map[string]any {
	return map[string]any{"kind": "own", "insurer": "中国人寿财险中卫支公司", "policy_number": "PICC-2026-0001",
		"cover_fen": 50_000_000, "valid_from": "2026-05-01", "valid_to": validTo, "scan_base64": base64.StdEncoding.EncodeToString(pngPolicy)}
}

// auditCount counts the audit events of an action.
func (e *env) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := storetest.SQL(e.t, e.eng).QueryRow("SELECT count(*) FROM audit_events WHERE action = $1", action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// Issue 22 item 1: with cover required, a gig is approved only with a checked policy, the city's group
// policy, or a recorded exemption; bad declarations are refused with the field at fault and change nothing.
func TestCoverIsRequiredBeforeApproval(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		// Only the admin sets the rules.
		if r := e.do("PUT", "/api/v1/admin/protection", e.staffA, map[string]any{"cover_required": true}); r.Code != 403 {
			t.Fatalf("staff set the rules: %d %s", r.Code, r.Body)
		}
		if r := e.do("PUT", "/api/v1/admin/protection", e.admin, map[string]any{"cover_required": true}); r.Code != 200 {
			t.Fatalf("admin sets cover required: %d %s", r.Code, r.Body)
		}
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		review := fmt.Sprintf("/api/v1/jobs/%d/review", job.ID)
		cover := fmt.Sprintf("/api/v1/jobs/%d/cover", job.ID)

		// No cover: approval is refused, the gig still awaits review.
		r := e.do("POST", review, e.staffA, map[string]any{"decision": "approve"})
		if r.Code != 409 || !strings.Contains(r.err().Message, "还没有申报意外保险") {
			t.Fatalf("approve without cover: %d %s", r.Code, r.Body)
		}
		var still jobView
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d", job.ID), e.staffA, nil, &still)
		if still.Status != "pending_review" {
			t.Fatalf("refused approval changed the gig: %s", still.Status)
		}

		// Bad declarations: each refused with its field, nothing stored.
		for name, c := range map[string]struct {
			change func(map[string]any)
			field  string
		}{
			"negative cover":    {func(m map[string]any) { m["cover_fen"] = -100 }, "cover_fen"},
			"absurd cover":      {func(m map[string]any) { m["cover_fen"] = 1_000_000_000_000 }, "cover_fen"},
			"no scan":           {func(m map[string]any) { delete(m, "scan_base64") }, "scan_base64"},
			"scan not a photo":  {func(m map[string]any) { m["scan_base64"] = base64.StdEncoding.EncodeToString([]byte("hello")) }, "scan_base64"},
			"ends before start": {func(m map[string]any) { m["valid_to"] = "2026-04-01" }, "valid_to"},
			"city not set":      {func(m map[string]any) { m["kind"] = "city" }, "kind"},
		} {
			body := coverBody("2026-06-30")
			c.change(body)
			r := e.do("PUT", cover, emp.Key, body)
			if r.Code != 400 || r.err().Field != c.field || r.err().Message == "" {
				t.Errorf("%s: %d %s, want 400 on %s", name, r.Code, r.Body, c.field)
			}
		}
		var none struct{ Kind string }
		e.call("GET", cover, emp.Key, nil, &none)
		if none.Kind != "" {
			t.Fatalf("a refused declaration was stored: %+v", none)
		}

		// Another employer does not see the gig's cover.
		if r := e.do("GET", cover, e.newEmployer("ZN-S03").Key, nil); r.Code != 404 {
			t.Fatalf("other employer reads the cover: %d", r.Code)
		}

		// A policy that ends before the gig: the days after it are blocked.
		var declared struct {
			Kind, Note  string
			BlockedFrom string `json:"blocked_from"`
			Checked     bool
			ScanURL     string `json:"scan_url"`
		}
		if code := e.call("PUT", cover, emp.Key, coverBody("2026-06-10"), &declared); code != 200 {
			t.Fatalf("declare: %d", code)
		}
		if declared.Kind != "own" || declared.Checked || declared.BlockedFrom != "2026-06-11" || !strings.Contains(declared.Note, "2026-06-11 起的工作日没有保险") {
			t.Fatalf("declared: %+v", declared)
		}
		// The reviewer reads the scan, byte for byte.
		if r := e.do("GET", declared.ScanURL, e.staffA, nil); r.Code != 200 || !bytes.Equal(r.Body.Bytes(), pngPolicy) || r.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("scan: %d %q", r.Code, r.Header().Get("Content-Type"))
		}
		// Approving without saying the scan was checked is refused.
		if r := e.do("POST", review, e.staffA, map[string]any{"decision": "approve"}); r.Code != 400 || r.err().Field != "cover_checked" {
			t.Fatalf("approve unchecked: %d %s", r.Code, r.Body)
		}
		// Staff of another station may not check or approve.
		if r := e.do("POST", review, e.staffB, map[string]any{"decision": "approve", "cover_checked": true}); r.Code != 403 {
			t.Fatalf("other station approves: %d", r.Code)
		}
		// The reviewer opened this scan; the employer then declares another before the reviewer presses
		// 通过: the check names the scan seen and is refused, nothing checked.
		var seen struct {
			ScanSHA256 string `json:"scan_sha256"`
		}
		e.call("GET", cover, e.staffA, nil, &seen)
		redeclared := coverBody("2026-06-10")
		redeclared["scan_base64"] = base64.StdEncoding.EncodeToString(append(append([]byte{}, pngPolicy...), 0))
		if code := e.call("PUT", cover, emp.Key, redeclared, &declared); code != 200 {
			t.Fatalf("declare again: %d", code)
		}
		checks := e.auditCount("job.cover_check")
		if r := e.do("POST", review, e.staffA, map[string]any{"decision": "approve", "cover_checked": true, "cover_scan_sha256": seen.ScanSHA256}); r.Code != 409 || !strings.Contains(r.err().Message, "重新申报") {
			t.Fatalf("approving with the scan seen before the new declaration: %d %s", r.Code, r.Body)
		}
		if r := e.do("POST", cover+"/check", e.staffA, map[string]any{"scan_sha256": seen.ScanSHA256}); r.Code != 409 || e.auditCount("job.cover_check") != checks {
			t.Fatalf("checking the scan seen before the new declaration: %d %s", r.Code, r.Body)
		}
		e.call("GET", cover, e.staffA, nil, &seen)
		if r := e.do("POST", review, e.staffA, map[string]any{"decision": "approve", "cover_checked": true, "cover_scan_sha256": seen.ScanSHA256}); r.Code != 200 {
			t.Fatalf("approve checked: %d %s", r.Code, r.Body)
		}
		if got := e.auditCount("job.cover_check"); got != checks+1 {
			t.Fatalf("check audited %d times", got-checks)
		}
		e.call("GET", cover, e.staffA, nil, &declared)
		if !declared.Checked {
			t.Fatalf("after approval the cover is not checked: %+v", declared)
		}

		// The city's group policy, once the admin configures it.
		city := map[string]any{"cover_required": true, "city_terms": "意外身故、伤残每人 30 万元，意外医疗 3 万元",
			"city_policy": map[string]any{"insurer": "中华联合财险中卫中心支公司", "policy_number": "ZW-LG-2026", "cover_fen": 30_000_000, "valid_from": "2026-01-01", "valid_to": "2026-12-31"}}
		if r := e.do("PUT", "/api/v1/admin/protection", e.admin, city); r.Code != 200 {
			t.Fatalf("city policy: %d %s", r.Code, r.Body)
		}
		second := e.postJob(emp.Key, jobBody())
		if code := e.call("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", second.ID), emp.Key, map[string]any{"kind": "city"}, &declared); code != 200 || declared.Kind != "city" {
			t.Fatalf("declare city: %d %+v", code, declared)
		}
		e.approve(e.staffA, second.ID)

		// No cover, with an exemption and its reason: approved, recorded, audited.
		third := e.postJob(emp.Key, jobBody())
		if r := e.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", third.ID), e.staffA, map[string]any{"decision": "approve", "cover_exemption": "短"}); r.Code != 400 || r.err().Field != "cover_exemption" {
			t.Fatalf("short exemption: %d %s", r.Code, r.Body)
		}
		exempt := e.auditCount("job.cover_exempt")
		if r := e.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", third.ID), e.staffA,
			map[string]any{"decision": "approve", "cover_exemption": "村集体义务劳动，镇政府统一投保"}); r.Code != 200 {
			t.Fatalf("exempt: %d %s", r.Code, r.Body)
		}
		var ex struct {
			Kind   string
			Reason string `json:"exemption_reason"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d/cover", third.ID), e.staffA, nil, &ex)
		if ex.Kind != "exempt" || ex.Reason != "村集体义务劳动，镇政府统一投保" || e.auditCount("job.cover_exempt") != exempt+1 {
			t.Fatalf("exemption: %+v", ex)
		}
	})
}

// Without the admin's rule nothing changes for the review (existing deployments), but a declared
// cover is still shown.
func TestCoverNotRequiredByDefault(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approve(e.staffA, job.ID)
		var c struct {
			Kind     string
			Required bool
			Note     string
		}
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d/cover", job.ID), emp.Key, nil, &c)
		if c.Kind != "" || c.Required || c.Note != "未申报意外保险" {
			t.Fatalf("cover: %+v", c)
		}
	})
}
