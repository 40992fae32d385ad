package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
	"lingong/sms/smstest"
	"lingong/store/storetest"
)

// smsEnv is an api server whose SMS go through a fake provider, with the callbacks on.
type smsEnv struct {
	*env
	fake *smstest.Provider
	url  string // the server's base URL, where the fake posts its callbacks
}

func eachSMSEnv(t *testing.T, fn func(t *testing.T, e smsEnv)) {
	for _, provider := range []string{"aliyun", "tencent"} {
		for _, eng := range storetest.Engines(t) {
			t.Run(provider+"/"+eng.Name, func(t *testing.T) {
				fake := smstest.NewAliyun(t)
				if provider == "tencent" {
					fake = smstest.NewTencent(t)
				}
				e := newEnvWith(t, eng, app.Options{SMSCallbackToken: testCallbackToken},
					app.Deps{SMS: sms.NewSender(fake.Driver(), nil, sms.Options{}), SMSCallbacks: sms.Callbacks{}})
				srv := httptest.NewServer(e.h)
				t.Cleanup(srv.Close)
				fn(t, smsEnv{env: e, fake: fake, url: srv.URL})
			})
		}
	}
}

// callback posts a body to our callback as the provider would; kind is receipts or replies.
func (e smsEnv) callback(kind, token string, body []byte) int {
	e.t.Helper()
	return smstest.Post(e.t, fmt.Sprintf("%s/api/v1/sms/%s/%s?token=%s", e.url, e.fake.Kind, kind, token), body)
}

// sentTo is what the fake provider accepted for phone, of the template, oldest first.
func (e smsEnv) sentTo(phone string, kind domain.SMSKind) []smstest.Sent {
	var out []smstest.Sent
	for _, s := range e.fake.Sent() {
		if s.Phone == phone && (kind == "" || s.Template == "T-"+string(kind)) {
			out = append(out, s)
		}
	}
	return out
}

// outbox is the outbox's record of the message with our reference.
func (e smsEnv) outbox(phone, ref string) domain.SMSMessage {
	e.t.Helper()
	var out listResponse[domain.SMSMessage]
	e.call("GET", "/api/v1/admin/sms-outbox?per_page=100&phone="+phone, e.admin, nil, &out)
	for _, m := range out.Items {
		if m.Ref == ref {
			return m
		}
	}
	e.t.Fatalf("no message %s to %s in the outbox", ref, phone)
	return domain.SMSMessage{}
}

func (e smsEnv) applicationsOf(w testWorker) []domain.ApplicationView {
	e.t.Helper()
	var out listResponse[domain.ApplicationView]
	if code := e.call("GET", "/api/v1/workers/me/applications?per_page=100", w.Token, nil, &out); code != 200 {
		e.t.Fatalf("applications: %d", code)
	}
	return out.Items
}

