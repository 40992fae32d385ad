package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

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

// OutboxWriter is where the built-in driver puts messages.
type OutboxWriter interface {
	AppendSMS(ctx context.Context, m *domain.SMSMessage) error
}

// OutboxSender is the built-in SMS driver and the default: it "sends" by writing each message to the
// SMS outbox table, so the whole service works before an SMS vendor is contracted. A code is never
// written in clear: in a code message (purpose otp) every 6-digit run is masked ("******") before the
// row is written, so neither the API, nor a database backup, nor anyone with read access to the table
// can log in as a worker or sign for one with it. Outside production the driver also keeps the last
// DevInboxSize messages as they were sent, codes included, in the process's memory only (DevInbox),
// which is how a developer or a test reads the code a "phone" received. It logs every message with the
// phone masked and never the body: a code in a log line would let anyone who reads logs log in.
type OutboxSender struct {
	w   OutboxWriter
	log *slog.Logger
	dev *DevInbox // nil in production
}

// NewOutboxSender returns the built-in driver writing to w; dev, when not nil, gets every message in
// clear (development only).
func NewOutboxSender(w OutboxWriter, log *slog.Logger, dev *DevInbox) *OutboxSender {
	return &OutboxSender{w: w, log: log, dev: dev}
}

// Send accepts the message, which Service.text has put in the outbox already (codes masked); outside
// production it also goes to the development inbox as the phone shows it.
func (o *OutboxSender) Send(ctx context.Context, m OutgoingSMS) (SMSAccepted, error) {
	if o.dev != nil {
		o.dev.add(domain.SMSMessage{Phone: m.Phone, Body: m.Body, Purpose: m.Template.Purpose, Kind: m.Template.Kind,
			Ref: m.Ref, CreatedAt: time.Now().UTC()})
	}
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
const DevInboxSize = 500

// DevInbox is the development-only window on the built-in SMS driver: the last DevInboxSize messages as
// sent, codes in clear, in this process's memory (gone at restart, never written anywhere). It exists
// only when the service does not run in production; there, nothing can read a code but its recipient.
type DevInbox struct {
	mu   sync.Mutex
	msgs []domain.SMSMessage // oldest first
}

func (d *DevInbox) add(m domain.SMSMessage) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.msgs = append(d.msgs, m)
	if len(d.msgs) > DevInboxSize {
		d.msgs = append(d.msgs[:0:0], d.msgs[len(d.msgs)-DevInboxSize:]...)
	}
}

// page returns one page (from 1) of the messages, newest first, optionally of one phone, and how many
// there are.
func (d *DevInbox) page(phone string, page, perPage int) ([]domain.SMSMessage, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var all []domain.SMSMessage
	for i := len(d.msgs) - 1; i >= 0; i-- {
		if phone == "" || d.msgs[i].Phone == phone {
			all = append(all, d.msgs[i])
		}
	}
	from := (page - 1) * perPage
	if from >= len(all) {
		return []domain.SMSMessage{}, len(all)
	}
	return all[from:min(from+perPage, len(all))], len(all)
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

// SMSOutbox is the development inbox (DevInbox), newest first, for admins: the messages the built-in
// driver sent, codes in clear. In production, or with another SMS driver, there is none (not_found).
func (s *Service) SMSOutbox(ctx context.Context, p domain.Principal, phone string, page, perPage int) ([]domain.SMSMessage, int, error) {
	if p.Kind != domain.AsAdmin {
		return nil, 0, domain.Forbidden("")
	}
	if s.devInbox == nil {
		return nil, 0, &domain.Error{Code: domain.CodeNotFound, Message: "生产环境没有短信发件箱：验证码只发到本人的手机"}
	}
	items, total := s.devInbox.page(phone, page, perPage)
	return items, total, nil
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
