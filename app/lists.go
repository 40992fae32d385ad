package app

import (
	"context"

	"lingong/domain"
)

// The station console's lists (contracts and their ledgers, workers, disputes, arrears, employers,
// accounts): a page at a time, searched and filtered. Staff see their own station's records only; an
// admin any one station's, or every station's (StationID 0).

// ContractList is a page of contracts with their ledgers' balances.
func (s *Service) ContractList(ctx context.Context, p domain.Principal, f domain.ContractFilter) ([]domain.ContractSummary, int, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return nil, 0, err
	}
	return s.store.ContractList(ctx, f)
}

// WorkerList is a page of workers registered at a station (every station: admins).
func (s *Service) WorkerList(ctx context.Context, p domain.Principal, f domain.WorkerFilter) ([]domain.Worker, int, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return nil, 0, err
	}
	return s.store.WorkerList(ctx, f)
}

// DisputeList is a page of workers' disputes of a station's ledgers.
func (s *Service) DisputeList(ctx context.Context, p domain.Principal, f domain.DisputeFilter) ([]domain.Dispute, int, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return nil, 0, err
	}
	return s.store.DisputeList(ctx, f)
}

// ArrearsList is a page of a station's arrears alerts, searched by contract, worker or employer.
func (s *Service) ArrearsList(ctx context.Context, p domain.Principal, f domain.ArrearsFilter, q string, page domain.ListPage) ([]domain.ArrearsAlert, int, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return nil, 0, err
	}
	return s.store.ArrearsList(ctx, f, q, page)
}

// EmployerCount is how many of a station's employers match f (for the list's pages).
func (s *Service) EmployerCount(ctx context.Context, p domain.Principal, f domain.EmployerFilter) (int, error) {
	if err := s.checkStationScope(p, f.StationID); err != nil {
		return 0, err
	}
	return s.store.EmployerCount(ctx, f)
}

// StaffList is a page of console accounts, for admins.
func (s *Service) StaffList(ctx context.Context, p domain.Principal, f domain.StaffFilter) ([]domain.Staff, int, error) {
	if p.Kind != domain.AsAdmin {
		return nil, 0, domain.Forbidden("只有管理员可以管理账号")
	}
	return s.store.StaffList(ctx, f)
}

// SettlementCounts are the counts on the settlement screen's tabs: what waits at a station today.
func (s *Service) SettlementCounts(ctx context.Context, p domain.Principal, stationID int64) (domain.SettlementCounts, error) {
	if err := s.checkStationScope(p, stationID); err != nil {
		return domain.SettlementCounts{}, err
	}
	return s.store.SettlementCounts(ctx, stationID, s.clock.Today())
}
