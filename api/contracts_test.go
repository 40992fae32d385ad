package api

import (
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/test/testtool"
)

// employerWithKey makes an employer at a station with a working API key, straight in the database (the
// employers API is tested with the gigs), and returns its id and key.
func (env *testEnv) employerWithKey(name, stationCode string) (int64, string) {
	env.t.Helper()
	st, err := env.store.StationByCode(env.t.Context(), stationCode)
	if err != nil {
		env.t.Fatal(err)
	}
	now := time.Now().UTC()
	var id int64
	if err := env.db.QueryRow(`INSERT INTO employers (kind, name, contact_name, contact_phone, station_id, verified, created_at, updated_at)
		VALUES ('individual', $1, $1, '13900001111', $2, TRUE, $3, $3) RETURNING id`, name, st.ID, now).Scan(&id); err != nil {
		env.t.Fatal(err)
	}
	key := store.NewSecret(store.APIKeyPrefix)
	if _, err := env.db.Exec(`INSERT INTO api_keys (employer_id, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4)`,
		id, key[:10], store.HashSecret(key), now); err != nil {
		env.t.Fatal(err)
	}
	return id, key
}

// openJob makes an approved, open gig of the employer's at the station.
func (env *testEnv) openJob(employerID int64, stationCode string, headcount int) int64 {
	env.t.Helper()
	st, _ := env.store.StationByCode(env.t.Context(), stationCode)
	now := time.Now().UTC()
	start := domain.DateOf(now).AddDays(2)
	var id int64
	if err := env.db.QueryRow(`INSERT INTO jobs (employer_id, station_id, title, description, headcount, wage_fen, wage_unit,
		settlement, district, town, address, lat, lng, start_date, end_date, shifts, daily_hours, status, approved_at, created_at, updated_at)
		VALUES ($1, $2, '枸杞园急招摘果工', '摘枸杞，按天算', $3, 15000, 'day', 'daily', '中宁县', '新堡镇', '新堡镇枸杞基地',
		37.455, 105.74, $4, $5, '[{"start":"06:00","end":"12:00"}]', 6, 'open', $6, $6, $6) RETURNING id`,
		employerID, st.ID, headcount, string(start), string(start.AddDays(4)), now).Scan(&id); err != nil {
		env.t.Fatal(err)
	}
	return id
}

// confirmCode asks for a worker's confirmation code and reads it from the outbox.
func (env *testEnv) confirmCode(token, phone string) string {
	env.t.Helper()
	env.mustJSON("POST", "/api/v1/workers/me/otp", token, nil, 202, nil)
	return env.lastCode(phone)
}

type contractAnswer struct {
	Contract   domain.Contract         `json:"contract"`
	Signatures []domain.SignatureEvent `json:"signatures"`
	Awaiting   []domain.SignerRole     `json:"awaiting"`
	Terms      struct {
		Worker struct{ Name string } `json:"worker"`
		Wage   struct {
			AmountFen int64 `json:"amount_fen"`
		} `json:"wage"`
	} `json:"terms"`
}

