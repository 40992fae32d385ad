package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// fakeClock is a settable clock for expiry and rate-limit tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 5, 10, 1, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// eachWithClock runs fn on every engine with a store whose clock the test moves.
func eachWithClock(t *testing.T, fn func(t *testing.T, s *store.Store, clock *fakeClock)) {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			clock := newFakeClock()
			fn(t, storetest.Open(t, e, clock.Now), clock)
		})
	}
}

func wantCode(t *testing.T, err error, code domain.Code, field, msgPart string) {
	t.Helper()
	e := domain.AsError(err)
	if err == nil || e.Code != code || e.Field != field || !strings.Contains(e.Message, msgPart) {
		t.Fatalf("got %v, want %s on %q containing %q", err, code, field, msgPart)
	}
}

func TestOTPSendLimits(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		limits := domain.OTPLimits{PhoneInterval: 60 * time.Second, PhonePerHour: 5, IPPerHour: 8}
		const phone = "13800138000"
		if _, err := s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil); err != nil {
			t.Fatal(err)
		}
		// A second send within 60 s is refused and says how long to wait.
		clock.Advance(20 * time.Second)
		_, err := s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil)
		wantCode(t, err, domain.CodeRateLimited, "", "请 40 秒后")
		// Every 61 s is fine, up to five in the hour; the sixth is refused.
		for i := 2; i <= 5; i++ {
			clock.Advance(61 * time.Second)
			if _, err := s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		clock.Advance(61 * time.Second)
		_, err = s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil)
		wantCode(t, err, domain.CodeRateLimited, "", "1 小时内")
		// An hour after the first, the window has moved on.
		clock.Advance(time.Hour)
		if _, err := s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil); err != nil {
			t.Fatalf("after the hour: %v", err)
		}

		// Per IP: 8 an hour from 10.0.0.2 whatever the phones; another address is not affected.
		for i := 0; i < 8; i++ {
			if _, err := s.IssueOTP(ctx, "1390000000"+string(rune('0'+i)), domain.OTPLogin, "10.0.0.2", limits, nil); err != nil {
				t.Fatalf("ip send %d: %v", i, err)
			}
		}
		_, err = s.IssueOTP(ctx, "13900000009", domain.OTPLogin, "10.0.0.2", limits, nil)
		wantCode(t, err, domain.CodeRateLimited, "", "这个网络")
		if _, err := s.IssueOTP(ctx, "13900000009", domain.OTPLogin, "10.0.0.3", limits, nil); err != nil {
			t.Fatalf("another address: %v", err)
		}
	})
}

