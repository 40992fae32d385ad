package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Cancellations and withdrawals before a contract's first day, and contests of no-shows (issue 21
// item 5); see domain/cancel.go and docs/attendance.md.

type cancellationRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	ContractID     int64
	JobID          int64
	WorkerID       int64
	ByParty        string
	FirstDay       string
	StartsAt       time.Time
	Late           bool
	FeeFen         int64
	LedgerEntryID  *int64
	NoShowID       *int64
	Reason         string
	RecordedByKind string
	RecordedByID   int64
	CreatedAt      time.Time
}

func (cancellationRow) TableName() string { return "contract_cancellations" }

func cancellationFromRow(r cancellationRow) domain.Cancellation {
	c := domain.Cancellation{ID: r.ID, ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID, By: domain.CancelParty(r.ByParty),
		FirstDay: domain.Date(r.FirstDay), StartsAt: r.StartsAt.UTC(), Late: r.Late, FeeFen: r.FeeFen, Reason: r.Reason, CreatedAt: r.CreatedAt.UTC()}
	if r.LedgerEntryID != nil {
		c.LedgerEntryID = *r.LedgerEntryID
	}
	if r.NoShowID != nil {
		c.NoShowID = *r.NoShowID
	}
	return c
}

// cancelTerms is what a cancellation reads from the signed terms: the first day's shifts and the amount
// the employer agreed to owe.
type cancelTerms struct {
	Hours struct {
		Shifts []domain.Shift `json:"shifts"`
	} `json:"hours"`
	Cancellation struct {
		EmployerFeeFen int64 `json:"employer_fee_fen"`
		NoticeMinutes  int64 `json:"notice_minutes"`
	} `json:"cancellation"`
}

// CancelContract cancels an active contract before its first day starts, in one transaction: the
// contract ends (terminated); a cancellation by the employer (or its station) within notice of the start
// writes the terms' cancellation amount to the ledger as a cancellation line (chained and audited like
// every line); a withdrawal by the worker within notice records a confirmed no-show on the first day and
// counts it in workers.no_shows. The cancellation itself is recorded once and audited. Refusals change
// nothing: not a party (not_found), staff of another station (forbidden), not active or already started
// (conflict). notice is the configured window, used for terms that state none (signed before
// lingong-terms/3); terms that state one are held to it.
func (s *Store) CancelContract(ctx context.Context, contractID int64, reason string, notice time.Duration, actor domain.Principal, ip string) (domain.Cancellation, error) {
	var out cancellationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "contracts", contractID); err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", contractID).Take(&c).Error; err != nil {
			return err
		}
		by, err := cancelParty(actor, c)
		if err != nil {
			return err
		}
		if c.Status != string(domain.ContractActive) {
			return domain.Conflict("只有双方都已确认、还没开工的合约才能取消")
		}
		var terms cancelTerms
		if err := json.Unmarshal([]byte(c.TermsJSON), &terms); err != nil {
			return err
		}
		if terms.Cancellation.NoticeMinutes > 0 { // the window both sides signed (lingong-terms/3 on)
			notice = time.Duration(terms.Cancellation.NoticeMinutes) * time.Minute
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		first := domain.Date(c.StartDate)
		start := domain.DayStart(first, terms.Hours.Shifts)
		if !domain.CancelOpen(now, start) {
			return domain.Conflict("合约已经开工，不能再取消：剩下的日子不干了，请用“提前结束”（POST /api/v1/contracts/{id}/end-early）")
		}
		out = cancellationRow{CityCode: domain.CityCode, ContractID: c.ID, JobID: c.JobID, WorkerID: c.WorkerID, ByParty: string(by),
			FirstDay: string(first), StartsAt: start, Late: domain.CancelLate(now, start, notice), Reason: reason,
			RecordedByKind: actor.ActorKind(), RecordedByID: actor.ID, CreatedAt: now}
		if err := tx.Model(&contractRow{}).Where("id = ? AND status = ?", c.ID, string(domain.ContractActive)).
			Updates(map[string]any{"status": domain.ContractTerminated, "updated_at": now}).Error; err != nil {
			return err
		}
		if out.Late {
			if err := s.cancellationConsequence(tx, c, &out, terms, ip); err != nil {
				return err
			}
		}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "contract.cancel." + out.ByParty, EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"cancellation_id": out.ID, "late": out.Late, "fee_fen": out.FeeFen, "first_day": out.FirstDay, "reason": reason}})
	})
	if err != nil {
		return domain.Cancellation{}, translate(err, "合约")
	}
	return cancellationFromRow(out), nil
}

// contractRole is the role in which actor may act on contract c: its worker, its employer, or the
// issuing station's staff. Anyone else learns nothing (not_found, the same answer as for a contract that
// does not exist); staff of another station are forbidden. Cancelling and ending early both ask it.
func contractRole(actor domain.Principal, c contractRow) (domain.EndingParty, error) {
	switch {
	case actor.Kind == domain.AsWorker && actor.ID == c.WorkerID:
		return domain.EndingByWorker, nil
	case actor.Kind == domain.AsEmployer && actor.ID == c.EmployerID:
		return domain.EndingByEmployer, nil
	case actor.IsStaff() && actor.CanManageStation(c.StationID):
		return domain.EndingByStation, nil
	case actor.IsStaff():
		return "", domain.Forbidden("只能处理本站点签发的合约")
	}
	return "", domain.NotFound("合约")
}

// cancelParty is who a cancellation by actor is on behalf of: the contract's worker, or its employer
// (itself or through the issuing station's staff).
func cancelParty(actor domain.Principal, c contractRow) (domain.CancelParty, error) {
	role, err := contractRole(actor, c)
	if err != nil {
		return "", err
	}
	if role == domain.EndingByWorker {
		return domain.CancelByWorker, nil
	}
	return domain.CancelByEmployer, nil
}

