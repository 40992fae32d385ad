// Package store is the only package that talks to the database. It opens SQLite (embedded, pure Go) or
// PostgreSQL through gorm, applies the migrations of package migrations, converts rows to domain types
// and back, translates driver errors into domain errors, and runs each use case that writes more than one
// row in one transaction.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"lingong/domain"
	"lingong/migrations"
)

// Options configure Open.
type Options struct {
	// DatabaseURL selects the engine: empty for the embedded SQLite file DataDir/lingong.db,
	// "postgres://…" or "postgresql://…" for PostgreSQL, "sqlite:///path/to/file.db" for SQLite elsewhere.
	DatabaseURL string
	DataDir     string
	// Key is the 32-byte secret that encrypts resident ID numbers, keys their blind index, the HMAC of
	// stored SMS codes and the audit and ledger chains (each through its own derived key).
	Key    []byte
	Clock  domain.Clock
	Logger *slog.Logger
	// MaxOpenConns bounds the pool (default 20 for PostgreSQL, 8 for SQLite).
	MaxOpenConns int
	// ArrearsBlockDays: an employer with an open arrears alert more than this many days past due cannot
	// have new gigs approved until the alert is cleared (paid, or cleared by staff). 0 means
	// domain.DefaultArrearsBlockDays; a negative value switches the rule off.
	ArrearsBlockDays int
	// Unsynced does not wait for the disk at each commit (SQLite synchronous=NORMAL, PostgreSQL
	// synchronous_commit=off): for loading the
	// demo month, thousands of small transactions a crash would only make us load again. Never for
	// real records.
	Unsynced bool
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect migrations.Dialect
	clock   domain.Clock
	log     *slog.Logger
	sealer  *sealer
	otpKey  []byte // HMAC key of stored SMS codes, derived from Options.Key
	// evidenceKey keys the audit chain and the ledger chains (derived from Options.Key, never stored):
	// whoever can write the database but lacks the key cannot recompute them.
	evidenceKey []byte
	// arrearsBlockDays is Options.ArrearsBlockDays resolved: < 0 off.
	arrearsBlockDays int
	dsn              string // for LISTEN connections (PostgreSQL)
	// writer admits write transactions: one at a time on SQLite, half the pool on PostgreSQL. SQLite
	// has one writer anyway; queueing here, in order and with the request's deadline, replaces its busy
	// handler's sleep-and-retry, which under a burst of writers wastes most of the time sleeping. On
	// PostgreSQL writers meet on the audit chain's lock (and on counters and worker rows), so a burst of
	// them used to take every pooled connection to wait there, and reads that need no lock at all queued
	// behind them for a connection: the morning rush saw half-second stalls of plain GETs. Writers beyond
	// half the pool now wait here, without a connection, and reads always find one.
	writer chan struct{}
	// auditTail is the hash of the last audit event this process wrote (string; see appendAudit), a
	// guess at the chain's tail that the database checks.
	auditTail atomic.Value
	// notifyWake wakes the change feed's notifier after a commit (PostgreSQL; see changes.go), and
	// stopNotify ends it at Close.
	notifyWake chan struct{}
	stopNotify context.CancelFunc
	notifyDone chan struct{}
	// workers keeps the workers read for their matches by version (WorkerWithLiveApplications).
	workers workerCache
}

