package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"lingong/store"
	"lingong/store/storetest"
)

// The change feed sees a change made by another connection, and after its own connection is killed it
// reconnects and replays what changed meanwhile. In practice a change arrives within a second; the limits
// here only tell a change that arrives from one that is lost, so a busy machine does not fail the test.
func TestChangeFeedFollowsOtherProcessesAndCatchesUp(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		return
	}
	s := storetest.Open(t, storetest.Engine{Name: "postgres", URL: url, Dir: t.TempDir()}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	seen := map[store.Change]int{}
	go s.WatchChanges(ctx, func(c store.Change) {
		mu.Lock()
		seen[c]++
		mu.Unlock()
	})
	waitFor := func(c store.Change, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for time.Now().Before(deadline) {
			mu.Lock()
			n := seen[c]
			mu.Unlock()
			if n > 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("change %+v not seen within %v", c, within)
	}
	m := newMarket(t, s)
	time.Sleep(200 * time.Millisecond) // the feed is listening
	job := m.job(3, "2027-06-01", "2027-06-02")
	waitFor(store.Change{Table: "jobs", ID: job.ID}, 10*time.Second)

	// Kill the feed's connection, change a worker while it is down, and expect the replay.
	db := s.SQL()
	if _, err := db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'lingong-change-feed-' || current_schema()`); err != nil {
		t.Fatal(err)
	}
	w := m.worker()
	waitFor(store.Change{Table: "workers", ID: w.ID}, 30*time.Second)
}

// feedWatcher follows s's change feed and counts what it reports.
type feedWatcher struct {
	t    *testing.T
	mu   sync.Mutex
	seen map[store.Change]int
}

func watchFeed(t *testing.T, s *store.Store) *feedWatcher {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	f := &feedWatcher{t: t, seen: map[store.Change]int{}}
	go s.WatchChanges(ctx, func(c store.Change) {
		f.mu.Lock()
		f.seen[c]++
		f.mu.Unlock()
	})
	return f
}

// listening returns once the feed reports a worker registered after it started: what was written before
// its connection listened is not its to report (a server catches up by WatchChangesSince), so a test
// that wrote first and then waited would race the connection on a busy machine.
func (f *feedWatcher) listening(m *market) {
	f.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		c := store.Change{Table: "workers", ID: m.worker().ID}
		for until := time.Now().Add(3 * time.Second); time.Now().Before(until); time.Sleep(10 * time.Millisecond) {
			if f.count(c) > 0 {
				return
			}
		}
	}
	f.t.Fatal("the change feed reported nothing written after it started, for 60 s")
}

func (f *feedWatcher) count(c store.Change) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[c]
}

// waitFor waits until c has been reported more than after times. The limit only tells a change that
// arrives from one that is lost (the feed polls every second).
func (f *feedWatcher) waitFor(c store.Change, after int) {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if f.count(c) > after {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.t.Fatalf("change %+v not reported (again) within 30 s", c)
}

// Transactions take their change_log ids when they write, not when they commit: a transaction that
// wrote first and commits after a later one must still be reported, though the feed has already read
// past its id. And a write made outside any lingong process (so no wake-up is ever sent) arrives by
// the feed's poll.
func TestChangeFeedSeesATransactionThatCommitsAfterALaterOne(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		return
	}
	s := storetest.Open(t, storetest.Engine{Name: "postgres", URL: url, Dir: t.TempDir()}, nil)
	f := watchFeed(t, s)
	m := newMarket(t, s)
	f.listening(m)
	first, second := m.worker(), m.worker()
	c1, c2 := store.Change{Table: "workers", ID: first.ID}, store.Change{Table: "workers", ID: second.ID}
	f.waitFor(c1, 0)
	f.waitFor(c2, 0)

	db := s.SQL()
	early, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer early.Rollback()
	if _, err := early.Exec("UPDATE workers SET updated_at = now() WHERE id = $1", first.ID); err != nil {
		t.Fatal(err)
	}
	n1, n2 := f.count(c1), f.count(c2)
	// A later transaction commits first, by plain SQL: no lingong process wakes the feed.
	if _, err := db.Exec("UPDATE workers SET updated_at = now() WHERE id = $1", second.ID); err != nil {
		t.Fatal(err)
	}
	f.waitFor(c2, n2) // the feed has read past the early transaction's row, still invisible
	if got := f.count(c1); got != n1 {
		t.Fatalf("the uncommitted change was reported (%d times)", got-n1)
	}
	if err := early.Commit(); err != nil {
		t.Fatal(err)
	}
	f.waitFor(c1, n1)
}

// A business transaction sends no notification of its own (a NOTIFY would hold the server's notify
// lock until the commit is on disk, and registrations would wait for each other's disk flushes): a
// write to workers by plain SQL, then a NOTIFY on another channel, reach a listener as that NOTIFY
// alone; the write's wake-up comes from the process that commits it, after the commit.
func TestABusinessTransactionSendsNoNotification(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		return
	}
	s := storetest.Open(t, storetest.Engine{Name: "postgres", URL: url, Dir: t.TempDir()}, nil)
	w := newMarket(t, s).worker()
	if err := s.Close(); err != nil { // its wake-ups are sent (or dropped) once Close returns
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"LISTEN lingong_changes", "LISTEN lingong_test_marker",
		fmt.Sprintf("UPDATE workers SET updated_at = now() WHERE id = %d", w.ID),
		"SELECT pg_notify('lingong_test_marker', current_schema())"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if f := strings.Fields(n.Payload); len(f) == 0 || f[0] != schema {
			continue // other tests on the same server
		}
		if n.Channel != "lingong_test_marker" {
			t.Fatalf("the write to workers notified %s %q itself", n.Channel, n.Payload)
		}
		return
	}
}
