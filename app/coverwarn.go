package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"lingong/domain"
)

// The day-before warning (issue 22 item 3): a worker with a contract working tomorrow that has no
// accident cover (an exemption, no declaration, an own policy not yet checked, a lapsed policy) gets
// one SMS, once per worker and day, however many contracts and processes.

// CoverWarnStore is what the warning needs from the database.
type CoverWarnStore interface {
	ClaimCoverWarning(ctx context.Context, workerID int64, day domain.Date, contractID int64) (bool, error)
	ReleaseCoverWarning(ctx context.Context, workerID int64, day domain.Date) error
}

// WarnUncoveredTomorrow texts every worker whose working day tomorrow (by WorkingDays) has no cover,
// once: the first such contract of the worker (by contract) names the gig and the reason. A message
// that cannot be sent gives its claim back, so the next run tries again. It returns how many were
// sent. Called by the server's schedule in the evening before, never by a request.
func (s *Service) WarnUncoveredTomorrow(ctx context.Context) (int, error) {
	day := s.clock.Today().AddDays(1)
	days, err := s.workingDaysSource().WorkingOn(ctx, day)
	if err != nil {
		return 0, err
	}
	type miss struct {
		ct     domain.Contract
		reason string
	}
	var found []miss
	var jobIDs []int64
	var list []domain.Contract
	for _, d := range days {
		ct, _, err := s.store.ContractByID(ctx, d.ContractID)
		if err != nil {
			return 0, err
		}
		list = append(list, ct)
		if !slices.Contains(jobIDs, ct.JobID) {
			jobIDs = append(jobIDs, ct.JobID)
		}
	}
	covers, err := s.store.JobCovers(ctx, jobIDs)
	if err != nil {
		return 0, err
	}
	told := map[int64]bool{}
	for _, ct := range list {
		if c := covers[ct.JobID]; !c.CoveredOn(day) && !told[ct.WorkerID] {
			told[ct.WorkerID] = true
			found = append(found, miss{ct, c.UncoveredReason(day)})
		}
	}
	sent := 0
	for _, m := range found {
		ok, err := s.store.ClaimCoverWarning(ctx, m.ct.WorkerID, day, m.ct.ID)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue // told already (by this or another process)
		}
		if err := s.sendCoverWarning(ctx, m.ct, day, m.reason); err != nil {
			s.log.WarnContext(ctx, "could not warn a worker of a day without cover", "worker_id", m.ct.WorkerID, "err", err)
			if rerr := s.store.ReleaseCoverWarning(context.WithoutCancel(ctx), m.ct.WorkerID, day); rerr != nil {
				return sent, rerr
			}
			continue
		}
		sent++
	}
	return sent, nil
}

// sendCoverWarning texts the worker of ct that day has no cover, naming the contract's station.
func (s *Service) sendCoverWarning(ctx context.Context, ct domain.Contract, day domain.Date, reason string) error {
	w, err := s.store.WorkerByID(ctx, ct.WorkerID)
	if err != nil {
		return err
	}
	j, err := s.store.JobByID(ctx, ct.JobID)
	if err != nil {
		return err
	}
	station, phone := "零工驿站", "12333"
	if st, err := s.store.StationByID(ctx, ct.StationID); err == nil && st.Phone != "" {
		station, phone = st.Name, st.Phone
	}
	t := day.Start()
	return s.text(ctx, w.Phone, domain.SMS{Kind: domain.SMSCoverMissing, WorkerID: w.ID, Subject: ct.ID, Params: map[string]string{
		"day": monthDayText(t.Month(), t.Day()), "title": j.Title, "reason": reason, "station": station, "phone": phone}})
}

// monthDayText writes a day as 12月8日.
func monthDayText(m time.Month, d int) string {
	return strconv.Itoa(int(m)) + "月" + strconv.Itoa(d) + "日"
}