// Open connects to the database named by opts and checks that it answers. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dialect, dsn, err := ParseDatabaseURL(opts.DatabaseURL, opts.DataDir)
	if err != nil {
		return nil, err
	}
	var dialector gorm.Dialector
	switch dialect {
	case migrations.Postgres:
		if opts.Unsynced {
			// Commits return before the WAL reaches the disk (a crash loses the last moments, never consistency).
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			dsn += sep + "synchronous_commit=off"
		}
		dialector = postgres.New(postgres.Config{DSN: dsn})
	case migrations.SQLite:
		if opts.Unsynced {
			dsn = strings.Replace(dsn, url.QueryEscape("synchronous(FULL)"), url.QueryEscape("synchronous(NORMAL)"), 1)
		}
		if err := os.MkdirAll(filepath.Dir(sqliteFile(dsn)), 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		if err := privateDatabaseFiles(sqliteFile(dsn)); err != nil {
			return nil, err
		}
		dialector = sqlite.Open(dsn)
	}
	clock := opts.Clock
	db, err := gorm.Open(dialector, &gorm.Config{
		// Use cases open their own transactions; single statements need none.
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return clock.Now() },
		Logger:                 logger.Discard,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen == 0 {
		maxOpen = 20
		if dialect == migrations.SQLite {
			maxOpen = 8
		}
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	if dialect == migrations.SQLite {
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	// PostgreSQL connections stay open however long they idle: a quiet night would otherwise close
	// them, and the morning's first burst would pay for cold ones (see WarmPool). A broken one is
	// replaced on its next use.
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	s := &Store{db: db, sqlDB: sqlDB, dialect: dialect, clock: clock, log: opts.Logger, dsn: dsn, arrearsBlockDays: opts.ArrearsBlockDays}
	if s.arrearsBlockDays == 0 {
		s.arrearsBlockDays = domain.DefaultArrearsBlockDays
	}
	if dialect == migrations.SQLite {
		s.writer = make(chan struct{}, 1)
	} else {
		s.writer = make(chan struct{}, max(1, maxOpen/2))
		s.notifyWake = make(chan struct{}, 1)
		var notifyCtx context.Context
		notifyCtx, s.stopNotify = context.WithCancel(context.Background())
		s.notifyDone = make(chan struct{})
		go func() {
			defer close(s.notifyDone)
			s.notifyLoop(notifyCtx)
		}()
	}
	if len(opts.Key) > 0 {
		if s.sealer, err = newSealer(opts.Key); err != nil {
			sqlDB.Close()
			return nil, err
		}
		s.otpKey = domain.DeriveKey(opts.Key, otpKeyPurpose)
		s.evidenceKey = domain.DeriveKey(opts.Key, domain.EvidenceKeyPurpose)
	}
	return s, nil
}

// ParseDatabaseURL tells the engine and the driver DSN from DATABASE_URL. It never connects.
func ParseDatabaseURL(raw, dataDir string) (migrations.Dialect, string, error) {
	switch {
	case raw == "":
		if dataDir == "" {
			dataDir = "."
		}
		return migrations.SQLite, sqliteDSN(filepath.Join(dataDir, "lingong.db")), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "", "", fmt.Errorf("DATABASE_URL is not a valid postgres:// URL")
		}
		if strings.Trim(u.Path, "/") == "" {
			return "", "", fmt.Errorf("DATABASE_URL names no database (postgres://user@host:5432/DBNAME)")
		}
		// The driver's own reading of the URL (sslmode, connect_timeout, …), so that a bad value stops
		// the start here, naming the variable, rather than at the first connection.
		if _, err := pgconn.ParseConfig(raw); err != nil {
			return "", "", fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %s", pgParseReason(err, u))
		}
		return migrations.Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		path := strings.TrimPrefix(raw, "sqlite://")
		if path == "" {
			return "", "", fmt.Errorf("DATABASE_URL sqlite:// names no file")
		}
		return migrations.SQLite, sqliteDSN(path), nil
	}
	return "", "", fmt.Errorf("DATABASE_URL must start with postgres:// or sqlite:// (or be unset for the embedded SQLite)")
}

// pgParseReason is the driver's complaint about a connection URL without the URL itself (which may hold
// a password) and on one line.
func pgParseReason(err error, u *url.URL) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		msg = msg[i+len("`: "):] // drop "cannot parse `<url>`"
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return strings.Join(strings.Fields(msg), " ")
}

// sqliteDSN turns a file path into a DSN with the settings DESIGN.md measured: WAL so readers never wait
// for the writer, busy_timeout so concurrent writers queue instead of failing, BEGIN IMMEDIATE so a
// transaction takes the write lock up front (deferred transactions that upgrade fail with SQLITE_BUSY
// under concurrent writers), foreign keys on, and synchronous=FULL so an acknowledged write survives a
// crash of the machine, not just of the process.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// SQLiteFile is the database file of a SQLite DSN returned by ParseDatabaseURL.
func SQLiteFile(dsn string) string { return sqliteFile(dsn) }

func sqliteFile(dsn string) string {
	p := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// Dialect reports the engine: "sqlite" or "postgres".
func (s *Store) Dialect() migrations.Dialect { return s.dialect }

// Close closes the connection pool (and the change feed's notifier).
func (s *Store) Close() error {
	if s.stopNotify != nil {
		s.stopNotify()
		<-s.notifyDone
	}
	return s.sqlDB.Close()
}

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return domain.Unavailable(err)
	}
	var one int
	if err := s.sqlDB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return domain.Unavailable(err)
	}
	return nil
}

// PoolStats reports the connection pool for /metrics.
func (s *Store) PoolStats() sql.DBStats { return s.sqlDB.Stats() }

