package app

import (
	"context"

	"lingong/domain"
)

// coverLookahead is how many days ahead /me looks for a working day without cover, so that a lapse
// next week is told now and not on the morning.
const coverLookahead = 7

// MyCoverDays returns, for the calling worker's active contracts, whether today's and tomorrow's
// working days are insured and the first uninsured working day of the coming week (issue 22 item 3).
// It reads the gig's cover as it stands now, the same record the insured roster uses.
func (s *Service) MyCoverDays(ctx context.Context, p domain.Principal, today domain.Date) ([]domain.CoverDay, error) {
	if p.Kind != domain.AsWorker {
		return nil, domain.Forbidden("")
	}
	list, err := s.store.ContractsFor(ctx, "worker_id", p.ID, "")
	if err != nil {
		return nil, err
	}
	var active []domain.Contract
	var jobIDs []int64
	for _, ct := range list {
		if ct.Status == domain.ContractActive && ct.EndDate >= today && ct.StartDate <= today.AddDays(coverLookahead) {
			active = append(active, ct)
			jobIDs = append(jobIDs, ct.JobID)
		}
	}
	if len(active) == 0 {
		return nil, nil
	}
	covers, err := s.store.JobCovers(ctx, jobIDs)
	if err != nil {
		return nil, err
	}
	var out []domain.CoverDay
	for _, ct := range active {
		j, err := s.store.JobByID(ctx, ct.JobID)
		if err != nil {
			return nil, err
		}
		out = append(out, domain.ContractCoverDays(ct, j.Title, covers[ct.JobID], today, coverLookahead)...)
	}
	return out, nil
}
