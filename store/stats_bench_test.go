package store_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store/storetest"
)

// BenchmarkStatsYearOfCityPostgres: the dashboard for one year of one city, on PostgreSQL. The target
// is under 500 ms; run with
//
//	LINGONG_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./store -run '^$' -bench StatsYearOfCity -benchtime 20x
func BenchmarkStatsYearOfCityPostgres(b *testing.B) {
	url := storetest.PostgresURL(b)
	if url == "" {
		b.Skip("needs PostgreSQL")
	}
	s := storetest.Open(b, storetest.Engine{Name: "postgres", URL: url, Dir: b.TempDir()}, nil)
	storetest.YearOfCity(b, s.SQL())
	ctx := context.Background()
	to := domain.DateOf(time.Now())
	f := domain.StatsFilter{From: to.AddDays(-364), To: to}
	var durations []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		st, err := s.Stats(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
		if st.Registrations < 49000 || st.EarnedFen == 0 {
			b.Fatalf("generated data not seen: %d registrations, %d earned", st.Registrations, st.EarnedFen)
		}
	}
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*99/100].Milliseconds()), "p99-ms")
}
