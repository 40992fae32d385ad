package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"lingong/migrations"
)

// Change says that a row of an indexed table (jobs or workers) was inserted or updated, by this process
// or another one sharing the database.
type Change struct {
	Table string // "jobs" or "workers"
	ID    int64
}

// The change feed on PostgreSQL (migrations 00032 and 00220). A trigger on jobs and workers appends a
// row to change_log inside the writing transaction; nothing in that transaction NOTIFYs, because a
// NOTIFY holds the server's one notify lock until its commit is on disk and so serialises the disk
// flushes of every writer. After a write transaction commits, the process that committed sends a
// payload-free wake-up (NOTIFY lingong_changes with the schema's name) from a connection of its own that
// does not wait for the disk (see notifyLoop). Every process LISTENs, and on a wake-up or every
// changePoll reads change_log from where it stopped (readChangeLog), so a wake-up that is lost (a
// process killed between its commit and its NOTIFY) only delays the change by at most changePoll.
const (
	changePoll = time.Second
	// changeRetention: change_log rows older than this are deleted by the readers (a reader is never
	// that far behind; one that reconnects also replays by updated_at).
	changeRetention = 24 * time.Hour
	changePrune     = 10 * time.Minute
	// notifyGap is the least time between two wake-ups a process sends.
	notifyGap     = 10 * time.Millisecond
	notifyChannel = "lingong_changes"
)

// changed wakes the notifier after a write transaction committed (PostgreSQL only). It never blocks:
// wake-ups that arrive while one is pending are one wake-up.
func (s *Store) changed() {
	if s.notifyWake == nil {
		return
	}
	select {
	case s.notifyWake <- struct{}{}:
	default:
	}
}

// notifyLoop sends one NOTIFY per wake-up, on its own connection with synchronous_commit off: the
// notification carries no data (change_log has it, on disk with the transaction that wrote it), so its
// transaction need not wait for the disk, and it holds the notify lock only for an instant. Any number
// of commits during one NOTIFY and the notifyGap after it make one more. A failure drops the connection and the wake-up; readers
// poll.
func (s *Store) notifyLoop(ctx context.Context) {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.notifyWake:
		}
		if conn == nil {
			cfg, err := pgx.ParseConfig(s.dsn)
			if err != nil {
				s.log.Warn("change feed: cannot send wake-ups", "err", err)
				return
			}
			cfg.RuntimeParams["application_name"] = "lingong-change-notify"
			cfg.RuntimeParams["synchronous_commit"] = "off"
			if conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
				conn = nil
				s.log.Debug("change feed: wake-up not sent; readers poll", "err", err)
				continue
			}
		}
		if _, err := conn.Exec(ctx, "SELECT pg_notify('"+notifyChannel+"', current_schema())"); err != nil {
			conn.Close(context.Background())
			conn = nil
			s.log.Debug("change feed: wake-up not sent; readers poll", "err", err)
		}
		// Commits meanwhile share the next wake-up: under a burst every process then reads change_log
		// at most every notifyGap, not once per commit.
		select {
		case <-ctx.Done():
			return
		case <-time.After(notifyGap):
		}
	}
}

// WatchChanges calls fn for every change to jobs and workers made through any process sharing this
// PostgreSQL database, until ctx ends. On SQLite (one process) it only waits for ctx. fn is called from
// one goroutine, in commit order of the batches it reads (a row changed several times between two reads
// is reported once).
func (s *Store) WatchChanges(ctx context.Context, fn func(Change)) error {
	return s.WatchChangesSince(ctx, time.Time{}, fn)
}

// WatchChangesSince is WatchChanges for a follower that loaded its state at since: it first replays
// every row updated since shortly before that instant, so a change committed between the load and the
// start of the feed is not missed (serve builds its index, then starts the feed). A zero since replays
// nothing at the start. After a lost LISTEN connection it reconnects with backoff and replays again
// from shortly before the last read (which also catches a row written with the trigger disabled).
func (s *Store) WatchChangesSince(ctx context.Context, since time.Time, fn func(Change)) error {
	if s.dialect != migrations.Postgres {
		<-ctx.Done()
		return nil
	}
	var schema string
	if err := s.sqlDB.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("change feed: %w", err)
	}
	catchUp := !since.IsZero()
	if !catchUp {
		since = s.now()
	}
	r := &changeReader{s: s, seen: map[int64]int64{}}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		listened, err := s.listenOnce(ctx, schema, &since, catchUp, r, fn)
		catchUp = true // every reconnect replays what it may have missed
		if ctx.Err() != nil {
			return nil
		}
		if listened {
			backoff = 100 * time.Millisecond // a feed that worked starts over quickly after its next failure
		}
		s.log.Warn("change feed lost its connection; reconnecting", "err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
	return nil
}

// catchUpMargin covers clock skew between processes and transactions that committed after a later
// one: a replay starts this long before the last read (replaying a row twice is harmless).
const catchUpMargin = 5 * time.Second

