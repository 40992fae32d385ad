package store

import (
	"context"
	"database/sql"

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
