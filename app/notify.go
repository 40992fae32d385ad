package app

import (
	"context"
	"log/slog"
	"sync"

	"lingong/domain"
)

// SMSSender delivers a text message to a mainland mobile number as an approved template with its
// variables (package sms implements it for Alibaba Cloud and Tencent Cloud; OutboxSender is the
// built-in driver). The message is already in the outbox with status queued when Send is called. An
// error means the message was not accepted; the caller undoes what depended on it (an unsent code is
// deleted). An error with a ProviderCode() string method carries the provider's code.
type SMSSender interface {
	Send(ctx context.Context, m OutgoingSMS) (SMSAccepted, error)
}

// OutgoingSMS is one message for a provider: our reference (the idempotency key the driver sends
// along, e.g. Alibaba Cloud's OutId), the phone, the template and its variables (codes in clear).
type OutgoingSMS struct {
	Ref      string
	Phone    string
	Template domain.SMSTemplate
	Params   map[string]string
	Body     string // rendered as the phone shows it; never logged
}

// SMSAccepted says which provider took a message and its id there.
type SMSAccepted struct {
	Provider   string
	ProviderID string
	Code       string
}

// OutboxSender is the built-in SMS driver and the default: Service.text has already written each message
// to the SMS outbox table (codes masked), so for this driver "sending" is done once it is there, and the
// whole service works before an SMS vendor is contracted. It logs every message with the phone masked
// and never the body: a code in a log line would let anyone who reads logs log in.
type OutboxSender struct {
	log *slog.Logger
}

// NewOutboxSender returns the built-in driver.
func NewOutboxSender(log *slog.Logger) *OutboxSender {
	return &OutboxSender{log: log}
}

// Send accepts the message, which is in the outbox already.
func (o *OutboxSender) Send(ctx context.Context, m OutgoingSMS) (SMSAccepted, error) {
	o.log.InfoContext(ctx, "sms queued in outbox", "phone", domain.MaskPhone(m.Phone), "kind", m.Template.Kind,
		"ref", m.Ref, "chars", len([]rune(m.Body)))
	return SMSAccepted{Provider: "outbox"}, nil
}

// MaskCodes replaces every run of exactly 6 ASCII digits (an SMS code) with "******".
func MaskCodes(body string) string {
	b := []byte(body)
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j-i == domain.OTPDigits {
			for k := i; k < j; k++ {
				b[k] = '*'
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return string(b)
}

// DevInboxSize is how many messages the development inbox keeps.
// A registration burst of 1,000 arrivals in 2 s sends 500 codes while the first ones are still being
// read back; 5,000 short bodies are a few hundred kilobytes.
const DevInboxSize = 5000

// DevInbox is the development-only window on what the phones received: the bodies of the last
// DevInboxSize messages as sent, codes in clear, by message reference, in this process's memory (gone at
// restart, never written anywhere). It exists only when the service does not run in production; there,
// nothing can read a code but its recipient, because the outbox table keeps codes masked.
type DevInbox struct {
	mu     sync.Mutex
	order  []string          // references, oldest first
	bodies map[string]string // reference -> body as sent
}

func (d *DevInbox) add(ref, body string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.bodies == nil {
		d.bodies = map[string]string{}
	}
	d.order = append(d.order, ref)
	d.bodies[ref] = body
	if len(d.order) > DevInboxSize {
		delete(d.bodies, d.order[0])
		d.order = d.order[1:]
	}
}

func (d *DevInbox) body(ref string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, ok := d.bodies[ref]
	return b, ok
}

// textWorker tells a worker about a step that needs them (acceptance, a payment, a weigh ticket), once
// the step has committed. A failed send is logged, not fatal: the step is done and is in the worker's
// inbox too.
func (s *Service) textWorker(ctx context.Context, workerID int64, m domain.SMS) {
	s.afterCommit(ctx, func(ctx context.Context) {
		w, err := s.store.WorkerByID(ctx, workerID)
		if err == nil {
			m.WorkerID = workerID
			err = s.text(ctx, w.Phone, m)
		}
		if err != nil {
			s.log.WarnContext(ctx, "could not text the worker", "worker_id", workerID, "kind", m.Kind, "err", err)
		}
	})
}

// SMSOutbox is the SMS outbox, newest first, for admins outside production: each message's state, and
// its body as the phone showed it while this process still holds it (DevInbox; the table itself keeps
// codes masked). In production there is none (not_found): codes reach only their recipients.
func (s *Service) SMSOutbox(ctx context.Context, p domain.Principal, phone string, page, perPage int) ([]domain.SMSMessage, int, error) {
	if p.Kind != domain.AsAdmin {
		return nil, 0, domain.Forbidden("")
	}
	if s.devInbox == nil {
		return nil, 0, &domain.Error{Code: domain.CodeNotFound, Message: "生产环境没有短信发件箱：验证码只发到本人的手机"}
	}
	items, total, err := s.store.SMSOutbox(ctx, phone, page, perPage)
	for i := range items {
		if body, ok := s.devInbox.body(items[i].Ref); ok {
			items[i].Body = body
		}
	}
	return items, total, err
}

// HasDevInbox reports whether the development SMS inbox exists (not in production).
func (s *Service) HasDevInbox() bool { return s.devInbox != nil }

// Notifications is a worker's inbox, newest first, paged.
func (s *Service) Notifications(ctx context.Context, p domain.Principal, page, perPage int) ([]domain.Notification, int, error) {
	if p.Kind != domain.AsWorker {
		return nil, 0, domain.Forbidden("")
	}
	return s.store.NotificationsPage(ctx, domain.RecipientWorker, p.ID, page, perPage)
}