// listenOnce holds one LISTEN connection until it fails or ctx ends, reading change_log on every
// wake-up and every changePoll. When catchUp is set it first replays the rows updated since *since.
// listened reports whether it got as far as listening.
func (s *Store) listenOnce(ctx context.Context, schema string, since *time.Time, catchUp bool, r *changeReader, fn func(Change)) (listened bool, err error) {
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return false, err
	}
	// Named, so an operator (or a test) can find the feed's connection in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = "lingong-change-feed-" + schema
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return false, err
	}
	// The reader's first horizon, taken before the replay: a transaction below it had ended, so the
	// replay (or the caller's load) sees its rows.
	if err := r.start(ctx); err != nil {
		return true, err
	}
	if catchUp {
		start := s.now()
		if err := s.replaySince(ctx, since.Add(-catchUpMargin), fn); err != nil {
			return true, err
		}
		*since = start
	}
	s.log.Info("change feed listening", "caught_up", catchUp)

	wake := make(chan struct{}, 1)
	lost := make(chan error, 1)
	waitCtx, stopWaiting := context.WithCancel(ctx)
	go func() {
		for {
			n, err := conn.WaitForNotification(waitCtx)
			if err != nil {
				lost <- err
				return
			}
			if n.Payload != schema {
				continue // another schema (a test, or another city) on the same server
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}()
	defer func() { stopWaiting(); <-lost }() // the connection is closed only once nothing waits on it

	poll := time.NewTicker(changePoll)
	defer poll.Stop()
	lastPrune := time.Time{}
	for {
		start := s.now()
		if err := r.read(ctx, fn); err != nil {
			return true, err
		}
		*since = start
		if time.Since(lastPrune) > changePrune {
			lastPrune = time.Now()
			if _, err := s.sqlDB.ExecContext(ctx, "DELETE FROM change_log WHERE created_at < $1", s.now().Add(-changeRetention)); err != nil {
				s.log.Warn("change feed: could not delete old change_log rows", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case err := <-lost:
			lost <- err // for the deferred wait
			return true, err
		case <-wake:
		case <-poll.C:
		}
	}
}

// changeReader reads change_log from where it stopped. Rows get their ids in the order their
// transactions wrote them, not the order they committed, so "id > last seen" would skip a row whose
// transaction commits after a later one's. Instead each read returns every row written by a transaction
// whose id (xid) is at or above horizon, the oldest transaction still running at the previous read
// (that read's snapshot xmin): a transaction below it had ended by then, so its rows were visible then
// or never will be. Rows already reported are remembered until the horizon passes their transaction.
type changeReader struct {
	s       *Store
	started bool
	horizon int64
	seen    map[int64]int64 // change_log id -> xid, for rows at or above horizon already reported
}

// start sets the first horizon (once per reader; a reconnect keeps the reader's place).
func (r *changeReader) start(ctx context.Context) error {
	if r.started {
		return nil
	}
	if err := r.s.sqlDB.QueryRowContext(ctx, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").Scan(&r.horizon); err != nil {
		return err
	}
	r.started = true
	return nil
}

// read reports the rows of change_log that are new since the last read. The snapshot's xmin and the
// rows come from one statement, so they are one snapshot.
func (r *changeReader) read(ctx context.Context, fn func(Change)) error {
	rows, err := r.s.sqlDB.QueryContext(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
		c.id, c.xid, c.table_name, c.row_id
		FROM (SELECT 1) AS one LEFT JOIN change_log c ON c.xid >= $1 ORDER BY c.id`, r.horizon)
	if err != nil {
		return err
	}
	var xmin int64
	var batch []Change
	done := map[Change]bool{}
	for rows.Next() {
		var id, xid, rowID *int64
		var table *string
		if err := rows.Scan(&xmin, &id, &xid, &table, &rowID); err != nil {
			rows.Close()
			return err
		}
		if id == nil {
			continue // no rows: the left join's one row carries the snapshot alone
		}
		if _, ok := r.seen[*id]; ok {
			continue
		}
		r.seen[*id] = *xid
		c := Change{Table: *table, ID: *rowID}
		if !done[c] {
			done[c] = true
			batch = append(batch, c)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	r.horizon = max(r.horizon, xmin)
	for id, xid := range r.seen {
		if xid < r.horizon {
			delete(r.seen, id)
		}
	}
	for _, c := range batch {
		fn(c)
	}
	return nil
}

// replaySince reports every job and worker updated at or after t as changed.
func (s *Store) replaySince(ctx context.Context, t time.Time, fn func(Change)) error {
	for _, table := range []string{"jobs", "workers"} {
		rows, err := s.sqlDB.QueryContext(ctx, "SELECT id FROM "+table+" WHERE updated_at >= $1 ORDER BY id", t)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, id := range ids {
			fn(Change{Table: table, ID: id})
		}
	}
	return nil
}
