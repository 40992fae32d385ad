package api

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lingong/domain"
)

// jobForReturn is an open gig of a new employer's at ZN-S03: its id and the employer's key.
func (env *testEnv) jobForReturn() (int64, string) {
	env.t.Helper()
	emp, key := env.employerWithKey("新堡镇马建军", "ZN-S03")
	return env.openJob(emp, "ZN-S03", 3), key
}

var hiddenNext = regexp.MustCompile(`name="next" value="([^"]*)"`)

// Logging in from a gig page ("我要报名（先用手机号登录）") comes back to the gig, through the SMS steps
// and through a first registration; any worker page an anonymous visitor opens does the same. A next
// that would leave the site, loop or open another audience's page is dropped.
func TestLoginReturnsToThePageTheWorkerCameFrom(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		id, _ := env.jobForReturn()
		job := fmt.Sprintf("/jobs/%d", id)
		env.register("13812340000", nil)

		b := env.browser()
		_, _, page := b.get(job)
		login := "/login?next=" + url.QueryEscape(job)
		if !strings.Contains(page, `href="`+strings.ReplaceAll(login, "&", "&amp;")+`"`) {
			t.Fatalf("the gig page's 我要报名 does not lead to %s", login)
		}
		_, _, page = b.get(login)
		if m := hiddenNext.FindStringSubmatch(page); m == nil || m[1] != job {
			t.Fatalf("the login page does not carry next=%s: %v", job, m)
		}
		b.post("/login/otp", url.Values{"phone": {"13812340000"}, "next": {job}})
		// A reload of the code step keeps where to return (it lives in the step cookie).
		if status, _, _ := b.get("/login"); status != 200 {
			t.Fatalf("code step: %d", status)
		}
		if status, loc, _ := b.post("/login/verify", url.Values{"code": {env.lastCode("13812340000")}}); status != 303 || loc != job {
			t.Fatalf("after the code: %d to %q, want the gig %s", status, loc, job)
		}
		if _, _, page = b.get(job); !strings.Contains(page, `id="apply-button"`) || !strings.Contains(page, "我要报名</button>") {
			t.Error("back on the gig, the logged-in worker has no 我要报名 button")
		}

		// Any worker page: the guard sends an anonymous visitor to log in with the page as next.
		for _, path := range []string{"/me", "/me/edit", "/me/contracts/7"} {
			if status, loc, _ := env.browser().get(path); status != 303 || loc != "/login?next="+url.QueryEscape(path) {
				t.Errorf("anonymous %s: %d to %q", path, status, loc)
			}
		}

		// A first-time worker: login -> not registered -> the station's form -> back to the gig.
		n := env.browser()
		n.get(login)
		n.post("/login/otp", url.Values{"phone": {"13812340001"}, "next": {job}})
		n.post("/login/verify", url.Values{"code": {env.lastCode("13812340001")}})
		form := url.Values{"name": {"马建国"}, "place": {"中宁县/新堡镇"}, "wage": {"150"}, "wage_unit": {"day"},
			"max_commute_km": {"30"}, "available_from": {string(domain.DateOf(env.clock.Now()))}, "skills": {"搬运"}}
		if status, loc, _ := n.post("/r/ZN-S03", form); status != 303 || loc != job {
			t.Errorf("after registering: %d to %q, want the gig %s", status, loc, job)
		}

		for _, bad := range []string{"//evil.example/jobs", "https://evil.example/jobs", "/console", "/login?next=/me", `/\evil.example`,
			"javascript:alert(1)", "/r/ZN-S03", "/api/v1/workers/me", "/jobs\r\nSet-Cookie: x=1", strings.Repeat("/jobs", 100)} {
			b := env.browser()
			if _, _, page := b.get("/login?next=" + url.QueryEscape(bad)); hiddenNext.MatchString(page) {
				t.Errorf("next %q was kept in the login form", bad)
			}
			b.post("/login/otp", url.Values{"phone": {"13812340000"}, "next": {bad}})
			if _, loc, _ := b.post("/login/verify", url.Values{"code": {env.lastCode("13812340000")}}); loc != "/me?welcome=back" {
				t.Errorf("next %q: logged in to %q, want /me", bad, loc)
			}
		}
	})
}

// After 我要报名 the answer is at the top of the gig page and the button says 已报名; on later visits the
// page shows where the worker stands: 已报名, then once accepted 已录用 · 待我确认 with the contract.
func TestTheJobPageShowsTheWorkersStanding(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		id, key := env.jobForReturn()
		job := fmt.Sprintf("/jobs/%d", id)
		w := env.register("13812340002", nil)
		b := env.browser()
		b.post("/login/otp", url.Values{"phone": {"13812340002"}})
		b.post("/login/verify", url.Values{"code": {env.lastCode("13812340002")}})
		_, _, page := b.get(job)
		csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
		if csrf == nil {
			t.Fatal("no apply form")
		}
		status, loc, _ := b.post(job+"/apply", url.Values{"csrf_token": {csrf[1]}})
		if status != 303 {
			t.Fatalf("apply: %d", status)
		}
		_, _, page = b.get(loc)
		main := page[strings.Index(page, "<main>"):]
		result, facts := strings.Index(main, `id="apply-result"`), strings.Index(main, `class="facts card"`)
		if result < 0 || !strings.Contains(main, "报名成功") || result > facts {
			t.Errorf("the result of 我要报名 is not above the gig's facts (result at %d, facts at %d)", result, facts)
		}
		if !strings.Contains(main, `id="apply-button" disabled>已报名</button>`) {
			t.Error("after applying the button does not say 已报名")
		}

		_, _, page = b.get(job) // a later visit
		if !strings.Contains(page, `<b class="standing-label">已报名</b>`) || strings.Contains(page, "报名成功") {
			t.Error("a later visit does not show 已报名 (or repeats the one-time notice)")
		}

		var apps listResponse[domain.ApplicationView]
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/applications", id), key, nil, 200, &apps)
		if len(apps.Items) != 1 || apps.Items[0].WorkerID != w.Worker.ID {
			t.Fatalf("applications: %+v", apps)
		}
		var accepted struct {
			Contract struct{ ID int64 } `json:"contract"`
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", apps.Items[0].ID), key, nil, 201, &accepted)
		_, _, page = b.get(job)
		want := fmt.Sprintf(`href="/me/contracts/%d">查看并确认合约</a>`, accepted.Contract.ID)
		if !strings.Contains(page, "已录用 · 待我确认") || !strings.Contains(page, want) {
			t.Errorf("after being accepted the gig page lacks 已录用 · 待我确认 and %s", want)
		}
	})
}
