package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// No-shows (issue 21 item 5); see domain/noshow.go and docs/attendance.md.

type noShowRow struct {
	ID            int64 `gorm:"primaryKey"`
	CityCode      string
	ContractID    int64
	JobID         int64
	WorkerID      int64
	WorkDate      string
	Status        string
	Reason        string
	DecidedByKind string
	DecidedByID   int64
	Origin        string
	Contest       string
	ContestReason string
	ContestedByID int64
	MarkedAt      time.Time
	DecidedAt     *time.Time
	ContestedAt   *time.Time
	// The worker's online contest (migration 00250).
	ContestRequestedAt *time.Time
	ContestRequest     string
}

func (noShowRow) TableName() string { return "no_shows" }

func noShowFromRow(r noShowRow) domain.NoShow {
	return domain.NoShow{ID: r.ID, ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID, Date: domain.Date(r.WorkDate),
		Status: domain.NoShowStatus(r.Status), Reason: r.Reason, Origin: r.Origin, Contest: domain.Contest(r.Contest), ContestReason: r.ContestReason, MarkedAt: r.MarkedAt.UTC(), DecidedAt: utcPtr(r.DecidedAt),
		ContestRequest: r.ContestRequest, ContestRequestedAt: utcPtr(r.ContestRequestedAt)}
}

// NoShowCandidates lists the active contracts covering day whose worker has no check-in that day and
// no mark of absence.
func (s *Store) NoShowCandidates(ctx context.Context, day domain.Date) ([]domain.NoShowCandidate, error) {
	var rows []contractRow
	err := s.db.WithContext(ctx).Where("status = ? AND start_date <= ? AND end_date >= ?", string(domain.ContractActive), string(day), string(day)).
		Where("NOT EXISTS (SELECT 1 FROM attendance_events e WHERE e.contract_id = contracts.id AND e.work_date = ? AND e.kind = 'in')", string(day)).
		Where("NOT EXISTS (SELECT 1 FROM no_shows n WHERE n.contract_id = contracts.id AND n.work_date = ?)", string(day)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	signed := map[int64]time.Time{}
	if len(rows) > 0 {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		for _, chunk := range chunks(ids, 500) {
			var sigs []signatureRow
			if err := s.db.WithContext(ctx).Select("contract_id, signed_at").Where("contract_id IN ?", chunk).Find(&sigs).Error; err != nil {
				return nil, err
			}
			for _, g := range sigs {
				if g.SignedAt.After(signed[g.ContractID]) {
					signed[g.ContractID] = g.SignedAt
				}
			}
		}
	}
	out := make([]domain.NoShowCandidate, 0, len(rows))
	for _, r := range rows {
		var terms struct {
			Hours struct {
				Shifts []domain.Shift `json:"shifts"`
			} `json:"hours"`
			Attendance struct {
				NoShowGraceMinutes int64 `json:"no_show_grace_minutes"`
			} `json:"attendance"`
		}
		_ = json.Unmarshal([]byte(r.TermsJSON), &terms) // no shifts: the day starts at the default hour
		out = append(out, domain.NoShowCandidate{ContractID: r.ID, JobID: r.JobID, WorkerID: r.WorkerID, Shifts: terms.Hours.Shifts,
			Grace: time.Duration(terms.Attendance.NoShowGraceMinutes) * time.Minute, ActiveSince: signed[r.ID]})
	}
	return out, nil
}

// MarkNoShow marks the candidate's worker absent on day, once: a second mark of the same contract-day
// (another sweep, another process) changes nothing and reports false. Audited as the system's.
func (s *Store) MarkNoShow(ctx context.Context, c domain.NoShowCandidate, day domain.Date) (bool, error) {
	marked := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row := noShowRow{CityCode: domain.CityCode, ContractID: c.ContractID, JobID: c.JobID, WorkerID: c.WorkerID, WorkDate: string(day),
			Status: string(domain.NoShowMarked), Origin: "sweep", MarkedAt: s.now().UTC().Truncate(time.Microsecond)}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		marked = true
		return s.appendAudit(tx, Audit{System: true, Action: "attendance.no_show.mark", EntityKind: "contract", EntityID: c.ContractID,
			Detail: map[string]any{"no_show_id": row.ID, "worker_id": c.WorkerID, "date": string(day)}})
	})
	return marked, err
}

