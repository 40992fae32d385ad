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

// CachedWorkerVersion is the version at which this process keeps worker id for their matches (0: none).
func (s *Store) CachedWorkerVersion(id int64) int64 {
	sh := s.workers.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e, ok := sh.cur[id]; ok {
		return e.version
	}
	return sh.old[id].version
}

// WorkerCacheEntries is the bound of the worker cache.
const WorkerCacheEntries = workerCacheEntries

// WorkerCacheBound puts n workers in a fresh cache, re-reading worker 1 after every 1,000 others (and
// asking once for a version it does not hold, which must miss), and returns how many it then holds and
// whether worker 1 is still there.
func WorkerCacheBound(n int) (int, bool) {
	var c workerCache
	c.put(1, 7, domain.Worker{ID: 1}, nil)
	for i := int64(2); i <= int64(n); i++ {
		c.put(i, 1, domain.Worker{ID: i}, nil)
		if i%1000 == 0 {
			if _, _, ok := c.get(1, 7); !ok {
				return c.len(), false
			}
		}
	}
	if _, _, ok := c.get(1, 6); ok {
		return c.len(), false
	}
	_, _, ok := c.get(1, 7)
	return c.len(), ok
}
