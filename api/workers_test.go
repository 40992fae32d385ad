package api

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// testID is a valid resident ID number: 沙坡头区, born 1970-01-01, male.
var testID = "64050219700101123" + string(domain.IDCheck("64050219700101123"))

// badIDChecksum is testID with a wrong check character.
var badIDChecksum = testID[:17] + map[bool]string{true: "0", false: "1"}[testID[17] != '0']

// unmaskedID finds what must never leave the service: an 18-character resident ID number in clear,
// standing alone (a run of digits inside a hex hash is not one).
var unmaskedID = regexp.MustCompile(`(^|[^0-9A-Za-z])[0-9]{17}[0-9Xx]([^0-9A-Za-z]|$)`)

// Every bad input of issue 3 gets 400 (or 429) naming the field with a Chinese message, and nothing is
// saved: no worker, no audit event, the code still usable where the code was not at fault.
func TestRegistrationRefusesBadInputAndSavesNothing(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		cases := []struct {
			name       string
			phone      string
			change     func(body map[string]any, code string)
			wantStatus int
			wantField  string
			wantMsg    string
		}{
			{"phone with 10 digits", "1381234800", nil, 400, "phone", "11 位"},
			{"phone with a landline prefix", "05517012345", nil, 400, "phone", "手机号"},
			{"phone with an unknown prefix", "12012348000", nil, 400, "phone", "前三位"},
			{"phone with letters", "1381234800a", nil, 400, "phone", "11 位"},
			{"no code", "13812340001", func(b map[string]any, _ string) { delete(b, "code") }, 400, "code", "验证码"},
			{"wrong code", "13812340002", func(b map[string]any, code string) { b["code"] = wrongCode(code) }, 400, "code", "不正确"},
			{"code of five digits", "13812340003", func(b map[string]any, _ string) { b["code"] = "12345" }, 400, "code", "6 位"},
			{"ID number with a bad checksum", "13812340004", func(b map[string]any, _ string) { b["id_number"] = badIDChecksum }, 400, "id_number", "校验位"},
			{"ID number with an impossible birth date", "13812340005", func(b map[string]any, _ string) { b["id_number"] = withIDCheck("64050219700230123") }, 400, "id_number", "出生日期"},
			{"ID number of a 12-year-old", "13812340006", func(b map[string]any, _ string) {
				b["id_number"] = withIDCheck("640502" + fmt.Sprint(time.Now().Year()-12) + "0101123")
			}, 400, "id_number", "16 周岁"},
			{"name with a digit", "13812340007", func(b map[string]any, _ string) { b["name"] = "马建国2" }, 400, "name", "数字"},
			{"empty name", "13812340008", func(b map[string]any, _ string) { b["name"] = "  " }, 400, "name", "姓名"},
			{"name of 21 characters", "13812340009", func(b map[string]any, _ string) { b["name"] = strings.Repeat("马", 21) }, 400, "name", "20"},
			{"a phone number as a skill", "13812340010", func(b map[string]any, _ string) { b["skills"] = []string{"搬运", "13812345678"} }, 400, "skills", "手机号"},
			{"no skill and nothing written", "13812340011", func(b map[string]any, _ string) { b["skills"] = []string{}; b["self_description"] = "" }, 400, "skills", "至少"},
			{"a certificate of 21 characters", "13812340012", func(b map[string]any, _ string) { b["certs"] = []string{strings.Repeat("证", 21)} }, 400, "certs", "20"},
			{"unknown station", "13812340013", func(b map[string]any, _ string) { b["station_code"] = "XX-S99" }, 400, "station_code", "XX-S99"},
			{"town of another district", "13812340014", func(b map[string]any, _ string) { b["town"] = "海城镇" }, 400, "town", "海城镇"},
			{"start date in the past", "13812340015", func(b map[string]any, _ string) { b["available_from"] = "2020-01-01" }, 400, "available_from", "早于今天"},
			{"end before start", "13812340016", func(b map[string]any, _ string) {
				b["available_from"] = string(domain.DateOf(time.Now()).AddDays(10))
				b["available_to"] = string(domain.DateOf(time.Now()).AddDays(5))
			}, 400, "available_to", "早于开始"},
			{"date not a date", "13812340017", func(b map[string]any, _ string) { b["available_from"] = "2026-13-01" }, 400, "available_from", "日期"},
			{"zero wage", "13812340018", func(b map[string]any, _ string) { b["expected_wage_fen"] = 0 }, 400, "expected_wage_fen", "工钱"},
			{"wage with a slipped digit", "13812340019", func(b map[string]any, _ string) { b["expected_wage_fen"] = 1500000 }, 400, "expected_wage_fen", "太高"},
			{"wage as a float", "13812340020", func(b map[string]any, _ string) { b["expected_wage_fen"] = 150.5 }, 400, "expected_wage_fen", "整数"},
			{"wage per whole job", "13812340021", func(b map[string]any, _ string) { b["expected_wage_unit"] = "job" }, 400, "expected_wage_unit", "元/天"},
			{"commute of 1000 km", "13812340022", func(b map[string]any, _ string) { b["max_commute_km"] = 1000 }, 400, "max_commute_km", "公里"},
			{"mass assignment of status", "13812340023", func(b map[string]any, _ string) { b["status"] = "inactive" }, 400, "status", "不支持"},
			{"mass assignment of worker_no", "13812340024", func(b map[string]any, _ string) { b["worker_no"] = "LG99999999" }, 400, "worker_no", "不支持"},
			{"mass assignment of card_version", "13812340025", func(b map[string]any, _ string) { b["card_version"] = 9 }, 400, "card_version", "不支持"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				workers, audit := env.count("workers"), env.count("audit_events")
				code := ""
				if n, err := domain.NormalizePhone("", tc.phone); err == nil {
					code = env.sendCode(n)
				}
				body := registration(tc.phone, code)
				if tc.change != nil {
					tc.change(body, code)
				}
				status, b, _ := env.do("POST", "/api/v1/workers", "", body)
				e := apiError(t, b)
				if status != tc.wantStatus || e.Field != tc.wantField || !strings.Contains(e.Message, tc.wantMsg) {
					t.Fatalf("got %d %+v, want %d on %q containing %q", status, e, tc.wantStatus, tc.wantField, tc.wantMsg)
				}
				if !hasHan(e.Message) {
					t.Errorf("message %q is not Chinese", e.Message)
				}
				if env.count("workers") != workers || env.count("audit_events") != audit {
					t.Errorf("something was saved")
				}
			})
		}
	})
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func wrongCode(code string) string {
	if code[0] == '9' {
		return "0" + code[1:]
	}
	return string(code[0]+1) + code[1:]
}

