package api

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

var workerCSRFField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// The day at the site through the public API and pages: the employer prints today's site poster, its
// QR (read by zbarimg) opens the check-in page, which sends the worker to log in and back, shows 签到,
// then 签退, and a double tap records once. Yesterday's code and another worker are refused.
func TestSitePosterQROpensTheCheckInPage(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		const phone = "13812345601"
		// The morning of today in 中卫: 签到 at 07:02, 签退 at 17:10.
		morning := domain.DateOf(env.clock.Now()).Start().Add(7*time.Hour + 2*time.Minute)
		env.clock.Advance(morning.Sub(env.clock.Now()))
		w := env.register(phone, nil)
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "07:00-17:00")
		ct := env.signedOn(job, w, phone, key)

		status, pdf, _ := env.do("GET", fmt.Sprintf("/api/v1/jobs/%d/site-poster.pdf", job), key, nil)
		if status != 200 {
			t.Fatalf("site poster: %d %s", status, pdf)
		}
		codes := decodeQR(t, pdfPages(t, pdf, 150)[0])
		if len(codes) != 1 || !strings.HasPrefix(codes[0], testPublicURL+"/a/") {
			t.Fatalf("site poster QR = %q, want %s/a/…", codes, testPublicURL)
		}
		page := strings.TrimPrefix(codes[0], testPublicURL)
		if text := pdfText(t, pdf); !strings.Contains(text, string(today)) || !strings.Contains(text, "宁夏杞乡枸杞种植合作社") {
			t.Errorf("site poster text lacks the day or the employer:\n%s", text)
		}
		if status, _, _ := env.do("GET", fmt.Sprintf("/api/v1/jobs/%d/site-poster.pdf", job), w.Token, nil); status != 403 {
			t.Errorf("a worker printing the site poster: %d, want 403", status)
		}

		// An anonymous scan goes to the login and comes back to the page.
		b := env.browser()
		if status, loc, _ := b.get(page); status != 303 || loc != "/login?next="+url.QueryEscape(page) {
			t.Fatalf("anonymous scan: %d to %q", status, loc)
		}
		b.post("/login/otp", url.Values{"phone": {phone}, "next": {page}})
		if status, loc, _ := b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}}); status != 303 || loc != page {
			t.Fatalf("after login: %d to %q, want back to %s", status, loc, page)
		}
		status, _, body := b.get(page)
		if status != 200 || !strings.Contains(body, ">签到</button>") || !strings.Contains(body, ct.Number) {
			t.Fatalf("check-in page: %d\n%s", status, body)
		}
		// The page with its one optional script stays well under 20 KB; the location box is hidden until
		// the script finds the phone can locate itself, and the form posts without it.
		_, _, js := b.get("/static/sitegeo.js")
		if len(body)+len(js) >= 20*1024 || !strings.Contains(body, `<fieldset id="geo-box" hidden>`) || !strings.Contains(js, "share_location") {
			t.Errorf("check-in page is %d bytes + %d of script (want < 20 KB), or its location box is not hidden and optional", len(body), len(js))
		}
		m := workerCSRFField.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no csrf token on the check-in page")
		}
		for range 2 { // a double tap, sharing the location with consent (about 110 m north of the site)
			form := url.Values{"kind": {"in"}, "csrf_token": {m[1]}, "share_location": {"1"}, "lat": {"37.45600"}, "lng": {"105.74000"}}
			if status, loc, _ := b.post(page, form); status != 303 || loc != page+"?done=in" {
				t.Fatalf("签到: %d to %q", status, loc)
			}
		}
		if n := env.count("attendance_events"); n != 1 {
			t.Fatalf("a double tap recorded %d events, want 1", n)
		}
		var dist int64
		if err := env.db.QueryRow(`SELECT distance_m FROM attendance_events`).Scan(&dist); err != nil || dist < 100 || dist > 120 {
			t.Errorf("the shared location gave distance %d m (%v), want about 111", dist, err)
		}
		_, _, body = b.get(page + "?done=in")
		if !strings.Contains(body, "签到成功") || !strings.Contains(body, ">签退</button>") {
			t.Fatalf("after 签到 the page shows no success or no 签退:\n%s", body)
		}
		env.clock.Advance(10*time.Hour + 8*time.Minute)
		if status, loc, _ := b.post(page, url.Values{"kind": {"out"}, "csrf_token": {m[1]}}); status != 303 || loc != page+"?done=out" {
			t.Fatalf("签退: %d to %q", status, loc)
		}
		if _, _, body = b.get(page); !strings.Contains(body, "今天已签到、签退") {
			t.Fatalf("after 签退 the page does not say the day is done:\n%s", body)
		}
		// The day reached the contract's 10 hours: /me shows it with the day's pay at once, and the ledger
		// has the work line.
		if _, _, me := b.get("/me"); !strings.Contains(me, "签到 07:02 · 签退 17:10 · 今日应得 200 元") {
			t.Errorf("/me does not show 签到 07:02 · 签退 17:10 · 今日应得 200 元: %s", regexp.MustCompile(`id="today-[^<]*`).FindString(me))
		}
		if l := env.ledgerOf(ct.ID, key); len(l.Entries) != 1 || l.Balance.EarnedFen != 20000 {
			t.Errorf("ledger after 签退: %+v", l)
		}

		// Refusals: another worker with no contract there, and yesterday's poster.
		other := env.register("13812345602", nil)
		nb := env.browser()
		nb.post("/login/otp", url.Values{"phone": {"13812345602"}, "next": {page}})
		nb.post("/login/verify", url.Values{"code": {env.lastCode("13812345602")}})
		if status, _, body := nb.get(page); status != 409 || !strings.Contains(body, "没有生效的合约") {
			t.Errorf("a worker without a contract there: %d\n%s", status, body)
		}
		_ = other
		status, old, _ := env.do("GET", fmt.Sprintf("/api/v1/jobs/%d/site-poster.pdf?date=%s", job, today.AddDays(-1)), key, nil)
		if status != 200 {
			t.Fatalf("yesterday's poster: %d", status)
		}
		stale := strings.TrimPrefix(decodeQR(t, pdfPages(t, old, 150)[0])[0], testPublicURL)
		if status, _, body := b.get(stale); status != 400 || !strings.Contains(body, "已经过期") {
			t.Errorf("yesterday's code: %d\n%s", status, body)
		}
		if n := env.count("attendance_events"); n != 2 {
			t.Errorf("attendance events = %d after the refusals, want 2", n)
		}
	})
}

