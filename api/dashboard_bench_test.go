package api

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/store/storetest"
)

// BenchmarkDashboardPageYearOfCityPostgres: the /console/dashboard page for one year of one city
// (storetest.YearOfCity: 50,000 workers, 20,000 gigs, 100,000 ledger entries) on PostgreSQL, through
// the whole handler chain an admin's browser goes through: routing, the session, the figures, the SVG
// charts, the tables and the template. Target: under 500 ms. Run with
//
//	LINGONG_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./api -run '^$' -bench DashboardPageYearOfCity -benchtime 20x
func BenchmarkDashboardPageYearOfCityPostgres(b *testing.B) {
	url := storetest.PostgresURL(b)
	if url == "" {
		b.Skip("needs PostgreSQL")
	}
	e := storetest.Engine{Name: "postgres", URL: url, Dir: b.TempDir()}
	st := storetest.Open(b, e, nil)
	storetest.YearOfCity(b, storetest.SQL(b, e))
	s := testServer(Options{PublicURL: testPublicURL, SecretKey: storetest.TestKey}, app.Options{}, app.Deps{Store: st})
	h := s.Handler()

	login := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"username":"admin","password":"admin-test-password"}`))
	login.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	token := strings.Split(strings.Split(rec.Body.String(), `"token":"`)[1], `"`)[0]
	to := domain.DateOf(time.Now())
	path := fmt.Sprintf("/console/dashboard?from=%s&to=%s", to.AddDays(-364), to)

	// Each round times the figures alone (store.Stats, what BenchmarkStatsYearOfCityPostgres measures)
	// and then the page, so the page's own cost (session, charts, tables, template) shows apart from the
	// database's, whatever else loads the machine.
	f := domain.StatsFilter{From: to.AddDays(-364), To: to}
	var durations, figures []time.Duration
	var size int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := st.Stats(context.Background(), f); err != nil {
			b.Fatal(err)
		}
		figures = append(figures, time.Since(start))
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		start = time.Now()
		h.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<svg class="chart"`) {
			b.Fatalf("dashboard: %d %.300s", rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.StopTimer()
	for _, d := range [][]time.Duration{durations, figures} {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(durations[len(durations)/2]), "page-p50-ms")
	b.ReportMetric(ms(durations[len(durations)*99/100]), "page-p99-ms")
	b.ReportMetric(ms(figures[len(figures)/2]), "figures-p50-ms")
	b.ReportMetric(float64(size)/1024, "page-KiB")

}
