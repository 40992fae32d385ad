package store

import (
	"context"
	"fmt"
	"time"

	"lingong/domain"
)

// Cover warnings (issue 22 item 3): the SMS the day before a working day without accident cover. A
// worker is told once per day, however many processes run the schedule: the row is claimed before
// the message is sent, and the UNIQUE (worker_id, work_date) decides who sends it.

// ClaimCoverWarning claims the warning of workerID for day: true when this caller is to send it, false
// when it was claimed before.
func (s *Store) ClaimCoverWarning(ctx context.Context, workerID int64, day domain.Date, contractID int64) (bool, error) {
	res := s.conn(ctx).Exec(`INSERT INTO cover_warnings (worker_id, work_date, contract_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (worker_id, work_date) DO NOTHING`, workerID, string(day), contractID, s.now().UTC().Truncate(time.Microsecond))
	if res.Error != nil {
		return false, translate(fmt.Errorf("claim cover warning of worker %d on %s: %w", workerID, day, res.Error), "保险提醒")
	}
	return res.RowsAffected == 1, nil
}

// ReleaseCoverWarning gives a claim back after the message could not be sent, so that the next run
// tries again.
func (s *Store) ReleaseCoverWarning(ctx context.Context, workerID int64, day domain.Date) error {
	err := s.conn(ctx).Exec("DELETE FROM cover_warnings WHERE worker_id = ? AND work_date = ?", workerID, string(day)).Error
	return translate(err, "保险提醒")
}
