package app

import (
	"context"
	"time"

	"lingong/domain"
)

// Cancellations, withdrawals and contests of no-shows (issue 21 item 5); see domain/cancel.go and
// docs/attendance.md.

// CancelContract is the employer's (or its issuing station's) cancellation of an active contract before
// its first day starts, with a reason. Within LINGONG_CANCEL_NOTICE of the start the employer owes the
// contract's cancellation amount, written to the ledger; earlier, nothing. The worker is told by SMS.
func (s *Service) CancelContract(ctx context.Context, p domain.Principal, id int64, reason string) (domain.Cancellation, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.Cancellation{}, err
	}
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Cancellation{}, domain.NotFound("合约")
	}
	if reason == "" {
		return domain.Cancellation{}, domain.Invalid("reason", "请写明取消的原因，零工会看到")
	}
	cn, err := s.store.CancelContract(ctx, id, reason, s.attendanceRules().CancelNotice, p, p.IP)
	if err != nil {
		return domain.Cancellation{}, err
	}
	ct, _, err := s.store.ContractByID(ctx, id)
	if err != nil {
		return cn, err
	}
	fee := "您不需要做什么。"
	if cn.LedgerEntryID != 0 {
		fee = "按合约应付您误工补偿" + domain.FormatYuan(cn.FeeFen) + "元，已记入台账。"
	}
	s.textWorker(ctx, ct.WorkerID, domain.SMS{Kind: domain.SMSCancelled, Subject: ct.ID, Params: map[string]string{
		"number": ct.Number, "day": string(cn.FirstDay), "fee": fee}})
	s.refreshAfterCancel(ctx, cn)
	return cn, nil
}

// WithdrawFromContract is the worker's withdrawal from an active contract before its first day starts.
// Within LINGONG_CANCEL_NOTICE of the start it counts as a confirmed no-show (the matcher weighs it);
// earlier, nothing. The reason is optional.
func (s *Service) WithdrawFromContract(ctx context.Context, p domain.Principal, id int64, reason string) (domain.Cancellation, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.Cancellation{}, err
	}
	if p.Kind != domain.AsWorker {
		return domain.Cancellation{}, domain.NotFound("合约")
	}
	cn, err := s.store.CancelContract(ctx, id, reason, s.attendanceRules().CancelNotice, p, p.IP)
	if err != nil {
		return domain.Cancellation{}, err
	}
	s.refreshAfterCancel(ctx, cn)
	return cn, nil
}

// refreshAfterCancel tells the matching index what a cancellation changed: the gig has a place again,
// and a late withdrawal counts in the worker's record.
func (s *Service) refreshAfterCancel(ctx context.Context, cn domain.Cancellation) {
	for table, id := range map[string]int64{"jobs": cn.JobID, "workers": cn.WorkerID} {
		if err := s.ApplyChange(ctx, table, id); err != nil {
			s.log.WarnContext(ctx, "could not refresh the index after a cancellation", "table", table, "id", id, "err", err)
		}
	}
}

// ContestNoShow records the station's decision on a worker's contest of a confirmed no-show, made at the
// desk or online (RequestNoShowContest; the worker is then texted the decision):
// "uphold" (it no longer counts in the worker's record; the index learns it at once) or "reject" (it
// stands), with the reason. Staff of the issuing station only; once; audited.
func (s *Service) ContestNoShow(ctx context.Context, p domain.Principal, id int64, decision, reason string) (domain.NoShow, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.NoShow{}, err
	}
	var c domain.Contest
	switch decision {
	case "uphold":
		c = domain.ContestUpheld
	case "reject":
		c = domain.ContestRejected
	default:
		return domain.NoShow{}, domain.Invalid("decision", "请选择申诉成立（uphold）或不成立（reject）")
	}
	if !p.IsStaff() {
		return domain.NoShow{}, domain.NotFound("缺勤记录")
	}
	if reason == "" {
		return domain.NoShow{}, domain.Invalid("reason", "请写明理由，例如“有医院证明，当天急诊”")
	}
	ns, err := s.store.ContestNoShow(ctx, id, c, reason, p, p.IP)
	if err != nil {
		return domain.NoShow{}, err
	}
	if c == domain.ContestUpheld {
		if err := s.ApplyChange(ctx, "workers", ns.WorkerID); err != nil {
			s.log.WarnContext(ctx, "could not refresh the worker in the index after an upheld contest", "worker_id", ns.WorkerID, "err", err)
		}
	}
	if ns.ContestRequestedAt != nil {
		s.textContestDecision(ctx, ns)
	}
	return ns, nil
}

// WorkerNoShows lists a worker's confirmed no-shows on contracts the caller's station issued (an admin:
// any), for the station's staff, found by card or number (the worker who comes to contest one). Staff
// of another station than the worker's see the worker only when such a no-show exists; otherwise the
// answer is exactly an unknown worker's, so a desk cannot walk the numbers to other stations' workers.
func (s *Service) WorkerNoShows(ctx context.Context, p domain.Principal, card string) (domain.Worker, []domain.NoShow, error) {
	unknown := domain.NotFound("零工")
	if !p.IsStaff() {
		return domain.Worker{}, nil, unknown
	}
	w, err := s.workerByScan(ctx, card)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Worker{}, nil, unknown
	}
	if err != nil {
		return domain.Worker{}, nil, err
	}
	list, err := s.store.NoShowsOfWorker(ctx, w.ID, p.StationID)
	if err != nil {
		return domain.Worker{}, nil, err
	}
	if len(list) == 0 && domain.CanSeeWorker(p, w) != nil {
		return domain.Worker{}, nil, unknown
	}
	return w, list, nil
}

// WithdrawOutlook is what the worker's contract page says about withdrawing: whether it is still
// possible (an active contract before its first day's start), whether it would come within the notice
// window (a no-show), when the first day starts (in 中卫, "5月11日 07:00") and the notice in hours.
type WithdrawOutlook struct {
	Open        bool
	Late        bool
	Starts      string
	NoticeHours int
}

// WithdrawOutlookOf is the outlook of withdrawing from ct now; shifts are its terms' (the first day's start).
func (s *Service) WithdrawOutlookOf(ct domain.Contract, shifts []domain.Shift) WithdrawOutlook {
	start := domain.DayStart(ct.StartDate, shifts)
	now, notice := s.Now(), s.attendanceRules().CancelNotice
	return WithdrawOutlook{Open: ct.Status == domain.ContractActive && domain.CancelOpen(now, start), Late: domain.CancelLate(now, start, notice),
		Starts: start.In(domain.Shanghai).Format("1月2日 15:04"), NoticeHours: int(notice / time.Hour)}
}