// cancellationConsequence writes what a late cancellation costs: the employer's cancellation line, or
// the worker's confirmed no-show.
func (s *Store) cancellationConsequence(tx *gorm.DB, c contractRow, out *cancellationRow, terms cancelTerms, ip string) error {
	if out.ByParty == string(domain.CancelByEmployer) {
		out.FeeFen = terms.Cancellation.EmployerFeeFen
		if out.FeeFen <= 0 {
			return nil // the terms fix no amount (a piece rate without expected hours): the station settles it
		}
		row, err := s.ledgerRow(tx, c, domain.LedgerInput{Kind: domain.LedgerCancellation, WorkDate: domain.Date(out.FirstDay),
			AmountFen: out.FeeFen, Note: "用工方开工前 " + noticeText(out.StartsAt.Sub(out.CreatedAt)) + "取消用工，按合约支付误工补偿"}, attendanceSystem)
		if err != nil {
			return err
		}
		if err := s.insertLedgerLine(tx, c, &row, attendanceSystem, ip); err != nil {
			return err
		}
		out.LedgerEntryID = &row.ID
		return nil
	}
	ns := noShowRow{CityCode: domain.CityCode, ContractID: c.ID, JobID: c.JobID, WorkerID: c.WorkerID, WorkDate: out.FirstDay,
		Status: string(domain.NoShowConfirmed), Origin: "withdrawal", Reason: "开工前 " + noticeText(out.StartsAt.Sub(out.CreatedAt)) + "退出",
		DecidedByKind: "system", MarkedAt: out.CreatedAt, DecidedAt: &out.CreatedAt}
	if err := tx.Create(&ns).Error; err != nil {
		return err
	}
	out.NoShowID = &ns.ID
	if err := tx.Exec("UPDATE workers SET no_shows = no_shows + 1 WHERE id = ?", c.WorkerID).Error; err != nil {
		return err
	}
	return s.appendAudit(tx, Audit{System: true, Action: "attendance.no_show.withdrawal", EntityKind: "contract", EntityID: c.ID, IP: ip,
		Detail: map[string]any{"no_show_id": ns.ID, "worker_id": c.WorkerID, "date": out.FirstDay}})
}

// noticeText is how long before the start, for notes: "3 小时 20 分钟".
func noticeText(d time.Duration) string {
	d = d.Truncate(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return strconv.Itoa(m) + " 分钟"
	case m == 0:
		return strconv.Itoa(h) + " 小时"
	}
	return strconv.Itoa(h) + " 小时 " + strconv.Itoa(m) + " 分钟"
}

// CancellationOf returns a contract's cancellation (not_found when it was not cancelled).
func (s *Store) CancellationOf(ctx context.Context, contractID int64) (domain.Cancellation, error) {
	var r cancellationRow
	if err := s.db.WithContext(ctx).Where("contract_id = ?", contractID).Take(&r).Error; err != nil {
		return domain.Cancellation{}, translate(err, "取消记录")
	}
	return cancellationFromRow(r), nil
}

// ContestNoShow records the issuing station's decision on a worker's contest of a confirmed no-show, made
// in person: upheld, the no-show no longer counts (workers.no_shows decremented); rejected, it stands.
// Once; audited with the reason. Staff of another station: forbidden; anyone but staff: not_found.
func (s *Store) ContestNoShow(ctx context.Context, id int64, decision domain.Contest, reason string, actor domain.Principal, ip string) (domain.NoShow, error) {
	var out noShowRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c contractRow
		var err error
		if out, c, err = s.lockedNoShow(tx, id); err != nil {
			return err
		}
		switch {
		case actor.IsStaff() && actor.CanManageStation(c.StationID):
		case actor.IsStaff():
			return domain.Forbidden("只能处理本站点签发的合约")
		default:
			return domain.NotFound("缺勤记录")
		}
		if out.Status != string(domain.NoShowConfirmed) {
			return domain.Conflict("只有已确认的缺勤才能申诉")
		}
		if out.Contest != "" {
			return domain.Conflict("这条缺勤已经申诉并处理过")
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		res := tx.Model(&noShowRow{}).Where("id = ? AND contest = ''", id).Updates(map[string]any{
			"contest": string(decision), "contest_reason": reason, "contested_by_id": actor.ID, "contested_at": now})
		if res.Error != nil {
			return res.Error
		}
		out.Contest, out.ContestReason, out.ContestedByID, out.ContestedAt = string(decision), reason, actor.ID, &now
		if decision == domain.ContestUpheld {
			if err := tx.Exec("UPDATE workers SET no_shows = no_shows - 1 WHERE id = ? AND no_shows > 0", out.WorkerID).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "attendance.no_show.contest." + string(decision), EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"no_show_id": id, "worker_id": out.WorkerID, "date": out.WorkDate, "reason": reason}})
	})
	if err != nil {
		return domain.NoShow{}, translate(err, "缺勤记录")
	}
	return noShowFromRow(out), nil
}

// NoShowsOfWorker lists a worker's confirmed no-shows on contracts the station issued (0: any station),
// newest first (what the station shows when the worker comes to contest one).
func (s *Store) NoShowsOfWorker(ctx context.Context, workerID, stationID int64) ([]domain.NoShow, error) {
	q := s.conn(ctx).Where("worker_id = ? AND status = ?", workerID, string(domain.NoShowConfirmed))
	if stationID != 0 {
		q = q.Where("contract_id IN (SELECT id FROM contracts WHERE station_id = ?)", stationID)
	}
	return noShowList(q, 50)
}
