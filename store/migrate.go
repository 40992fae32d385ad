package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"lingong/migrations"
)

// MigrationState is one migration and whether it has been applied.
type MigrationState struct {
	Version   int64
	File      string
	Applied   bool
	AppliedAt time.Time
}

func (s *Store) provider() (*goose.Provider, error) {
	fsys, err := migrations.For(s.dialect)
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	// The one Go migration keys the evidence with the secret key (see evidenceMigration).
	// Migration numbers are reserved in ranges per feature, so a database may hold a higher number than
	// one a later release adds (e.g. 61, keying the evidence, after 86): it is applied, not refused.
	opts := []goose.ProviderOption{goose.WithGoMigrations(s.evidenceMigration()), goose.WithAllowOutofOrder(true)}
	if s.dialect == migrations.Postgres {
		dialect = goose.DialectPostgres
		// Several API processes may start at once on one PostgreSQL: an advisory lock lets one migrate
		// while the others wait. SQLite needs none: BEGIN IMMEDIATE serialises writers.
		// The lock id is derived from the schema, so databases in different schemas (tests, or cities
		// sharing a server) never wait for each other.
		var schema string
		if err := s.sqlDB.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("lingong-migrate:" + schema))
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(int64(h.Sum64()>>1)),
			lock.WithLockTimeout(1, 600), // retry every second for up to 10 minutes
		)
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s.sqlDB, fsys, opts...)
}

// Migrate applies every pending migration. Each migration runs in its own transaction together with
// its version row, so a crash leaves the database at the previous version or the next, never between.
// It returns the files applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", s.dialect, err)
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	return applied, nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, m := range st {
		out = append(out, MigrationState{
			Version:   m.Source.Version,
			File:      m.Source.Path,
			Applied:   m.State == goose.StateApplied,
			AppliedAt: m.AppliedAt,
		})
	}
	return out, nil
}