// The whole path of issue 6 through the API: apply, accept, sign from both sides, print, verify,
// tamper and see verification fail.
func TestContractFromApplicationToVerifiedPDF(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		worker := env.register("13812345001", nil)
		other := env.register("13812345002", nil)
		empID, key := env.employerWithKey("王建国", "ZN-S03")
		job := env.openJob(empID, "ZN-S03", 3)

		var applied struct {
			Application domain.Application `json:"application"`
			Created     bool               `json:"created"`
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), worker.Token, nil, 201, &applied)
		again := applied
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), worker.Token, nil, 200, &again)
		if again.Application.ID != applied.Application.ID || again.Created {
			t.Errorf("second tap made another application: %+v", again)
		}
		var list listResponse[domain.ApplicationView]
		env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/applications", job), key, nil, 200, &list)
		if len(list.Items) != 1 || list.Items[0].WorkerName != "马**" || list.Items[0].WorkerPhone != "138****5001" {
			t.Errorf("employer's applicant list %+v: want masked name and phone", list.Items)
		}

		var accepted struct{ Contract domain.Contract }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, 201, &accepted)
		ct := accepted.Contract
		if !strings.HasPrefix(ct.Number, "ZW-") || ct.Status != domain.ContractDraft {
			t.Fatalf("contract %+v", ct)
		}
		var got contractAnswer
		env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), worker.Token, nil, 200, &got)
		if got.Terms.Worker.Name != "马建国" || got.Terms.Wage.AmountFen != 15000 || len(got.Awaiting) != 2 {
			t.Errorf("contract as the worker sees it: %+v", got)
		}
		// Others may not see it at all.
		if code, _, _ := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), other.Token, nil); code != 404 {
			t.Errorf("another worker reads the contract: %d", code)
		}
		staffB, _ := env.createStaff("hy-staff", "HY-M1")
		if code, _, _ := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), staffB, nil); code != 403 {
			t.Errorf("staff of another station prints the contract: %d", code)
		}

		// The worker signs with an SMS code; the code works once.
		code, b, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", ct.ID), worker.Token, map[string]string{})
		if code != 400 || apiError(t, b).Field != "code" {
			t.Errorf("signing without a code: %d %s", code, b)
		}
		sms := env.confirmCode(worker.Token, "13812345001")
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", ct.ID), worker.Token, map[string]string{"code": sms, "terms_hash": ct.TermsHash}, 200, &got)
		if got.Contract.Status != domain.ContractDraft || len(got.Awaiting) != 1 || got.Awaiting[0] != domain.SignerEmployer {
			t.Errorf("after the worker signed: %+v", got)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", ct.ID), key, nil, 200, &got)
		if got.Contract.Status != domain.ContractActive || len(got.Signatures) != 2 {
			t.Fatalf("after both signed: %+v", got)
		}
		if got.Signatures[0].Method != domain.SignSMS || got.Signatures[1].Method != domain.SignAPIKey || got.Signatures[0].IP == "" {
			t.Errorf("signature events %+v", got.Signatures)
		}

		// The PDF: real text, the embedded font, and a QR code that opens the verify page.
		_, pdf, hdr := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), worker.Token, nil)
		if !isPDF(pdf) || !strings.HasPrefix(hdr.Get("Content-Type"), "application/pdf") {
			t.Fatalf("not a PDF: %s", hdr)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		for _, want := range []string{"零工用工协议", ct.Number, "马建国", "王建国", "150", ct.TermsHash[:16]} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF text lacks %q", want)
			}
		}
		fonts := pdfFonts(t, pdf)
		if !strings.Contains(fonts, "yes") || !strings.Contains(strings.ToLower(fonts), "noto") {
			t.Errorf("pdffonts: the Chinese font is not embedded:\n%s", fonts)
		}
		var qrs []string
		for _, page := range pdfPages(t, pdf, 150) {
			qrs = append(qrs, qrCodesIn(t, page)...)
		}
		vpath := "/verify/" + ct.Number + "?code=" + testCheckCode(ct.Number)
		if !contains(qrs, testPublicURL+vpath) {
			t.Errorf("QR codes in the PDF %q; want the verify URL", qrs)
		}

		// Anyone can verify; the record is intact until someone changes a stored term.
		var v verification
		env.mustJSON("GET", "/api/v1"+vpath, "", nil, 200, &v)
		if !v.Intact || v.Status != domain.ContractActive || v.Worker != "马**" || len(v.Signatures) != 2 {
			t.Errorf("verification %+v", v)
		}
		if _, err := env.db.Exec("UPDATE contracts SET terms_json = replace(terms_json, '15000', '12000') WHERE id = $1", ct.ID); err != nil {
			t.Fatal(err)
		}
		env.mustJSON("GET", "/api/v1"+vpath, "", nil, 200, &v)
		if v.Intact || len(v.Problems) == 0 {
			t.Errorf("tampered terms still verify: %+v", v)
		}
		_, page, _ := env.do("GET", vpath, "", nil)
		if !strings.Contains(string(page), "记录不完整") {
			t.Errorf("the verify page does not say the record was altered")
		}
		// A tampered contract is never printed as if it were good.
		if code, _, _ := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), worker.Token, nil); code < 400 {
			t.Errorf("a tampered contract printed: %d", code)
		}
		if code, _, _ := env.do("GET", "/api/v1/verify/ZW-202601-999999?code="+testCheckCode("ZW-202601-999999"), "", nil); code != 404 {
			t.Errorf("unknown number: %d", code)
		}
		assertNoIDNumberInBodies(t, env)
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func pdfFonts(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := testtool.Require(t, "pdffonts")
	cmd := exec.Command(bin, "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v: %s", err, out)
	}
	return string(out)
}

