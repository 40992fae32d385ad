package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// SQL exposes the raw connection pool to this package's external tests (schema checks, tampering).
func (s *Store) SQL() *sql.DB { return s.sqlDB }

// AppendAudit appends one audit event in its own transaction (use cases append inside theirs).
func (s *Store) AppendAudit(ctx context.Context, a Audit) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.appendAudit(tx, a) })
}
