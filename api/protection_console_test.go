package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Issue 22 item 1 on the console: the review screen says what cover the gig has, links the policy
// scan, asks the reviewer to tick that they checked it, and takes an exemption's reason; approval
// without any is refused with the reason on the page.
func TestConsoleReviewShowsAndEnforcesCover(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		staff := env.newConsoleStaff(admin, "zn-m1-cover", "ZN-M1")
		adminToken := env.login("admin", "admin-test-password")
		env.mustJSON("PUT", "/api/v1/admin/protection", adminToken, map[string]any{"cover_required": true}, 200, nil)
		empID, key := env.employerWithKey("马建军枸杞园", "ZN-M1")

		post := func() int64 {
			code, loc, _ := staff.form("/console/gigs", jobValues(empID))
			if code != 303 {
				t.Fatalf("post gig: %d", code)
			}
			return idFrom(t, loc)
		}
		job := post()
		page := fmt.Sprintf("/console/gigs/%d", job)
		_, _, body := staff.get(page)
		if !strings.Contains(body, "未申报意外保险：申报前不能通过审核") || !strings.Contains(body, `id="cover-exemption"`) ||
			!strings.Contains(body, "工资保证金：不需要工资保证金") {
			t.Fatalf("review screen without cover: %.3000s", body)
		}
		landed := staff.flashAfter(page+"/review", url.Values{"decision": {"approve"}, "back": {page}})
		if !strings.Contains(landed, "还没有申报意外保险") || !strings.Contains(landed, "待审核") {
			t.Fatalf("approval without cover was not refused on the page: %.3000s", landed)
		}

		// The employer declares its own policy through the API; the screen shows it with the scan.
		env.mustJSON("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", job), key, coverBody("2026-05-15"), 200, nil)
		_, _, body = staff.get(page)
		for _, want := range []string{"中国人寿财险中卫支公司 · PICC-2026-0001", "每人保额 500000 元", "保单照片待审核人员核对",
			"2026-05-16 起的工作日没有保险", `id="cover-scan"`, `id="cover-checked"`} {
			if !strings.Contains(body, want) {
				t.Errorf("review screen lacks %q", want)
			}
		}
		code, _, scan := staff.get(fmt.Sprintf("/api/v1/jobs/%d/cover/scan", job))
		if code != 200 || scan != string(pngPolicy) {
			t.Fatalf("the reviewer cannot open the scan: %d", code)
		}
		landed = staff.flashAfter(page+"/review", url.Values{"decision": {"approve"}, "cover_checked": {"1"}, "back": {page}})
		if !strings.Contains(landed, "已通过") || !strings.Contains(landed, "保单照片已核对") {
			t.Fatalf("approve with the check: %.3000s", landed)
		}

		// A second job, approved on an exemption written on the screen.
		other := post()
		page = fmt.Sprintf("/console/gigs/%d", other)
		landed = staff.flashAfter(page+"/review", url.Values{"decision": {"approve"}, "cover_exemption": {"镇政府统一投保，保单随后补交"}, "back": {page}})
		if !strings.Contains(landed, "已通过") || !strings.Contains(landed, "豁免（无意外保险）：镇政府统一投保，保单随后补交") {
			t.Fatalf("approve on an exemption: %.3000s", landed)
		}
	})
}

// The review screen says whether the employer's wage guarantee is required and met.
func TestConsoleReviewShowsTheGuarantee(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		admin := env.consoleLogin("admin", "admin-test-password")
		staff := env.newConsoleStaff(admin, "zn-m1-guarantee", "ZN-M1")
		adminToken := env.login("admin", "admin-test-password")
		// 3 people × 10 days × 180 元 = 5,400 元; 20% = 1,080 元.
		env.mustJSON("PUT", "/api/v1/admin/protection", adminToken, map[string]any{"guarantee": map[string]any{"wage_bill_fen": 100_000, "percent": 20}}, 200, nil)
		empID, _ := env.employerWithKey("马建军枸杞园", "ZN-M1")
		code, loc, _ := staff.form("/console/gigs", jobValues(empID))
		if code != 303 {
			t.Fatalf("post gig: %d", code)
		}
		page := fmt.Sprintf("/console/gigs/%d", idFrom(t, loc))
		_, _, body := staff.get(page)
		if !strings.Contains(body, "应存 1080 元（工资总额的 20%），现有 0 元，还差 1080 元") {
			t.Fatalf("review screen lacks the guarantee: %.3000s", body)
		}
		landed := staff.flashAfter(page+"/review", url.Values{"decision": {"approve"}, "back": {page}})
		if !strings.Contains(landed, "还差 1080 元") || !strings.Contains(landed, "待审核") {
			t.Fatalf("approval without the guarantee was not refused on the page: %.3000s", landed)
		}
	})
}