func TestOTPVerification(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		limits := domain.OTPLimits{PhonePerHour: 100, IPPerHour: 100}
		issue := func(phone string) string {
			t.Helper()
			c, err := s.IssueOTP(ctx, phone, domain.OTPLogin, "10.0.0.1", limits, nil)
			if err != nil {
				t.Fatal(err)
			}
			return c.Code
		}
		wrong := func(code string) string { return string("1234567890"[code[0]-'0']) + code[1:] }
		register := func(phone, code string) (domain.Worker, bool, error) {
			w, _, created, err := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, phone), Code: code})
			return w, created, err
		}

		t.Run("no code sent", func(t *testing.T) {
			_, _, err := register("13800000001", "123456")
			wantCode(t, err, domain.CodeInvalid, "code", "请先获取验证码")
		})
		t.Run("not six digits", func(t *testing.T) {
			_, _, err := register("13800000001", "12345")
			wantCode(t, err, domain.CodeInvalid, "code", "6 位数字")
		})
		t.Run("stored hashed", func(t *testing.T) {
			code := issue("13800000002")
			var hash string
			s.SQL().QueryRow("SELECT code_hash FROM otp_codes WHERE phone = '13800000002'").Scan(&hash)
			if len(hash) != 64 || strings.Contains(hash, code) {
				t.Errorf("code_hash %q is not an HMAC of the code", hash)
			}
		})
		t.Run("four wrong then right", func(t *testing.T) {
			code := issue("13800000003")
			for i := 4; i >= 1; i-- {
				_, _, err := register("13800000003", wrong(code))
				wantCode(t, err, domain.CodeInvalid, "code", "还可以再试")
			}
			if _, created, err := register("13800000003", code); err != nil || !created {
				t.Fatalf("right code after 4 wrong tries: %v", err)
			}
		})
		t.Run("sixth try refused even when right", func(t *testing.T) {
			code := issue("13800000004")
			for i := 0; i < 4; i++ {
				register("13800000004", wrong(code))
			}
			_, _, err := register("13800000004", wrong(code))
			wantCode(t, err, domain.CodeInvalid, "code", "作废")
			_, _, err = register("13800000004", code)
			wantCode(t, err, domain.CodeRateLimited, "code", "已作废")
			assertNoWorker(t, s, "13800000004")
		})
		t.Run("single use", func(t *testing.T) {
			code := issue("13800000005")
			if _, _, _, err := s.ConfirmPhone(ctx, "13800000005", code, "", ""); err != nil {
				t.Fatal(err)
			}
			_, _, err := register("13800000005", code)
			wantCode(t, err, domain.CodeInvalid, "code", "已经用过")
		})
		t.Run("expired after five minutes", func(t *testing.T) {
			code := issue("13800000006")
			clock.Advance(domain.OTPTTL + time.Second)
			_, _, err := register("13800000006", code)
			wantCode(t, err, domain.CodeInvalid, "code", "已过期")
			assertNoWorker(t, s, "13800000006")
		})
		t.Run("only the newest code counts", func(t *testing.T) {
			old := issue("13800000007")
			newer := issue("13800000007")
			if old != newer {
				_, _, err := register("13800000007", old)
				wantCode(t, err, domain.CodeInvalid, "code", "不正确")
			}
			if _, _, err := register("13800000007", newer); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// A brute force racing many guesses at once still gets at most five comparisons per code.
func TestOTPConcurrentGuessesAreBounded(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		c, err := s.IssueOTP(ctx, "13800000010", domain.OTPLogin, "", domain.OTPLimits{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wrongAnswers := 0
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				guess := []byte("000000")
				guess[5] = byte('0' + i%10)
				guess[4] = byte('0' + i/10)
				if string(guess) == c.Code {
					return
				}
				_, _, err := s.LoginWorker(ctx, "13800000010", string(guess), "", "")
				if domain.IsCode(err, domain.CodeInvalid) && strings.Contains(domain.AsError(err).Message, "不正确") {
					mu.Lock()
					wrongAnswers++
					mu.Unlock()
				}
			}(i)
		}
		wg.Wait()
		if wrongAnswers > domain.OTPMaxAttempts {
			t.Errorf("%d guesses were compared, want at most %d", wrongAnswers, domain.OTPMaxAttempts)
		}
		_, _, err = s.LoginWorker(ctx, "13800000010", c.Code, "", "")
		wantCode(t, err, domain.CodeRateLimited, "code", "已作废")
	})
}

func assertNoWorker(t *testing.T, s *store.Store, phone string) {
	t.Helper()
	if _, err := s.WorkerByPhone(context.Background(), phone); !domain.IsCode(err, domain.CodeNotFound) {
		t.Errorf("worker %s exists (%v); nothing should have been saved", phone, err)
	}
}

// testWorker is a valid, normalised registration for phone at the first market.
func testWorker(t *testing.T, s *store.Store, phone string) domain.Worker {
	t.Helper()
	st, err := s.StationByCode(context.Background(), "SPT-M1")
	if err != nil {
		t.Fatal(err)
	}
	p, problems := domain.WorkerProfile{Name: "马建国", Skills: []string{"搬运"}, District: "沙坡头区", Town: "滨河镇",
		ExpectedWageFen: 15000}.Normalize("2026-05-10", nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	w := domain.Worker{Phone: phone, StationID: st.ID, StationCode: st.Code}
	w.SetProfile(p)
	return w
}

// Codes asked at once from one address, through two processes, stop exactly at the address's limit:
// the count and the insert happen under the address's lock, whatever the phones.
func TestOTPAddressLimitHoldsUnderABurst(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			a, b := storetest.Open(t, e, nil), storetest.Open(t, e, nil)
			limits := domain.OTPLimits{PhonePerHour: 5, IPPerHour: 12}
			var wg sync.WaitGroup
			var mu sync.Mutex
			issued, limited := 0, 0
			for i := range 40 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := []*store.Store{a, b}[i%2].IssueOTP(context.Background(), fmt.Sprintf("1391234%04d", i),
						domain.OTPLogin, "10.9.9.9", limits, nil)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						issued++
					case domain.IsCode(err, domain.CodeRateLimited):
						limited++
					default:
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if issued != 12 || limited != 28 {
				t.Errorf("%d codes issued and %d refused from one address, want 12 and 28", issued, limited)
			}
		})
	}
}