// A pushed gig reaches the worker through the provider as its template; the worker's reply 1, posted
// back by the provider, applies them for that gig once (a repeated callback creates nothing more and
// texts nothing more) and they are told; the delivery receipts move the message's state forward only;
// a reply asking to sign is refused with where to sign; one not understood gets the help text with
// the station's phone; TD opts out of pushes; a callback without the secret is refused and does nothing.
func TestSMSRepliesEndToEnd(t *testing.T) {
	eachSMSEnv(t, func(t *testing.T, e smsEnv) {
		w := e.worker("ZN-S03", nil)
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approveAndPush(e.staffA, job.ID)
		pushes := e.sentTo(w.Phone, domain.SMSPush)
		if len(pushes) != 1 || e.fake.BadSignatures() != 0 {
			t.Fatalf("push SMS through the provider: %+v (bad signatures %d)", pushes, e.fake.BadSignatures())
		}
		push := pushes[0]
		link := fmt.Sprintf("http://lg.test/jobs/%d", job.ID)
		if p := push.Params; p["link"] != link && p["5"] != link {
			t.Errorf("push variables %v lack the link %s", p, link)
		}
		if m := e.outbox(w.Phone, push.Ref); m.Status != domain.SMSSent || m.Kind != domain.SMSPush || m.Asks != domain.AsksPush ||
			m.Subject != job.ID || m.ProviderID != push.ID || !strings.Contains(m.Body, "回复1报名") {
			t.Errorf("outbox record %+v", m)
		}

		// Receipts: delivered; the same again; a late "failed" after it: the message stays delivered.
		if code := e.callback("receipts", testCallbackToken, e.fake.ReceiptBody(push, true, "DELIVERED")); code != 200 {
			t.Fatalf("receipt: %d", code)
		}
		e.callback("receipts", testCallbackToken, e.fake.ReceiptBody(push, true, "DELIVERED"))
		e.callback("receipts", testCallbackToken, e.fake.ReceiptBody(push, false, "MK:0001"))
		if m := e.outbox(w.Phone, push.Ref); m.Status != domain.SMSDelivered {
			t.Errorf("after delivered, duplicate and a late failure: %s (%s)", m.Status, m.ProviderCode)
		}

		// Without the secret: refused, nothing applied.
		if code := e.callback("replies", "guess", e.fake.ReplyBody(w.Phone, "1", 1, e.clock.clock()())); code != 401 {
			t.Errorf("reply without the token: %d, want 401", code)
		}
		if n := len(e.applicationsOf(w)); n != 0 {
			t.Fatalf("%d applications after a refused callback", n)
		}

		// A reply stamped older than the window (a provider replaying an old backlog) acts on nothing.
		old := e.clock.clock()().Add(-app.DefaultSMSReplyWindow - 10*time.Minute)
		if code := e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "1", 90, old)); code != 200 {
			t.Fatalf("old reply: %d", code)
		}
		if n, m := len(e.applicationsOf(w)), len(e.sentTo(w.Phone, "")); n != 0 || m != 2 {
			t.Fatalf("an old reply made %d applications and the worker has %d messages (want 0, and the login code and the push)", n, m)
		}

		// Reply 1, and the provider repeats its callback.
		for range 2 {
			if code := e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "１", 1, e.clock.clock()())); code != 200 {
				t.Fatalf("reply: %d", code)
			}
		}
		apps := e.applicationsOf(w)
		if len(apps) != 1 || apps[0].JobID != job.ID {
			t.Fatalf("applications after reply 1 (twice): %+v", apps)
		}
		if done := e.sentTo(w.Phone, domain.SMSReplyDone); len(done) != 1 || !strings.Contains(done[0].Params[firstVar(done[0])], "已为您报名") {
			t.Errorf("confirmations: %+v", done)
		}

		// Asking to sign by SMS; gibberish; then TD.
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "签约", 2, e.clock.clock()()))
		if got := e.sentTo(w.Phone, domain.SMSReplySign); len(got) != 1 {
			t.Errorf("sign refusals: %+v", got)
		}
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "明天几点到？", 3, e.clock.clock()()))
		help := e.sentTo(w.Phone, domain.SMSReplyHelp)
		station, err := e.store.StationByCode(t.Context(), "ZN-S03")
		if err != nil || station.Phone == "" {
			t.Fatalf("station ZN-S03: %+v %v", station, err)
		}
		if len(help) != 1 || !strings.Contains(fmt.Sprint(help[0].Params), station.Phone) {
			t.Errorf("help %+v does not name the station's phone %s", help, station.Phone)
		}
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "TD", 4, e.clock.clock()()))
		var me domain.Worker
		if code := e.call("GET", "/api/v1/workers/me", w.Token, nil, &me); code != 200 || !me.PushOptOut {
			t.Errorf("after TD: %d, push_opt_out %v", code, me.PushOptOut)
		}
	})
}

// firstVar is the name of a sent message's first variable (a name for Alibaba Cloud, "1" for Tencent).
func firstVar(s smstest.Sent) string {
	if _, ok := s.Params["1"]; ok {
		return "1"
	}
	for k := range s.Params {
		return k
	}
	return ""
}

// answerOf is the worker's answer to one ledger line, or nil.
func answerOf(l ledgerResponse, entryID int64) *domain.LedgerResponse {
	for _, e := range l.Entries {
		if e.ID == entryID {
			return e.Response
		}
	}
	return nil
}

