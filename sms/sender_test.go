package sms_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
	"lingong/sms/smstest"
)

// fakeTime is a clock that moves only when the sender sleeps (or the test says so).
type fakeTime struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (f *fakeTime) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fakeTime) Sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slept = append(f.slept, d)
	f.now = f.now.Add(d)
	return nil
}
func (f *fakeTime) advance(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() }

func newSender(primary, fallback sms.Provider, o sms.Options) (*sms.Sender, *fakeTime) {
	ft := &fakeTime{now: time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)}
	o.Sleep, o.Now = ft.Sleep, ft.Now
	return sms.NewSender(primary, fallback, o), ft
}

// push is a push message as app hands it to the sender.
func push(ref, phone string) app.OutgoingSMS {
	m := domain.SMS{Kind: domain.SMSPush, Params: map[string]string{"title": "枸杞采摘（中宁）", "wage": "150 元/天",
		"place": "中宁县新堡镇", "start": "5月12日", "link": "https://lg.zw.gov.cn/jobs/12"}}
	t, params, err := m.Prepare()
	if err != nil {
		panic(err)
	}
	return app.OutgoingSMS{Ref: ref, Phone: phone, Template: t, Params: params, Body: t.Render("中卫零工", params)}
}

func fakes(t *testing.T) map[string]*smstest.Provider {
	return map[string]*smstest.Provider{"aliyun": smstest.NewAliyun(t), "tencent": smstest.NewTencent(t)}
}

// Each driver sends the template's code, the sign name, the variables (by name to Alibaba Cloud, in
// template order to Tencent Cloud) and our reference, in a request whose signature the fake provider
// verifies, and reports the provider's id.
func TestDriversSendSignedTemplateRequests(t *testing.T) {
	for name, fake := range fakes(t) {
		t.Run(name, func(t *testing.T) {
			s, _ := newSender(fake.Driver(), nil, sms.Options{})
			acc, err := s.Send(context.Background(), push("ref-0001", "13812345678"))
			if err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent()
			if fake.BadSignatures() != 0 || len(sent) != 1 {
				t.Fatalf("bad signatures %d, sent %d", fake.BadSignatures(), len(sent))
			}
			got := sent[0]
			if got.Phone != "13812345678" || got.Template != "T-push" || got.Sign != "中卫零工" || got.Ref != "ref-0001" {
				t.Errorf("sent %+v", got)
			}
			want := map[string]string{"title": "枸杞采摘（中宁）", "wage": "150 元/天", "place": "中宁县新堡镇", "start": "5月12日", "link": "https://lg.zw.gov.cn/jobs/12"}
			if name == "tencent" {
				want = map[string]string{"1": "枸杞采摘（中宁）", "2": "150 元/天", "3": "中宁县新堡镇", "4": "5月12日", "5": "https://lg.zw.gov.cn/jobs/12"}
			}
			if !maps.Equal(got.Params, want) {
				t.Errorf("params %v, want %v", got.Params, want)
			}
			if acc.Provider != name || acc.ProviderID != got.ID {
				t.Errorf("accepted %+v, provider's id %s", acc, got.ID)
			}
		})
	}
}

// A wrong key is refused by the provider (its signature check), and that stops the provider: no retry.
func TestWrongKeyIsRefusedBySignatureCheck(t *testing.T) {
	fake := smstest.NewAliyun(t)
	d := fake.Driver().(*sms.Aliyun)
	d.AccessKeySecret = "not-the-secret"
	s, _ := newSender(d, nil, sms.Options{Retries: 3})
	_, err := s.Send(context.Background(), push("ref-0002", "13812345678"))
	var e *sms.Error
	if !errors.As(err, &e) || e.Code != "SignatureDoesNotMatch" || e.Class != sms.Down || fake.Calls() != 1 {
		t.Fatalf("err %v, calls %d", err, fake.Calls())
	}
}

// Throttling, a busy server and a bare 503 are retried, with doubling pauses, until the message is
// taken; it is taken once.
func TestRetryableErrorsAreRetriedWithBackoff(t *testing.T) {
	scripts := map[string][]smstest.Answer{
		"aliyun":  {"Throttling.User", "isp.SYSTEM_ERROR", "http503"},
		"tencent": {"RequestLimitExceeded", "InternalError.Timeout", "http503"},
	}
	for name, fake := range fakes(t) {
		t.Run(name, func(t *testing.T) {
			fake.Script(scripts[name]...)
			s, ft := newSender(fake.Driver(), nil, sms.Options{Retries: 3, Backoff: 100 * time.Millisecond})
			if _, err := s.Send(context.Background(), push("ref-r", "13812345678")); err != nil {
				t.Fatal(err)
			}
			if fake.Calls() != 4 || len(fake.Sent()) != 1 {
				t.Fatalf("calls %d, sent %d; want 4 calls, 1 sent", fake.Calls(), len(fake.Sent()))
			}
			if len(ft.slept) != 3 || ft.slept[0] < 100*time.Millisecond || ft.slept[1] < 200*time.Millisecond || ft.slept[2] < 400*time.Millisecond {
				t.Errorf("pauses %v, want 3 doubling from 100ms", ft.slept)
			}
		})
	}
}

