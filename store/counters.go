package store

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/migrations"
)

// nextCounter returns the next value (1, 2, …) of a named counter inside tx. The UPDATE takes the
// counter's row lock (PostgreSQL) or the database write lock (SQLite), so concurrent transactions get
// distinct values and a rolled-back transaction gives its value back. The lock is held until tx ends, so
// the common case is one statement (UPDATE … RETURNING); the row is made on the counter's first use.
func nextCounter(tx *gorm.DB, name string) (int64, error) {
	var rows []counterRow
	bump := func() error {
		return tx.Model(&rows).Clauses(clause.Returning{Columns: []clause.Column{{Name: "value"}}}).
			Where("name = ?", name).Update("value", gorm.Expr("value + 1")).Error
	}
	if err := bump(); err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	if len(rows) == 1 {
		return rows[0].Value, nil
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&counterRow{Name: name, Value: 0}).Error; err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	if err := bump(); err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	if len(rows) != 1 {
		return 0, fmt.Errorf("counter %s: %d rows updated", name, len(rows))
	}
	return rows[0].Value, nil
}

// nextWorkerNo numbers a new worker. On SQLite it is nextCounter inside tx (writers take turns anyway).
// On PostgreSQL the counter's row lock would otherwise be held through the whole registration
// (tags, session, the audit chain's lock, the commit's disk wait) and make registrations take turns end
// to end; instead the number is taken in a transaction of its own, on another connection, that holds
// the lock for one statement. A registration that then fails leaves a gap in the numbers (numbers are
// only unique, never promised consecutive). That short transaction does not wait for the disk: the
// registration that uses the number commits after it and waits for the log up to its own commit record,
// which comes after the counter's, so a number can be lost in a crash only together with its worker.
func (s *Store) nextWorkerNo(tx *gorm.DB) (int64, error) {
	// A pool of one connection (never the default) could not lend the second one: number inside tx.
	if s.dialect != migrations.Postgres || s.sqlDB.Stats().MaxOpenConnections < 2 {
		return nextCounter(tx, "worker_no")
	}
	var n int64
	err := s.db.WithContext(tx.Statement.Context).Transaction(func(c *gorm.DB) error {
		if err := c.Exec("SET LOCAL synchronous_commit TO OFF").Error; err != nil {
			return err
		}
		var err error
		n, err = nextCounter(c, "worker_no")
		return err
	})
	return n, err
}

// workerNo formats the printed worker number.
func workerNo(n int64) string { return fmt.Sprintf("LG%08d", n) }
