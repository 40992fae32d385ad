package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// A worker of the gigs harness: registered through the API by the admin (代登记, so no SMS code and no
// SMS limit), then logged in with an SMS code for their own token.
type testWorker struct {
	ID    int64
	Phone string
	Token string
}

var workerPhones = func() func() string {
	var n int64 = 13700000000
	var mu = make(chan struct{}, 1)
	return func() string {
		mu <- struct{}{}
		defer func() { <-mu }()
		n++
		return fmt.Sprint(n)
	}
}()

// worker registers a worker at the station with the harness's default profile (a 枸杞 picker in 中宁县
// 新堡镇 with a 健康证, from today, up to 20 km), changed by change, and logs them in.
func (e *env) worker(station string, change func(m map[string]any)) testWorker {
	e.t.Helper()
	w := e.registerWorker(station, change)
	w.Token = e.workerToken(w.Phone)
	return w
}

// registerWorker is worker without the login (Token is empty).
func (e *env) registerWorker(station string, change func(m map[string]any)) testWorker {
	e.t.Helper()
	phone := workerPhones()
	body := map[string]any{
		"phone": phone, "name": "马建国", "station_code": station,
		"skills": []string{"枸杞采摘"}, "certs": []string{"健康证"}, "district": "中宁县", "town": "新堡镇",
		"self_description": "能吃苦", "expected_wage_fen": 15000, "expected_wage_unit": "day", "max_commute_km": 20,
	}
	if change != nil {
		change(body)
	}
	var reg registered
	if r := e.do("POST", "/api/v1/workers", e.admin, body); r.Code != 201 {
		e.t.Fatalf("register %s: %d %s", phone, r.Code, r.Body)
	} else {
		json.Unmarshal(r.Body.Bytes(), &reg)
	}
	return testWorker{ID: reg.Worker.ID, Phone: phone}
}

// workerToken logs a registered worker in with an SMS code read from the outbox.
func (e *env) workerToken(phone string) string {
	e.t.Helper()
	if r := e.do("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}); r.Code != 202 {
		e.t.Fatalf("otp %s: %d %s", phone, r.Code, r.Body)
	}
	code := sixDigits.FindString(e.lastSMS(phone, "otp"))
	var out struct{ Token string }
	if c := e.call("POST", "/api/v1/auth/worker", "", map[string]string{"phone": phone, "code": code}, &out); c != 200 {
		e.t.Fatalf("worker login %s: %d", phone, c)
	}
	return out.Token
}

// lastSMS is the newest text to phone (of the purpose, when given), from the built-in outbox.
func (e *env) lastSMS(phone, purpose string) string {
	e.t.Helper()
	var out listResponse[domain.SMSMessage]
	e.call("GET", "/api/v1/admin/sms-outbox?per_page=100&phone="+url.QueryEscape(phone), e.admin, nil, &out)
	for _, m := range out.Items {
		if purpose == "" || m.Purpose == purpose {
			return m.Body
		}
	}
	return ""
}

// inbox is a worker's job_push notifications, through the API.
func (e *env) pushesOf(w testWorker) []domain.Notification {
	e.t.Helper()
	var out listResponse[domain.Notification]
	if code := e.call("GET", "/api/v1/workers/me/notifications?per_page=100", w.Token, nil, &out); code != 200 {
		e.t.Fatalf("inbox: %d", code)
	}
	var pushes []domain.Notification
	for _, n := range out.Items {
		if n.Kind == domain.NotificationJobPush {
			pushes = append(pushes, n)
		}
	}
	return pushes
}

// approveAndPush approves a gig and waits for its push to finish.
func (e *env) approveAndPush(token string, id int64) {
	e.t.Helper()
	e.approve(token, id)
	e.srv.app.WaitForPushes()
}

// pushedTo returns which of the workers got a push of the gig, by their names in ws.
func (e *env) pushedTo(job int64, ws map[string]testWorker) []string {
	e.t.Helper()
	var got []string
	for name, w := range ws {
		for _, n := range e.pushesOf(w) {
			if n.JobID == job {
				got = append(got, name)
			}
		}
	}
	slices.Sort(got)
	return got
}

var hanText = regexp.MustCompile(`\p{Han}`)