// When the retries run out the message fails with the provider's code.
func TestRetriesRunOut(t *testing.T) {
	fake := smstest.NewTencent(t)
	fake.Script("RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded")
	s, _ := newSender(fake.Driver(), nil, sms.Options{Retries: 2})
	_, err := s.Send(context.Background(), push("ref-x", "13812345678"))
	var pc interface{ ProviderCode() string }
	if !errors.As(err, &pc) || pc.ProviderCode() != "tencent:RequestLimitExceeded" || fake.Calls() != 3 || len(fake.Sent()) != 0 {
		t.Fatalf("err %v, calls %d", err, fake.Calls())
	}
}

// A final error (a bad number, the phone's own frequency limit) is not retried, nor sent elsewhere.
func TestFinalErrorsAreNotRetried(t *testing.T) {
	finals := map[string]smstest.Answer{"aliyun": "isv.BUSINESS_LIMIT_CONTROL", "tencent": "LimitExceeded.PhoneNumberDailyLimit"}
	for name, fake := range fakes(t) {
		t.Run(name, func(t *testing.T) {
			other := smstest.NewAliyun(t)
			fake.Script(finals[name])
			s, _ := newSender(fake.Driver(), other.Driver(), sms.Options{Retries: 3})
			_, err := s.Send(context.Background(), push("ref-f", "13812345678"))
			var e *sms.Error
			if !errors.As(err, &e) || e.Class != sms.Final || e.Code != string(finals[name]) {
				t.Fatalf("err %v", err)
			}
			if fake.Calls() != 1 || other.Calls() != 0 {
				t.Errorf("calls %d, fallback calls %d; want 1 and 0", fake.Calls(), other.Calls())
			}
		})
	}
}

// A provider that is down (no balance) hands the message to the fallback, with the same reference.
func TestFallbackTakesOverWhenThePrimaryIsDown(t *testing.T) {
	primary, fallback := smstest.NewAliyun(t), smstest.NewTencent(t)
	primary.Script("isv.AMOUNT_NOT_ENOUGH")
	s, _ := newSender(primary.Driver(), fallback.Driver(), sms.Options{Retries: 2})
	acc, err := s.Send(context.Background(), push("ref-fb", "13812345678"))
	if err != nil || acc.Provider != "tencent" {
		t.Fatalf("accepted %+v, err %v", acc, err)
	}
	if primary.Calls() != 1 || len(fallback.Sent()) != 1 || fallback.Sent()[0].Ref != "ref-fb" {
		t.Errorf("primary calls %d, fallback sent %+v", primary.Calls(), fallback.Sent())
	}
}

// No answer (the request went out, the time ran out): the message may have been sent, so it is not
// sent again, here or through the fallback; it counts as sent, unconfirmed, until its receipt.
func TestNoAnswerIsNeverSentTwice(t *testing.T) {
	primary, fallback := smstest.NewAliyun(t), smstest.NewTencent(t)
	primary.Script("hang")
	s, _ := newSender(primary.Driver(), fallback.Driver(), sms.Options{Retries: 3, Timeout: 150 * time.Millisecond})
	acc, err := s.Send(context.Background(), push("ref-h", "13812345678"))
	if err != nil || acc.Code != "unconfirmed" || acc.Provider != "aliyun" {
		t.Fatalf("accepted %+v, err %v", acc, err)
	}
	if primary.Calls() != 1 || fallback.Calls() != 0 {
		t.Errorf("primary calls %d, fallback calls %d; want 1 and 0", primary.Calls(), fallback.Calls())
	}
}

// The per-phone limit refuses the message past it, and lets the phone through again an hour later.
func TestPerPhoneLimit(t *testing.T) {
	fake := smstest.NewAliyun(t)
	s, ft := newSender(fake.Driver(), nil, sms.Options{PhonePerHour: 2})
	ctx := context.Background()
	for i := range 2 {
		if _, err := s.Send(ctx, push("ref-p"+string(rune('a'+i)), "13812345678")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Send(ctx, push("ref-pc", "13812345678")); !errors.Is(err, sms.ErrPhoneLimit) {
		t.Fatalf("third in the hour: %v", err)
	}
	if _, err := s.Send(ctx, push("ref-other", "13912345678")); err != nil {
		t.Fatalf("another phone: %v", err)
	}
	ft.advance(time.Hour)
	if _, err := s.Send(ctx, push("ref-pd", "13812345678")); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	if n := len(fake.Sent()); n != 4 {
		t.Errorf("sent %d, want 4", n)
	}
}

// The global rate spaces messages: at 10 a second with no burst, the 3rd message waits 0.2 s in all.
func TestGlobalRateSpacesMessages(t *testing.T) {
	fake := smstest.NewTencent(t)
	s, ft := newSender(fake.Driver(), nil, sms.Options{PerSecond: 10, Burst: 1})
	for i := range 3 {
		if _, err := s.Send(context.Background(), push("ref-g"+string(rune('a'+i)), "1381234567"+string(rune('0'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	var total time.Duration
	for _, d := range ft.slept {
		total += d
	}
	if total < 190*time.Millisecond || total > 210*time.Millisecond {
		t.Errorf("waited %v in all (%v), want 0.2s", total, ft.slept)
	}
	if got := slices.Collect(maps.Keys(map[int]bool{len(fake.Sent()): true})); got[0] != 3 {
		t.Errorf("sent %v", got)
	}
}