// 200 concurrent accepts through the API on a gig with 5 places: exactly 5 contracts, the rest 409,
// no 5xx.
func TestConcurrentAcceptsThroughTheAPI(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		empID, key := env.employerWithKey("宁夏红宝枸杞产业有限公司", "ZN-M1")
		job := env.openJob(empID, "ZN-M1", 5)
		st, _ := env.store.StationByCode(t.Context(), "ZN-M1")
		now := time.Now().UTC()
		var apps []int64
		for i := 0; i < 200; i++ {
			var wid, aid int64
			if err := env.db.QueryRow(`INSERT INTO workers (worker_no, phone, name, station_id, created_at, updated_at)
				VALUES ($1, $2, '杨志强', $3, $4, $4) RETURNING id`, fmt.Sprintf("LT%08d", i), fmt.Sprintf("139%08d", i), st.ID, now).Scan(&wid); err != nil {
				t.Fatal(err)
			}
			if err := env.db.QueryRow(`INSERT INTO applications (job_id, worker_id, origin, status, created_at, updated_at)
				VALUES ($1, $2, 'applied', 'pending', $3, $3) RETURNING id`, job, wid, now).Scan(&aid); err != nil {
				t.Fatal(err)
			}
			apps = append(apps, aid)
		}
		statuses := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Add(1)
			go func(a int64) {
				defer wg.Done()
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/applications/%d/accept", env.http.URL, a), nil)
				req.Header.Set("Authorization", "Bearer "+key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}(a)
		}
		wg.Wait()
		if statuses[201] != 5 || statuses[409] != 195 {
			t.Errorf("statuses %v; want 5×201 and 195×409", statuses)
		}
		if n := env.count("contracts"); n != 5 {
			t.Errorf("%d contracts", n)
		}
	})
}

// Station staff print the day's contracts as one PDF; staff of another station may not.
func TestStationPrintsTodaysContractsAsOnePDF(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		empID, key := env.employerWithKey("李秀兰", "ZN-S03")
		job := env.openJob(empID, "ZN-S03", 5)
		var numbers []string
		for i, phone := range []string{"13812345011", "13812345012"} {
			w := env.register(phone, nil)
			var applied struct{ Application domain.Application }
			env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), w.Token, nil, 201, &applied)
			var acc struct{ Contract domain.Contract }
			env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, 201, &acc)
			numbers = append(numbers, acc.Contract.Number)
			_ = i
		}
		staffA, _ := env.createStaff("zn-staff", "ZN-S03")
		staffB, _ := env.createStaff("hy-staff", "HY-M1")
		code, pdf, _ := env.do("GET", "/api/v1/stations/ZN-S03/contracts.pdf", staffA, nil)
		if code != 200 || !isPDF(pdf) {
			t.Fatalf("batch: %d", code)
		}
		text := pdfText(t, pdf)
		for _, n := range numbers {
			if !strings.Contains(text, n) {
				t.Errorf("batch lacks %s", n)
			}
		}
		if code, _, _ := env.do("GET", "/api/v1/stations/ZN-S03/contracts.pdf", staffB, nil); code != 403 {
			t.Errorf("other station's staff: %d", code)
		}
		// Staff witness a handwritten signature for a worker without a phone.
		var list listResponse[domain.Contract]
		env.mustJSON("GET", "/api/v1/employer/contracts", key, nil, 200, &list)
		var got contractAnswer
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", list.Items[0].ID), staffA, map[string]string{"role": "worker"}, 200, &got)
		if len(got.Signatures) != 1 || got.Signatures[0].Method != domain.SignStaffWitness {
			t.Errorf("witnessed signature %+v", got.Signatures)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", list.Items[0].ID), staffB, map[string]string{"role": "employer"}); code != 403 {
			t.Errorf("another station's staff witnessing: %d", code)
		}
	})
}