// An approval pushes the gig to the right workers only: the hard filters hold (a missing certificate, a
// home beyond the commute, days the worker is not available, an opt-out each keep a worker out), each
// pushed worker has one inbox message and one SMS with the link, and editing and re-approving the gig
// pushes it to no one a second time.
func TestApprovalPushesToTheRightWorkersOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ws := map[string]testWorker{
			"fits":        e.worker("ZN-S03", nil),
			"fits-nearby": e.worker("ZN-S03", func(m map[string]any) { m["town"] = "宁安镇" }),
			"no-cert":     e.worker("ZN-S03", func(m map[string]any) { m["certs"] = []string{} }),
			"too-far":     e.worker("HY-M1", func(m map[string]any) { m["district"], m["town"] = "海原县", "海城镇" }),
			"busy":        e.worker("ZN-S03", func(m map[string]any) { m["available_from"] = "2026-08-01" }),
			"opted-out":   e.worker("ZN-S03", nil),
		}
		if code := e.call("PATCH", "/api/v1/workers/me", ws["opted-out"].Token, map[string]any{"push_opt_out": true}, nil); code != 200 {
			t.Fatalf("opt out: %d", code)
		}
		emp := e.newEmployer("ZN-S03")
		// Two places: N = 3 × 2 = 6, more than the workers who fit, so everyone who fits is told.
		job := e.postJob(emp.Key, jobBody(func(m map[string]any) {
			m["headcount"], m["required_certs"] = 2, []string{"健康证"}
		}))
		if got := e.pushedTo(job.ID, ws); len(got) != 0 {
			t.Fatalf("pushed before approval: %v", got)
		}
		e.approveAndPush(e.staffA, job.ID)
		if diff := cmp.Diff([]string{"fits", "fits-nearby"}, e.pushedTo(job.ID, ws)); diff != "" {
			t.Errorf("pushed to (-want +got):\n%s", diff)
		}
		for _, name := range []string{"fits", "fits-nearby"} {
			w := ws[name]
			n := e.pushesOf(w)[0]
			if !strings.Contains(n.Title, "枸杞") || !strings.Contains(n.Body, "技能相符：枸杞采摘") || strings.Contains(n.Body, "新人") {
				t.Errorf("%s's message does not say what and why (for the worker): %q / %q", name, n.Title, n.Body)
			}
			if sms := e.lastSMS(w.Phone, "push"); !strings.Contains(sms, fmt.Sprintf("http://lg.test/jobs/%d", job.ID)) {
				t.Errorf("%s's SMS lacks the gig's link: %q", name, sms)
			}
		}
		for _, name := range []string{"no-cert", "too-far", "busy", "opted-out"} {
			if sms := e.lastSMS(ws[name].Phone, "push"); sms != "" {
				t.Errorf("%s got a push SMS: %q", name, sms)
			}
		}

		// Edit (back to review) and approve again: nobody is told twice.
		if code := e.call("PATCH", fmt.Sprintf("/api/v1/jobs/%d", job.ID), emp.Key, map[string]any{"description": "摘枸杞，按斤计价，管午饭。"}, nil); code != 200 {
			t.Fatalf("edit: %d", code)
		}
		e.approveAndPush(e.staffA, job.ID)
		for _, name := range []string{"fits", "fits-nearby"} {
			if n := len(e.pushesOf(ws[name])); n != 1 {
				t.Errorf("%s has %d pushes of the gig after re-approval, want 1", name, n)
			}
		}
		if told, err := e.store.PushesOfJob(t.Context(), job.ID); err != nil || len(told) != 2 {
			t.Errorf("the gig was pushed to %v (%v), want 2 workers", told, err)
		}

		// Opting back in (the page's checkbox does the same) makes the next gig reach the worker.
		if code := e.call("PATCH", "/api/v1/workers/me", ws["opted-out"].Token, map[string]any{"push_opt_out": false}, nil); code != 200 {
			t.Fatalf("opt in: %d", code)
		}
		job2 := e.postJob(emp.Key, jobBody())
		e.approveAndPush(e.staffA, job2.ID)
		if got := e.pushedTo(job2.ID, map[string]testWorker{"opted-in": ws["opted-out"]}); len(got) != 1 {
			t.Errorf("a worker who opted back in was not pushed the next gig")
		}
	})
}

