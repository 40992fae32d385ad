package app

import (
	"context"

	"lingong/domain"
)

// The station's day: what waits for the staff, the walk-in queue, and the monitoring figures.

// StationDay is today's work of a station (0: every station, admins only): gigs to review, the walk-in
// queue, registrations, gigs starting, contracts, open disputes and arrears.
func (s *Service) StationDay(ctx context.Context, p domain.Principal, stationID int64) (domain.StationDay, error) {
	if err := s.checkStationScope(p, stationID); err != nil {
		return domain.StationDay{}, err
	}
	return s.store.StationDay(ctx, stationID, s.clock.Today())
}

// Walkins is today's walk-in queue of a station, in order of arrival.
func (s *Service) Walkins(ctx context.Context, p domain.Principal, stationID int64) ([]domain.WalkinSignin, error) {
	if err := s.checkStationScope(p, stationID); err != nil {
		return nil, err
	}
	return s.store.Walkins(ctx, stationID, s.clock.Today())
}

// WalkinToday is a worker's sign-in at their station today (not_found when none).
func (s *Service) WalkinToday(ctx context.Context, p domain.Principal, w domain.Worker) (domain.WalkinSignin, error) {
	if err := domain.CanSeeWorker(p, w); err != nil {
		return domain.WalkinSignin{}, err
	}
	return s.store.WalkinSigninToday(ctx, w.StationID, w.ID)
}

// OnsiteQueue is the walk-in order of a 现场优先 gig's applications: application id -> the worker's place
// in today's queue, and the application to decide first (0 when none).
func (s *Service) OnsiteQueue(ctx context.Context, p domain.Principal, jobID int64) (map[int64]int, int64, error) {
	if _, err := s.ManagedJob(ctx, p, jobID); err != nil {
		return nil, 0, err
	}
	return s.store.OnsiteQueue(ctx, jobID)
}

// Stats are the monitoring figures (信息监测) for staff: their own station; admins any, or all.
func (s *Service) Stats(ctx context.Context, p domain.Principal, f domain.StatsFilter) (domain.Stats, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return domain.Stats{}, err
	}
	return s.store.Stats(ctx, f)
}
