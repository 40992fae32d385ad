package store

import (
	"sort"

	"lingong/domain"
)

// The dashboard's "work → first full payment" figure (issue 21 item 7): for every contract-day of the
// range with work in the ledger, the first payment that covers it. Payments settle the oldest work
// first: a day is paid in full by the first payment (in the order they were made) at which the
// contract's payments so far reach its work so far up to and including that day. Corrections are folded
// into the lines they correct.
//
// The database hands over the lines in three plain scans (ledger lines of the contracts whose period
// meets the range, in contract order; corrections; check-outs of the range) and the running sums are
// done here: the same figure as one SQL statement with window functions and a range join took about
// three times as long on a year of a city, and it is most of the dashboard's time.

// payLine is a work or payment line of the ledger with its corrections folded in.
type payLine struct {
	ID         int64
	ContractID int64
	StationID  int64
	District   string
	Kind       string
	WorkDate   string
	At         sqlTime
	AmountFen  int64
}

// payTimes fills p.worked (contract-days with work, by group) and p.payHours (hours from the end of
// the day's work to its first full payment, by group).
func (q statsQuery) payTimes(p *attendanceParts) error {
	correction := map[int64]int64{}
	var correctsID, amount int64
	if err := eachRow(q.db.Table("ledger_entries").Select("corrects_id, SUM(amount_fen) AS amt").Where("kind = 'correction'").
		Group("corrects_id"), []any{&correctsID, &amount}, func() error {
		correction[correctsID] = amount
		return nil
	}); err != nil {
		return err
	}
	type contractDay struct {
		ContractID int64
		Day        string
	}
	checkOut := map[contractDay]sqlTime{}
	var out contractDay
	var at sqlTime
	if err := eachRow(q.db.Table("attendance_events").Select("contract_id, work_date, at").
		Where("kind = 'out' AND work_date >= ? AND work_date <= ?", string(q.f.From), string(q.f.To)),
		[]any{&out.ContractID, &out.Day, &at}, func() error {
			checkOut[out] = at
			return nil
		}); err != nil {
		return err
	}

	rows, err := q.scope(q.db.Table("ledger_entries e").Joins("JOIN contracts c ON c.id = e.contract_id").
		Joins("JOIN jobs j ON j.id = c.job_id"), "c.station_id", "j.district").
		Select("e.id, e.contract_id, c.station_id, j.district, e.kind, e.work_date, COALESCE(e.paid_at, e.created_at) AS at, e.amount_fen").
		Where("c.start_date <= ? AND c.end_date >= ? AND e.kind IN ('work', 'payment')", string(q.f.To), string(q.f.From)).
		Order("e.contract_id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	p.payHours, p.worked = map[groupKey][]float64{}, map[groupKey]int{}
	var contract []payLine
	flush := func() {
		for _, d := range firstFullPayments(contract, q.f.From, q.f.To) {
			k := groupKey{contract[0].StationID, contract[0].District}
			p.worked[k]++
			if d.PaidAt.IsZero() {
				continue
			}
			done := checkOut[contractDay{contract[0].ContractID, d.Day}].Time
			if done.IsZero() {
				done = domain.Date(d.Day).AddDays(1).Start() // no check-out: the end of the day's work date
			}
			p.payHours[k] = append(p.payHours[k], max(d.PaidAt.Sub(done).Hours(), 0))
		}
		contract = contract[:0]
	}
	for rows.Next() {
		var l payLine
		if err := rows.Scan(&l.ID, &l.ContractID, &l.StationID, &l.District, &l.Kind, &l.WorkDate, &l.At, &l.AmountFen); err != nil {
			return err
		}
		l.AmountFen += correction[l.ID]
		if len(contract) > 0 && contract[0].ContractID != l.ContractID {
			flush()
		}
		contract = append(contract, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(contract) > 0 {
		flush()
	}
	return nil
}

// dayPaid is a contract-day with work and the time of the payment that paid it in full (zero: not yet).
type dayPaid struct {
	Day    string
	PaidAt sqlTime
}

// firstFullPayments takes one contract's work and payment lines and returns, for each day of [from, to]
// whose work adds up to more than zero, the first payment (by time, then by line) at which the
// payments so far reach the work up to and including that day.
func firstFullPayments(lines []payLine, from, to domain.Date) []dayPaid {
	workByDay := map[string]int64{}
	var payments []payLine
	for _, l := range lines {
		if l.Kind == "work" {
			workByDay[l.WorkDate] += l.AmountFen
		} else {
			payments = append(payments, l)
		}
	}
	days := make([]string, 0, len(workByDay))
	for d := range workByDay {
		days = append(days, d)
	}
	sort.Strings(days)
	sort.Slice(payments, func(i, j int) bool {
		if !payments[i].At.Equal(payments[j].At.Time) {
			return payments[i].At.Before(payments[j].At.Time)
		}
		return payments[i].ID < payments[j].ID
	})
	paidSoFar := make([]int64, len(payments))
	var sum int64
	for i, pl := range payments {
		sum += pl.AmountFen
		paidSoFar[i] = sum
	}
	var out []dayPaid
	var worked int64
	for _, d := range days {
		worked += workByDay[d]
		if workByDay[d] <= 0 || domain.Date(d) < from || domain.Date(d) > to {
			continue
		}
		day := dayPaid{Day: d}
		for i, cum := range paidSoFar {
			if cum >= worked {
				day.PaidAt = payments[i].At
				break
			}
		}
		out = append(out, day)
	}
	return out
}
