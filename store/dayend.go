package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// The day's end of a missing check-out (issue 21 item 4); see domain.DayEnd and docs/attendance.md.

// OpenCheckIns lists the check-ins on days from..before (before excluded) that have no check-out, with
// the shifts and daily working time of their contracts' terms.
func (s *Store) OpenCheckIns(ctx context.Context, from, before domain.Date) ([]domain.OpenCheckIn, error) {
	var rows []attendanceRow
	err := s.conn(ctx).Where("kind = 'in' AND work_date >= ? AND work_date < ?", string(from), string(before)).
		Where("NOT EXISTS (SELECT 1 FROM attendance_events o WHERE o.contract_id = attendance_events.contract_id AND o.work_date = attendance_events.work_date AND o.kind = 'out')").
		Order("id").Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate(err, "考勤记录")
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ContractID)
	}
	terms := map[int64]string{}
	for _, chunk := range chunks(ids, 500) {
		var cs []contractRow
		if err := s.conn(ctx).Select("id, terms_json").Where("id IN ?", chunk).Find(&cs).Error; err != nil {
			return nil, translate(err, "合约")
		}
		for _, c := range cs {
			terms[c.ID] = c.TermsJSON
		}
	}
	out := make([]domain.OpenCheckIn, 0, len(rows))
	for _, r := range rows {
		var t struct {
			Hours struct {
				DailyMinutes int64          `json:"daily_minutes"`
				Shifts       []domain.Shift `json:"shifts"`
			} `json:"hours"`
		}
		_ = json.Unmarshal([]byte(terms[r.ContractID]), &t) // none: the default day
		out = append(out, domain.OpenCheckIn{In: attendanceFromRow(r), Shifts: t.Hours.Shifts, DailyMinutes: t.Hours.DailyMinutes})
	}
	return out, nil
}

// CloseMissedCheckOut writes, once, the check-out of a day with a check-in and no check-out at the
// day's end: at at (the end of the shift; the check-in's time when that is later), source day_end,
// recorded by the system, with the day's work line from the terms as at any check-out (its note says
// 缺签退, and the employer confirms or disputes it within the window). It reports false when the day
// has a check-out already (the worker's, or another process's). Chained and audited like every event.
func (s *Store) CloseMissedCheckOut(ctx context.Context, in domain.AttendanceEvent, at time.Time) (domain.AttendanceEvent, bool, error) {
	var out domain.AttendanceEvent
	closed := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "contracts", in.ContractID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&attendanceRow{}).Where("contract_id = ? AND work_date = ? AND kind = 'out'", in.ContractID, string(in.WorkDate)).
			Count(&n).Error; err != nil || n > 0 {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", in.ContractID).Take(&c).Error; err != nil {
			return err
		}
		if at.Before(in.Time()) {
			at = in.Time()
		}
		ev := domain.AttendanceEvent{ContractID: c.ID, JobID: c.JobID, WorkerID: c.WorkerID, WorkDate: in.WorkDate, Kind: domain.CheckOut,
			At: at.UTC(), Source: domain.ByDayEnd}
		id, err := s.attendanceWorkLine(tx, c, in, ev, "")
		if err != nil {
			return err
		}
		ev.LedgerEntryID = id
		row, err := s.insertAttendance(tx, c, ev, attendanceSystem, "")
		if err != nil {
			return err
		}
		out, closed = attendanceFromRow(row), true
		return nil
	})
	if err != nil {
		return domain.AttendanceEvent{}, false, translate(err, "考勤记录")
	}
	return out, closed, nil
}
