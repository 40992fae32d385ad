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

// The writes of the registration rush without HTTP: workers register at once (each registration its
// own transaction: the worker, the session, the audit event), 8 per core, while the process follows
// the change feed as a server does. On PostgreSQL this measures what registrations wait for each other
// for: the audit chain's lock, held until the commit is on disk, and anything else held to commit.
//
//	LINGONG_TEST_DATABASE_URL=… go test ./store -run '^$' -bench RegistrationsAtOnce -benchtime 2000x
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
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := domain.Worker{Phone: fmt.Sprint(phone.Add(1)), Name: "马福海", District: "中宁县", Town: "宁安镇",
						StationID: st.ID, StationCode: st.Code, Skills: []string{"枸杞采摘"}, Certs: []string{}}
					if _, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: w, PhoneVerified: true, IP: "127.0.0.1"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
		})
	}
}