// txKey marks a context that carries an open transaction (see Idempotent).
type txKey struct{}

// tx runs fn in one transaction: all its writes land, or none. When ctx already carries a transaction
// (an idempotent request's, see Idempotent), fn joins it, so the use case and the record of its response
// commit or roll back together.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(tx)
	}
	release, err := s.admitWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.db.WithContext(ctx).Transaction(fn); err != nil {
		return err
	}
	s.changed()
	return nil
}

// admitWriter waits for a place at the write gate (see writer) or for ctx to end.
func (s *Store) admitWriter(ctx context.Context) (release func(), err error) {
	select {
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-ctx.Done():
		return nil, domain.Unavailable(ctx.Err())
	}
}

// conn returns the handle for single statements: the context's transaction when there is one, so a read
// inside an idempotent request sees its own writes and never waits for a second pooled connection
// (SQLite's single writer would otherwise starve a full pool).
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return s.db.WithContext(ctx)
}

// now is the store's clock in UTC.
func (s *Store) now() time.Time { return s.clock.Now() }

// translate turns a driver or ORM error into a domain error: a missing row is not_found (what names it
// in Chinese), a unique violation is conflict, a dead connection is unavailable, anything else internal.
// Errors that are already domain errors pass through.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound), errors.Is(err, sql.ErrNoRows):
		return domain.NotFound(what)
	case errors.Is(err, gorm.ErrDuplicatedKey) || isUniqueViolation(err):
		return &domain.Error{Code: domain.CodeConflict, Message: what + "已存在", Err: err}
	case errors.Is(err, gorm.ErrForeignKeyViolated), errors.Is(err, gorm.ErrCheckConstraintViolated):
		return &domain.Error{Code: domain.CodeConflict, Message: "数据不符合约束，未保存", Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), isConnectionError(err),
		endedWithTheContext(err):
		return domain.Unavailable(err)
	}
	return domain.Internal(err)
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// isConnectionError recognises a database that cannot be reached, so the api can answer 503 with
// Retry-After instead of 500.
func isConnectionError(err error) bool {
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "failed to connect", "connection reset", "broken pipe",
		"server closed the connection", "the database system is", "SQLSTATE 57P0", "SQLSTATE 08", "conn closed",
		"unexpected EOF", "database is locked", "SQLITE_BUSY"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// endedWithTheContext recognises what a statement gets when the request's context ended while its
// transaction was open, rather than the context's error: database/sql rolls the transaction back as the
// context ends, and the next statement gets sql.ErrTxDone (the store never uses a transaction after
// committing it); the SQLite driver interrupts a running statement (SQLITE_INTERRUPT, code 9); pgx
// closes the connection under a running statement, which then answers driver.ErrBadConn. All are
// the request's deadline (503, try again), or a dead connection, not a fault of the server: under
// registration bursts (SQLite with the race detector, PostgreSQL on a busy machine) they answered 500.
func endedWithTheContext(err error) bool {
	if errors.Is(err, sql.ErrTxDone) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 9 && strings.Contains(err.Error(), "interrupt")
}

// WarmPool opens every connection of the pool now (PostgreSQL only) and has each read every table of the
// schema once, so the first burst of requests after a start does not pay for new server processes and
// their catalog caches while holding the audit chain's lock: each cold connection cost its first writer
// tens of milliseconds, and every other writer waited behind it.
func (s *Store) WarmPool(ctx context.Context) error {
	if s.dialect != migrations.Postgres {
		return nil
	}
	var tables []string
	if err := s.db.WithContext(ctx).Raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").
		Scan(&tables).Error; err != nil {
		return fmt.Errorf("warm the connection pool: %w", err)
	}
	n := s.sqlDB.Stats().MaxOpenConnections
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := s.sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("warm the connection pool: %w", err)
		}
		conns = append(conns, c)
		for _, table := range tables {
			if _, err := c.ExecContext(ctx, `SELECT 1 FROM "`+table+`" LIMIT 0`); err != nil {
				return fmt.Errorf("warm the connection pool: %w", err)
			}
		}
	}
	return nil
}

// privateDatabaseFiles makes the SQLite database readable by its owner only (0600): it holds every
// worker's phone and encrypted ID number. A new file is created empty with that mode before SQLite opens
// it (SQLite gives its -wal and -shm files the database file's mode); an existing one, and its -wal and
// -shm, are narrowed to it.
func privateDatabaseFiles(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create database file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restrict %s to its owner: %w", p, err)
		}
	}
	return nil
}