// Never more than the daily limit (3) of pushes to one worker in a day, whatever the gigs; the next day
// the worker hears of new gigs again. N follows the remaining places (3 × 1 here): when the best are
// at their limit, the next best are told instead.
func TestPushDailyLimitAndSize(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.worker("ZN-S03", nil)
		for range 6 {
			e.worker("ZN-S03", func(m map[string]any) { m["town"] = "宁安镇" }) // others, a little farther
		}
		emp := e.newEmployer("ZN-S03")
		var jobs []int64
		for range 4 {
			g := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 1 }))
			e.approveAndPush(e.staffA, g.ID)
			jobs = append(jobs, g.ID)
		}
		if n := len(e.pushesOf(w)); n != 3 {
			t.Errorf("the best worker got %d pushes in a day, want the limit of 3", n)
		}
		var perJob []int
		for _, id := range jobs {
			told, err := e.store.PushesOfJob(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			perJob = append(perJob, len(told))
		}
		if diff := cmp.Diff([]int{3, 3, 3, 3}, perJob); diff != "" {
			t.Errorf("workers per gig with one place (-want 3 each +got):\n%s", diff)
		}
		e.clock.set(testNow.Add(14*time.Hour + 30*time.Minute)) // 00:30 the next day in 中卫
		e.staffA = e.login("staff-zn-s03", "staff-test-password")
		g := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 1; m["start_date"] = "2026-05-12" }))
		e.approveAndPush(e.staffA, g.ID)
		if n := len(e.pushesOf(w)); n != 4 {
			t.Errorf("the next day's gig did not reach the worker: %d pushes", n)
		}
	})
}

// Who may read a gig's candidates, and what they see: its employer (masked names and phones), the
// staff of its station (full for workers registered there, masked for others), an admin (full); another
// employer gets 404, staff of another station 403, a worker 403, nobody 401. Bad limits are 400 naming
// the parameter. Every candidate explains itself in Chinese.
func TestCandidatesAuthorizationAndMasking(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		local := e.worker("ZN-S03", nil)
		other := e.worker("ZN-M1", func(m map[string]any) { m["town"] = "宁安镇" }) // registered at another station
		emp, empB := e.newEmployer("ZN-S03"), e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approveAndPush(e.staffA, job.ID)
		path := fmt.Sprintf("/api/v1/jobs/%d/candidates", job.ID)

		for _, tc := range []struct {
			name, token string
			want        int
		}{
			{"another employer", empB.Key, 404},
			{"staff of another station", e.staffB, 403},
			{"a worker", local.Token, 403},
			{"nobody", "", 401},
		} {
			if r := e.do("GET", path, tc.token, nil); r.Code != tc.want {
				t.Errorf("%s: %d, want %d (%s)", tc.name, r.Code, tc.want, r.Body)
			}
		}
		for _, tc := range []struct{ query, field string }{
			{"?limit=101", "limit"}, {"?limit=0", "limit"}, {"?limit=abc", "limit"},
		} {
			r := e.do("GET", path+tc.query, emp.Key, nil)
			if r.Code != 400 || r.err().Field != tc.field || !hanText.MatchString(r.err().Message) {
				t.Errorf("%s: %d %+v, want 400 naming %s in Chinese", tc.query, r.Code, r.err(), tc.field)
			}
		}

		seen := func(token string) map[int64]candidateView {
			t.Helper()
			var out candidateListView
			if code := e.call("GET", path+"?limit=10", token, nil, &out); code != 200 {
				t.Fatalf("candidates: %d", code)
			}
			m := map[int64]candidateView{}
			for _, c := range out.Items {
				if len(c.Reasons) == 0 || !hanText.MatchString(strings.Join(c.Reasons, "")) {
					t.Errorf("candidate %d does not explain itself: %v", c.Worker.ID, c.Reasons)
				}
				m[c.Worker.ID] = c
			}
			if out.Total != len(out.Items) || out.PerPage != 10 || out.Page != 1 {
				t.Errorf("list meta: total %d page %d per_page %d", out.Total, out.Page, out.PerPage)
			}
			return m
		}
		full := func(c candidateView, w testWorker) bool {
			return !c.Worker.Masked && c.Worker.Phone == w.Phone && c.Worker.Name == "马建国"
		}
		masked := func(c candidateView, w testWorker) bool {
			return c.Worker.Masked && c.Worker.Phone == domain.MaskPhone(w.Phone) && c.Worker.Name == "马**"
		}
		byEmployer := seen(emp.Key)
		if !masked(byEmployer[local.ID], local) || !masked(byEmployer[other.ID], other) {
			t.Errorf("the employer sees %+v and %+v, want both masked", byEmployer[local.ID].Worker, byEmployer[other.ID].Worker)
		}
		byStaff := seen(e.staffA)
		if !full(byStaff[local.ID], local) || !masked(byStaff[other.ID], other) {
			t.Errorf("the gig's station sees %+v and %+v, want its own worker in full and the other masked",
				byStaff[local.ID].Worker, byStaff[other.ID].Worker)
		}
		byAdmin := seen(e.admin)
		if !full(byAdmin[local.ID], local) || !full(byAdmin[other.ID], other) {
			t.Errorf("the admin sees %+v and %+v, want both in full", byAdmin[local.ID].Worker, byAdmin[other.ID].Worker)
		}
	})
}

