package store

import (
	"math"
	"time"

	"lingong/domain"
)

// The dashboard's attendance figures (issue 21 item 7) and protection figures (issue 22 item 6). Each
// query is one set-based statement; the per-station and per-district counts come from the same rows,
// grouped by the contract's station and the gig's district.

// groupKey is where a row of a figure belongs: the contract's station and the gig's district.
type groupKey struct {
	StationID int64
	District  string
}

// attendanceParts are the raw rows of the attendance figures, each filled by its own step (the steps
// run side by side) and put together by attendanceFigures.
type attendanceParts struct {
	checkIns []struct {
		Day       string
		StationID int64
		District  string
		N         int
	}
	noShows []struct {
		Day       string
		Status    string
		StationID int64
		District  string
		N         int
	}
	// due counts the contract-days before today by group (the contract-days step fills it).
	due      map[groupKey]int
	payHours map[groupKey][]float64
	worked   map[groupKey]int
}

func (q statsQuery) attendanceCheckIns(p *attendanceParts) error {
	db := q.scope(q.db.Table("attendance_events e").Joins("JOIN contracts c ON c.id = e.contract_id").
		Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district").
		Select("e.work_date AS day, c.station_id AS station_id, j.district AS district, count(*) AS n").
		Where("e.kind = 'in' AND e.work_date >= ? AND e.work_date <= ?", string(q.f.From), string(q.f.To)).
		Group("e.work_date, c.station_id, j.district")
	return db.Scan(&p.checkIns).Error
}

func (q statsQuery) attendanceNoShows(p *attendanceParts) error {
	db := q.scope(q.db.Table("no_shows n").Joins("JOIN contracts c ON c.id = n.contract_id").
		Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district").
		Select("n.work_date AS day, n.status AS status, c.station_id AS station_id, j.district AS district, count(*) AS n").
		Where("n.work_date >= ? AND n.work_date <= ?", string(q.f.From), string(q.f.To)).
		Group("n.work_date, n.status, c.station_id, j.district")
	return db.Scan(&p.noShows).Error
}

// contractDays counts the contract-days of the range (active or completed contracts, each day of their
// period) and, by the roster's rule (domain.Cover.CoveredOn on the gig's cover as it stands), those
// insured; and the days before today, by group, for the no-show rate. Contracts sharing a gig and a
// period come back as one row.
func (q statsQuery) contractDays(p *attendanceParts, pr *domain.ProtectionFigures) error {
	// The covers of the scope's gigs (a gig's contracts are of its station), scanned column by column
	// into the row type so the conversion to domain.Cover stays the one the roster uses.
	coverOf := map[int64]domain.Cover{}
	var c jobCoverRow
	var checkedAt sqlTime
	err := eachRow(q.scope(q.db.Table("job_covers k").Joins("JOIN jobs j ON j.id = k.job_id"), "j.station_id", "j.district").
		Select("k.job_id, k.kind, k.insurer, k.policy_number, k.cover_fen, k.valid_from, k.valid_to, k.checked_at, k.exemption_reason"),
		[]any{&c.JobID, &c.Kind, &c.Insurer, &c.PolicyNumber, &c.CoverFen, &c.ValidFrom, &c.ValidTo, &checkedAt, &c.ExemptionReason},
		func() error {
			c.CheckedAt = nil
			if !checkedAt.IsZero() {
				c.CheckedAt = &checkedAt.Time
			}
			coverOf[c.JobID] = c.domain()
			return nil
		})
	if err != nil {
		return err
	}
	var (
		jobID, stationID             int64
		district, startDate, endDate string
		n                            int
	)
	p.due = map[groupKey]int{}
	where := "c.status IN ('active', 'completed') AND c.start_date <= ? AND c.end_date >= ?"
	err = eachRow(q.scope(q.db.Table("contracts c").Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district").
		Select("c.job_id, c.station_id, j.district, c.start_date, c.end_date, count(*) AS n").Where(where, string(q.f.To), string(q.f.From)).
		Group("c.job_id, c.station_id, j.district, c.start_date, c.end_date"),
		[]any{&jobID, &stationID, &district, &startDate, &endDate, &n},
		func() error {
			from, to := max(domain.Date(startDate), q.f.From), min(domain.Date(endDate), q.f.To)
			if from > to {
				return nil
			}
			// Counted by overlapping ranges, not day by day: a year of a city is millions of contract-days.
			pr.WorkingDays += n * domain.DaysIn(from, to)
			pr.CoveredDays += n * coverOf[jobID].CoveredDays(from, to)
			if due := domain.DaysIn(from, min(to, q.today.AddDays(-1))); due > 0 {
				p.due[groupKey{stationID, district}] += n * due
			}
			return nil
		})
	if err != nil {
		return err
	}
	pr.CoveredShare = ratio(pr.CoveredDays, pr.WorkingDays)
	return nil
}

// attendanceFigures puts the parts together: the totals, check-ins per day, and the groups by station
// (the stations of st.ByStation, in its order) and by district.
func (q statsQuery) attendanceFigures(p *attendanceParts, st *domain.Stats) {
	type acc struct {
		domain.AttendanceCounts
		hours []float64
	}
	total, byStation, byDistrict := &acc{}, map[int64]*acc{}, map[string]*acc{}
	each := func(k groupKey, f func(a *acc)) {
		f(total)
		if byStation[k.StationID] == nil {
			byStation[k.StationID] = &acc{}
		}
		f(byStation[k.StationID])
		if byDistrict[k.District] == nil {
			byDistrict[k.District] = &acc{}
		}
		f(byDistrict[k.District])
	}
	perDay := map[string]int{}
	for _, r := range p.checkIns {
		perDay[r.Day] += r.N
		each(groupKey{r.StationID, r.District}, func(a *acc) { a.CheckIns += r.N })
	}
	for _, r := range p.noShows {
		switch domain.NoShowStatus(r.Status) {
		case domain.NoShowConfirmed:
			if domain.Date(r.Day) < q.today {
				each(groupKey{r.StationID, r.District}, func(a *acc) { a.NoShowsConfirmed += r.N })
			}
		case domain.NoShowMarked:
			each(groupKey{r.StationID, r.District}, func(a *acc) { a.NoShowsUnanswered += r.N })
		}
	}
	for k, n := range p.due {
		each(k, func(a *acc) { a.DaysDue += n })
	}
	for k, n := range p.worked {
		each(k, func(a *acc) { a.DaysWorked += n })
	}
	for k, h := range p.payHours {
		each(k, func(a *acc) { a.DaysPaid += len(h); a.hours = append(a.hours, h...) })
	}
	finish := func(a *acc) domain.AttendanceCounts {
		if a == nil {
			return domain.AttendanceCounts{}
		}
		c := a.AttendanceCounts
		c.NoShowRate = ratio(c.NoShowsConfirmed, c.DaysDue)
		c.PayHoursMedian, c.PayHoursP90 = medianP90(a.hours)
		return c
	}
	att := domain.AttendanceFigures{AttendanceCounts: finish(total)}
	for d := q.f.From; d <= q.f.To; d = d.AddDays(1) {
		att.CheckInsPerDay = append(att.CheckInsPerDay, domain.DayCount{Day: d, Count: perDay[string(d)]})
	}
	for _, s := range st.ByStation {
		att.ByStation = append(att.ByStation, domain.AttendanceGroup{Code: s.Code, Name: s.Name, AttendanceCounts: finish(byStation[s.StationID])})
	}
	for _, d := range domain.Districts {
		if q.f.District == "" || q.f.District == d {
			att.ByDistrict = append(att.ByDistrict, domain.AttendanceGroup{Code: d, Name: d, AttendanceCounts: finish(byDistrict[d])})
		}
	}
	st.Attendance = att
}

// protection fills the exemptions, the guarantees held, the advances and the arrears' days to payment.
func (q statsQuery) protection(pr *domain.ProtectionFigures) error {
	var ex int64
	if err := q.scope(q.db.Table("jobs j").Joins("JOIN job_covers k ON k.job_id = j.id"), "j.station_id", "j.district").
		Where("k.kind = 'exempt' AND j.approved_at >= ? AND j.approved_at < ?", q.from, q.to).Count(&ex).Error; err != nil {
		return err
	}
	pr.Exemptions = int(ex)

	// The guarantee accounts of the employers of the scope (the employer's home station and its
	// district), summed by the accounts' own rule.
	var lines []guaranteeEntryRow
	if err := q.scope(q.db.Table("guarantee_entries g").Joins("JOIN employers e ON e.id = g.employer_id").
		Joins("JOIN stations s ON s.id = e.station_id"), "e.station_id", "s.district").Select("g.*").Order("g.id").
		Find(&lines).Error; err != nil {
		return err
	}
	byEmployer := map[int64][]domain.GuaranteeEntry{}
	for _, l := range lines {
		byEmployer[l.EmployerID] = append(byEmployer[l.EmployerID], l.domain())
	}
	for id, ls := range byEmployer {
		pr.GuaranteeHeldFen += domain.SumGuarantee(id, ls).HeldFen
	}

	var adv struct {
		N   int
		Fen int64
	}
	if err := q.scope(q.db.Table("guarantee_entries g").Joins("JOIN contracts c ON c.id = g.contract_id").
		Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district").
		Select("count(*) AS n, COALESCE(SUM(g.amount_fen), 0) AS fen").
		Where("g.kind = 'advance' AND g.created_at >= ? AND g.created_at < ?", q.from, q.to).Scan(&adv).Error; err != nil {
		return err
	}
	pr.Advances, pr.AdvancedFen = adv.N, adv.Fen

	var alerts []struct {
		RaisedAt  time.Time
		ClearedAt *time.Time
		ClearedBy *int64
	}
	if err := q.scope(q.db.Table("arrears_alerts a").Joins("JOIN contracts c ON c.id = a.contract_id").
		Joins("JOIN jobs j ON j.id = c.job_id"), "a.station_id", "j.district").
		Select("a.raised_at, a.cleared_at, a.cleared_by").Where("a.raised_at >= ? AND a.raised_at < ?", q.from, q.to).
		Scan(&alerts).Error; err != nil {
		return err
	}
	var days []float64
	for _, a := range alerts {
		switch {
		case a.ClearedAt == nil:
			pr.ArrearsUnpaid++
		case a.ClearedBy == nil:
			pr.ArrearsPaid++
			days = append(days, max(a.ClearedAt.Sub(a.RaisedAt).Hours()/24, 0))
		}
	}
	pr.ArrearsDaysMedian, pr.ArrearsDaysP90 = medianP90(days)
	return nil
}

// ratio is n/of, or nil when of is 0 (nothing to divide: shown as "—", never NaN).
func ratio(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

// medianP90 are the median (the mean of the middle two of an even count) and the 90th percentile (the
// nearest rank: the smallest value with at least 90% of the values at or below it) of xs, or nils for
// none. It sorts xs.
func medianP90(xs []float64) (*float64, *float64) {
	if len(xs) == 0 {
		return nil, nil
	}
	m := median(xs) // sorts
	p := xs[int(math.Ceil(0.9*float64(len(xs))))-1]
	return &m, &p
}
