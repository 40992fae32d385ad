package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// AppendSMS writes a message to the SMS outbox (the built-in SMS driver's "sending", and the record of
// every message whatever the driver) and fills its id and time. Params are stored as given: the caller
// masks codes (domain.SMSTemplate.MaskedParams).
func (s *Store) AppendSMS(ctx context.Context, m *domain.SMSMessage) error {
	return translate(s.appendSMS(s.conn(ctx), m), "短信")
}

func (s *Store) appendSMS(db *gorm.DB, m *domain.SMSMessage) error {
	params, err := json.Marshal(m.Params)
	if err != nil {
		return fmt.Errorf("sms params: %w", err)
	}
	if m.Params == nil {
		params = []byte("{}")
	}
	status, provider := m.Status, m.Provider
	if status == "" {
		status = domain.SMSSent
	}
	if provider == "" {
		provider = "outbox"
	}
	now := s.now()
	row := smsRow{Phone: m.Phone, Body: m.Body, Purpose: m.Purpose, CreatedAt: now,
		Kind: string(m.Kind), Params: string(params), Ref: m.Ref, Status: string(status), Provider: provider,
		WorkerID: m.WorkerID, Asks: m.Asks, Subject: m.Subject, UpdatedAt: &now}
	if err := db.Create(&row).Error; err != nil {
		return fmt.Errorf("sms outbox: %w", err)
	}
	m.ID, m.CreatedAt, m.UpdatedAt, m.Status, m.Provider = row.ID, row.CreatedAt, now, status, provider
	return nil
}

// SetSMSStatus moves the message with our reference ref to status (with the provider that took it,
// its id and code), unless it already stands at a state of equal or higher rank (a late or repeated
// report never moves a message back). It reports whether the message changed; an unknown ref is
// not_found.
func (s *Store) SetSMSStatus(ctx context.Context, ref string, status domain.SMSStatus, provider, providerID, code string) (bool, error) {
	var row smsRow
	if err := s.conn(ctx).Where("ref = ?", ref).Take(&row).Error; err != nil {
		return false, translate(fmt.Errorf("sms %s: %w", ref, err), "短信")
	}
	return s.moveSMS(ctx, row, status, provider, providerID, code)
}

// ApplySMSReceipt applies a provider's delivery report to its message, found by our reference or else
// by the provider's id; it reports whether the message changed (false for a repeated or out-of-order
// report). A report of a message we never sent is not_found.
func (s *Store) ApplySMSReceipt(ctx context.Context, provider string, r domain.SMSReceipt) (bool, error) {
	var row smsRow
	db := s.conn(ctx)
	var err error
	switch {
	case r.Ref != "":
		err = db.Where("ref = ?", r.Ref).Take(&row).Error
	case r.ProviderID != "":
		err = db.Where("provider = ? AND provider_id = ? AND phone = ?", provider, r.ProviderID, r.Phone).Take(&row).Error
	default:
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return false, translate(fmt.Errorf("sms receipt: %w", err), "短信")
	}
	return s.moveSMS(ctx, row, r.Status, "", "", r.Code)
}

// moveSMS is the conditional update both share: the WHERE on the state read makes two reports racing
// on one message apply once.
func (s *Store) moveSMS(ctx context.Context, row smsRow, status domain.SMSStatus, provider, providerID, code string) (bool, error) {
	if status.Rank() <= domain.SMSStatus(row.Status).Rank() {
		if providerID != "" && row.ProviderID == "" {
			// The receipt came before the provider's answer to the send: keep the state, note the id.
			err := s.conn(ctx).Model(&smsRow{}).Where("id = ? AND provider_id = ''", row.ID).
				Updates(map[string]any{"provider": provider, "provider_id": providerID}).Error
			return false, translate(err, "短信")
		}
		return false, nil
	}
	set := map[string]any{"status": string(status), "provider_code": code, "updated_at": s.now()}
	if provider != "" {
		set["provider"] = provider
	}
	if providerID != "" {
		set["provider_id"] = providerID
	}
	res := s.conn(ctx).Model(&smsRow{}).Where("id = ? AND status = ?", row.ID, row.Status).Updates(set)
	if res.Error != nil {
		return false, translate(fmt.Errorf("sms %d status: %w", row.ID, res.Error), "短信")
	}
	return res.RowsAffected == 1, nil
}

// LatestSMSQuestion returns the newest message to phone sent since since that asked a question (a
// push, an offer, a wage line, a contract to sign); not_found when there is none.
func (s *Store) LatestSMSQuestion(ctx context.Context, phone string, since time.Time) (domain.SMSMessage, error) {
	var row smsRow
	err := s.conn(ctx).Where("phone = ? AND asks <> '' AND created_at >= ?", phone, since).Order("id DESC").Take(&row).Error
	if err != nil {
		return domain.SMSMessage{}, translate(fmt.Errorf("latest sms question: %w", err), "短信")
	}
	return smsMessage(row), nil
}

// RecordSMSReply keeps a worker's reply once: false when the provider already delivered this reply
// (same provider and reply id), which the caller must then not act on again.
func (s *Store) RecordSMSReply(ctx context.Context, provider string, r domain.SMSReply, workerID int64) (int64, bool, error) {
	row := smsReplyRow{Provider: provider, ReplyID: r.ID, Phone: r.Phone, Text: r.Text, WorkerID: workerID,
		ReceivedAt: r.At, CreatedAt: s.now()}
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return 0, false, translate(fmt.Errorf("sms reply: %w", res.Error), "短信")
	}
	return row.ID, res.RowsAffected == 1, nil
}

// SetSMSReplyOutcome notes what a reply did (applied, confirmed, help ...).
func (s *Store) SetSMSReplyOutcome(ctx context.Context, id int64, outcome string) error {
	err := s.conn(ctx).Model(&smsReplyRow{}).Where("id = ?", id).Update("outcome", outcome).Error
	return translate(err, "短信")
}

// WorkerSMS returns the newest limit messages sent to a worker (by worker or phone), newest first.
func (s *Store) WorkerSMS(ctx context.Context, workerID int64, phone string, limit int) ([]domain.SMSMessage, error) {
	var rows []smsRow
	err := s.conn(ctx).Where("worker_id = ? OR phone = ?", workerID, phone).Order("id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(fmt.Errorf("worker sms: %w", err), "短信")
	}
	out := make([]domain.SMSMessage, len(rows))
	for i, r := range rows {
		out[i] = smsMessage(r)
	}
	return out, nil
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
		out[i] = smsMessage(r)
	}
	return out, int(total), nil
}

func smsMessage(r smsRow) domain.SMSMessage {
	m := domain.SMSMessage{ID: r.ID, Phone: r.Phone, Body: r.Body, Purpose: r.Purpose, CreatedAt: r.CreatedAt,
		Kind: domain.SMSKind(r.Kind), Ref: r.Ref, Status: domain.SMSStatus(r.Status), Provider: r.Provider,
		ProviderID: r.ProviderID, ProviderCode: r.ProviderCode, WorkerID: r.WorkerID, Asks: r.Asks, Subject: r.Subject}
	if r.UpdatedAt != nil {
		m.UpdatedAt = *r.UpdatedAt
	}
	if err := json.Unmarshal([]byte(r.Params), &m.Params); err != nil {
		m.Params = nil
	}
	return m
}

type smsReplyRow struct {
	ID         int64 `gorm:"primaryKey"`
	Provider   string
	ReplyID    string
	Phone      string
	Text       string
	WorkerID   int64
	Outcome    string
	ReceivedAt time.Time
	CreatedAt  time.Time
}

func (smsReplyRow) TableName() string { return "sms_replies" }
