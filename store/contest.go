package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// A worker contests a confirmed no-show online (migration 00250): the request and the worker's reason
// are recorded on the no-show; the issuing station decides it with ContestNoShow, as for a worker who
// came to the desk.

// RequestNoShowContest records the worker's online contest of one of their confirmed no-shows, with the
// reason, in one transaction with its audit event. Refusals change nothing: another worker's or anyone
// else's (not_found, as for an unknown id), not confirmed (conflict), decided on contest or contested
// online already (conflict).
func (s *Store) RequestNoShowContest(ctx context.Context, id int64, reason string, actor domain.Principal, ip string) (domain.NoShow, error) {
	var out noShowRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c contractRow
		var err error
		if out, c, err = s.lockedNoShow(tx, id); err != nil {
			return err
		}
		if actor.Kind != domain.AsWorker || actor.ID != out.WorkerID {
			return domain.NotFound("缺勤记录")
		}
		switch ns := noShowFromRow(out); {
		case ns.Status != domain.NoShowConfirmed:
			return domain.Conflict("只有用工方已确认的缺勤才能申诉；还没确认的，等用工方答复")
		case ns.Contest != "":
			return domain.Conflict("这条缺勤已经申诉并处理过")
		case ns.ContestRequestedAt != nil:
			return domain.Conflict("您已经对这条缺勤提出过申诉，请等签发驿站处理")
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		res := tx.Model(&noShowRow{}).Where("id = ? AND contest = '' AND contest_requested_at IS NULL", id).
			Updates(map[string]any{"contest_requested_at": now, "contest_request": reason})
		if res.Error != nil {
			return res.Error
		}
		out.ContestRequestedAt, out.ContestRequest = &now, reason
		return s.appendAudit(tx, Audit{Actor: actor, Action: "attendance.no_show.contest.request", EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"no_show_id": id, "worker_id": out.WorkerID, "date": out.WorkDate, "reason": reason}})
	})
	if err != nil {
		return domain.NoShow{}, translate(err, "缺勤记录")
	}
	return noShowFromRow(out), nil
}

// NoShowsOfContract lists a contract's no-shows in any state, by day (the worker's contract page).
func (s *Store) NoShowsOfContract(ctx context.Context, contractID int64) ([]domain.NoShow, error) {
	return s.noShowsWhere(ctx, "contract_id = ?", contractID)
}

// AllNoShowsOfWorker lists a worker's no-shows in any state, newest day first, at most 100 (the worker's
// own list through the API).
func (s *Store) AllNoShowsOfWorker(ctx context.Context, workerID int64) ([]domain.NoShow, error) {
	return s.noShowsWhere(ctx, "worker_id = ?", workerID)
}

func (s *Store) noShowsWhere(ctx context.Context, cond string, arg int64) ([]domain.NoShow, error) {
	return noShowList(s.conn(ctx).Where(cond, arg), 100)
}

// noShowList runs a query of no_shows, newest day first, at most limit rows.
func noShowList(q *gorm.DB, limit int) ([]domain.NoShow, error) {
	var rows []noShowRow
	if err := q.Order("work_date DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "缺勤记录")
	}
	out := make([]domain.NoShow, 0, len(rows))
	for _, r := range rows {
		out = append(out, noShowFromRow(r))
	}
	return out, nil
}

// ContestsWaiting lists the no-shows workers contested online on contracts the station issued that it
// has not decided yet, oldest request first, with the worker's name and number and the gig's title.
func (s *Store) ContestsWaiting(ctx context.Context, stationID int64) ([]domain.ContestWaiting, error) {
	var shown []struct {
		ID         int64
		WorkerName string
		WorkerNo   string
		JobTitle   string
	}
	err := s.conn(ctx).Raw(`SELECT n.id AS id, w.name AS worker_name, w.worker_no AS worker_no, j.title AS job_title
		FROM no_shows n JOIN contracts c ON c.id = n.contract_id JOIN workers w ON w.id = n.worker_id JOIN jobs j ON j.id = n.job_id
		WHERE c.station_id = ? AND n.contest_requested_at IS NOT NULL AND n.contest = ''
		ORDER BY n.contest_requested_at, n.id LIMIT 200`, stationID).Scan(&shown).Error
	if err != nil || len(shown) == 0 {
		return nil, translate(err, "缺勤记录")
	}
	ids := make([]int64, len(shown))
	for i, r := range shown {
		ids[i] = r.ID
	}
	var rows []noShowRow
	if err := s.conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err, "缺勤记录")
	}
	byID := make(map[int64]noShowRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]domain.ContestWaiting, 0, len(shown))
	for _, r := range shown {
		out = append(out, domain.ContestWaiting{NoShow: noShowFromRow(byID[r.ID]), WorkerName: r.WorkerName, WorkerNo: r.WorkerNo, JobTitle: r.JobTitle})
	}
	return out, nil
}