// A wage line's SMS asks Y or N: a reply Y confirms the payment, N with words disputes it with them as
// the reason, through the same use case as the page (the station's dispute queue sees it); a repeated
// callback answers nothing twice; a reply after the window acts on nothing and gets the help text.
func TestWageLinesAnsweredBySMS(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		fake := smstest.NewAliyun(t) // only for its callbacks' format
		reply := func(phone, text string, seq int) {
			t.Helper()
			code, body, _ := env.do("POST", "/api/v1/sms/aliyun/replies?token="+testCallbackToken, "", string(fake.ReplyBody(phone, text, seq, env.clock.Now())))
			if code != 200 {
				t.Fatalf("reply %q: %d %s", text, code, body)
			}
		}
		lastOfKind := func(phone string, kind domain.SMSKind) domain.SMSMessage {
			var out listResponse[domain.SMSMessage]
			env.mustJSON("GET", "/api/v1/admin/sms-outbox?per_page=100&phone="+phone, env.admin, nil, 200, &out)
			for _, m := range out.Items {
				if m.Kind == kind {
					return m
				}
			}
			return domain.SMSMessage{}
		}
		ct := env.pieceContract("13812346031")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		var pay1, pay2, pay3 domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 5000, "method": "cash"}, 201, &pay1)
		if m := lastOfKind(ct.Phone, domain.SMSWagePayment); m.Subject != pay1.ID || m.Asks != domain.AsksWage || !strings.Contains(m.Body, "回复Y") {
			t.Fatalf("payment SMS: %+v", m)
		}
		reply(ct.Phone, "y", 1)
		reply(ct.Phone, "y", 1) // the provider repeats itself
		if a := answerOf(env.ledgerOf(ct.ID, ct.Worker.Token), pay1.ID); a == nil || a.Response != "confirm" {
			t.Fatalf("after Y: %+v", a)
		}
		if n := strings.Count(fmt.Sprint(lastOfKind(ct.Phone, domain.SMSReplyDone).Body), "确认收到"); n != 1 {
			t.Errorf("confirmation SMS: %q", lastOfKind(ct.Phone, domain.SMSReplyDone).Body)
		}

		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 3000, "method": "wechat"}, 201, &pay2)
		reply(ct.Phone, "N 只收到20元", 2)
		if a := answerOf(env.ledgerOf(ct.ID, ct.Worker.Token), pay2.ID); a == nil || a.Response != "dispute" || a.Reason != "只收到20元" {
			t.Fatalf("after N: %+v", a)
		}

		// A payment, then silence past the window (72 h): Y now answers nothing and explains.
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 1000, "method": "cash"}, 201, &pay3)
		helpBefore := lastOfKind(ct.Phone, domain.SMSReplyHelp).ID
		env.clock.Advance(app.DefaultSMSReplyWindow + time.Minute)
		env.admin = env.login("admin", "admin-test-password") // sessions ran out meanwhile
		reply(ct.Phone, "Y", 3)
		if a := answerOf(env.ledgerOf(ct.ID, ct.Key), pay3.ID); a != nil {
			t.Errorf("a reply after the window answered the line: %+v", a)
		}
		if h := lastOfKind(ct.Phone, domain.SMSReplyHelp); h.ID == helpBefore {
			t.Errorf("no help SMS after a reply past the window")
		}
	})
}