// The recorder's path through the API: the employer's key scans the worker's card (201, then 200 for
// the same scan again); staff of another station cannot record on it.
func TestRecorderScansTheWorkerCard(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		const phone = "13812345611"
		w := env.register(phone, nil)
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "00:00-23:59")
		ct := env.signedOn(job, w, phone, key)
		scan := map[string]string{"card": w.Worker.No, "kind": "in"}
		var ev domain.AttendanceEvent
		env.mustJSON("POST", "/api/v1/attendance/scan", key, scan, 201, &ev)
		if ev.ContractID != ct.ID || ev.Source != domain.ByRecorder {
			t.Fatalf("scan: %+v", ev)
		}
		env.mustJSON("POST", "/api/v1/attendance/scan", key, scan, 200, nil)
		there, _ := env.createStaff("attendance-there", "SPT-S01")
		status, body, _ := env.do("POST", "/api/v1/attendance/scan", there, map[string]string{"card": w.Worker.No, "kind": "out"})
		if status != 404 || !strings.Contains(string(body), "本站点") {
			t.Errorf("staff of another station: %d %s", status, body)
		}
		if n := env.count("attendance_events"); n != 1 {
			t.Errorf("%d attendance events, want 1", n)
		}
		// The employer's own time clock posts the check-out; the day's roster shows both, and who recorded each.
		att := fmt.Sprintf("/api/v1/jobs/%d/attendance", job)
		var out domain.AttendanceEvent
		env.mustJSON("POST", att, key, map[string]any{"contract_id": ct.ID, "kind": "out", "at": env.clock.Now().Format(time.RFC3339)}, 201, &out)
		if out.Source != domain.ByEmployerClock {
			t.Errorf("clock punch: %+v", out)
		}
		var roster struct {
			Date  domain.Date
			Items []domain.AttendanceDay
		}
		env.mustJSON("GET", att+"?date="+string(today), key, nil, 200, &roster)
		if len(roster.Items) != 1 || roster.Items[0].In == nil || roster.Items[0].In.Source != domain.ByRecorder ||
			roster.Items[0].Out == nil || roster.Items[0].Out.Source != domain.ByEmployerClock {
			t.Errorf("the day's attendance: %+v", roster)
		}
		status, pdf, _ := env.do("GET", att+".pdf?date="+string(today), key, nil)
		if status != 200 {
			t.Fatalf("考勤表: %d %s", status, pdf)
		}
		if text := strings.Join(strings.Fields(pdfText(t, pdf)), ""); !strings.Contains(text, "考勤表") || !strings.Contains(text, w.Worker.No) ||
			!strings.Contains(text, "签到记录员代记") || !strings.Contains(text, "签退用工方考勤机") {
			t.Errorf("考勤表 text:\n%s", text)
		}
		// The clock's record waits for the worker, who confirms it once.
		answer := fmt.Sprintf("/api/v1/attendance/%d/answer", out.ID)
		if status, body, _ := env.do("POST", answer, key, map[string]string{"decision": "confirm"}); status != 403 {
			t.Errorf("the employer answering for the worker: %d %s", status, body)
		}
		// On /me the worker sees the clock's record and confirms it there.
		b := env.browser()
		b.post("/login/otp", url.Values{"phone": {phone}})
		b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}})
		_, _, me := b.get("/me")
		m := workerCSRFField.FindStringSubmatch(me)
		if !strings.Contains(me, "用工方考勤机记的签退") || m == nil {
			t.Fatalf("/me does not ask about the clock's record")
		}
		if status, loc, _ := b.post(fmt.Sprintf("/me/attendance/%d/answer", out.ID), url.Values{"decision": {"confirm"}, "csrf_token": {m[1]}}); status != 303 || loc != "/me?clock_answer=1" {
			t.Fatalf("confirming on /me: %d to %q", status, loc)
		}
		if _, _, me = b.get("/me?clock_answer=1"); strings.Contains(me, "用工方考勤机记的签退") || !strings.Contains(me, "已记下您对考勤机记录的答复") {
			t.Errorf("/me after confirming still asks, or says nothing")
		}
		if status, _, _ := env.do("POST", answer, w.Token, map[string]string{"decision": "dispute", "reason": "我 6 点才走"}); status != 409 {
			t.Errorf("answering twice: %d", status)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/attendance/%d/answer", roster.Items[0].In.ID), w.Token, map[string]string{"decision": "confirm"}); status != 404 {
			t.Errorf("answering a recorder's record as a clock's: %d", status)
		}
		env.mustJSON("GET", att+"?date="+string(today), key, nil, 200, &roster)
		if roster.Items[0].Out.WorkerAnswer != "confirm" {
			t.Errorf("the clock's record after the worker confirmed: %+v", roster.Items[0].Out)
		}
		if status, _, _ := env.do("GET", att, w.Token, nil); status != 403 {
			t.Errorf("a worker reading the gig's attendance: %d", status)
		}
	})
}

