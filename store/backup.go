package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
	"lingong/migrations"
)

// ErrBackupNotSQLite is returned by Backup on PostgreSQL: its backups are the database's own tools.
var ErrBackupNotSQLite = fmt.Errorf("lingong backup copies the embedded SQLite database only; " +
	"this service runs on PostgreSQL: back it up with pg_dump or point-in-time recovery (docs/operations.md, 备份与恢复)")

// Backup writes a consistent copy of the SQLite database to path (which must not exist yet) while the
// service keeps running: VACUUM INTO reads one snapshot of the database in a read transaction, so writes
// committed during the copy are either wholly in it or not at all, and nobody waits for it (WAL readers
// never block the writer). A plain file copy would miss what is still in the WAL, or tear a page.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != migrations.SQLite {
		return ErrBackupNotSQLite
	}
	if _, err := s.sqlDB.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("back up the database to %s: %w", path, err)
	}
	return nil
}

// CopyCheck is what CheckCopy found in a database (a backup about to be restored).
type CopyCheck struct {
	Problems    []string // Chinese, one per finding; none when the copy is sound
	AuditEvents int
	Contracts   int
	Tables      int
}

// CheckCopy checks a database before it is trusted: SQLite's own integrity check (every page, index and
// constraint), the audit chain exactly as VerifyAuditChain checks it, and every contract's terms against
// the hash they were signed under and the hash recorded when the contract was made.
func (s *Store) CheckCopy(ctx context.Context) (CopyCheck, error) {
	var out CopyCheck
	db := s.conn(ctx)
	if s.dialect == migrations.SQLite {
		var rows []string
		if err := db.Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
			return out, fmt.Errorf("integrity check: %w", err)
		}
		if len(rows) != 1 || rows[0] != "ok" {
			for i, r := range rows {
				if i == 10 {
					out.Problems = append(out.Problems, fmt.Sprintf("数据库文件损坏：另有 %d 处", len(rows)-10))
					break
				}
				out.Problems = append(out.Problems, "数据库文件损坏："+r)
			}
			// A damaged file is not read further: what it answers cannot be trusted.
			return out, nil
		}
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").Scan(&n).Error; err != nil {
			return out, err
		}
		out.Tables = int(n)
	}
	problems, err := s.VerifyAuditChain(ctx)
	if err != nil {
		return out, err
	}
	for _, p := range problems {
		out.Problems = append(out.Problems, p.Problem)
	}
	var nAudit int64
	if err := db.Model(&auditRow{}).Count(&nAudit).Error; err != nil {
		return out, err
	}
	out.AuditEvents = int(nAudit)
	created := map[int64]string{} // contract id -> terms hash recorded by contract.create
	var events []auditRow
	if err := db.Where("entity_kind = 'contract' AND action = 'contract.create'").Order("id").Find(&events).Error; err != nil {
		return out, err
	}
	for _, e := range events {
		if _, ok := created[e.EntityID]; !ok {
			created[e.EntityID] = jsonField(e.Detail, "terms_hash")
		}
	}
	err = scanInBatches(db, "1 = 1", func(r contractRow) int64 { return r.ID }, func(_ *gorm.DB, batch []contractRow) error {
		for _, c := range batch {
			out.Contracts++
			if sha256Hex([]byte(c.TermsJSON)) != c.TermsHash {
				out.Problems = append(out.Problems, fmt.Sprintf("合约 %s 的条款与其哈希值不符", c.Number))
			}
			if h, ok := created[c.ID]; !ok || h != c.TermsHash {
				out.Problems = append(out.Problems, fmt.Sprintf("合约 %s 的哈希值与建立时的审计记录不一致", c.Number))
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("check contracts: %w", err)
	}
	return out, nil
}

// RecordBackup keeps the outcome of one backup for the console.
func (s *Store) RecordBackup(ctx context.Context, r domain.BackupRun) error {
	row := backupRunRow{CityCode: domain.CityCode, Kind: r.Kind, StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(),
		OK: r.OK, File: r.File, SizeBytes: r.SizeBytes, Error: truncate(r.Error, 500)}
	return translate(s.conn(ctx).Create(&row).Error, "备份记录")
}

// LatestBackups returns the last successful backup and the last failed one (nil when there is none).
func (s *Store) LatestBackups(ctx context.Context) (lastOK, lastFailure *domain.BackupRun, err error) {
	for _, ok := range []bool{true, false} {
		var row backupRunRow
		err := s.conn(ctx).Where("ok = ?", ok).Order("finished_at DESC, id DESC").Limit(1).Take(&row).Error
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, nil, translate(err, "备份记录")
		}
		run := &domain.BackupRun{ID: row.ID, Kind: row.Kind, StartedAt: row.StartedAt, FinishedAt: row.FinishedAt, OK: row.OK,
			File: row.File, SizeBytes: row.SizeBytes, Error: row.Error}
		if ok {
			lastOK = run
		} else {
			lastFailure = run
		}
	}
	return lastOK, lastFailure, nil
}

type backupRunRow struct {
	ID         int64 `gorm:"primaryKey"`
	CityCode   string
	Kind       string
	StartedAt  time.Time
	FinishedAt time.Time
	OK         bool
	File       string
	SizeBytes  int64
	Error      string
}

func (backupRunRow) TableName() string { return "backup_runs" }

// jsonField reads one string field of a JSON object without failing on anything else.
func jsonField(raw, key string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return ""
	}
	s, _ := m[key].(string)
	return strings.TrimSpace(s)
}
