package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"lingong/domain"
	"lingong/migrations"
)

// evidenceMigrationVersion is the Go migration between 00060 (which adds the ledger chain's columns and
// lifts the ledger's append-only trigger) and 00062 (which puts the trigger back). It needs the secret
// key, which the SQL files do not have, so it lives here.
const evidenceMigrationVersion = 61

// evidenceMigration keys the evidence of a database made before the chains were keyed, in the
// migration's own transaction (all of it, or nothing):
//  1. it checks the audit chain as it was (plain SHA-256) and refuses to go on if it is already broken:
//     keying a tampered chain would launder the tampering;
//  2. it recomputes every audit event's hash with the key (the same fields, now HMAC);
//  3. it seals each contract: a "contract.seal" event records the columns its use depends on (ids of
//     worker, employer, station, job, application; terms hash) and the head of its ledger, after
//     chaining the ledger's existing lines;
//  4. it appends "audit.rekey" with the old chain's head and length.
func (s *Store) evidenceMigration() *goose.Migration {
	up := &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		db, err := s.gormOn(tx)
		if err != nil {
			return err
		}
		return s.keyEvidence(db.WithContext(ctx))
	}}
	// Going down leaves the keyed hashes: the columns go with 00060's down, and the keyed audit chain
	// stays valid for a build that knows the key.
	down := &goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}
	return goose.NewGoMigration(evidenceMigrationVersion, up, down)
}

// gormOn wraps a database/sql transaction in gorm, with the store's settings.
func (s *Store) gormOn(tx *sql.Tx) (*gorm.DB, error) {
	var d gorm.Dialector = &sqlite.Dialector{Conn: tx}
	if s.dialect == migrations.Postgres {
		d = postgres.New(postgres.Config{Conn: tx})
	}
	clock := s.clock
	return gorm.Open(d, &gorm.Config{SkipDefaultTransaction: true, NowFunc: func() time.Time { return clock.Now() },
		Logger: logger.Discard, TranslateError: true})
}

func (s *Store) keyEvidence(tx *gorm.DB) error {
	var n int64
	legacyHead := genesisHash
	newPrev := genesisHash
	err := scanInBatches(tx, "1 = 1", func(r auditRow) int64 { return r.ID }, func(tx *gorm.DB, batch []auditRow) error {
		for _, r := range batch {
			if r.PrevHash != legacyHead || legacyAuditHash(r) != r.Hash {
				return fmt.Errorf("the audit chain is already broken at event %d (审计记录 %d 已被改动或删除)："+
					"nothing was changed; find out what happened to it before keying the chain", r.ID, r.ID)
			}
			legacyHead = r.Hash
			r.PrevHash = newPrev
			r.Hash = s.auditMAC(r)
			if err := tx.Model(&auditRow{}).Where("id = ?", r.ID).Updates(map[string]any{"prev_hash": r.PrevHash, "hash": r.Hash}).Error; err != nil {
				return err
			}
			newPrev = r.Hash
			n++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("key the audit chain: %w", err)
	}
	system := domain.Principal{Kind: "system"} // the migration itself, no person
	err = scanInBatches(tx, "1 = 1", func(r contractRow) int64 { return r.ID }, func(tx *gorm.DB, batch []contractRow) error {
		for _, c := range batch {
			var lines []ledgerEntryRow
			if err := tx.Where("contract_id = ?", c.ID).Order("id").Find(&lines).Error; err != nil {
				return err
			}
			prev := genesisHash
			var through int64
			for _, l := range lines {
				l.PrevHash = prev
				l.LineHash = s.ledgerLineMAC(l)
				if err := tx.Model(&ledgerEntryRow{}).Where("id = ?", l.ID).Updates(map[string]any{"prev_hash": l.PrevHash, "line_hash": l.LineHash}).Error; err != nil {
					return err
				}
				prev, through = l.LineHash, l.ID
			}
			detail := contractAnchor(contractFromRow(c))
			detail["ledger_through_id"], detail["ledger_head"] = through, prev
			if err := s.appendAudit(tx, Audit{Actor: system, Action: "contract.seal", EntityKind: "contract", EntityID: c.ID, Detail: detail}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seal the contracts and their ledgers: %w", err)
	}
	if n == 0 {
		return nil
	}
	return s.appendAudit(tx, Audit{Actor: system, Action: "audit.rekey", EntityKind: "audit", Detail: map[string]any{"legacy_head": legacyHead, "events": n}})
}
