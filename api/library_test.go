package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
)

// searchIDs runs a library query over HTTP and returns the ids found, in order, and the total.
func (e *env) searchIDs(query string) ([]int64, int) {
	e.t.Helper()
	var res struct {
		Items []struct {
			ID        int64  `json:"id"`
			WageLabel string `json:"wage_label"`
		} `json:"items"`
		Total int `json:"total"`
	}
	r := e.do("GET", "/api/v1/jobs?"+query, "", nil)
	if r.Code != 200 {
		e.t.Fatalf("search %s: %d %s", query, r.Code, r.Body)
	}
	json.Unmarshal(r.Body.Bytes(), &res)
	ids := []int64{}
	for _, it := range res.Items {
		ids = append(ids, it.ID)
		if it.WageLabel == "" {
			e.t.Errorf("hit %d has no wage label", it.ID)
		}
	}
	return ids, res.Total
}

// The search cases, through the HTTP API on both engines: a pending gig is not in the library;
// approved, "中宁枸杞园急招摘果工20名 日结" is found by 摘果, 枸杞, 日结, 中宁, 20名 and ２０名; 装卸 finds a 搬运 gig
// that never says 装卸; filters and paging work; closing and editing take gigs out at once.
func TestLibrarySearchOverHTTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		picker := e.postJob(emp.Key, jobBody())
		if ids, _ := e.searchIDs("q=" + url.QueryEscape("摘果")); len(ids) != 0 {
			t.Fatalf("a gig awaiting review is searchable: %v", ids)
		}
		e.approve(e.staffA, picker.ID)

		spt := e.newEmployer("SPT-S01")
		mover := e.postJob(spt.Key, jobBody(func(m map[string]any) {
			m["title"], m["description"], m["skills"] = "物流园招搬运工5名", "仓库里搬货、码货", []string{"搬运"}
			m["district"], m["town"], m["address"], m["headcount"] = "沙坡头区", "文昌镇", "物流园", 5
			m["wage_fen"], m["wage_unit"], m["settlement"], m["end_date"] = 20000, "day", "weekly", "2026-05-20"
			m["shifts"] = []map[string]string{{"start": "08:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}}
			delete(m, "expected_hours")
			delete(m, "piece_unit")
		}))
		e.approve(e.staffB, mover.ID)

		one, moverOnly := []int64{picker.ID}, []int64{mover.ID}
		cases := []struct {
			name, query string
			want        []int64
		}{
			{"摘果", "q=" + url.QueryEscape("摘果"), one},
			{"枸杞", "q=" + url.QueryEscape("枸杞"), one},
			// 日结 is a wish, not a filter: the gig paid daily ranks first, the weekly one still shows.
			{"日结 first", "q=" + url.QueryEscape("日结"), []int64{picker.ID, mover.ID}},
			{"中宁", "q=" + url.QueryEscape("中宁"), one},
			{"20名", "q=" + url.QueryEscape("20名"), one},
			{"full-width ２０名", "q=" + url.QueryEscape("２０名"), one},
			{"two keywords", "q=" + url.QueryEscape("枸杞 日结"), one},
			{"装卸 finds 搬运", "q=" + url.QueryEscape("装卸"), moverOnly},
			{"装卸 in 中宁县 finds nothing", "q=" + url.QueryEscape("装卸") + "&district=" + url.QueryEscape("中宁县"), []int64{}},
			{"district", "district=" + url.QueryEscape("沙坡头区"), moverOnly},
			{"skill", "skill=" + url.QueryEscape("枸杞采摘"), one},
			{"skill by synonym", "skill=" + url.QueryEscape("摘枸杞"), one},
			{"station", "station=SPT-S01", moverOnly},
			{"date inside both", "date=2026-05-15", []int64{mover.ID, picker.ID}},
			{"date after the mover ends", "date=2026-06-01", one},
			{"wage per day, piece rate by its stated hours", "wage_min=25000", one},
			{"wage per day, both", "wage_min=18000", []int64{mover.ID, picker.ID}},
			{"no match", "q=" + url.QueryEscape("飞机驾驶"), []int64{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ids, total := e.searchIDs(tc.query)
				if d := cmp.Diff(tc.want, ids); d != "" || total != len(tc.want) {
					t.Errorf("%s: total %d, ids (-want +got):\n%s", tc.query, total, d)
				}
			})
		}
		ids, total := e.searchIDs("per_page=1&page=2")
		if total != 2 || len(ids) != 1 {
			t.Errorf("paging: %v of %d", ids, total)
		}
		for _, bad := range []struct{ query, field string }{
			{"skill=" + url.QueryEscape("飞行员"), "skill"},
			{"station=XX-S99", "station"},
			{"per_page=101", "per_page"},
			{"date=2026-02-30", "date"},
			{"q=%FF%FE", "q"},
		} {
			if r := e.do("GET", "/api/v1/jobs?"+bad.query, "", nil); r.Code != 400 || r.err().Field != bad.field {
				t.Errorf("%s: %d %s", bad.query, r.Code, r.Body)
			}
		}
		// Changes reach the library at once: the request that made them has returned, and the next
		// search sees them.
		e.do("POST", fmt.Sprintf("/api/v1/jobs/%d/close", picker.ID), emp.Key, nil)
		if ids, _ := e.searchIDs("q=" + url.QueryEscape("摘果")); len(ids) != 0 {
			t.Errorf("closed gig still found: %v", ids)
		}
		e.do("PATCH", fmt.Sprintf("/api/v1/jobs/%d", mover.ID), spt.Key, map[string]any{"headcount": 6})
		if ids, _ := e.searchIDs("q=" + url.QueryEscape("搬运")); len(ids) != 0 {
			t.Errorf("edited gig awaiting review still found: %v", ids)
		}
	})
}

func TestJobPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		j := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["piece_unit"] = "斤" }))
		page := fmt.Sprintf("/jobs/%d", j.ID)
		if r := e.do("GET", page, "", nil); r.Code != 404 || !strings.Contains(r.Header().Get("Content-Type"), "text/html") {
			t.Errorf("pending gig page for anyone: %d", r.Code)
		}
		if r := e.do("GET", page+"/qrcode.png", "", nil); r.Code != 404 {
			t.Errorf("pending gig QR for anyone: %d", r.Code)
		}
		e.approve(e.staffA, j.ID)

		r := e.do("GET", "/jobs?q="+url.QueryEscape("摘果"), "", nil)
		body := r.Body.String()
		if r.Code != 200 {
			t.Fatalf("/jobs: %d", r.Code)
		}
		for _, want := range []string{"中宁枸杞园急招摘果工20名 日结", "1.80 元/斤", "日结", "中宁县 新堡镇", page, "已核验", "共 1 个岗位", `class="fbtn on"`} {
			if !strings.Contains(body, want) {
				t.Errorf("/jobs lacks %q", want)
			}
		}
		r = e.do("GET", page, "", nil)
		body = r.Body.String()
		for _, want := range []string{"我要报名（先用手机号登录）", `href="/login?next=` + url.QueryEscape(page) + `"`, page + "/qrcode.png", "http://lg.test" + page, "05:00–11:00、15:00–19:00，每天 10 小时",
			"5月11日（周一） 至 6月30日（周二），共 51 天", "新堡镇零工驿站", "138****5678", "折合每小时约 30 元"} {
			if !strings.Contains(body, want) {
				t.Errorf("gig page lacks %q", want)
			}
		}
		if strings.Contains(body, "13812345678") {
			t.Error("gig page shows the contact's full phone number to anyone")
		}
		r = e.do("GET", page+"/qrcode.png", "", nil)
		if r.Code != 200 || r.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("QR: %d %s", r.Code, r.Header())
		}
		if _, err := png.Decode(bytes.NewReader(r.Body.Bytes())); err != nil {
			t.Errorf("QR is not a PNG: %v", err)
		}
		// Typed text comes back escaped, never as markup.
		r = e.do("GET", "/jobs?q="+url.QueryEscape(`<script>alert(1)</script>`), "", nil)
		if r.Code != 200 || strings.Contains(r.Body.String(), "<script>alert") {
			t.Errorf("reflected markup: %d", r.Code)
		}
		if r := e.do("GET", "/jobs?per_page=500", "", nil); r.Code != 400 || !strings.Contains(r.Header().Get("Content-Type"), "text/html") {
			t.Errorf("bad filter on the page: %d %s", r.Code, r.Header())
		}

		// A logged-in worker sees the distance from home and a 我要报名 form that applies.
		worker := e.newWorker("13912345678", "中宁县", "宁安镇")
		r = e.do("GET", page, worker.token, nil)
		body = r.Body.String()
		csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
		if csrf == nil || !strings.Contains(body, `action="`+page+`/apply"`) || !strings.Contains(body, "离你约 6 公里（中宁县宁安镇）") {
			t.Fatalf("worker's gig page lacks the form or the distance:\n%s", body)
		}
		form := func(token, csrf string) response {
			return e.do("POST", page+"/apply", token, "csrf_token="+url.QueryEscape(csrf), "Content-Type", "application/x-www-form-urlencoded")
		}
		if r := form(worker.token, "forged"); r.Code != 403 {
			t.Errorf("apply with a forged form token: %d", r.Code)
		}
		if r := form(worker.token, csrf[1]); r.Code != 303 || r.Header().Get("Location") != page+"?applied=new" {
			t.Fatalf("apply: %d %s", r.Code, r.Header().Get("Location"))
		}
		if r := form(worker.token, csrf[1]); r.Code != 303 || r.Header().Get("Location") != page+"?applied=again" {
			t.Errorf("apply twice: %d %s", r.Code, r.Header().Get("Location"))
		}
		if r := e.do("GET", page+"?applied=new", worker.token, nil); !strings.Contains(r.Body.String(), "报名成功") {
			t.Error("no notice after applying")
		}
		if r := form("", "x"); r.Code != 303 || r.Header().Get("Location") != "/login" {
			t.Errorf("anonymous apply: %d %s", r.Code, r.Header().Get("Location"))
		}
		var apps listResponse[domain.ApplicationView]
		if code := e.call("GET", "/api/v1/workers/me/applications", worker.token, nil, &apps); code != 200 || apps.Total != 1 || apps.Items[0].JobID != j.ID {
			t.Errorf("the worker's applications: %d %+v", code, apps)
		}
		if r := e.do("GET", page, emp.Key, nil); strings.Contains(r.Body.String(), "我要报名") {
			t.Error("the employer is offered 我要报名 on its own gig")
		}
	})
}

