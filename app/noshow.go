package app

import (
	"context"

	"lingong/domain"
)

// No-shows (issue 21 item 5): the sweep marks absent a worker who has not checked in by the day's start
// plus the grace; the employer or the station confirms (it counts in the worker's record the matcher
// weighs) or corrects it. See docs/attendance.md.

// SweepNoShows marks absent, once, every worker of an active contract who has not checked in today (in
// 中卫) by the day's start (its first shift, else 08:00) plus the grace (LINGONG_NOSHOW_GRACE). It
// returns how many it marked; running it again marks nobody twice.
func (s *Service) SweepNoShows(ctx context.Context) (int, error) {
	now := s.Now()
	day := domain.DateOf(now)
	grace := s.attendanceRules().NoShowGrace
	cands, err := s.store.NoShowCandidates(ctx, day)
	if err != nil {
		return 0, err
	}
	marked := 0
	for _, c := range cands {
		g := grace
		if c.Grace > 0 { // the grace both sides signed
			g = c.Grace
		}
		if !domain.NoShowDue(now, day, c.Shifts, g) {
			continue
		}
		ok, err := s.store.MarkNoShow(ctx, c, day)
		if err != nil {
			return marked, err
		}
		if ok {
			marked++
		}
	}
	return marked, nil
}

// JobNoShows lists a gig's marked absences on day, for its employer and its station's staff.
func (s *Service) JobNoShows(ctx context.Context, p domain.Principal, jobID int64, day domain.Date) ([]domain.NoShow, error) {
	if !day.Valid() {
		return nil, domain.Invalid("date", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if err := domain.CanManageJob(p, job); err != nil {
		return nil, err
	}
	return s.store.NoShowsOfJob(ctx, jobID, day)
}

// DecideNoShow is the employer's (or the station's) answer to a marked absence: "confirm", which counts
// in the worker's record the matcher weighs (the index learns it at once), or "correct" with a reason
// (the worker was there). Once; audited.
func (s *Service) DecideNoShow(ctx context.Context, p domain.Principal, id int64, decision, reason string) (domain.NoShow, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.NoShow{}, err
	}
	switch decision {
	case "confirm":
	case "correct":
		if reason == "" {
			return domain.NoShow{}, domain.Invalid("reason", "请写明更正的原因，例如“他 9 点到了，忘了签到”")
		}
	default:
		return domain.NoShow{}, domain.Invalid("decision", "请选择确认缺勤（confirm）或更正（correct）")
	}
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.NoShow{}, domain.Forbidden("")
	}
	ns, err := s.store.DecideNoShow(ctx, id, decision, reason, p, p.IP)
	if err != nil {
		return domain.NoShow{}, err
	}
	if ns.Status == domain.NoShowConfirmed {
		if err := s.ApplyChange(ctx, "workers", ns.WorkerID); err != nil {
			s.log.WarnContext(ctx, "could not refresh the worker in the index after a confirmed no-show", "worker_id", ns.WorkerID, "err", err)
		}
	}
	return ns, nil
}

// dayEndLookback is how many past days the day's-end sweep looks at: a day closes a few hours after
// its end, so a sweep that was down for a while still closes the days it missed.
const dayEndLookback = 7

// CloseMissedCheckOuts writes, at each day's end, the check-out of a worker who checked in and never
// checked out: at the end of the contract's shift (domain.DayEnd), once the offline window after it has
// passed and the day is over in 中卫 (domain.DayEndDue), flagged 缺签退 (source day_end), with the day's
// work line from the terms for the employer to confirm or dispute. It returns how many it closed;
// running it again closes none twice.
func (s *Service) CloseMissedCheckOuts(ctx context.Context) (int, error) {
	now := s.Now()
	today := domain.DateOf(now)
	rules := s.attendanceRules()
	open, err := s.store.OpenCheckIns(ctx, today.AddDays(-dayEndLookback), today)
	if err != nil {
		return 0, err
	}
	closed := 0
	for _, oc := range open {
		end := domain.DayEnd(oc.In.WorkDate, oc.Shifts, oc.DailyMinutes)
		if !domain.DayEndDue(now, oc.In.WorkDate, end, rules.OfflineWindow) {
			continue
		}
		_, ok, err := s.store.CloseMissedCheckOut(ctx, oc.In, end)
		if err != nil {
			return closed, err
		}
		if ok {
			closed++
		}
	}
	return closed, nil
}
