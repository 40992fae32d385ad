package store

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// SQL exposes the raw connection pool to this package's external tests (schema checks, tampering).
func (s *Store) SQL() *sql.DB { return s.sqlDB }

// AppendAudit appends one audit event in its own transaction (use cases append inside theirs).
func (s *Store) AppendAudit(ctx context.Context, a Audit) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.appendAudit(tx, a) })
}

// InsertWorker, InsertEmployer and InsertJob let this package's tests make records directly, before
// (and independently of) the registration and posting use cases.
func (s *Store) InsertWorker(ctx context.Context, w *domain.Worker, idNumber string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.insertWorker(tx, w, idNumber) })
}

func (s *Store) InsertEmployer(ctx context.Context, e *domain.Employer) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.insertEmployer(tx, e, "") })
}

func (s *Store) InsertJob(ctx context.Context, j *domain.Job) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.insertJob(tx, j) })
}

// Write runs fn inside a write transaction, admitted as the use cases' writes are.
func (s *Store) Write(ctx context.Context, fn func() error) error {
	return s.tx(ctx, func(*gorm.DB) error { return fn() })
}

// RewriteAuditChain is the insider's attack on the audit log: edit the detail of event fromID (edit
// gets the old detail and returns the new), then recompute every hash from there to the end so the
// chain links up again. With key nil it recomputes them as the chain used to be computed, plain
// SHA-256 (what an insider without the secret key can do); with a key, as HMAC under that key (what
// someone who stole the secret key can do).
func (s *Store) RewriteAuditChain(ctx context.Context, fromID int64, edit func(string) string, key []byte) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var prev auditRow
		if err := tx.Select("hash").Where("id < ?", fromID).Order("id DESC").Limit(1).Take(&prev).Error; err != nil {
			return err
		}
		var rows []auditRow
		if err := tx.Where("id >= ?", fromID).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		thief := &Store{evidenceKey: key}
		for i, r := range rows {
			if i == 0 {
				r.Detail = edit(r.Detail)
			}
			r.PrevHash = prev.Hash
			if key == nil {
				r.Hash = legacyAuditHash(r)
			} else {
				r.Hash = thief.auditMAC(r)
			}
			if err := tx.Model(&auditRow{}).Where("id = ?", r.ID).Updates(map[string]any{"detail": r.Detail, "prev_hash": r.PrevHash, "hash": r.Hash}).Error; err != nil {
				return err
			}
			prev = r
		}
		return nil
	})
}

// MakeLegacy turns a database back into one made before the evidence was keyed (version 60 without
// the Go migration): the audit chain plain SHA-256, the ledger lines without their chain, the seals
// gone, the append-only trigger lifted as 00060 lifts it, and goose's record of 61 and 62 removed.
// Migrate then runs the keying migration on it, as on a production database.
func (s *Store) MakeLegacy(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if s.dialect == "postgres" {
		if err := db.Exec("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only").Error; err != nil {
			return err
		}
	} else if err := db.Exec("DROP TRIGGER ledger_entries_no_update").Error; err != nil {
		return err
	}
	if err := db.Exec("UPDATE ledger_entries SET prev_hash = '', line_hash = ''").Error; err != nil {
		return err
	}
	if err := db.Exec("DELETE FROM audit_events WHERE action IN ('contract.seal', 'audit.rekey')").Error; err != nil {
		return err
	}
	var rows []auditRow
	if err := db.Order("id").Find(&rows).Error; err != nil {
		return err
	}
	prev := genesisHash
	for _, r := range rows {
		r.PrevHash = prev
		r.Hash = legacyAuditHash(r)
		if err := db.Model(&auditRow{}).Where("id = ?", r.ID).Updates(map[string]any{"prev_hash": r.PrevHash, "hash": r.Hash}).Error; err != nil {
			return fmt.Errorf("legacy hash of %d: %w", r.ID, err)
		}
		prev = r.Hash
	}
	return db.Exec("DELETE FROM goose_db_version WHERE version_id IN (61, 62)").Error
}

// Translate is translate, for the tests of how driver errors reach the API.
var Translate = translate