func withIDCheck(first17 string) string { return first17 + string(domain.IDCheck(first17)) }

// The SMS code's own rules through the API: it expires, a sixth try is refused even when right, a
// second send within 60 s is refused, and a forged X-Forwarded-For does not escape the per-IP limit.
func TestOTPRulesThroughTheAPI(t *testing.T) {
	eachEnv(t, domain.OTPLimits{PhoneInterval: 60 * time.Second, PhonePerHour: 5, IPPerHour: 5}, func(t *testing.T, env *testEnv) {
		t.Run("expired code", func(t *testing.T) {
			code := env.sendCode("13900000001")
			env.clock.Advance(5*time.Minute + time.Second)
			status, b, _ := env.do("POST", "/api/v1/workers", "", registration("13900000001", code))
			if e := apiError(t, b); status != 400 || e.Field != "code" || !strings.Contains(e.Message, "过期") {
				t.Fatalf("%d %+v", status, e)
			}
			if env.count("workers") != 0 {
				t.Error("saved a worker")
			}
		})
		t.Run("sixth try", func(t *testing.T) {
			code := env.sendCode("13900000002")
			for i := 1; i <= 5; i++ {
				status, b, _ := env.do("POST", "/api/v1/auth/worker", "", map[string]string{"phone": "13900000002", "code": wrongCode(code)})
				if e := apiError(t, b); status != 400 || e.Field != "code" {
					t.Fatalf("try %d: %d %+v", i, status, e)
				}
			}
			status, b, h := env.do("POST", "/api/v1/workers", "", registration("13900000002", code))
			if e := apiError(t, b); status != 429 || e.Field != "code" || !strings.Contains(e.Message, "作废") || h.Get("Retry-After") == "" {
				t.Fatalf("sixth try with the right code: %d %+v", status, e)
			}
			if env.count("workers") != 0 {
				t.Error("saved a worker")
			}
		})
		t.Run("second send within 60 s", func(t *testing.T) {
			env.sendCode("13900000003")
			status, b, h := env.do("POST", "/api/v1/auth/otp", "", map[string]string{"phone": "13900000003"})
			if e := apiError(t, b); status != 429 || e.Code != domain.CodeRateLimited || !strings.Contains(e.Message, "秒后") || h.Get("Retry-After") == "" {
				t.Fatalf("%d %+v", status, e)
			}
			env.clock.Advance(61 * time.Second)
			env.sendCode("13900000003")
		})
		t.Run("per-IP limit ignores a forged X-Forwarded-For", func(t *testing.T) {
			// Four codes went out from this address above; the fifth is the last one allowed.
			env.mustJSON("POST", "/api/v1/auth/otp", "", map[string]string{"phone": "13900000004"}, 202, nil)
			status, b, _ := env.do("POST", "/api/v1/auth/otp", "", map[string]string{"phone": "13900000005"}, "X-Forwarded-For", "203.0.113.9")
			if e := apiError(t, b); status != 429 || !strings.Contains(e.Message, "网络") {
				t.Fatalf("%d %+v", status, e)
			}
		})
		t.Run("bad phone", func(t *testing.T) {
			status, b, _ := env.do("POST", "/api/v1/auth/otp", "", map[string]string{"phone": "12345"})
			if e := apiError(t, b); status != 400 || e.Field != "phone" {
				t.Fatalf("%d %+v", status, e)
			}
		})
	})
}