// The station's attendance desk: staff of the contract's station record by the worker's number; staff
// of another station are refused, on the page, and nothing is recorded for them.
func TestConsoleRecordsAttendanceForItsStationOnly(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		const phone = "13812345621"
		w := env.register(phone, nil)
		empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "00:00-23:59")
		env.signedOn(job, w, phone, key)
		env.createStaff("desk-there", "SPT-S01")
		there := env.consoleLogin("desk-there", "staff-test-password")
		if page := there.flashAfter("/console/attendance", url.Values{"card": {w.Worker.No}, "kind": {"in"}}); !strings.Contains(page, "本站点") {
			t.Errorf("another station's staff: no refusal on the page")
		}
		if n := env.count("attendance_events"); n != 0 {
			t.Fatalf("another station's staff recorded %d events", n)
		}
		env.createStaff("desk-here", "ZN-S03")
		here := env.consoleLogin("desk-here", "staff-test-password")
		if page := here.flashAfter("/console/attendance", url.Values{"card": {w.Worker.No}, "kind": {"in"}}); !strings.Contains(page, "已记签到") {
			t.Errorf("the station's staff: no confirmation on the page")
		}
		if page := here.flashAfter("/console/attendance", url.Values{"card": {w.Worker.No}, "kind": {"in"}}); !strings.Contains(page, "没有重复记") {
			t.Errorf("a second scan: not said to be recorded already")
		}
		if n := env.count("attendance_events"); n != 1 {
			t.Errorf("%d events, want 1", n)
		}
	})
}
