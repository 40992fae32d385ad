package console

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"lingong/api/web"
	"lingong/domain"
	"lingong/store/storetest"
)

// BenchmarkDashboardRenderYearOfCityPostgres: the dashboard page's own work on one year of one city's
// figures (storetest.YearOfCity), without the database: the SVG charts, the tables and the template.
// The whole page through the handler chain is the api package's BenchmarkDashboardPageYearOfCityPostgres.
//
//	LINGONG_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./api/web/console -run '^$' -bench DashboardRenderYearOfCity -benchtime 20x
func BenchmarkDashboardRenderYearOfCityPostgres(b *testing.B) {
	url := storetest.PostgresURL(b)
	if url == "" {
		b.Skip("needs PostgreSQL")
	}
	e := storetest.Engine{Name: "postgres", URL: url, Dir: b.TempDir()}
	st := storetest.Open(b, e, nil)
	storetest.YearOfCity(b, storetest.SQL(b, e))
	to := domain.DateOf(time.Now())
	f := domain.StatsFilter{From: to.AddDays(-364), To: to}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ResetTimer()
	stats, err := st.Stats(context.Background(), f)
	if err != nil {
		b.Fatal(err)
	}
	pages, err := web.Templates()
	if err != nil {
		b.Fatal(err)
	}
	var renders []time.Duration
	for i := 0; i < 20; i++ {
		start := time.Now()
		d := dashboardData{Stats: stats, Charts: dashboardCharts(stats), Tables: map[string][][]string{}}
		for _, t := range []string{"summary", "registrations", "skills", "districts", "stations", "arrears"} {
			d.Tables[t], _ = statsTable(stats, t)
		}
		var buf strings.Builder
		if err := pages["console_dashboard"].Execute(&buf, web.PageData{Title: "信息监测", Data: consoleView{Data: d}}); err != nil {
			b.Fatal(err)
		}
		renders = append(renders, time.Since(start))
	}
	sort.Slice(renders, func(i, j int) bool { return renders[i] < renders[j] })
	b.ReportMetric(ms(renders[len(renders)/2]), "render-p50-ms")
}
