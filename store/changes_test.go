package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

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
