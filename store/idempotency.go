package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// Idempotent runs fn at most once for a (scope, key) pair, as Stripe's Idempotency-Key does:
//
//   - the first request runs fn; its status and body are stored under the key in the SAME transaction as
//     fn's own writes (fn's store calls join it through the context it receives), so either both the
//     effect and its record commit, or neither: a crash or an error leaves no half-done key behind and
//     the client's retry simply runs again;
//   - a later request with the same key and the same request hash gets the stored status and body back
//     (replayed is true), and nothing runs;
//   - the same key with another request hash is refused with domain.IdempotencyMismatch (422);
//   - concurrent requests with one key queue on the key's unique index (PostgreSQL) or on the write lock
//     (SQLite, BEGIN IMMEDIATE): the first runs, the rest wait for it to commit and then replay it.
//
// fn returns the status and body to store; if it returns an error nothing is stored (Stripe does not save
// requests that failed validation either) and the error is returned. Keys are kept at least until
// DeleteIdempotencyKeys removes those older than the retention period. scope separates callers (e.g.
// "employer:12"), so two clients never see each other's keys.
//
// The key record is written first in the transaction, before any other lock (the audit log's) is taken;
// every idempotent use case keeps that order, which rules out lock-order deadlocks between them.
func (s *Store) Idempotent(ctx context.Context, scope, key, requestHash string,
	fn func(ctx context.Context) (status int, body []byte, err error)) (status int, body []byte, replayed bool, err error) {
	if _, nested := ctx.Value(txKey{}).(*gorm.DB); nested {
		return 0, nil, false, domain.Internal(fmt.Errorf("idempotent request inside a transaction"))
	}
	release, err := s.admitWriter(ctx)
	if err != nil {
		return 0, nil, false, err
	}
	defer release()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row := idempotencyRow{Scope: scope, Key: key, RequestHash: requestHash, CreatedAt: s.now()}
		ins := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if ins.Error != nil {
			return fmt.Errorf("claim idempotency key: %w", ins.Error)
		}
		if ins.RowsAffected == 0 {
			// The key exists and its transaction has committed (the insert waited for it), so the
			// stored response is complete.
			var prev idempotencyRow
			if err := tx.Where("scope = ? AND key = ?", scope, key).Take(&prev).Error; err != nil {
				return fmt.Errorf("read idempotency key: %w", err)
			}
			if prev.RequestHash != requestHash {
				return domain.IdempotencyMismatch()
			}
			status, body, replayed = prev.StatusCode, []byte(prev.ResponseBody), true
			return nil
		}
		var err error
		status, body, err = fn(context.WithValue(ctx, txKey{}, tx))
		if err != nil {
			return err
		}
		err = tx.Model(&idempotencyRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"status_code": status, "response_body": string(body)}).Error
		if err != nil {
			return fmt.Errorf("store idempotent response: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, nil, false, translate(err, "请求记录")
	}
	s.changed()
	return status, body, replayed, nil
}

// DeleteIdempotencyKeys removes the keys recorded before cutoff and returns how many it removed. The
// server calls it periodically with now minus the retention period (at least 24 h).
func (s *Store) DeleteIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error) {
	r := s.conn(ctx).Where("created_at < ?", cutoff.UTC()).Delete(&idempotencyRow{})
	if r.Error != nil {
		return 0, translate(fmt.Errorf("delete idempotency keys: %w", r.Error), "请求记录")
	}
	return r.RowsAffected, nil
}
