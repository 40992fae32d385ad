package app

import (
	"context"
	"log/slog"
	"sync"

	"lingong/domain"
)

// SMSSender delivers a text message to a mainland mobile number. purpose says what it is for (otp, push,
// ticket, notice): a vendor driver may route codes through a faster channel. An error means the message
// was not accepted; the caller undoes what depended on it (an unsent code is deleted).
type SMSSender interface {
	Send(ctx context.Context, phone, body, purpose string) error
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

// Send writes the message to the outbox, with any code masked, and to the development inbox as it is.
func (o *OutboxSender) Send(ctx context.Context, phone, body, purpose string) error {
	m := domain.SMSMessage{Phone: phone, Body: body, Purpose: purpose}
	if purpose == "otp" {
		m.Body = MaskCodes(body)
	}
	if err := o.w.AppendSMS(ctx, &m); err != nil {
		return err
	}
	if o.dev != nil {
		o.dev.add(domain.SMSMessage{ID: m.ID, Phone: phone, Body: body, Purpose: purpose, CreatedAt: m.CreatedAt})
	}
	o.log.InfoContext(ctx, "sms queued in outbox", "phone", domain.MaskPhone(phone), "purpose", purpose,
		"outbox_id", m.ID, "chars", len([]rune(body)))
	return nil
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
func (s *Service) textWorker(ctx context.Context, workerID int64, body string) {
	s.afterCommit(ctx, func(ctx context.Context) {
		w, err := s.store.WorkerByID(ctx, workerID)
		if err == nil {
			err = s.sms.Send(ctx, w.Phone, body, "notice")
		}
		if err != nil {
			s.log.WarnContext(ctx, "could not text the worker", "worker_id", workerID, "err", err)
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
