package store

import (
	"context"
	"fmt"

	"lingong/domain"
)

// IncidentFigures are the dashboard's incident figures (issue 22 item 4): the count at each status and
// the calendar days from report to payment of those paid, since records began (open cases are a stock,
// not a flow). stationID 0 counts every station; district "" every district (the gig's district, as
// the dashboard's other figures).
func (s *Store) IncidentFigures(ctx context.Context, stationID int64, district string) (domain.IncidentFigures, error) {
	var rows []struct {
		Status     string
		ReportedOn string
		PaidOn     string
		PaidFen    int64
	}
	q := s.conn(ctx).Table("incidents i").Select("i.status, i.reported_on, i.paid_on, i.paid_fen")
	if stationID != 0 {
		q = q.Where("i.station_id = ?", stationID)
	}
	if district != "" {
		q = q.Joins("JOIN contracts c ON c.id = i.contract_id").Joins("JOIN jobs j ON j.id = c.job_id").Where("j.district = ?", district)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return domain.IncidentFigures{}, translate(fmt.Errorf("incident figures: %w", err), "出险记录")
	}
	f := domain.IncidentFigures{ByStatus: map[domain.IncidentStatus]int{}}
	for _, st := range domain.IncidentStatuses {
		f.ByStatus[st] = 0
	}
	days := 0
	for _, r := range rows {
		f.Total++
		f.ByStatus[domain.IncidentStatus(r.Status)]++
		if r.PaidOn == "" {
			continue
		}
		d := domain.Date(r.ReportedOn).DaysUntil(domain.Date(r.PaidOn))
		f.Paid++
		f.PaidFen += r.PaidFen
		days += d
		f.MaxDaysToPay = max(f.MaxDaysToPay, d)
	}
	if f.Paid > 0 {
		f.AvgDaysToPay = float64(days) / float64(f.Paid)
	}
	return f, nil
}