// Failed deliveries show on the worker's console page, and a worker whose last three messages all
// failed is flagged for staff to call; two failures under a delivered newest one are not a flag.
func TestConsoleFlagsWorkersWhoseMessagesKeepFailing(t *testing.T) {
	eachSMSEnv(t, func(t *testing.T, e smsEnv) {
		if e.fake.Kind != "aliyun" || e.eng.Name != "sqlite" {
			t.Skip("one provider and engine suffice for the page; the receipts run on all in TestSMSRepliesEndToEnd")
		}
		w := e.worker("ZN-S03", nil) // a login code
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "?", 1, e.clock.clock()()))
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "??", 2, e.clock.clock()()))
		sent := e.sentTo(w.Phone, "")
		if len(sent) != 3 {
			t.Fatalf("sent %d messages, want 3", len(sent))
		}
		page := fmt.Sprintf("/console/workers/%d", w.ID)
		fail := func(s smstest.Sent) {
			e.callback("receipts", testCallbackToken, e.fake.ReceiptBody(s, false, "MOBILE_NOT_ON_SERVICE"))
		}

		fail(sent[0])
		fail(sent[1])
		e.callback("receipts", testCallbackToken, e.fake.ReceiptBody(sent[2], true, "DELIVERED"))
		code, body := e.pageAs(e.staffA, page)
		if code != 200 || !strings.Contains(body, `id="sms-failed"`) || strings.Contains(body, `id="sms-flag"`) {
			t.Fatalf("two failures under a delivered one: %d, failed list %v, flag %v", code, strings.Contains(body, `id="sms-failed"`), strings.Contains(body, `id="sms-flag"`))
		}
		if !strings.Contains(body, "验证码短信（内容不显示）") || !strings.Contains(body, "MOBILE_NOT_ON_SERVICE") {
			t.Errorf("the failed list shows a code, or not the provider's reason")
		}

		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "???", 3, e.clock.clock()()))
		sent = e.sentTo(w.Phone, "")
		for _, s := range sent[3:] {
			fail(s)
		}
		// failed, failed, delivered, failed: the newest three hold a delivered one.
		if _, body = e.pageAs(e.staffA, page); strings.Contains(body, `id="sms-flag"`) {
			t.Fatalf("flagged with a delivered message among the last three")
		}
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "????", 4, e.clock.clock()()))
		e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "?????", 5, e.clock.clock()()))
		sent = e.sentTo(w.Phone, "")
		for _, s := range sent[4:] {
			fail(s)
		}
		if _, body = e.pageAs(e.staffA, page); !strings.Contains(body, `id="sms-flag"`) {
			t.Errorf("three failures in a row are not flagged")
		}
		if code, _ := e.pageAs(e.staffB, page); code != 403 {
			t.Errorf("another station's staff: %d, want 403", code)
		}
	})
}

// An offer's SMS asks 1 to accept: the reply agrees to the offer through the same use case as the
// page (the contract is drafted), once, and the confirmation says where to sign.
func TestOfferAcceptedBySMSReply(t *testing.T) {
	eachSMSEnv(t, func(t *testing.T, e smsEnv) {
		if e.eng.Name != "sqlite" {
			t.Skip("the reply path is the same as TestSMSRepliesEndToEnd's, which runs on both engines")
		}
		w := e.worker("ZN-S03", nil)
		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody())
		e.approve(e.staffA, job.ID)
		e.srv.app.WaitForPushes()
		var offer struct{ Application domain.Application }
		if r := e.do("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job.ID), emp.Key, map[string]int64{"worker_id": w.ID}); r.Code != 201 {
			t.Fatalf("invite: %d %s", r.Code, r.Body)
		} else if err := json.Unmarshal(r.Body.Bytes(), &offer); err != nil {
			t.Fatal(err)
		}
		if got := e.sentTo(w.Phone, domain.SMSOffer); len(got) != 1 {
			t.Fatalf("offer SMS: %+v", got)
		}
		for range 2 { // the provider repeats its callback
			if code := e.callback("replies", testCallbackToken, e.fake.ReplyBody(w.Phone, "1", 1, e.clock.clock()())); code != 200 {
				t.Fatalf("reply: %d", code)
			}
		}
		db := storetest.SQL(t, e.eng)
		var n int
		if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM contracts WHERE application_id = %d", offer.Application.ID)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d contracts after the reply 1 (twice), want 1 (%v)", n, err)
		}
		done := e.sentTo(w.Phone, domain.SMSReplyDone)
		if len(done) != 1 || !strings.Contains(fmt.Sprint(done[0].Params), "已接受邀请") {
			t.Errorf("confirmation: %+v", done)
		}
	})
}
