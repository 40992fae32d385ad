package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/migrations"
	"lingong/store"
	"lingong/store/storetest"
)

// A burst of writers must never take every pooled connection: while as many write transactions as the
// pool has connections are open and stuck (waiting on a lock, as they did on the audit chain's), a plain
// read still answers, and at most half the pool (one on SQLite) is inside a write transaction.
func TestWritersLeaveConnectionsForReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pool := s.PoolStats().MaxOpenConnections
		var inside, peak atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		for range pool {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Write(ctx, func() error {
					n := inside.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					<-release
					inside.Add(-1)
					return nil
				})
				if err != nil {
					t.Errorf("write: %v", err)
				}
			}()
		}
		want := int32(max(1, pool/2))
		if s.Dialect() == migrations.SQLite {
			want = 1
		}
		// Wait for the writers the gate lets in (on a loaded machine a fixed pause was too short: 4 of 10
		// had started), then give one more the time to slip past it if the gate leaked.
		for deadline := time.Now().Add(10 * time.Second); inside.Load() < want && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		readCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		stations, err := s.Stations(readCtx)
		cancel()
		close(release)
		wg.Wait()
		if err != nil || len(stations) == 0 {
			t.Fatalf("a read while %d writers were stuck: %d stations, %v", pool, len(stations), err)
		}
		if got := peak.Load(); got != want {
			t.Errorf("%d write transactions at once with a pool of %d, want %d", got, pool, want)
		}
	})
}

// WarmPool leaves every connection of the PostgreSQL pool open and idle, ready for the first burst.
func TestWarmPoolOpensEveryConnection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.WarmPool(context.Background()); err != nil {
			t.Fatal(err)
		}
		st := s.PoolStats()
		if s.Dialect() == migrations.SQLite {
			return // nothing to warm: the file is local
		}
		if st.OpenConnections != st.MaxOpenConnections || st.Idle != st.MaxOpenConnections {
			t.Errorf("after WarmPool: %d open, %d idle, want all %d", st.OpenConnections, st.Idle, st.MaxOpenConnections)
		}
	})
}
