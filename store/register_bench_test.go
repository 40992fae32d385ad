package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// The writes of the registration rush without HTTP: workers register (each registration its own
// transaction: the worker, the session, the audit event), one at a time and 8 per core at once, while
// the process follows the change feed as a server does. One at a time gives a registration's latency
// (every round trip and the commit); at once, on PostgreSQL, what registrations wait for each other
// for: the audit chain's lock, held until the commit is on disk, and anything else held to commit.
//
//	LINGONG_TEST_DATABASE_URL=… go test ./store -run '^$' -bench RegistrationsAtOnce -benchtime 1500x
func BenchmarkRegistrationsAtOnce(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			s := storetest.Open(b, e, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go s.WatchChanges(ctx, func(store.Change) {})
			st, err := s.StationByCode(ctx, "ZN-M1")
			if err != nil {
				b.Fatal(err)
			}
			var phone atomic.Int64
			phone.Store(13800000000)
			register := func() error {
				w := domain.Worker{Phone: fmt.Sprint(phone.Add(1)), Name: "马福海", District: "中宁县", Town: "宁安镇",
					StationID: st.ID, StationCode: st.Code, Skills: []string{"枸杞采摘"}, Certs: []string{}}
				_, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: w, PhoneVerified: true, IP: "127.0.0.1"})
				return err
			}
			// One at a time: the latency of one registration's transaction (every round trip and the commit).
			b.Run("one", func(b *testing.B) {
				for b.Loop() {
					if err := register(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("at-once", func(b *testing.B) {
				b.SetParallelism(8)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := register(); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
			})
		})
	}
}
