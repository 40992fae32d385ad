package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// Two processes on one database append to the audit chain in turn and at once, and transactions that
// appended roll back: every event still links to the one before it (each process writes with its last
// hash as a guess at the chain's tail, which the database checks under the lock).
func TestAuditChainStaysWholeAcrossProcessesAndRollbacks(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			a, b := storetest.Open(t, e, nil), storetest.Open(t, e, nil)
			ctx := context.Background()
			count := func() (n int) {
				if err := a.SQL().QueryRow("SELECT count(*) FROM audit_events").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			start := count()
			event := func(i int) store.Audit {
				return store.Audit{Actor: domain.Principal{Kind: domain.AsStaff, ID: 1}, Action: "job.approve",
					EntityKind: "job", EntityID: int64(i), Detail: map[string]any{"n": i}}
			}
			boom := errors.New("rolled back")
			want := 0
			for i := range 30 {
				s := []*store.Store{a, a, b}[i%3]
				if i%5 == 4 {
					err := s.InTx(ctx, func(ctx context.Context) error {
						if err := s.AppendAudit(ctx, event(i)); err != nil {
							return err
						}
						return boom
					})
					if !errors.Is(err, boom) {
						t.Fatalf("append %d: %v", i, err)
					}
					continue
				}
				if err := s.AppendAudit(ctx, event(i)); err != nil {
					t.Fatalf("append %d: %v", i, err)
				}
				want++
			}
			var wg sync.WaitGroup
			for i := range 40 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := []*store.Store{a, b}[i%2].AppendAudit(ctx, event(100+i)); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			want += 40
			if got := count() - start; got != want {
				t.Errorf("%d events appended, want %d", got, want)
			}
			for _, s := range []*store.Store{a, b} {
				if p, err := s.VerifyAuditChain(ctx); err != nil || len(p) != 0 {
					t.Fatalf("chain reported %v %v", p, err)
				}
			}
		})
	}
}
