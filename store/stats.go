package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
	"lingong/migrations"
)

// Stats computes the monitoring figures (信息监测) for a filter. Every figure is an aggregate in the
// database (a year of a city's data is tens of thousands of rows; only the per-gig times for the median
// come back to Go).
func (s *Store) Stats(ctx context.Context, f domain.StatsFilter) (domain.Stats, error) {
	if f.To == "" {
		f.To = domain.DateOf(s.now())
	}
	if f.From == "" {
		f.From = f.To.AddDays(-29)
	}
	st := domain.Stats{Filter: f}
	q := statsQuery{db: s.conn(ctx), dialect: s.dialect, f: f, from: f.From.Start().UTC(), to: f.To.AddDays(1).Start().UTC(),
		today: domain.DateOf(s.now())}
	// The figures are independent queries that each fill their own fields: run them side by side (the
	// dashboard then costs about its slowest query, not their sum).
	var att attendanceParts
	steps := []func(*domain.Stats) error{q.registrations, q.jobs, q.medianToFirstAccept, q.contracts, q.arrears,
		q.skills, q.districtsAndWages, q.stations,
		func(*domain.Stats) error { return q.attendanceCheckIns(&att) },
		func(*domain.Stats) error { return q.attendanceNoShows(&att) },
		func(*domain.Stats) error { return q.payTimes(&att) },
		func(st *domain.Stats) error { return q.contractDays(&att, &st.Protection) },
		func(st *domain.Stats) error { return q.protection(&st.Protection) }}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = step(&st)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return domain.Stats{}, translate(fmt.Errorf("stats: %w", err), "统计")
	}
	if st.PlacesOffered > 0 {
		st.FillRate = float64(st.PlacesFilled) / float64(st.PlacesOffered)
	}
	st.OutstandingFen = st.EarnedFen - st.PaidFen
	q.attendanceFigures(&att, &st)
	return st, nil
}

type statsQuery struct {
	db       *gorm.DB
	dialect  migrations.Dialect
	f        domain.StatsFilter
	from, to time.Time
	today    domain.Date // in Asia/Shanghai: the days before it are over
}

// day is the SQL for the Asia/Shanghai calendar day of an instant column.
func (q statsQuery) day(col string) string {
	if q.dialect == migrations.Postgres {
		return "to_char(" + col + " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"
	}
	return "strftime('%Y-%m-%d', " + col + ", '+8 hours')"
}

// scope adds the station and district filters for a table alias whose rows carry station_id and (for
// the district) a district column at districtCol.
func (q statsQuery) scope(db *gorm.DB, stationCol, districtCol string) *gorm.DB {
	if q.f.StationID != 0 && stationCol != "" {
		db = db.Where(stationCol+" = ?", q.f.StationID)
	}
	if q.f.District != "" && districtCol != "" {
		db = db.Where(districtCol+" = ?", q.f.District)
	}
	return db
}

func (q statsQuery) registrations(st *domain.Stats) error {
	var rows []struct {
		Day   string
		Count int
	}
	db := q.scope(q.db.Table("workers w"), "w.station_id", "w.district").
		Select(q.day("w.created_at")+" AS day, count(*) AS count").
		Where("w.created_at >= ? AND w.created_at < ?", q.from, q.to).Group("day").Order("day")
	if err := db.Scan(&rows).Error; err != nil {
		return err
	}
	byDay := map[string]int{}
	for _, r := range rows {
		byDay[r.Day] = r.Count
		st.Registrations += r.Count
	}
	for d := q.f.From; d <= q.f.To; d = d.AddDays(1) {
		st.RegistrationsPerDay = append(st.RegistrationsPerDay, domain.DayCount{Day: d, Count: byDay[string(d)]})
	}
	var active int64
	if err := q.scope(q.db.Table("workers w"), "w.station_id", "w.district").Where("w.status = 'active'").Count(&active).Error; err != nil {
		return err
	}
	st.ActiveWorkers = int(active)
	return nil
}