// FuzzJobPayload feeds the job payload decoder and the gig rules arbitrary bytes: nothing panics,
// invalid UTF-8 is always refused, and whatever is accepted obeys the rules' bounds.
func FuzzJobPayload(f *testing.F) {
	good, _ := json.Marshal(jobBody())
	f.Add(good)
	f.Add([]byte(`{"title":"招工","headcount":1e9,"wage_fen":-1}`))
	f.Add([]byte("{\"title\":\"\xff\xfe\"}"))
	f.Add([]byte(`{"shifts":[{"start":"24:00","end":"24:00"}],"daily_hours":1e308}`))
	f.Add([]byte(`{"lat":"NaN","lng":1e999}`))
	f.Add([]byte(`{"title":"a\u0000b"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"employer_id":1,"jobFields":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req jobCreateRequest
		err := decodeJSONBytes(body, &req)
		if err != nil {
			if e := domain.AsError(err); e.Code != domain.CodeInvalid || e.Message == "" {
				t.Fatalf("decoder error is not a field error: %v", err)
			}
			return
		}
		if !bytesValidUTF8(body) {
			t.Fatalf("invalid UTF-8 accepted: %q", body)
		}
		j := domain.Job{}
		req.Apply(&j)
		rules := domain.JobRules{Wage: domain.DefaultWageStandard(), Today: "2026-05-10"}
		if err := rules.ValidateJob(&j, nil); err != nil {
			if e := domain.AsError(err); e.Code != domain.CodeInvalid || e.Field == "" || e.Message == "" {
				t.Fatalf("rule error without field: %v", err)
			}
			return
		}
		switch {
		case !bytesValidUTF8([]byte(j.Title + j.Description + j.Address + j.Contact)):
			t.Fatalf("accepted invalid text")
		case len([]rune(j.Title)) > domain.MaxJobTitle || len([]rune(j.Description)) > domain.MaxJobDescription:
			t.Fatalf("accepted over-long text")
		case j.Headcount < 1 || j.Headcount > domain.MaxHeadcount:
			t.Fatalf("accepted headcount %d", j.Headcount)
		case j.DailyHours <= 0 || j.DailyHours > domain.MaxDailyHours:
			t.Fatalf("accepted %v hours a day", j.DailyHours)
		case j.HourlyWageFen() < 1999:
			t.Fatalf("accepted %d fen an hour", j.HourlyWageFen())
		case j.EndDate < j.StartDate || j.StartDate < rules.Today:
			t.Fatalf("accepted dates %s..%s", j.StartDate, j.EndDate)
		case j.Lat < 36 || j.Lat > 38 || j.Lng < 104.2 || j.Lng > 106.6:
			t.Fatalf("accepted a place outside Zhongwei: %v,%v", j.Lat, j.Lng)
		}
	})
}

func bytesValidUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// FuzzLibraryQuery sends arbitrary query strings to the library, through the router (parameter
// validation against the OpenAPI document included): every answer is 200 or a 400 naming a parameter,
// never a 5xx or a panic.
func FuzzLibraryQuery(f *testing.F) {
	ix := matching.Build(matching.GenerateJobs(500, 1, "2026-05-10"), nil)
	clock := domain.Clock(func() time.Time { return time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC) })
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &benchStore{}, Index: ix, Clock: clock})
	h := s.Handler()
	for _, seed := range []string{"q=%E6%91%98%E6%9E%9C", "q=%FF%FE&page=2", "per_page=101", "page=0", "date=2026-02-30",
		"wage_min=-1", "skill=%E6%90%AC%E8%BF%90&district=%E4%B8%AD%E5%AE%81%E5%8E%BF", "station=ZN-S03", "q=%00", "page=99999999999999999999",
		"q=" + strings.Repeat("%E6%91%98", 60), "a=%zz", "per_page=1e3", "district=%E2%80%AE"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest("GET", "/api/v1/jobs", nil)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch {
		case rec.Code == 200:
		case rec.Code == 400:
			var b errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b.Error.Code != domain.CodeInvalid || b.Error.Message == "" {
				t.Fatalf("400 without the standard body: %s", rec.Body)
			}
		default:
			t.Fatalf("query %q answered %d: %s", query, rec.Code, rec.Body)
		}
	})
}
