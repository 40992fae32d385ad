package api

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

var (
	csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	sealedID  = regexp.MustCompile(`name="id_sealed" value="([^"]+)"`)
	qrImage   = regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`)
)

// errorAfter asserts that the page shows msgPart in a field error placed right after the input with
// the given id (and before the next field), which is what "next to the field" means on a phone.
func errorAfter(t *testing.T, page, inputID, msgPart string) {
	t.Helper()
	at := strings.Index(page, `id="`+inputID+`"`)
	if at < 0 {
		t.Fatalf("no field %q on the page", inputID)
	}
	rest := page[at:]
	next := strings.Index(rest[1:], "<label")
	if next < 0 {
		next = len(rest) - 1
	}
	block := rest[:next+1]
	if !strings.Contains(block, `class="field-error"`) || !strings.Contains(block, msgPart) {
		t.Errorf("no error containing %q next to %q:\n%s", msgPart, inputID, block)
	}
}

// The whole registration on the plain HTML forms, as a phone without JavaScript does it: every step,
// the mistakes a person makes on the way, and the card at the end.
func TestRegistrationPagesWithoutJavaScript(t *testing.T) {
	eachEnv(t, domain.OTPLimits{PhoneInterval: 60 * time.Second, PhonePerHour: 5, IPPerHour: 100}, func(t *testing.T, env *testEnv) {
		b := env.browser()
		status, _, page := b.get("/r/SPT-S05")
		if status != 200 || !strings.Contains(page, "永康镇零工驿站") || !strings.Contains(page, `action="/r/SPT-S05/otp"`) {
			t.Fatalf("phone step: %d\n%s", status, page)
		}

		// Step 1: a mistyped phone stays on the page with the error next to it and what was typed.
		status, _, page = b.post("/r/SPT-S05/otp", url.Values{"phone": {"1391234567"}})
		if status != 400 || !strings.Contains(page, `value="1391234567"`) {
			t.Fatalf("bad phone: %d", status)
		}
		errorAfter(t, page, "phone", "11 位")
		status, loc, _ := b.post("/r/SPT-S05/otp", url.Values{"phone": {"１３９ １２３４ ５６７８"}})
		if status != 303 || loc != "/r/SPT-S05" {
			t.Fatalf("send code: %d %s", status, loc)
		}
		// A reload of the page resumes at the code step.
		status, _, page = b.get("/r/SPT-S05")
		if status != 200 || !strings.Contains(page, "139****5678") || !strings.Contains(page, `id="code"`) {
			t.Fatalf("code step after reload: %d", status)
		}
		// An impatient second tap within 60 s: told to wait, still on the code step.
		status, _, page = b.post("/r/SPT-S05/otp", url.Values{"phone": {"13912345678"}})
		if status != 429 || !strings.Contains(page, "秒后") || !strings.Contains(page, `id="code"`) {
			t.Fatalf("second send: %d", status)
		}

		// Step 2: a wrong code, then the right one from the outbox.
		code := env.lastCode("13912345678")
		status, _, page = b.post("/r/SPT-S05/verify", url.Values{"code": {wrongCode(code)}})
		if status != 400 {
			t.Fatalf("wrong code: %d", status)
		}
		errorAfter(t, page, "code", "还可以再试 4 次")
		status, loc, _ = b.post("/r/SPT-S05/verify", url.Values{"code": {code}})
		if status != 303 || loc != "/r/SPT-S05" {
			t.Fatalf("verify: %d %s", status, loc)
		}
		status, _, page = b.get("/r/SPT-S05")
		for _, want := range append([]string{`id="profile-form"`, "海原县 关桥乡", "叉车证"}, domain.SkillCategories...) {
			if !strings.Contains(page, want) {
				t.Errorf("profile step lacks %q", want)
			}
		}

		// Step 3 with mistakes: each error next to its field, what was typed kept, the valid ID number
		// carried sealed (never in clear), nothing saved.
		form := url.Values{"name": {"马建国2"}, "place": {""}, "wage": {"一百五"}, "wage_unit": {"day"},
			"max_commute_km": {"30"}, "available_from": {string(domain.DateOf(time.Now()))}, "self_description": {""},
			"id_number": {testID}, "certs": {"健康证"}}
		status, _, page = b.post("/r/SPT-S05", form)
		if status != 400 {
			t.Fatalf("bad profile: %d", status)
		}
		errorAfter(t, page, "name", "数字")
		errorAfter(t, page, "place", "乡镇")
		errorAfter(t, page, "wage", "数字")
		if !strings.Contains(page, `class="field-error" id="skills-error"`) {
			t.Error("no error at the skills")
		}
		if !strings.Contains(page, `value="马建国2"`) || !strings.Contains(page, `value="一百五"`) || !strings.Contains(page, `value="健康证" checked`) {
			t.Error("what was typed was not kept")
		}
		if strings.Contains(page, testID) || !strings.Contains(page, domain.MaskIDNumber(testID)) {
			t.Error("the ID number must come back masked and sealed, never in clear")
		}
		sealed := sealedID.FindStringSubmatch(page)
		if sealed == nil {
			t.Fatal("no sealed ID number in the form")
		}
		if env.count("workers") != 0 {
			t.Fatal("a failed step saved a worker")
		}

		// Corrected: registered, logged in, on the card.
		form = url.Values{"name": {"马建国"}, "skills": {"硒砂瓜采收", "搬运"}, "place": {"沙坡头区/永康镇"}, "wage": {"150.5"},
			"wage_unit": {"day"}, "max_commute_km": {"20"}, "available_from": {string(domain.DateOf(time.Now()))},
			"available_to": {""}, "self_description": {"会开三轮车"}, "id_sealed": {sealed[1]}, "id_number": {""}, "certs": {"健康证"}}
		status, loc, _ = b.post("/r/SPT-S05", form)
		if status != 303 || loc != "/me?registered=1" {
			t.Fatalf("register: %d %s", status, loc)
		}
		var me workerView
		status, _, js := b.get("/api/v1/workers/me")
		if status != 200 || decodeInto(js, &me) != nil || me.StationCode != "SPT-S05" || me.ExpectedWageFen != 15050 ||
			me.IDNumberMasked != domain.MaskIDNumber(testID) || me.Town != "永康镇" || len(me.Skills) != 2 {
			t.Fatalf("registered worker: %d %+v", status, me)
		}
		status, _, page = b.get("/me?registered=1")
		if status != 200 || !strings.Contains(page, me.No) || !strings.Contains(page, "永康镇零工驿站") || !strings.Contains(page, "登记成功") {
			t.Fatalf("card page: %d", status)
		}
		png := qrImage.FindStringSubmatch(page)
		if png == nil {
			t.Fatal("no inline QR image on the card")
		}
		raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(png[1]))
		if err != nil {
			t.Fatalf("inline QR is not base64: %v", err)
		}
		if got := decodeQR(t, raw); len(got) != 1 || got[0] != me.CardURL {
			t.Errorf("card QR holds %q, want %q", got, me.CardURL)
		}

		// The same phone scanning another station's poster logs in; no second worker.
		b2 := env.browser()
		env.clock.Advance(61 * time.Second)
		b2.post("/r/HY-M1/otp", url.Values{"phone": {"13912345678"}})
		status, loc, _ = b2.post("/r/HY-M1/verify", url.Values{"code": {env.lastCode("13912345678")}})
		if status != 303 || loc != "/me?welcome=back" || env.count("workers") != 1 {
			t.Fatalf("second registration: %d %s, %d workers", status, loc, env.count("workers"))
		}
		// A logged-in worker opening a poster link goes to the card.
		if status, loc, _ := b2.get("/r/HY-M1"); status != 303 || loc != "/me" {
			t.Errorf("logged-in scan: %d %s", status, loc)
		}

		// Editing the profile: a forged form is refused; a real one saves.
		status, _, page = b.get("/me/edit")
		if status != 200 || !strings.Contains(page, `value="马建国"`) || !strings.Contains(page, `value="150.5"`) {
			t.Fatalf("edit page: %d", status)
		}
		csrf := csrfField.FindStringSubmatch(page)[1]
		edit := url.Values{"name": {"马建军"}, "skills": {"搬运"}, "place": {"沙坡头区/永康镇"}, "wage": {"160"}, "wage_unit": {"day"},
			"max_commute_km": {"20"}, "available_from": {string(me.AvailableFrom)}}
		if status, _, _ := b.post("/me/edit", edit); status != 403 {
			t.Errorf("edit without the CSRF token: %d", status)
		}
		edit.Set("csrf_token", csrf)
		if status, loc, _ := b.post("/me/edit", edit); status != 303 || loc != "/me?updated=1" {
			t.Fatalf("edit: %d %s", status, loc)
		}
		b.get("/api/v1/workers/me")
		_, _, js = b.get("/api/v1/workers/me")
		decodeInto(js, &me)
		if me.Name != "马建军" || me.ExpectedWageFen != 16000 || me.IDNumberMasked == "" {
			t.Errorf("edited %+v", me)
		}

		// Logout; afterwards /me asks to log in.
		if status, loc, _ := b.post("/me/logout", url.Values{"csrf_token": {csrf}}); status != 303 || loc != "/" {
			t.Errorf("logout: %d %s", status, loc)
		}
		if status, loc, _ := b.get("/me"); status != 303 || loc != "/login?next=%2Fme" {
			t.Errorf("/me after logout: %d %s", status, loc)
		}
		assertNoIDNumberInBodies(t, env)
	})
}

// The login page: a registered worker gets the card; an unregistered phone is sent to a station's
// registration, where the proof of the phone carries over.
func TestLoginPage(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		env.register("13812340000", nil)
		b := env.browser()
		if status, _, page := b.get("/login"); status != 200 || !strings.Contains(page, `action="/login/otp"`) {
			t.Fatalf("login page: %d", status)
		}
		b.post("/login/otp", url.Values{"phone": {"13812340000"}})
		if status, loc, _ := b.post("/login/verify", url.Values{"code": {env.lastCode("13812340000")}}); status != 303 || loc != "/me?welcome=back" {
			t.Fatalf("login: %d %s", status, loc)
		}
		if status, _, _ := b.get("/me"); status != 200 {
			t.Errorf("/me after login: %d", status)
		}

		n := env.browser()
		n.post("/login/otp", url.Values{"phone": {"13812340001"}})
		n.post("/login/verify", url.Values{"code": {env.lastCode("13812340001")}})
		status, _, page := n.get("/login")
		if status != 200 || !strings.Contains(page, "还没有登记") || !strings.Contains(page, `href="/r/ZN-S03"`) {
			t.Fatalf("unregistered: %d", status)
		}
		if status, _, page := n.get("/r/ZN-S03"); status != 200 || !strings.Contains(page, `id="profile-form"`) {
			t.Errorf("the proved phone should go straight to the profile: %d", status)
		}
	})
}

func TestPagesForStrangers(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		b := env.browser()
		status, _, page := b.get("/r/XX-S99")
		if status != 404 || !strings.Contains(page, "找不到该站点") || !strings.Contains(page, "<html") {
			t.Errorf("unknown station page: %d %.200s", status, page)
		}
		if status, loc, _ := b.get("/me"); status != 303 || loc != "/login?next=%2Fme" {
			t.Errorf("anonymous /me: %d %s", status, loc)
		}
		// Steps posted out of order start over instead of failing.
		if status, loc, _ := b.post("/r/SPT-M1", url.Values{"name": {"马建国"}}); status != 303 || loc != "/r/SPT-M1" {
			t.Errorf("profile without a proved phone: %d %s", status, loc)
		}
		if status, loc, _ := b.post("/r/SPT-M1/verify", url.Values{"code": {"123456"}}); status != 303 || loc != "/r/SPT-M1" {
			t.Errorf("code without a phone: %d %s", status, loc)
		}
		// A forged step cookie is ignored.
		u, _ := url.Parse(env.http.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: regCookie, Value: "eyJwIjoiMTM5MTIzNDU2NzgiLCJ2Ijp0cnVlLCJlIjo0MTAyNDQ0ODAwfQ.forged"}})
		if _, _, page := b.get("/r/SPT-M1"); !strings.Contains(page, `id="phone"`) {
			t.Error("a forged step cookie was believed")
		}
		// A dead session cookie does not lock the person out of the pages.
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "lgw_expired-or-forged"}})
		if status, _, _ := b.get("/r/SPT-M1"); status != 200 {
			t.Errorf("page with a dead session cookie: %d", status)
		}
		if status, _, _ := b.get("/r/SPT-M1"); status != 200 {
			t.Errorf("the dead cookie was not cleared")
		}
	})
}

// The registration page, with everything it loads, stays under 100 KB at every step: it must open on
// a weak rural connection. No CDN, no external font.
func TestRegistrationPageWeight(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		b := env.browser()
		_, _, phoneStep := b.get("/r/SPT-M1")
		b.post("/r/SPT-M1/otp", url.Values{"phone": {"13812349999"}})
		b.post("/r/SPT-M1/verify", url.Values{"code": {env.lastCode("13812349999")}})
		_, _, profileStep := b.get("/r/SPT-M1")
		for name, page := range map[string]string{"phone step": phoneStep, "profile step": profileStep} {
			total := len(page)
			for _, m := range regexp.MustCompile(`(?:href|src)="([^"#]+)"`).FindAllStringSubmatch(page, -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "http") || strings.HasPrefix(ref, "//") {
					t.Errorf("%s loads %s from outside", name, ref)
					continue
				}
				if strings.HasPrefix(ref, "/static/") {
					_, _, asset := b.get(ref)
					total += len(asset)
				}
			}
			t.Logf("%s: %d bytes with its CSS and script", name, total)
			if total >= 100*1024 {
				t.Errorf("%s weighs %d bytes, want under 100 KB", name, total)
			}
		}
	})
}