// Registering, registering again (a login, never a duplicate), logging in, and the own profile.
func TestRegisterLoginAndProfile(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		first := env.register("+86 139 1234 5678", func(b map[string]any) { b["id_number"] = strings.ToLower(testID) })
		w := first.Worker
		if !first.Created || first.Token == "" || w.No != "LG00000001" || w.Phone != "13912345678" || w.StationCode != "ZN-S03" ||
			w.IDNumberMasked != domain.MaskIDNumber(testID) || !strings.HasPrefix(w.CardURL, testPublicURL+"/c/") {
			t.Fatalf("registered %+v", first)
		}
		events, _ := env.store.AuditEvents(t.Context(), "worker", w.ID)
		if len(events) != 1 || events[0].Action != "worker.register" {
			t.Errorf("audit %+v", events)
		}

		// The same phone again, with another name: 200, the same worker, untouched.
		var again registered
		body := registration("13912345678", env.sendCode("13912345678"))
		body["name"] = "冒名顶替"
		env.mustJSON("POST", "/api/v1/workers", "", body, 200, &again)
		if again.Created || again.Worker.ID != w.ID || again.Worker.Name != "马建国" || again.Token == "" {
			t.Errorf("second registration %+v", again)
		}
		if env.count("workers") != 1 {
			t.Errorf("%d workers, want 1", env.count("workers"))
		}

		// Login: an unregistered phone is 404 and its code stays good for registering.
		code := env.sendCode("13700000009")
		status, b, _ := env.do("POST", "/api/v1/auth/worker", "", map[string]string{"phone": "13700000009", "code": code})
		if e := apiError(t, b); status != 404 || e.Field != "phone" {
			t.Fatalf("login of an unregistered phone: %d %+v", status, e)
		}
		env.mustJSON("POST", "/api/v1/workers", "", registration("13700000009", code), 201, nil)
		var login workerLoginResponse
		env.mustJSON("POST", "/api/v1/auth/worker", "", map[string]string{"phone": "139 1234 5678", "code": env.sendCode("13912345678")}, 200, &login)
		if login.Worker.ID != w.ID || login.Token == "" {
			t.Errorf("login %+v", login)
		}

		// The own profile.
		var me workerView
		env.mustJSON("GET", "/api/v1/workers/me", login.Token, nil, 200, &me)
		if me.ID != w.ID || me.Phone != "13912345678" {
			t.Errorf("me %+v", me)
		}
		env.mustJSON("PATCH", "/api/v1/workers/me", login.Token, map[string]any{"name": "马建军", "district": "海原县", "expected_wage_fen": 2500, "expected_wage_unit": "hour"}, 200, &me)
		if me.Name != "马建军" || me.District != "海原县" || me.Town != "" || me.ExpectedWageUnit != domain.PerHour || me.Skills[0] != "搬运" {
			t.Errorf("patched %+v", me)
		}
		for name, patch := range map[string]string{
			"the phone cannot change here": `{"phone":"13800000000"}`,
			"no mass assignment":           `{"status":"inactive"}`,
			"a bad date":                   `{"available_to":"2020-01-01"}`,
			"a bad ID number":              `{"id_number":"` + badIDChecksum + `"}`,
		} {
			status, b, _ := env.do("PATCH", "/api/v1/workers/me", login.Token, patch)
			if status != 400 {
				t.Errorf("%s: %d %s", name, status, b)
			}
		}
		var after workerView
		env.mustJSON("GET", "/api/v1/workers/me", login.Token, nil, 200, &after)
		if after.Name != "马建军" || after.Status != "active" || after.IDNumberMasked != me.IDNumberMasked {
			t.Errorf("a refused patch changed something: %+v", after)
		}
		// Only the worker: no token 401, staff 403.
		if status, _, _ := env.do("GET", "/api/v1/workers/me", "", nil); status != 401 {
			t.Errorf("anonymous /me: %d", status)
		}
		if status, _, _ := env.do("GET", "/api/v1/workers/me", env.admin, nil); status != 403 {
			t.Errorf("admin /me: %d", status)
		}
		assertNoIDNumberInBodies(t, env)
	})
}

