package api

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/matching"
	"lingong/store/storetest"
)

// TestPushDurationOnMarkets measures 精准推送 of a gig with 20 places (N = 60) over a market the size of
// the demo's (320 generated workers) and over a larger generated one (LINGONG_PUSH_MEASURE_WORKERS, default
// 20,000), on each engine: the ranking alone, and the whole push (ranking, the one transaction of
// job_pushes and notifications, an SMS per worker through the built-in outbox driver, from the approval
// to the last SMS). Each round is a
// new day, so the daily limit never thins the pushes. It only measures (and checks pushes happen):
//
//	LINGONG_PUSH_MEASURE=1 go test -run TestPushDurationOnMarkets -v ./api
func TestPushDurationOnMarkets(t *testing.T) {
	if os.Getenv("LINGONG_PUSH_MEASURE") == "" {
		t.Skip("a measurement: set LINGONG_PUSH_MEASURE=1 to run it")
	}
	large := 20_000
	if v, err := strconv.Atoi(os.Getenv("LINGONG_PUSH_MEASURE_WORKERS")); err == nil && v > 0 {
		large = v
	}
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.insertGeneratedWorkers(320, domain.DateOf(e.srv.app.Now()))
		e.loadIndex(ctx)
		emp := e.newEmployer("ZN-S03")
		day := 0
		measure := func(market string) {
			const rounds = 7
			var ranking, push []time.Duration
			pushed := 0
			db := storetest.SQL(t, e.eng)
			for range rounds {
				day++
				e.clock.set(testNow.Add(time.Duration(day) * 24 * time.Hour))
				today := domain.DateOf(e.srv.app.Now())
				g := e.postJob(emp.Key, jobBody(func(m map[string]any) {
					m["headcount"], m["start_date"], m["end_date"] = 20, string(today.AddDays(1)), string(today.AddDays(30))
				}))
				// The whole push, as an approval starts it: ranking, the one transaction of job_pushes and
				// notifications, an SMS per worker (the pusher logs each step's time).
				start := time.Now()
				e.approve(e.staffA, g.ID)
				e.srv.app.WaitForPushes()
				push = append(push, time.Since(start))
				j, err := e.store.JobByID(ctx, g.ID)
				if err != nil {
					t.Fatal(err)
				}
				start = time.Now()
				e.index.MatchWorkersForJob(j, today, 2*60+20)
				ranking = append(ranking, time.Since(start))
				var n int
				if err := db.QueryRow("SELECT count(*) FROM job_pushes WHERE job_id = " + fmt.Sprint(g.ID)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				pushed += n
			}
			_, workers := e.index.Len()
			t.Logf("%s (%d workers in the index): ranking p50 %v max %v; approval to the last SMS p50 %v max %v; %.0f workers pushed per gig (N = 60)",
				market, workers, median(ranking), slices.Max(ranking).Round(10*time.Microsecond),
				median(push), slices.Max(push).Round(10*time.Microsecond), float64(pushed)/rounds)
			if pushed == 0 {
				t.Errorf("%s: nobody was pushed", market)
			}
		}
		measure("demo-sized market")
		e.insertGeneratedWorkers(large, domain.DateOf(e.srv.app.Now()))
		e.loadIndex(ctx)
		measure("generated market")
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(10 * time.Microsecond)
}

// loadIndex puts the store's open gigs and active workers into the harness's index, as serve's start does.
func (e *env) loadIndex(ctx context.Context) {
	e.t.Helper()
	jobs, err := e.store.OpenJobs(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	workers, err := e.store.ActiveWorkers(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, j := range jobs {
		e.index.UpsertJob(j)
	}
	for _, w := range workers {
		e.index.UpsertWorker(w)
	}
}

// insertGeneratedWorkers writes n of the matching engine's generated workers straight into the database,
// in batches (registering them one by one through the API would take minutes).
func (e *env) insertGeneratedWorkers(n int, today domain.Date) {
	e.t.Helper()
	db := storetest.SQL(e.t, e.eng)
	var station int64
	if err := db.QueryRow("SELECT id FROM stations WHERE code = 'ZN-M1'").Scan(&station); err != nil {
		e.t.Fatal(err)
	}
	ws := matching.GenerateWorkers(n, 7, today)
	now := time.Now().UTC()
	var offset int // workers generated before: numbers go on after theirs
	if err := db.QueryRow("SELECT count(*) FROM workers WHERE worker_no LIKE 'GW%'").Scan(&offset); err != nil {
		e.t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		e.t.Fatal(err)
	}
	const batch = 200
	for lo := 0; lo < n; lo += batch {
		var rows []string
		var args []any
		for i := lo; i < min(lo+batch, n); i++ {
			w := ws[i]
			k := len(args)
			rows = append(rows, fmt.Sprintf("($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)",
				k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10, k+11, k+12, k+13, k+14, k+15, k+16, k+17))
			args = append(args, fmt.Sprintf("GW%08d", offset+i), fmt.Sprintf("150%08d", offset+i), w.Name, w.District, w.Town, w.Lat, w.Lng,
				w.SelfDescription, string(w.AvailableFrom), string(w.AvailableTo), w.ExpectedWageFen, w.MaxCommuteKm,
				w.Completed, w.NoShows, station, now, now)
		}
		if _, err := tx.Exec(`INSERT INTO workers (worker_no, phone, name, district, town, lat, lng, self_description,
			available_from, available_to, expected_wage_fen, max_commute_km, completed, no_shows, station_id, created_at, updated_at)
			VALUES `+strings.Join(rows, ","), args...); err != nil {
			e.t.Fatal(err)
		}
	}
	ids := map[string]int64{}
	rs, err := tx.Query("SELECT id, worker_no FROM workers WHERE worker_no LIKE 'GW%'")
	if err != nil {
		e.t.Fatal(err)
	}
	for rs.Next() {
		var id int64
		var no string
		rs.Scan(&id, &no)
		ids[no] = id
	}
	rs.Close()
	for _, table := range []struct {
		name, column string
		of           func(w domain.Worker) []string
	}{{"worker_skills", "skill", func(w domain.Worker) []string { return w.Skills }}, {"worker_certs", "cert", func(w domain.Worker) []string { return w.Certs }}} {
		var rows []string
		var args []any
		flush := func() {
			if len(rows) == 0 {
				return
			}
			if _, err := tx.Exec("INSERT INTO "+table.name+" (worker_id, "+table.column+") VALUES "+strings.Join(rows, ","), args...); err != nil {
				e.t.Fatal(err)
			}
			rows, args = nil, nil
		}
		for i, w := range ws {
			for _, v := range table.of(w) {
				rows = append(rows, fmt.Sprintf("($%d,$%d)", len(args)+1, len(args)+2))
				args = append(args, ids[fmt.Sprintf("GW%08d", offset+i)], v)
				if len(rows) == 400 {
					flush()
				}
			}
		}
		flush()
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatal(err)
	}
}
