package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// WatchChanges calls fn for every change to jobs and workers made through any process sharing this
// PostgreSQL database, until ctx ends. It LISTENs on the channel the change-feed trigger notifies
// (migration 00032); after a lost connection it reconnects with backoff and first replays every row
// updated since shortly before the last change it saw, so nothing is missed. On SQLite (one process)
// it only waits for ctx. fn is called from one goroutine, in order.
func (s *Store) WatchChanges(ctx context.Context, fn func(Change)) error {
	return s.WatchChangesSince(ctx, time.Time{}, fn)
}

// WatchChangesSince is WatchChanges for a follower that loaded its state at since: once listening, it
// first replays every row updated since shortly before that instant, so a change committed between the
// load and the LISTEN is not missed (serve builds its index, then starts the feed). A zero since replays
// nothing at the start.
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
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		listened, err := s.listenOnce(ctx, schema, &since, catchUp, fn)
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
// one: a replay starts this long before the last change seen (replaying a row twice is harmless).
const catchUpMargin = 5 * time.Second

// listenOnce holds one LISTEN connection until it fails or ctx ends. When catchUp is set it first
// replays the rows updated since *since. listened reports whether it got as far as listening.
func (s *Store) listenOnce(ctx context.Context, schema string, since *time.Time, catchUp bool, fn func(Change)) (listened bool, err error) {
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
	if _, err := conn.Exec(ctx, "LISTEN lingong_changes"); err != nil {
		return false, err
	}
	if catchUp {
		// Listening before replaying: a change committed during the replay is seen at least once.
		start := s.now()
		if err := s.replaySince(ctx, since.Add(-catchUpMargin), fn); err != nil {
			return true, err
		}
		*since = start
	}
	s.log.Info("change feed listening", "caught_up", catchUp)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		parts := strings.Fields(n.Payload)
		if len(parts) != 3 || parts[0] != schema {
			continue // another schema (a test, or another city) on the same server
		}
		id, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			continue
		}
		*since = s.now()
		fn(Change{Table: parts[1], ID: id})
	}
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
