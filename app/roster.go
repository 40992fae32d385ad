package app

import (
	"context"

	"lingong/domain"
)

// WorkingDays tells which contracts are worked on a date, with the hours. The default reads the
// contracts (RosterStore.ContractsWorkingOn); attendance plugs in its own at merge (Deps.WorkingDays).
type WorkingDays interface {
	WorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
}

// RosterStore is what the roster needs from the database.
type RosterStore interface {
	ContractsWorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
	RosterLines(ctx context.Context, day domain.Date, days []domain.WorkDay, actor domain.Principal, ip string) ([]domain.RosterLine, error)
}

// contractDays is the default WorkingDays: every active contract whose period contains the day.
type contractDays struct{ store RosterStore }

func (c contractDays) WorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error) {
	return c.store.ContractsWorkingOn(ctx, day)
}

// Roster returns the insured roster (投保名单) of a date within the window around today: the admin only
// (it holds full ID numbers); the read is audited.
func (s *Service) Roster(ctx context.Context, p domain.Principal, day domain.Date) (domain.Roster, error) {
	if p.Kind != domain.AsAdmin {
		return domain.Roster{}, domain.Forbidden("投保名单含完整身份证号，只有管理员可以查看")
	}
	if err := domain.CheckRosterDate(s.clock.Today(), day); err != nil {
		return domain.Roster{}, err
	}
	var wd WorkingDays = contractDays{s.store}
	if s.workingDays != nil {
		wd = s.workingDays
	}
	days, err := wd.WorkingOn(ctx, day)
	if err != nil {
		return domain.Roster{}, err
	}
	lines, err := s.store.RosterLines(ctx, day, days, p, p.IP)
	if err != nil {
		return domain.Roster{}, err
	}
	return domain.Roster{Date: day, MadeAt: s.clock.Now().UTC(), Lines: lines}, nil
}
