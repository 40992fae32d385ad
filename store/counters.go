package store

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// nextCounter returns the next value (1, 2, …) of a named counter inside tx. The UPDATE takes the
// counter's row lock (PostgreSQL) or the database write lock (SQLite), so concurrent transactions get
// distinct values and a rolled-back transaction gives its value back.
func nextCounter(tx *gorm.DB, name string) (int64, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&counterRow{Name: name, Value: 0}).Error; err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	if err := tx.Model(&counterRow{}).Where("name = ?", name).Update("value", gorm.Expr("value + 1")).Error; err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	var row counterRow
	if err := tx.Where("name = ?", name).Take(&row).Error; err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return row.Value, nil
}

// workerNo formats the printed worker number.
func workerNo(n int64) string { return fmt.Sprintf("LG%08d", n) }