func (q statsQuery) jobs(st *domain.Stats) error {
	var r struct {
		Posted, Open, Filled int
	}
	err := q.scope(q.db.Table("jobs j"), "j.station_id", "j.district").Select(`
		COALESCE(SUM(CASE WHEN j.created_at >= ? AND j.created_at < ? THEN 1 ELSE 0 END), 0) AS posted,
		COALESCE(SUM(CASE WHEN j.status = 'open' THEN 1 ELSE 0 END), 0) AS open,
		COALESCE(SUM(CASE WHEN j.status = 'filled' THEN 1 ELSE 0 END), 0) AS filled`, q.from, q.to).Scan(&r).Error
	if err != nil {
		return err
	}
	st.JobsPosted, st.JobsOpen, st.JobsFilled = r.Posted, r.Open, r.Filled
	var p struct{ Offered, Taken int }
	err = q.scope(q.db.Table("jobs j"), "j.station_id", "j.district").
		Select("COALESCE(SUM(j.headcount), 0) AS offered, COALESCE(SUM(j.filled), 0) AS taken").
		Where("j.approved_at >= ? AND j.approved_at < ?", q.from, q.to).Scan(&p).Error
	st.PlacesOffered, st.PlacesFilled = p.Offered, p.Taken
	return err
}

func (q statsQuery) medianToFirstAccept(st *domain.Stats) error {
	// An aggregate loses SQLite's declared column type, so MIN(updated_at) comes back as text there.
	var approvedAt, firstAccept sqlTime
	var hours []float64
	err := eachRow(q.scope(q.db.Table("jobs j"), "j.station_id", "j.district").
		Select("j.approved_at AS approved_at, MIN(a.updated_at) AS first_accept").
		Joins("JOIN applications a ON a.job_id = j.id AND a.status = 'accepted'").
		Where("j.approved_at >= ? AND j.approved_at < ?", q.from, q.to).
		Group("j.id, j.approved_at"), []any{&approvedAt, &firstAccept}, func() error {
		if h := firstAccept.Sub(approvedAt.Time).Hours(); h >= 0 {
			hours = append(hours, h)
		}
		return nil
	})
	if err != nil {
		return err
	}
	st.MedianHoursToFirstAccept = median(hours)
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func (q statsQuery) contracts(st *domain.Stats) error {
	var n int64
	db := q.scope(q.db.Table("contracts c").Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district")
	err := db.Where("c.status IN ('active', 'completed') AND c.created_at >= ? AND c.created_at < ?", q.from, q.to).Count(&n).Error
	st.ContractsSigned = int(n)
	return err
}

// wageSums sums ledger money in the range, grouped by the given extra column of the gig (e.g. its
// district); a correction counts as the kind of the entry it corrects.
//
// Work and payment lines are summed straight into the groups; only the few corrections look up the
// line they correct. An earlier form folded corrections in with a self-join of the whole ledger and
// summed per contract first: on a year of a city its per-contract hash spilled to disk and it was the
// dashboard's slowest statement (and before that, a subquery per line had PostgreSQL JIT-compile it).
func (q statsQuery) wageSums(groupCol string) (map[string][2]int64, error) {
	sel, group := "e.kind AS kind, COALESCE(SUM(e.amount_fen), 0) AS sum", "e.kind"
	corrSel, corrGroup := "t.kind AS kind, COALESCE(SUM(e.amount_fen), 0) AS sum", "t.kind"
	if groupCol != "" {
		sel, group = groupCol+" AS g, "+sel, groupCol+", "+group
		corrSel, corrGroup = groupCol+" AS g, "+corrSel, groupCol+", "+corrGroup
	}
	inRange := "e.work_date >= ? AND e.work_date <= ?"
	lines := func() *gorm.DB {
		return q.scope(q.db.Table("ledger_entries e").Joins("JOIN contracts c ON c.id = e.contract_id").
			Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district")
	}
	var rows, corrections []struct {
		G    string
		Kind string
		Sum  int64
	}
	if err := lines().Select(sel).Where(inRange+" AND e.kind IN ('work', 'payment')", string(q.f.From), string(q.f.To)).
		Group(group).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if err := lines().Joins("JOIN ledger_entries t ON t.id = e.corrects_id").Select(corrSel).
		Where(inRange+" AND e.kind = 'correction'", string(q.f.From), string(q.f.To)).Group(corrGroup).Scan(&corrections).Error; err != nil {
		return nil, err
	}
	out := map[string][2]int64{}
	for _, r := range append(rows, corrections...) {
		v := out[r.G]
		switch domain.LedgerKind(r.Kind) {
		case domain.LedgerWork:
			v[0] += r.Sum
		case domain.LedgerPayment:
			v[1] += r.Sum
		}
		out[r.G] = v
	}
	return out, nil
}

func (q statsQuery) arrears(st *domain.Stats) error {
	var rows []struct {
		EmployerID   int64
		EmployerName string
		DueDate      string
		AmountFen    int64
	}
	db := q.scope(q.db.Table("arrears_alerts a").Joins("JOIN employers e ON e.id = a.employer_id").
		Joins("JOIN contracts c ON c.id = a.contract_id").Joins("JOIN jobs j ON j.id = c.job_id"), "a.station_id", "j.district").
		Select("a.employer_id, e.name AS employer_name, a.due_date, a.amount_fen").Where("a.cleared_at IS NULL")
	if err := db.Scan(&rows).Error; err != nil {
		return err
	}
	today := q.f.To
	byEmp := map[int64]*domain.ArrearsByEmployer{}
	buckets := []domain.ArrearsByAge{{Bucket: "1-3天"}, {Bucket: "4-7天"}, {Bucket: "8-30天"}, {Bucket: "30天以上"}}
	for _, r := range rows {
		age := domain.Date(r.DueDate).DaysUntil(today)
		e := byEmp[r.EmployerID]
		if e == nil {
			e = &domain.ArrearsByEmployer{EmployerID: r.EmployerID, EmployerName: r.EmployerName}
			byEmp[r.EmployerID] = e
		}
		e.Alerts++
		e.AmountFen += r.AmountFen
		e.OldestDays = max(e.OldestDays, age)
		b := 3
		switch {
		case age <= 3:
			b = 0
		case age <= 7:
			b = 1
		case age <= 30:
			b = 2
		}
		buckets[b].Alerts++
		buckets[b].AmountFen += r.AmountFen
	}
	for _, e := range byEmp {
		st.ArrearsByEmployer = append(st.ArrearsByEmployer, *e)
	}
	sort.Slice(st.ArrearsByEmployer, func(i, j int) bool {
		a, b := st.ArrearsByEmployer[i], st.ArrearsByEmployer[j]
		if a.AmountFen != b.AmountFen {
			return a.AmountFen > b.AmountFen
		}
		return a.EmployerID < b.EmployerID
	})
	st.ArrearsByAge = buckets
	return nil
}

func (q statsQuery) skills(st *domain.Stats) error {
	var supply []struct {
		Skill string
		N     int
	}
	if err := q.scope(q.db.Table("worker_skills ws").Joins("JOIN workers w ON w.id = ws.worker_id"), "w.station_id", "w.district").
		Select("ws.skill AS skill, count(*) AS n").Where("w.status = 'active'").Group("ws.skill").Scan(&supply).Error; err != nil {
		return err
	}
	var demand []struct {
		Skill string
		N     int
	}
	if err := q.scope(q.db.Table("job_skills js").Joins("JOIN jobs j ON j.id = js.job_id"), "j.station_id", "j.district").
		Select("js.skill AS skill, COALESCE(SUM(j.headcount - j.filled), 0) AS n").Where("j.status = 'open'").Group("js.skill").Scan(&demand).Error; err != nil {
		return err
	}
	bySkill := map[string]*domain.SkillSupplyDemand{}
	get := func(name string) *domain.SkillSupplyDemand {
		if bySkill[name] == nil {
			category := "自填工种" // a free tag: a trade the taxonomy does not list, kept as people wrote it
			if sk, ok := domain.SkillByName(name); ok {
				category = sk.Category
			}
			bySkill[name] = &domain.SkillSupplyDemand{Skill: name, Category: category}
		}
		return bySkill[name]
	}
	for _, r := range supply {
		get(r.Skill).Workers = r.N
	}
	for _, r := range demand {
		get(r.Skill).OpenPlaces = r.N
	}
	for _, v := range bySkill {
		st.BySkill = append(st.BySkill, *v)
	}
	// Biggest gaps first: where demand most exceeds supply is where staff should recruit.
	sort.Slice(st.BySkill, func(i, j int) bool {
		a, b := st.BySkill[i], st.BySkill[j]
		if ga, gb := a.OpenPlaces-a.Workers, b.OpenPlaces-b.Workers; ga != gb {
			return ga > gb
		}
		return a.Skill < b.Skill
	})
	return nil
}

// districtsAndWages fills the per-district figures and, from the same ledger sums, the totals.
func (q statsQuery) districtsAndWages(st *domain.Stats) error {
	fig := map[string]*domain.DistrictFigures{}
	for _, d := range domain.Districts {
		if q.f.District == "" || q.f.District == d {
			fig[d] = &domain.DistrictFigures{District: d}
		}
	}
	var workers []struct {
		District string
		N        int
	}
	if err := q.scope(q.db.Table("workers w"), "w.station_id", "w.district").Select("w.district AS district, count(*) AS n").
		Where("w.status = 'active'").Group("w.district").Scan(&workers).Error; err != nil {
		return err
	}
	for _, r := range workers {
		if f := fig[r.District]; f != nil {
			f.Workers = r.N
		}
	}
	var places []struct {
		District     string
		Open, Filled int
	}
	if err := q.scope(q.db.Table("jobs j"), "j.station_id", "j.district").Select(`j.district AS district,
			COALESCE(SUM(CASE WHEN j.status = 'open' THEN j.headcount - j.filled ELSE 0 END), 0) AS open,
			COALESCE(SUM(CASE WHEN j.approved_at >= ? AND j.approved_at < ? THEN j.filled ELSE 0 END), 0) AS filled`, q.from, q.to).
		Group("j.district").Scan(&places).Error; err != nil {
		return err
	}
	for _, r := range places {
		if f := fig[r.District]; f != nil {
			f.OpenPlaces, f.PlacesFilled = r.Open, r.Filled
		}
	}
	sums, err := q.wageSums("j.district")
	if err != nil {
		return err
	}
	for d, v := range sums {
		st.EarnedFen += v[0]
		st.PaidFen += v[1]
		if f := fig[d]; f != nil {
			f.EarnedFen, f.PaidFen = v[0], v[1]
		}
	}
	for _, d := range domain.Districts {
		if f := fig[d]; f != nil {
			st.ByDistrict = append(st.ByDistrict, *f)
		}
	}
	return nil
}

func (q statsQuery) stations(st *domain.Stats) error {
	var stations []stationRow
	db := q.db.Order("kind, code")
	if q.f.StationID != 0 {
		db = db.Where("id = ?", q.f.StationID)
	}
	if q.f.District != "" {
		db = db.Where("district = ?", q.f.District)
	}
	if err := db.Find(&stations).Error; err != nil {
		return err
	}
	count := func(table, tsCol string) (map[int64]int, error) {
		var rows []struct {
			StationID int64
			N         int
		}
		err := q.db.Table(table).Select("station_id, count(*) AS n").Where(tsCol+" >= ? AND "+tsCol+" < ?", q.from, q.to).
			Group("station_id").Scan(&rows).Error
		m := map[int64]int{}
		for _, r := range rows {
			m[r.StationID] = r.N
		}
		return m, err
	}
	regs, err := count("workers", "created_at")
	if err != nil {
		return err
	}
	jobs, err := count("jobs", "created_at")
	if err != nil {
		return err
	}
	cons, err := count("contracts", "created_at")
	if err != nil {
		return err
	}
	for _, s := range stations {
		st.ByStation = append(st.ByStation, domain.StationFigures{StationID: s.ID, Code: s.Code, Name: s.Name,
			Registrations: regs[s.ID], JobsPosted: jobs[s.ID], Contracts: cons[s.ID]})
	}
	return nil
}

// eachRow runs the query and calls fn after scanning each row into dest. The dashboard reads tens of
// thousands of rows; scanning them through gorm's reflection (Scan into a slice of structs) cost the
// process more CPU than the database spent on the statements.
func eachRow(db *gorm.DB, dest []any, fn func() error) error {
	rows, err := db.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sqlTime scans an instant that may arrive as time.Time (PostgreSQL, or a typed SQLite column) or as
// the text SQLite stores (an aggregate of a TIMESTAMP column).
type sqlTime struct{ time.Time }

func (t *sqlTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		t.Time = x
		return nil
	case nil:
		t.Time = time.Time{}
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

// Value makes sqlTime a complete gorm field type (it is only ever scanned).
func (t sqlTime) Value() (driver.Value, error) { return t.Time, nil }