// A worker's matches: the gig that fits first with its reasons in Chinese; a gig that needs a
// certificate the worker lacks is a near miss that says what is missing, never an item; the index
// follows the worker's own profile changes at once.
func TestWorkerMatchesExplainThemselves(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.worker("ZN-S03", func(m map[string]any) { m["certs"] = []string{} })
		emp := e.newEmployer("ZN-S03")
		fits := e.postJob(emp.Key, jobBody())
		needsCert := e.postJob(emp.Key, jobBody(func(m map[string]any) {
			m["title"], m["required_certs"] = "枸杞烘干厂招分拣工", []string{"健康证"}
		}))
		far := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["district"], m["town"] = "海原县", "西安镇" }))
		for _, g := range []int64{fits.ID, needsCert.ID, far.ID} {
			e.approveAndPush(e.staffA, g)
		}
		var out jobMatchList
		if code := e.call("GET", "/api/v1/workers/me/matches", w.Token, nil, &out); code != 200 {
			t.Fatalf("matches: %d", code)
		}
		if len(out.Items) == 0 || out.Items[0].Job.ID != fits.ID {
			t.Fatalf("first match %+v, want gig %d", out.Items, fits.ID)
		}
		for _, m := range out.Items {
			if m.Job.ID == needsCert.ID || m.Job.ID == far.ID {
				t.Errorf("gig %d broke a hard filter and is a match", m.Job.ID)
			}
			if len(m.Reasons) == 0 || !hanText.MatchString(strings.Join(m.Reasons, "")) || m.Job.WageLabel == "" {
				t.Errorf("match %d does not explain itself: %+v", m.Job.ID, m)
			}
		}
		if !slices.Contains(out.Items[0].Reasons, "技能相符：枸杞采摘") {
			t.Errorf("reasons %v lack the skill", out.Items[0].Reasons)
		}
		var near *jobMatchView
		for i := range out.NearMisses {
			if out.NearMisses[i].Job.ID == needsCert.ID {
				near = &out.NearMisses[i]
			}
		}
		if near == nil || !slices.Contains(near.Missing, "需要健康证") {
			t.Errorf("near misses %+v: want gig %d missing 需要健康证", out.NearMisses, needsCert.ID)
		}

		// Limits are checked; applying marks the match.
		if r := e.do("GET", "/api/v1/workers/me/matches?limit=1000", w.Token, nil); r.Code != 400 || r.err().Field != "limit" {
			t.Errorf("limit=1000: %d %+v", r.Code, r.err())
		}
		if r := e.do("GET", "/api/v1/workers/me/matches", emp.Key, nil); r.Code != 403 {
			t.Errorf("an employer reading worker matches: %d", r.Code)
		}
		e.call("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", fits.ID), w.Token, nil, nil)
		e.call("GET", "/api/v1/workers/me/matches?limit=1", w.Token, nil, &out)
		if len(out.Items) != 1 || !out.Items[0].Applied {
			t.Errorf("after applying: %+v, want the gig marked applied", out.Items)
		}

		// The worker gets the certificate: the gig that needed it becomes a match, and the candidates of
		// that gig include the worker at once (the index follows the profile).
		if code := e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"certs": []string{"健康证"}}, nil); code != 200 {
			t.Fatalf("patch: %d", code)
		}
		var cands candidateListView
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates", needsCert.ID), e.staffA, nil, &cands)
		if !slices.ContainsFunc(cands.Items, func(c candidateView) bool { return c.Worker.ID == w.ID }) {
			t.Errorf("the worker with the new certificate is not a candidate: %+v", cands.Items)
		}
		// Moving away leaves the candidates too.
		e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"district": "海原县", "town": "西安镇", "max_commute_km": 5}, nil)
		e.call("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates", needsCert.ID), e.staffA, nil, &cands)
		if slices.ContainsFunc(cands.Items, func(c candidateView) bool { return c.Worker.ID == w.ID }) {
			t.Errorf("a worker who moved 100 km away is still a candidate")
		}
	})
}

