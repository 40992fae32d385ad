package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// insertNotification puts a message in an inbox inside tx, so it lands exactly when the change it
// reports does.
func (s *Store) insertNotification(tx *gorm.DB, n domain.Notification) error {
	row := notificationRow{CityCode: domain.CityCode, RecipientKind: n.RecipientKind, RecipientID: n.RecipientID,
		Kind: n.Kind, Title: n.Title, Body: n.Body, CreatedAt: s.now()}
	if n.JobID != 0 {
		row.JobID = &n.JobID
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("notify %s %d: %w", n.RecipientKind, n.RecipientID, err)
	}
	return nil
}

// Notifications returns the newest messages of one inbox (at most limit).
func (s *Store) Notifications(ctx context.Context, recipientKind string, recipientID int64, limit int) ([]domain.Notification, error) {
	var rows []notificationRow
	if err := s.conn(ctx).Where("recipient_kind = ? AND recipient_id = ?", recipientKind, recipientID).
		Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "消息")
	}
	out := make([]domain.Notification, len(rows))
	for i, r := range rows {
		out[i] = domain.Notification{ID: r.ID, RecipientKind: r.RecipientKind, RecipientID: r.RecipientID, Kind: r.Kind,
			Title: r.Title, Body: r.Body, ReadAt: r.ReadAt, CreatedAt: r.CreatedAt}
		if r.JobID != nil {
			out[i].JobID = *r.JobID
		}
	}
	return out, nil
}

// lockRow takes a row lock for the rest of the transaction on PostgreSQL (SELECT … FOR UPDATE), so
// concurrent use cases on the same record queue. SQLite needs none: every transaction already holds
// the database's single write lock (BEGIN IMMEDIATE).
func (s *Store) lockRow(tx *gorm.DB, table string, id int64) error {
	if s.dialect != "postgres" {
		return nil
	}
	var got int64
	if err := tx.Raw("SELECT id FROM "+table+" WHERE id = ? FOR UPDATE", id).Scan(&got).Error; err != nil {
		return fmt.Errorf("lock %s %d: %w", table, id, err)
	}
	return nil
}

// NotificationsPage returns one page (from 1) of an inbox, newest first, and the inbox's size.
func (s *Store) NotificationsPage(ctx context.Context, recipientKind string, recipientID int64, page, perPage int) ([]domain.Notification, int, error) {
	db := s.conn(ctx)
	var total int64
	if err := db.Model(&notificationRow{}).Where("recipient_kind = ? AND recipient_id = ?", recipientKind, recipientID).
		Count(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count notifications: %w", err), "消息")
	}
	var rows []notificationRow
	if err := db.Where("recipient_kind = ? AND recipient_id = ?", recipientKind, recipientID).
		Order("id DESC").Offset((page - 1) * perPage).Limit(perPage).Find(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("notifications: %w", err), "消息")
	}
	out := make([]domain.Notification, len(rows))
	for i, r := range rows {
		out[i] = notificationFromRow(r)
	}
	return out, int(total), nil
}

func notificationFromRow(r notificationRow) domain.Notification {
	n := domain.Notification{ID: r.ID, RecipientKind: r.RecipientKind, RecipientID: r.RecipientID, Kind: r.Kind,
		Title: r.Title, Body: r.Body, ReadAt: r.ReadAt, CreatedAt: r.CreatedAt}
	if r.JobID != nil {
		n.JobID = *r.JobID
	}
	return n
}