// A worker confirms a contract on the phone page: send the code, type it, done; a wrong code is
// explained next to the field.
func TestWorkerConfirmsAContractOnThePage(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		w := env.register("13812345021", nil)
		empID, key := env.employerWithKey("张玉梅", "ZN-S03")
		job := env.openJob(empID, "ZN-S03", 2)
		var applied struct{ Application domain.Application }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), w.Token, nil, 201, &applied)
		var acc struct{ Contract domain.Contract }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, 201, &acc)
		ct := acc.Contract

		b := env.browser()
		u, _ := url.Parse(env.http.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: w.Token, Path: "/"}})
		code, _, me := b.get("/me")
		if code != 200 || !strings.Contains(me, ct.Number) || !strings.Contains(me, "查看并确认合约") || !strings.Contains(me, "已录用") {
			t.Fatalf("/me does not offer the contract: %d", code)
		}
		page := fmt.Sprintf("/me/contracts/%d", ct.ID)
		code, _, body := b.get(page)
		if code != 200 || !strings.Contains(body, "150 元/天") || !strings.Contains(body, "张玉梅") {
			t.Fatalf("contract page: %d", code)
		}
		csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)[1]
		code, loc, _ := b.post(page+"/code", url.Values{"csrf_token": {csrf}})
		if code != 303 || !strings.Contains(loc, "sent=") {
			t.Fatalf("send code: %d %s", code, loc)
		}
		sms := env.lastCode("13812345021")
		code, _, body = b.post(page+"/sign", url.Values{"csrf_token": {csrf}, "code": {wrongCode(sms)}, "terms_hash": {ct.TermsHash}})
		if code != 400 || !strings.Contains(body, `id="code-error"`) || !strings.Contains(body, "验证码不正确") {
			t.Errorf("wrong code: %d", code)
		}
		code, loc, _ = b.post(page+"/sign", url.Values{"csrf_token": {csrf}, "code": {sms}, "terms_hash": {ct.TermsHash}})
		if code != 303 || !strings.Contains(loc, "signed=1") {
			t.Fatalf("sign: %d %s", code, loc)
		}
		var got contractAnswer
		env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), w.Token, nil, 200, &got)
		if len(got.Signatures) != 1 || got.Signatures[0].Role != domain.SignerWorker || got.Signatures[0].Method != domain.SignSMS {
			t.Errorf("signatures after the page: %+v", got.Signatures)
		}
		// Without the session's token the form is refused.
		if code, _, _ := b.post(page+"/code", url.Values{"csrf_token": {"forged"}}); code != 403 {
			t.Errorf("forged csrf: %d", code)
		}
	})
}

// Taking a gig's last place takes it out of the library at once; a withdrawal before signing puts it
// back.
func TestAcceptingTheLastPlaceLeavesTheLibrary(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["headcount"] = 1 }))
		e.approve(e.staffA, job.ID)
		if !e.index.has(job.ID) {
			t.Fatal("approved gig not in the library")
		}
		st, _ := e.store.StationByCode(t.Context(), "ZN-S03")
		_, sess, _, err := e.store.RegisterWorker(t.Context(), domain.Registration{PhoneVerified: true,
			Worker: domain.Worker{Phone: "13812349901", Name: "马福海", District: "中宁县", Town: "新堡镇", StationID: st.ID, StationCode: st.Code,
				Skills: []string{"枸杞采摘"}, Certs: []string{}, AvailableFrom: "2026-05-10", ExpectedWageUnit: domain.PerDay, MaxCommuteKm: 20}})
		if err != nil {
			t.Fatal(err)
		}
		var applied struct{ Application domain.Application }
		if code := e.call("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job.ID), sess.Token, nil, &applied); code != 201 {
			t.Fatalf("apply: %d", code)
		}
		if code := e.call("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), emp.Key, nil, nil); code != 201 {
			t.Fatalf("accept: %d", code)
		}
		if e.index.has(job.ID) {
			t.Error("a gig with no place left is still in the library")
		}
		if code := e.call("POST", fmt.Sprintf("/api/v1/applications/%d/withdraw", applied.Application.ID), sess.Token, nil, nil); code != 200 {
			t.Fatalf("withdraw: %d", code)
		}
		if !e.index.has(job.ID) {
			t.Error("the freed place did not bring the gig back to the library")
		}
	})
}
