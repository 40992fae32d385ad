package store

import "database/sql"

// SQL exposes the raw connection pool to this package's external tests (schema checks, tampering).
func (s *Store) SQL() *sql.DB { return s.sqlDB }
