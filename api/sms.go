package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

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

// smsStore is what the outbox needs.
type smsStore interface {
	OutboxWriter
	SMSOutbox(ctx context.Context, phone string, page, perPage int) ([]domain.SMSMessage, int, error)
}

// adminSMSOutbox is GET /api/v1/admin/sms-outbox: the messages the built-in driver "sent", newest first,
// paged (page, per_page), optionally for one phone (?phone=). Admins only: it holds live codes.
func (s *Server) adminSMSOutbox(c *gin.Context) {
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	phone := c.Query("phone")
	if phone != "" {
		if phone, err = domain.NormalizePhone("phone", phone); err != nil {
			s.fail(c, err)
			return
		}
	}
	items, total, err := s.store.SMSOutbox(c.Request.Context(), phone, page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.SMSMessage]{Items: items, Total: total, Page: page, PerPage: perPage})
}
