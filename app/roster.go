package app

import (
	"cmp"
	"context"
	"slices"

	"lingong/domain"
)

// WorkingDays tells which contracts are worked on a date, with the hours. The server uses
// AttendanceDays (contracts and attendance); without Deps.WorkingDays the contracts alone are read.
type WorkingDays interface {
	WorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
}

// RosterStore is what the roster needs from the database.
type RosterStore interface {
	ContractsWorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
	CheckedInOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
	RosterLines(ctx context.Context, day domain.Date, days []domain.WorkDay, actor domain.Principal, ip string) ([]domain.RosterLine, error)
}

// contractDays is the default WorkingDays: every active contract whose period contains the day.
type contractDays struct{ store RosterStore }

func (c contractDays) WorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error) {
	return c.store.ContractsWorkingOn(ctx, day)
}

// workingDaysSource is the WorkingDays in use: Deps.WorkingDays, else the contracts.
func (s *Service) workingDaysSource() WorkingDays {
	if s.workingDays != nil {
		return s.workingDays
	}
	return contractDays{s.store}
}

// AttendanceDays is the WorkingDays of the server: who works on a date from the contracts and the
// attendance. For today or a past day, everyone with an active contract whose period contains the day,
// plus anyone who checked in that day on any contract (also one completed or ended since); the hours
// are the time between check-in and check-out when both exist, else the gig's daily hours. For a
// future day nobody has checked in yet: the active contracts.
type AttendanceDays struct {
	Store interface {
		ContractsWorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
		CheckedInOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error)
	}
	Clock domain.Clock
}

// WorkingOn implements WorkingDays; the result is ordered by contract.
func (a AttendanceDays) WorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error) {
	days, err := a.Store.ContractsWorkingOn(ctx, day)
	if err != nil || day > a.Clock.Today() {
		return days, err
	}
	came, err := a.Store.CheckedInOn(ctx, day)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, d := range days {
		at[d.ContractID] = i
	}
	for _, d := range came {
		if i, ok := at[d.ContractID]; ok {
			if d.HoursMilli > 0 {
				days[i].HoursMilli = d.HoursMilli
			}
			continue
		}
		days = append(days, d)
	}
	slices.SortFunc(days, func(x, y domain.WorkDay) int { return cmp.Compare(x.ContractID, y.ContractID) })
	return days, nil
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
	days, err := s.workingDaysSource().WorkingOn(ctx, day)
	if err != nil {
		return domain.Roster{}, err
	}
	lines, err := s.store.RosterLines(ctx, day, days, p, p.IP)
	if err != nil {
		return domain.Roster{}, err
	}
	return domain.Roster{Date: day, MadeAt: s.clock.Now().UTC(), Lines: lines}, nil
}
