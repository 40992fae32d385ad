package store

import (
	"context"
	"fmt"

	"lingong/domain"
)

// AppendSMS writes a message to the SMS outbox (the built-in SMS driver's "sending") and fills its id
// and time.
func (s *Store) AppendSMS(ctx context.Context, m *domain.SMSMessage) error {
	row := smsRow{Phone: m.Phone, Body: m.Body, Purpose: m.Purpose, CreatedAt: s.now()}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return translate(fmt.Errorf("sms outbox: %w", err), "短信")
	}
	m.ID, m.CreatedAt = row.ID, row.CreatedAt
	return nil
}

// SMSOutbox returns one page (from 1) of the outbox, newest first, and the number of messages in it;
// phone (normalised), when not empty, keeps one recipient's messages only.
func (s *Store) SMSOutbox(ctx context.Context, phone string, page, perPage int) ([]domain.SMSMessage, int, error) {
	db := s.conn(ctx).Model(&smsRow{})
	if phone != "" {
		db = db.Where("phone = ?", phone)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count sms outbox: %w", err), "短信")
	}
	var rows []smsRow
	if err := db.Order("id DESC").Offset((page - 1) * perPage).Limit(perPage).Find(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list sms outbox: %w", err), "短信")
	}
	out := make([]domain.SMSMessage, len(rows))
	for i, r := range rows {
		out[i] = domain.SMSMessage{ID: r.ID, Phone: r.Phone, Body: r.Body, Purpose: r.Purpose, CreatedAt: r.CreatedAt}
	}
	return out, int(total), nil
}