// 代登记: staff register a worker without a code, at their own station, audited; the card prints at
// once. Personal data stays at that station: staff elsewhere get 403, admins see all.
func TestStaffAssistedRegistrationAndStationScope(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		staffA, stationA := env.createStaff("staff_a", "SPT-S01")
		staffB, _ := env.createStaff("staff_b", "HY-S02")
		body := registration("13600000001", "")
		delete(body, "code")
		body["station_code"] = "HY-M1" // ignored: staff register at their own station
		var out registered
		env.mustJSON("POST", "/api/v1/workers", staffA, body, 201, &out)
		w := out.Worker
		if out.Token != "" || w.StationCode != stationA.Code || w.RegisteredBy == 0 || w.CardPDFURL != fmt.Sprintf("/api/v1/workers/%d/card.pdf", w.ID) {
			t.Fatalf("代登记 %+v", out)
		}
		events, _ := env.store.AuditEvents(t.Context(), "worker", w.ID)
		if len(events) != 1 || events[0].ActorKind != "staff" || !strings.Contains(events[0].Detail, `"via":"staff"`) {
			t.Errorf("audit %+v", events)
		}
		status, b, _ := env.do("POST", "/api/v1/workers", staffA, body)
		if e := apiError(t, b); status != 409 || e.Field != "phone" || !strings.Contains(e.Message, w.No) {
			t.Errorf("staff registering a registered phone: %d %+v", status, e)
		}
		// An admin names the station.
		adminBody := registration("13600000002", "")
		delete(adminBody, "code")
		var byAdmin registered
		env.mustJSON("POST", "/api/v1/workers", env.admin, adminBody, 201, &byAdmin)
		if byAdmin.Worker.StationCode != "ZN-S03" {
			t.Errorf("admin registration at %s", byAdmin.Worker.StationCode)
		}

		token := strings.TrimPrefix(w.CardURL, testPublicURL+"/c/")
		paths := []string{
			fmt.Sprintf("/api/v1/workers/%d", w.ID),
			"/api/v1/workers/lookup?q=" + w.No,
			"/api/v1/workers/lookup?q=" + strings.ToLower(w.No),
			"/api/v1/workers/lookup?q=" + w.CardURL,
			"/api/v1/workers/lookup?q=" + token,
			fmt.Sprintf("/api/v1/workers/%d/card.pdf", w.ID),
		}
		for _, p := range paths {
			for _, who := range []struct {
				name, token string
				want        int
			}{{"staff of the station", staffA, 200}, {"admin", env.admin, 200}, {"staff elsewhere", staffB, 403}, {"anonymous", "", 401}} {
				status, b, _ := env.do("GET", p, who.token, nil)
				if status != who.want {
					t.Errorf("%s GET %s = %d, want %d: %.200s", who.name, p, status, who.want, b)
				}
				if status == 200 && !strings.HasSuffix(p, ".pdf") && !strings.Contains(string(b), `"phone":"13600000001"`) {
					t.Errorf("%s GET %s: staff see the phone in full: %.300s", who.name, p, b)
				}
			}
		}
		// A worker token is not staff.
		status, _, _ = env.do("GET", "/api/v1/workers/lookup?q="+w.No, env.register("13600000003", nil).Token, nil)
		if status != 403 {
			t.Errorf("worker using the staff look-up: %d", status)
		}
		for _, q := range []string{"LG99999999", "notatoken", token[:len(token)-1] + "A", "/api/v1/workers/999999"} {
			p := "/api/v1/workers/lookup?q=" + q
			if strings.HasPrefix(q, "/") {
				p = q
			}
			if status, b, _ := env.do("GET", p, staffA, nil); status != 404 || apiError(t, b).Code != domain.CodeNotFound {
				t.Errorf("GET %s = %d %s, want 404", p, status, b)
			}
		}
	})
}

