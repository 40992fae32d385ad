package app

import (
	"context"
	"log/slog"

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
// SMS outbox table, which admins read at GET /api/v1/admin/sms-outbox, so the whole service works
// before an SMS vendor is contracted (and tests read codes from it). It logs every message with the
// phone masked and never the body: a code in a log line would let anyone who reads logs log in.
type OutboxSender struct {
	w   OutboxWriter
	log *slog.Logger
}

// NewOutboxSender returns the built-in driver writing to w.
func NewOutboxSender(w OutboxWriter, log *slog.Logger) *OutboxSender {
	return &OutboxSender{w: w, log: log}
}

// Send writes the message to the outbox.
func (o *OutboxSender) Send(ctx context.Context, phone, body, purpose string) error {
	m := domain.SMSMessage{Phone: phone, Body: body, Purpose: purpose}
	if err := o.w.AppendSMS(ctx, &m); err != nil {
		return err
	}
	o.log.InfoContext(ctx, "sms queued in outbox", "phone", domain.MaskPhone(phone), "purpose", purpose,
		"outbox_id", m.ID, "chars", len([]rune(body)))
	return nil
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

// SMSOutbox is the built-in driver's outbox, newest first, for admins (it holds live codes).
func (s *Service) SMSOutbox(ctx context.Context, p domain.Principal, phone string, page, perPage int) ([]domain.SMSMessage, int, error) {
	if p.Kind != domain.AsAdmin {
		return nil, 0, domain.Forbidden("")
	}
	return s.store.SMSOutbox(ctx, phone, page, perPage)
}

// Notifications is a worker's inbox, newest first, paged.
func (s *Service) Notifications(ctx context.Context, p domain.Principal, page, perPage int) ([]domain.Notification, int, error) {
	if p.Kind != domain.AsWorker {
		return nil, 0, domain.Forbidden("")
	}
	return s.store.NotificationsPage(ctx, domain.RecipientWorker, p.ID, page, perPage)
}