// NoShowsOfJob lists a gig's marked absences on day.
func (s *Store) NoShowsOfJob(ctx context.Context, jobID int64, day domain.Date) ([]domain.NoShow, error) {
	var rows []noShowRow
	if err := s.db.WithContext(ctx).Where("job_id = ? AND work_date = ?", jobID, string(day)).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.NoShow, 0, len(rows))
	for _, r := range rows {
		out = append(out, noShowFromRow(r))
	}
	return out, nil
}

// lockedNoShow locks a no-show (PostgreSQL) inside tx and loads it with its contract, whose parties and
// station decide who may answer or contest it: not_found when there is none.
func (s *Store) lockedNoShow(tx *gorm.DB, id int64) (noShowRow, contractRow, error) {
	var ns noShowRow
	var c contractRow
	if err := s.lockRow(tx, "no_shows", id); err != nil {
		return ns, c, err
	}
	if err := tx.Where("id = ?", id).Take(&ns).Error; err != nil {
		if isNotFound(err) {
			return ns, c, domain.NotFound("缺勤记录")
		}
		return ns, c, err
	}
	err := tx.Where("id = ?", ns.ContractID).Take(&c).Error
	return ns, c, err
}

// DecideNoShow records the employer's (or the station's) answer to a marked absence: "confirm" counts
// it in the worker's record (workers.no_shows, which the matcher weighs), "correct" says the worker was
// there and counts nothing. Once. Refusals change nothing: someone else's (not_found), staff of another
// station (forbidden), answered already (conflict).
func (s *Store) DecideNoShow(ctx context.Context, id int64, decision, reason string, actor domain.Principal, ip string) (domain.NoShow, error) {
	var out noShowRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c contractRow
		var err error
		if out, c, err = s.lockedNoShow(tx, id); err != nil {
			return err
		}
		switch {
		case actor.Kind == domain.AsEmployer && actor.ID == c.EmployerID:
		case actor.IsStaff() && actor.CanManageStation(c.StationID):
		case actor.IsStaff():
			return domain.Forbidden("只能处理本站点签发的合约")
		default:
			return domain.NotFound("缺勤记录")
		}
		if out.Status != string(domain.NoShowMarked) {
			return domain.Conflict("这条缺勤记录已经确认或更正过")
		}
		status := domain.NoShowConfirmed
		if decision == "correct" {
			status = domain.NoShowCorrected
		} else {
			// A worker who checked in that day (late, or recorded later) was not absent: the mark can only
			// be corrected.
			var in int64
			if err := tx.Model(&attendanceRow{}).Where("contract_id = ? AND work_date = ? AND kind = 'in'", out.ContractID, out.WorkDate).
				Count(&in).Error; err != nil {
				return err
			}
			if in > 0 {
				return domain.Conflict("零工这天有签到记录，不能确认缺勤；请选择“更正”并写明情况")
			}
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		out.Status, out.Reason, out.DecidedByKind, out.DecidedByID, out.DecidedAt = string(status), reason, actor.ActorKind(), actor.ID, &now
		if err := tx.Model(&noShowRow{}).Where("id = ? AND status = ?", id, string(domain.NoShowMarked)).Updates(map[string]any{
			"status": out.Status, "reason": reason, "decided_by_kind": out.DecidedByKind, "decided_by_id": actor.ID, "decided_at": now,
		}).Error; err != nil {
			return err
		}
		if status == domain.NoShowConfirmed {
			if err := tx.Exec("UPDATE workers SET no_shows = no_shows + 1 WHERE id = ?", out.WorkerID).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "attendance.no_show." + decision, EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"no_show_id": id, "worker_id": out.WorkerID, "date": out.WorkDate}})
	})
	if err != nil {
		return domain.NoShow{}, translate(err, "缺勤记录")
	}
	return noShowFromRow(out), nil
}
