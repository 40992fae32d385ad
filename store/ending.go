package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Ending a started contract early (提前结束); see domain/ending.go and docs/attendance.md.

type endingRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	ContractID     int64
	JobID          int64
	WorkerID       int64
	ByParty        string
	PreviousEnd    string
	LastDay        string
	Reason         string
	VoidedNoShows  int
	RecordedByKind string
	RecordedByID   int64
	CreatedAt      time.Time
}

func (endingRow) TableName() string { return "contract_endings" }

func endingFromRow(r endingRow) domain.ContractEnding {
	return domain.ContractEnding{ID: r.ID, ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID, By: domain.EndingParty(r.ByParty),
		PreviousEnd: domain.Date(r.PreviousEnd), LastDay: domain.Date(r.LastDay), Reason: r.Reason, VoidedNoShows: r.VoidedNoShows,
		CreatedAt: r.CreatedAt.UTC()}
}

// endingAction is the audit action of an early ending. Its detail carries the contract's anchor (as
// contract.create does) and the new last day, so that verification accepts an end date earlier than the
// signed terms' exactly when a keyed audit event says so (checkContractRow).
const endingAction = "contract.end_early"

// EndContractEarly makes lastDay the last working day of an active contract, in one transaction:
// contracts.end_date becomes lastDay (the signed terms and their hash stay), the ending is recorded with
// the end date before it, and audited with the contract's anchor. A last day in the past (the station
// only) also takes the no-shows after it off the worker's record: a marked one is corrected by the
// system, a confirmed one is upheld as a contest is (workers.no_shows one less), each audited.
// Refusals change nothing: not a party (not_found), staff of another station (forbidden), the rules of
// domain.CheckEnding (invalid, field last_day), not active (conflict), a check-in, an accident or an
// uncorrected day's work after the last day (conflict).
func (s *Store) EndContractEarly(ctx context.Context, contractID int64, lastDay domain.Date, reason string, actor domain.Principal, ip string) (domain.ContractEnding, error) {
	var out endingRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "contracts", contractID); err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", contractID).Take(&c).Error; err != nil {
			return err
		}
		by, err := contractRole(actor, c) // both sides at the station, or one of them
		if err != nil {
			return err
		}
		if c.Status != string(domain.ContractActive) {
			return domain.Conflict("只有生效中的合约才能提前结束")
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		if err := domain.CheckEnding(domain.Date(c.StartDate), domain.Date(c.EndDate), lastDay, domain.DateOf(now), by); err != nil {
			return err
		}
		var worked int64
		if err := tx.Table("attendance_events").Where("contract_id = ? AND kind = 'in' AND work_date > ?", c.ID, string(lastDay)).
			Count(&worked).Error; err != nil {
			return err
		}
		if worked > 0 {
			return domain.Conflict("零工在最后工作日之后还签到过，最后工作日不能早于他最后干活的那天")
		}
		if err := s.nothingRecordedAfter(tx, c.ID, lastDay); err != nil {
			return err
		}
		out = endingRow{CityCode: domain.CityCode, ContractID: c.ID, JobID: c.JobID, WorkerID: c.WorkerID, ByParty: string(by),
			PreviousEnd: c.EndDate, LastDay: string(lastDay), Reason: reason, RecordedByKind: actor.ActorKind(), RecordedByID: actor.ID, CreatedAt: now}
		res := tx.Model(&contractRow{}).Where("id = ? AND status = ? AND end_date = ?", c.ID, string(domain.ContractActive), c.EndDate).
			Updates(map[string]any{"end_date": string(lastDay), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if out.VoidedNoShows, err = s.voidNoShowsAfter(tx, c, out, ip); err != nil {
			return err
		}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		detail := contractAnchor(contractFromRow(c))
		for k, v := range map[string]any{"ending_id": out.ID, "by": out.ByParty, "previous_end": out.PreviousEnd, "last_day": out.LastDay,
			"reason": reason, "voided_no_shows": out.VoidedNoShows} {
			detail[k] = v
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: endingAction, EntityKind: "contract", EntityID: c.ID, IP: ip, Detail: detail})
	})
	if err != nil {
		return domain.ContractEnding{}, translate(err, "合约")
	}
	return endingFromRow(out), nil
}

