package sms

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"lingong/app"
	"lingong/domain"
)

// Sender is app.SMSSender over one provider and an optional fallback, with the limits of Options.
type Sender struct {
	primary, fallback Provider
	opts              Options

	mu      sync.Mutex
	next    time.Time // the global rate's next free slot
	byPhone map[string][]time.Time
}

// NewSender returns a sender through primary, and fallback when not nil.
func NewSender(primary, fallback Provider, opts Options) *Sender {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.Burst <= 0 {
		opts.Burst = 1
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Sender{primary: primary, fallback: fallback, opts: opts, byPhone: map[string][]time.Time{}}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrPhoneLimit is the refusal of a message past the per-phone limit.
var ErrPhoneLimit = &Error{Provider: "local", Code: "phone_limit", Message: "too many messages to this phone this hour", Class: Final}

// Send sends one message: within the per-phone limit (refused past it), at the global rate (waiting
// for its turn), through the primary provider with retries, then through the fallback when the
// primary is down or still refusing after its retries. An unknown outcome (no answer) is reported
// as sent with code "unconfirmed": sending again could text the worker twice.
func (s *Sender) Send(ctx context.Context, m app.OutgoingSMS) (app.SMSAccepted, error) {
	if !s.takePhone(m.Phone) {
		return app.SMSAccepted{}, ErrPhoneLimit
	}
	acc, err := s.try(ctx, s.primary, m)
	var e *Error
	if err != nil && s.fallback != nil && errors.As(err, &e) && (e.Class == Retryable || e.Class == Down) {
		if s.opts.Logger != nil {
			s.opts.Logger.WarnContext(ctx, "sms falls back to the second provider", "ref", m.Ref, "err", err)
		}
		return s.try(ctx, s.fallback, m)
	}
	return acc, err
}

// try sends through one provider, retrying retryable errors with doubling, jittered pauses.
func (s *Sender) try(ctx context.Context, p Provider, m app.OutgoingSMS) (app.SMSAccepted, error) {
	pause := s.opts.Backoff
	for attempt := 0; ; attempt++ {
		if err := s.wait(ctx); err != nil {
			return app.SMSAccepted{}, err
		}
		rctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
		acc, err := p.Send(rctx, m)
		cancel()
		if err == nil {
			return acc, nil
		}
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Provider: p.Name(), Code: "error", Message: err.Error(), Class: Unknown}
		}
		switch {
		case e.Class == Unknown:
			return app.SMSAccepted{Provider: p.Name(), Code: "unconfirmed"}, nil
		case e.Class != Retryable || attempt >= s.opts.Retries:
			return app.SMSAccepted{}, e
		}
		jitter := time.Duration(rand.Int64N(int64(pause)/2 + 1))
		if err := s.opts.Sleep(ctx, pause+jitter); err != nil {
			return app.SMSAccepted{}, e
		}
		pause *= 2
	}
}

// wait takes the next slot of the global rate and sleeps until it: slots are 1/PerSecond apart, and
// up to Burst of them may be taken at once after a quiet spell. Reserving a slot (rather than polling
// a bucket) keeps the average rate exact however late the sleeps wake up.
func (s *Sender) wait(ctx context.Context) error {
	if s.opts.PerSecond <= 0 {
		return nil
	}
	interval := time.Duration(float64(time.Second) / s.opts.PerSecond)
	s.mu.Lock()
	now := s.opts.Now()
	if earliest := now.Add(-time.Duration(s.opts.Burst-1) * interval); s.next.Before(earliest) {
		s.next = earliest
	}
	at := s.next
	s.next = s.next.Add(interval)
	s.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return s.opts.Sleep(ctx, d)
	}
	return nil
}

// takePhone counts a message to phone against its hourly limit; false past it.
func (s *Sender) takePhone(phone string) bool {
	if s.opts.PhonePerHour <= 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	sent := s.byPhone[phone]
	i := 0
	for i < len(sent) && now.Sub(sent[i]) >= time.Hour {
		i++
	}
	sent = sent[i:]
	if len(sent) >= s.opts.PhonePerHour {
		s.byPhone[phone] = sent
		return false
	}
	s.byPhone[phone] = append(sent, now)
	if len(s.byPhone) > 100000 { // forget idle phones now and then
		for k, v := range s.byPhone {
			if len(v) == 0 || now.Sub(v[len(v)-1]) >= time.Hour {
				delete(s.byPhone, k)
			}
		}
	}
	return true
}

// Templates maps each message kind to a provider's approved template code.
type Templates map[domain.SMSKind]string

// Missing lists the kinds with no code.
func (t Templates) Missing() []domain.SMSKind {
	var out []domain.SMSKind
	for _, tp := range domain.SMSTemplates() {
		if t[tp.Kind] == "" {
			out = append(out, tp.Kind)
		}
	}
	return out
}