// 为你推荐 on /me: the best gigs with their reasons and a 我要报名 form posting to the gig's apply route
// with the session's CSRF token; the inbox lists the pushes. The edit page's checkbox opts out and in.
func TestMePageShowsMatchesAndInbox(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.worker("ZN-S03", nil)
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approveAndPush(e.staffA, job.ID)
		r := e.do("GET", "/me", w.Token, nil)
		page := r.Body.String()
		if r.Code != 200 || !strings.Contains(page, "为你推荐") {
			t.Fatalf("/me: %d", r.Code)
		}
		csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
		for _, want := range []string{
			fmt.Sprintf(`action="/jobs/%d/apply"`, job.ID), "我要报名", "技能相符：枸杞采摘", // the recommendation
			"我的消息", "为你推荐：中宁枸杞园急招摘果工20名 日结", // the push in the inbox
		} {
			if !strings.Contains(page, want) {
				t.Errorf("/me lacks %q", want)
			}
		}
		if csrf == nil || csrf[1] == "" {
			t.Fatal("the 我要报名 form carries no CSRF token")
		}
		// The button applies (the page route of the gigs issue) and the recommendation says so after.
		apply := url.Values{"csrf_token": {csrf[1]}}.Encode()
		if r := e.do("POST", fmt.Sprintf("/jobs/%d/apply", job.ID), w.Token, apply, "Content-Type", "application/x-www-form-urlencoded"); r.Code != 303 {
			t.Fatalf("我要报名: %d %s", r.Code, r.Body)
		}
		if page := e.do("GET", "/me", w.Token, nil).Body.String(); !strings.Contains(page, `<span class="tag">已报名</span>`) {
			t.Error("after applying, the recommendation does not say 已报名")
		}

		// The edit page: the box is ticked; unticking it opts out, ticking it opts back in.
		r = e.do("GET", "/me/edit", w.Token, nil)
		if !strings.Contains(r.Body.String(), `name="push" value="1" checked`) {
			t.Fatal("the edit page's push box is not ticked for a worker who receives pushes")
		}
		form := url.Values{"csrf_token": {csrf[1]}, "name": {"马建国"}, "skills": {"枸杞采摘"}, "certs": {"健康证"}, "place": {"中宁县/新堡镇"},
			"wage": {"150"}, "wage_unit": {"day"}, "max_commute_km": {"20"}, "available_from": {"2026-05-10"}, "push_shown": {"1"}}
		optedOut := func() bool {
			var me workerView
			e.call("GET", "/api/v1/workers/me", w.Token, nil, &me)
			return me.PushOptOut
		}
		if r := e.do("POST", "/me/edit", w.Token, form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); r.Code != 303 || !optedOut() {
			t.Errorf("unticked box: %d, opted out %v", r.Code, optedOut())
		}
		form.Set("push", "1")
		if r := e.do("POST", "/me/edit", w.Token, form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); r.Code != 303 || optedOut() {
			t.Errorf("ticked box: %d, opted out %v", r.Code, optedOut())
		}
	})
}

