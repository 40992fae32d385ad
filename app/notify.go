package app

import (
	"context"
	"log/slog"

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

// OutboxSender is the built-in SMS driver and the default: every message is written to the SMS outbox
// table before it is sent (Service.text), which admins read at GET /api/v1/admin/sms-outbox, so for
// this driver "sending" is done once it is there; the whole service works before an SMS vendor is
// contracted. It logs every message with the phone masked and never the body: a code in a log line
// would let anyone who reads logs log in.
type OutboxSender struct {
	w   OutboxWriter
	log *slog.Logger
}

// NewOutboxSender returns the built-in driver writing to w.
func NewOutboxSender(w OutboxWriter, log *slog.Logger) *OutboxSender {
	return &OutboxSender{w: w, log: log}
}

// Send accepts the message, which is in the outbox already.
func (o *OutboxSender) Send(ctx context.Context, m OutgoingSMS) (SMSAccepted, error) {
	o.log.InfoContext(ctx, "sms queued in outbox", "phone", domain.MaskPhone(m.Phone), "kind", m.Template.Kind,
		"ref", m.Ref, "chars", len([]rune(m.Body)))
	return SMSAccepted{Provider: "outbox"}, nil
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