// nothingRecordedAfter refuses (conflict) a last day before an accident or a day's work already recorded
// on the contract: ending it there would take the accident's day off the insurer's roster and out of the
// contract's period, or leave wages for days the contract no longer has. A work line that was corrected
// does not count (the correction is the record of what happened).
func (s *Store) nothingRecordedAfter(tx *gorm.DB, contractID int64, lastDay domain.Date) error {
	var incidents, work int64
	if err := tx.Table("incidents").Where("contract_id = ? AND occurred_on > ?", contractID, string(lastDay)).Count(&incidents).Error; err != nil {
		return err
	}
	if incidents > 0 {
		return domain.Conflict("这份合约在最后工作日之后记过出险，最后工作日不能早于出险那天")
	}
	if err := tx.Table("ledger_entries AS e").Where(`e.contract_id = ? AND e.kind = 'work' AND e.work_date > ?
		AND NOT EXISTS (SELECT 1 FROM ledger_entries k WHERE k.corrects_id = e.id)`, contractID, string(lastDay)).Count(&work).Error; err != nil {
		return err
	}
	if work > 0 {
		return domain.Conflict("结算记录里有最后工作日之后的工，最后工作日不能早于记了工的那天；记错了的先更正")
	}
	return nil
}

// voidNoShowsAfter takes the contract's no-shows after the ending's last day off the worker's record:
// those still marked are corrected by the system (nobody can confirm them any more); confirmed ones are
// upheld as a contest at the station is, and workers.no_shows goes down by one for each that counted.
func (s *Store) voidNoShowsAfter(tx *gorm.DB, c contractRow, e endingRow, ip string) (int, error) {
	var rows []noShowRow
	if err := tx.Where("contract_id = ? AND work_date > ?", c.ID, e.LastDay).Order("work_date").Find(&rows).Error; err != nil {
		return 0, err
	}
	why := "合约已提前结束，最后工作日为 " + e.LastDay + "，这天不在合约期内"
	n := 0
	for _, r := range rows {
		var upd map[string]any
		action := ""
		switch {
		case r.Status == string(domain.NoShowMarked):
			upd = map[string]any{"status": string(domain.NoShowCorrected), "reason": why, "decided_by_kind": "system", "decided_at": e.CreatedAt}
			action = "attendance.no_show.void"
		case r.Status == string(domain.NoShowConfirmed) && r.Contest != string(domain.ContestUpheld):
			upd = map[string]any{"contest": string(domain.ContestUpheld), "contest_reason": why, "contested_by_id": e.RecordedByID, "contested_at": e.CreatedAt}
			action = "attendance.no_show.contest.upheld"
		default:
			continue
		}
		if err := tx.Model(&noShowRow{}).Where("id = ? AND status = ? AND contest = ?", r.ID, r.Status, r.Contest).Updates(upd).Error; err != nil {
			return 0, err
		}
		if r.Status == string(domain.NoShowConfirmed) {
			if err := tx.Exec("UPDATE workers SET no_shows = no_shows - 1 WHERE id = ? AND no_shows > 0", r.WorkerID).Error; err != nil {
				return 0, err
			}
		}
		if err := s.appendAudit(tx, Audit{System: true, Action: action, EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"no_show_id": r.ID, "worker_id": r.WorkerID, "date": r.WorkDate, "reason": why}}); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// EndingsOf lists a contract's early endings, oldest first (none: an empty list).
func (s *Store) EndingsOf(ctx context.Context, contractID int64) ([]domain.ContractEnding, error) {
	var rows []endingRow
	if err := s.conn(ctx).Where("contract_id = ?", contractID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "提前结束记录")
	}
	out := make([]domain.ContractEnding, 0, len(rows))
	for _, r := range rows {
		out = append(out, endingFromRow(r))
	}
	return out, nil
}

// EndingsOfContracts is EndingsOf for many contracts in one query (the station's batch print): each
// contract's endings oldest first, contracts without any absent from the map.
func (s *Store) EndingsOfContracts(ctx context.Context, contractIDs []int64) (map[int64][]domain.ContractEnding, error) {
	out := map[int64][]domain.ContractEnding{}
	if len(contractIDs) == 0 {
		return out, nil
	}
	var rows []endingRow
	if err := s.conn(ctx).Where("contract_id IN ?", contractIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "提前结束记录")
	}
	for _, r := range rows {
		e := endingFromRow(r)
		out[e.ContractID] = append(out[e.ContractID], e)
	}
	return out, nil
}