// A card token that was changed, or belongs to a revoked card, is refused everywhere.
func TestTamperedAndRevokedCardsAreRefused(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		r := env.register("13500000001", nil)
		token := strings.TrimPrefix(r.Worker.CardURL, testPublicURL+"/c/")
		tampered := []string{token[:5] + flip(token[5]) + token[6:], token[:len(token)-1] + flip(token[len(token)-1]),
			domain.CardToken(domain.DeriveKey([]byte("another-secret-key-0123456789abcdef"), "worker-card"), r.Worker.ID, 1),
			fmt.Sprint(r.Worker.ID)}
		for _, tok := range tampered {
			if status, b, _ := env.do("GET", "/api/v1/workers/lookup?q="+tok, env.admin, nil); status != 404 || !strings.Contains(apiError(t, b).Message, "无效") {
				t.Errorf("look-up of tampered %q: %d %s", tok, status, b)
			}
			if status, _, _ := env.do("GET", "/c/"+tok, "", nil); status != 404 {
				t.Errorf("page of tampered %q: %d", tok, status)
			}
		}
		if status, _, _ := env.do("GET", "/c/"+token, "", nil); status != 200 {
			t.Errorf("valid card page: %d", status)
		}
		var revoked workerView
		env.mustJSON("POST", "/api/v1/workers/me/card/revoke", r.Token, nil, 200, &revoked)
		if revoked.CardURL == r.Worker.CardURL {
			t.Fatal("revoking did not change the card")
		}
		if status, _, _ := env.do("GET", "/api/v1/workers/lookup?q="+token, env.admin, nil); status != 404 {
			t.Errorf("revoked card look-up: %d", status)
		}
		if status, _, _ := env.do("GET", "/api/v1/workers/lookup?q="+revoked.CardURL, env.admin, nil); status != 200 {
			t.Errorf("new card look-up: %d", status)
		}
	})
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestAdminSMSOutbox(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		env.sendCode("13800000001")
		env.sendCode("13800000002")
		var page listResponse[domain.SMSMessage]
		env.mustJSON("GET", "/api/v1/admin/sms-outbox?per_page=1&page=2", env.admin, nil, 200, &page)
		if page.Total != 2 || page.Page != 2 || page.PerPage != 1 || len(page.Items) != 1 || page.Items[0].Phone != "13800000001" || page.Items[0].Purpose != "otp" {
			t.Errorf("outbox page %+v", page)
		}
		staff, _ := env.createStaff("staff_sms", "SPT-M1")
		for _, tc := range []struct {
			token string
			path  string
			want  int
		}{{"", "/api/v1/admin/sms-outbox", 401}, {staff, "/api/v1/admin/sms-outbox", 403},
			{env.admin, "/api/v1/admin/sms-outbox?page=0", 400}, {env.admin, "/api/v1/admin/sms-outbox?per_page=1000", 400},
			{env.admin, "/api/v1/admin/sms-outbox?phone=12", 400}} {
			if status, _, _ := env.do("GET", tc.path, tc.token, nil); status != tc.want {
				t.Errorf("GET %s: %d, want %d", tc.path, status, tc.want)
			}
		}
	})
}

// assertNoIDNumberInBodies checks every response body of the test for a resident ID number in clear.
func assertNoIDNumberInBodies(t *testing.T, env *testEnv) {
	t.Helper()
	env.bodies.mu.Lock()
	defer env.bodies.mu.Unlock()
	for _, b := range env.bodies.bodies {
		if m := unmaskedID.Find(b); m != nil && strings.Contains(string(b), string(m)) && !isPDF(b) {
			t.Errorf("a response carried %q in clear: %.200s", m, b)
		}
	}
}

func isPDF(b []byte) bool { return len(b) > 4 && string(b[:4]) == "%PDF" }

// The vocabulary is open: a worker's own words for a trade are normalised when they name one (瓦工 is
// the mason's trade 砌筑工) and kept as written when the taxonomy lacks the trade (剪羊毛), certificates
// likewise; both survive a reload, on both databases.
func TestRegistrationKeepsTheWorkersOwnWords(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		r := env.register("13812341234", func(b map[string]any) {
			b["skills"] = []string{"瓦工", "剪羊毛"}
			b["certs"] = []string{"电焊证", "果树嫁接证"}
		})
		var me workerView
		env.mustJSON("GET", "/api/v1/workers/me", r.Token, nil, 200, &me)
		if !slices.Contains(me.Skills, "砌筑工") || !slices.Contains(me.Skills, "剪羊毛") || slices.Contains(me.Skills, "瓦工") {
			t.Errorf("skills %v, want 砌筑工 (from 瓦工) and the free tag 剪羊毛", me.Skills)
		}
		if !slices.Contains(me.Certs, "焊工证") || !slices.Contains(me.Certs, "果树嫁接证") {
			t.Errorf("certs %v, want 焊工证 (from 电焊证) and 果树嫁接证", me.Certs)
		}
	})
}
