package app

import (
	"context"

	"lingong/domain"
)

// A worker contests a confirmed no-show online (申诉) instead of travelling to the station: the worker's
// contract page or POST /api/v1/workers/me/no-shows/{id}/contest records the request with the worker's
// reason; the issuing station's attendance desk lists the requests waiting and decides each with
// ContestNoShow (calling the employer if it needs to), and the worker is texted the decision. See
// docs/attendance.md.

// RequestNoShowContest records the worker's contest of one of their own confirmed no-shows, with the
// reason (required, up to 200 characters). Anyone else's no-show, or any caller but the worker, is
// not_found; errors as store.RequestNoShowContest.
func (s *Service) RequestNoShowContest(ctx context.Context, p domain.Principal, id int64, reason string) (domain.NoShow, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.NoShow{}, err
	}
	if p.Kind != domain.AsWorker {
		return domain.NoShow{}, domain.NotFound("缺勤记录")
	}
	if reason == "" {
		return domain.NoShow{}, domain.Invalid("reason", "请写明为什么有异议，例如“那天下雨停工，用工方打电话说不用去”")
	}
	return s.store.RequestNoShowContest(ctx, id, reason, p, p.IP)
}

// MyNoShows lists the calling worker's no-shows in any state, newest day first (at most 100).
func (s *Service) MyNoShows(ctx context.Context, p domain.Principal) ([]domain.NoShow, error) {
	if p.Kind != domain.AsWorker {
		return nil, domain.NotFound("零工")
	}
	return s.store.AllNoShowsOfWorker(ctx, p.ID)
}

// ContractNoShows lists a contract's no-shows for whoever may see the contract (its worker's page).
func (s *Service) ContractNoShows(ctx context.Context, p domain.Principal, contractID int64) ([]domain.NoShow, error) {
	if _, err := s.visibleContract(ctx, p, contractID); err != nil {
		return nil, err
	}
	return s.store.NoShowsOfContract(ctx, contractID)
}

// ContestsWaiting lists the online contests the caller's station has not decided yet (staff; an admin
// has no station and sees none).
func (s *Service) ContestsWaiting(ctx context.Context, p domain.Principal) ([]domain.ContestWaiting, error) {
	if !p.IsStaff() {
		return nil, domain.NotFound("缺勤记录")
	}
	if p.StationID == 0 {
		return nil, nil
	}
	return s.store.ContestsWaiting(ctx, p.StationID)
}

// textContestDecision tells a worker who contested online what the station decided, after the commit.
func (s *Service) textContestDecision(ctx context.Context, ns domain.NoShow) {
	result := "不成立，这次缺勤维持"
	if ns.Contest == domain.ContestUpheld {
		result = "成立，这次缺勤不再计入爽约次数"
	}
	station, phone := "签发驿站", "12333"
	if ct, _, err := s.store.ContractByID(ctx, ns.ContractID); err == nil {
		if st, err := s.store.StationByID(ctx, ct.StationID); err == nil && st.Phone != "" {
			station, phone = st.Name, st.Phone
		}
	}
	t := ns.Date.Start()
	s.textWorker(ctx, ns.WorkerID, domain.SMS{Kind: domain.SMSContestDecided, Subject: ns.ContractID, Params: map[string]string{
		"day": monthDayText(t.Month(), t.Day()), "result": result, "reason": ns.ContestReason, "station": station, "phone": phone}})
}