// After a burst of writes through the API (gigs posted, approved, edited, closed, filled; workers
// registered, edited, opting out), the index the server keeps current answers exactly as one rebuilt
// from the store does: the in-process updates miss nothing.
func TestServedIndexEqualsARebuildAfterABurst(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		towns := []struct{ district, town string }{{"中宁县", "新堡镇"}, {"中宁县", "宁安镇"}, {"沙坡头区", "文昌镇"}, {"海原县", "海城镇"}}
		skills := [][]string{{"枸杞采摘"}, {"搬运"}, {"保洁"}, {"砌筑工"}, {}}
		var ws []testWorker
		for i := range 12 {
			tw := towns[i%len(towns)]
			ws = append(ws, e.worker("ZN-S03", func(m map[string]any) {
				m["district"], m["town"], m["skills"] = tw.district, tw.town, skills[i%len(skills)]
				if len(skills[i%len(skills)]) == 0 {
					m["self_description"] = "啥活都干"
				}
			}))
		}
		emp := e.newEmployer("ZN-S03")
		titles := []string{"枸杞园摘果工", "仓库装卸工 日结", "小区保洁", "工地小工 砌墙", "搬家师傅"}
		var jobs []jobView
		for i := range 15 {
			tw := towns[i%len(towns)]
			g := e.postJob(emp.Key, jobBody(func(m map[string]any) {
				m["title"], m["district"], m["town"], m["headcount"] = titles[i%len(titles)], tw.district, tw.town, 1+i%3
				m["skills"] = skills[i%len(skills)]
			}))
			jobs = append(jobs, g)
			if i%4 != 3 {
				e.approveAndPush(e.staffA, g.ID)
			}
		}
		for i, g := range jobs {
			switch i % 5 {
			case 0: // edit an open gig: back to review, then approved again
				e.call("PATCH", fmt.Sprintf("/api/v1/jobs/%d", g.ID), emp.Key, map[string]any{"wage_fen": 200}, nil)
				e.approveAndPush(e.staffA, g.ID)
			case 1:
				e.call("POST", fmt.Sprintf("/api/v1/jobs/%d/close", g.ID), emp.Key, nil, nil)
			case 2: // fill a place
				w := ws[i%len(ws)]
				var applied struct{ Application domain.Application }
				if e.call("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", g.ID), w.Token, nil, &applied) == 201 {
					e.call("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), emp.Key, nil, nil)
				}
			}
		}
		for i, w := range ws {
			switch i % 3 {
			case 0:
				e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"self_description": "会开叉车 能吃苦", "max_commute_km": 50}, nil)
			case 1:
				e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"push_opt_out": true}, nil)
			}
		}

		if _, served := e.index.Len(); served != len(ws) {
			t.Fatalf("served index holds %d workers, %d registered", served, len(ws))
		}
		e.requireIndexEqualsRebuild(t)
	})
}

// A gig approved at the station's console is pushed exactly like one approved through the API: the same
// workers hear of it, by inbox and SMS. (The console once approved without pushing.)
func TestConsoleApprovalPushesLikeTheAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ws := map[string]testWorker{
			"fits":        e.worker("ZN-S03", nil),
			"fits-nearby": e.worker("ZN-S03", func(m map[string]any) { m["town"] = "宁安镇" }),
			"no-cert":     e.worker("ZN-S03", func(m map[string]any) { m["certs"] = []string{} }),
		}
		emp := e.newEmployer("ZN-S03")
		body := func() map[string]any {
			return jobBody(func(m map[string]any) { m["headcount"], m["required_certs"] = 2, []string{"健康证"} })
		}
		byAPI, byConsole := e.postJob(emp.Key, body()), e.postJob(emp.Key, body())
		e.approveAndPush(e.staffA, byAPI.ID)

		// The console's form, as the browser posts it: the staff session and its form token.
		p, err := e.store.Authenticate(t.Context(), e.staffA)
		if err != nil {
			t.Fatal(err)
		}
		csrf, err := e.store.StaffCSRFToken(t.Context(), p.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"decision": {"approve"}, "csrf_token": {csrf}}.Encode()
		r := e.do("POST", fmt.Sprintf("/console/gigs/%d/review", byConsole.ID), e.staffA, form,
			"Content-Type", "application/x-www-form-urlencoded")
		if r.Code != http.StatusSeeOther {
			t.Fatalf("console approval: %d %s", r.Code, r.Body)
		}
		e.srv.app.WaitForPushes()
		if j, _ := e.store.JobByID(t.Context(), byConsole.ID); j.Status != domain.JobOpen {
			t.Fatalf("the console did not approve: %s", j.Status)
		}
		api, console := e.pushedTo(byAPI.ID, ws), e.pushedTo(byConsole.ID, ws)
		if len(api) == 0 {
			t.Fatal("the API approval pushed to no one")
		}
		if diff := cmp.Diff(api, console); diff != "" {
			t.Errorf("pushed by the console approval (-API +console):\n%s", diff)
		}
		for _, name := range console {
			// The newest push SMS is the console's gig (approved second).
			if sms := e.lastSMS(ws[name].Phone, "push"); !strings.Contains(sms, fmt.Sprintf("/jobs/%d", byConsole.ID)) {
				t.Errorf("%s got no SMS of the console's gig: %q", name, sms)
			}
		}
	})
}
