package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Submissions of the insured roster to the insurer (issue 22 item 3).

type rosterSubmissionRow struct {
	ID          int64 `gorm:"primaryKey"`
	CityCode    string
	WorkDate    string
	Batch       int
	IdemKey     string
	ContractIDs string `gorm:"column:contract_ids"`
	Lines       int
	Driver      string
	Status      string
	Attempts    int
	LastError   string
	ReceiptRef  string
	Receipt     string
	CreatedAt   time.Time
	SentAt      *time.Time
}

func (rosterSubmissionRow) TableName() string { return "roster_submissions" }

func (r rosterSubmissionRow) domain() domain.RosterBatch {
	b := domain.RosterBatch{ID: r.ID, Date: domain.Date(r.WorkDate), Batch: r.Batch, Key: r.IdemKey, Driver: r.Driver, Status: r.Status,
		Attempts: r.Attempts, LastError: r.LastError, ReceiptRef: r.ReceiptRef, Receipt: r.Receipt, CreatedAt: r.CreatedAt.UTC(), SentAt: r.SentAt}
	json.Unmarshal([]byte(r.ContractIDs), &b.ContractIDs)
	return b
}

// RosterBatches lists a date's submissions, first batch first.
func (s *Store) RosterBatches(ctx context.Context, day domain.Date) ([]domain.RosterBatch, error) {
	var rows []rosterSubmissionRow
	if err := s.conn(ctx).Where("work_date = ?", string(day)).Order("batch").Find(&rows).Error; err != nil {
		return nil, translate(err, "投保名单")
	}
	out := make([]domain.RosterBatch, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// NextRosterBatch returns the batch to send for day: the unsent one if there is one (resent under its
// key, with its contracts), else a new batch of the working contracts no earlier batch carried. ok is
// false when there is nothing to send.
func (s *Store) NextRosterBatch(ctx context.Context, day domain.Date, working []int64, driver string) (batch domain.RosterBatch, ok bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var rows []rosterSubmissionRow
		if err := tx.Where("work_date = ?", string(day)).Order("batch").Find(&rows).Error; err != nil {
			return err
		}
		sent := map[int64]bool{}
		for _, r := range rows {
			if r.Status == "pending" {
				batch, ok = r.domain(), true
				return nil
			}
			for _, id := range r.domain().ContractIDs {
				sent[id] = true
			}
		}
		var fresh []int64
		for _, id := range working {
			if !sent[id] {
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		slices.Sort(fresh)
		ids, _ := json.Marshal(fresh)
		n := len(rows) + 1
		row := rosterSubmissionRow{CityCode: domain.CityCode, WorkDate: string(day), Batch: n, IdemKey: fmt.Sprintf("%s-roster-%s-%d", domain.CityCode, day, n),
			ContractIDs: string(ids), Lines: len(fresh), Driver: driver, Status: "pending", CreatedAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		batch, ok = row.domain(), true
		return s.appendAudit(tx, Audit{Actor: domain.Principal{}, System: true, Action: "roster.batch", EntityKind: "roster_submission", EntityID: row.ID,
			Detail: map[string]any{"date": day, "batch": n, "lines": len(fresh), "key": row.IdemKey}})
	})
	if err != nil {
		return domain.RosterBatch{}, false, translate(fmt.Errorf("next roster batch of %s: %w", day, err), "投保名单")
	}
	return batch, ok, nil
}

// RosterBatchSent keeps the insurer's receipt of a batch. Only the first answer is kept: a batch already
// sent is left as it is (the insurer answered twice).
func (s *Store) RosterBatchSent(ctx context.Context, id int64, r domain.InsurerReceipt) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&rosterSubmissionRow{}).Where("id = ? AND status = 'pending'", id).
			Updates(map[string]any{"status": "sent", "receipt_ref": r.Reference, "receipt": r.Body, "sent_at": now, "last_error": "",
				"attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.appendAudit(tx, Audit{System: true, Action: "roster.sent", EntityKind: "roster_submission", EntityID: id,
			Detail: map[string]any{"receipt_ref": r.Reference}})
	})
	return translate(err, "投保名单")
}

// RosterBatchFailed records a failed attempt; the batch stays pending and is resent under its key.
func (s *Store) RosterBatchFailed(ctx context.Context, id int64, reason string) error {
	err := s.conn(ctx).Model(&rosterSubmissionRow{}).Where("id = ? AND status = 'pending'", id).
		Updates(map[string]any{"last_error": reason, "attempts": gorm.Expr("attempts + 1")}).Error
	return translate(err, "投保名单")
}
