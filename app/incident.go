package app

import (
	"context"
	"fmt"
	"slices"

	"lingong/contracts"
	"lingong/domain"
)

// Incidents (出险登记, issue 22 item 4). Staff of the station that issued the contract record an accident
// and move its claim forward; admins everywhere. The employer of the job reads the incidents of its own
// jobs, without the worker's ID number. The evidence pack is for the staff and the admin only, and every
// read of it is audited. Anyone else gets not_found, as for an incident that does not exist.

// IncidentStore is what incidents need from the database.
type IncidentStore interface {
	RecordIncident(ctx context.Context, ct domain.Contract, in domain.IncidentInput, today domain.Date, by domain.Principal, ip string) (domain.Incident, error)
	MoveIncident(ctx context.Context, id int64, check func(domain.Incident) (domain.IncidentMove, error), by domain.Principal, ip string) (domain.Incident, error)
	Incident(ctx context.Context, id int64) (domain.Incident, error)
	Incidents(ctx context.Context, f domain.IncidentFilter, limit int) ([]domain.Incident, error)
	AuditIncidentPack(ctx context.Context, inc domain.Incident, by domain.Principal, ip string) error
	IncidentFigures(ctx context.Context, stationID int64, district string) (domain.IncidentFigures, error)
}

// incidentListLimit bounds a list: a station records a handful of accidents a year.
const incidentListLimit = 500

// errNoIncidentContract answers a contract that does not exist or is another station's.
var errNoIncidentContract = &domain.Error{Code: domain.CodeNotFound, Field: "contract_id", Message: "找不到这份合约"}

// RecordIncident records an accident on a contract: staff of the contract's station, admins. The
// contract must have been signed (not a draft); the day must lie in its period, no later than today.
func (s *Service) RecordIncident(ctx context.Context, p domain.Principal, in domain.IncidentInput) (domain.Incident, error) {
	if !p.IsStaff() {
		return domain.Incident{}, domain.Forbidden("只有驿站工作人员能登记出险")
	}
	ct, _, err := s.store.ContractByID(ctx, in.ContractID)
	if err != nil {
		if domain.IsCode(err, domain.CodeNotFound) {
			return domain.Incident{}, errNoIncidentContract
		}
		return domain.Incident{}, err
	}
	if !p.CanManageStation(ct.StationID) {
		return domain.Incident{}, errNoIncidentContract // as for a contract that does not exist
	}
	if ct.Status == domain.ContractDraft {
		return domain.Incident{}, domain.Conflict("合约还没有签署生效，不能登记出险")
	}
	today := s.clock.Today()
	if in, err = in.Normalize(today, ct); err != nil {
		return domain.Incident{}, err
	}
	return s.store.RecordIncident(ctx, ct, in, today, p, p.IP)
}

// visibleIncident loads an incident the caller may read: staff of its station and admins in full, the
// job's employer without the ID number; anyone else not_found.
func (s *Service) visibleIncident(ctx context.Context, p domain.Principal, id int64) (domain.Incident, error) {
	inc, err := s.store.Incident(ctx, id)
	if err != nil {
		return domain.Incident{}, err
	}
	switch {
	case p.IsStaff() && p.CanManageStation(inc.StationID):
		return inc, nil
	case p.Kind == domain.AsEmployer && p.ID == inc.EmployerID:
		return inc.ForEmployer(), nil
	}
	return domain.Incident{}, domain.NotFound("出险记录")
}

// Incident returns one incident (see visibleIncident for who may read it).
func (s *Service) Incident(ctx context.Context, p domain.Principal, id int64) (domain.Incident, error) {
	return s.visibleIncident(ctx, p, id)
}

// Incidents lists the incidents the caller may read, newest first: a station's for its staff, every
// station's for admins (or one, stationID), the employer's own.
func (s *Service) Incidents(ctx context.Context, p domain.Principal, stationID int64, status domain.IncidentStatus) ([]domain.Incident, error) {
	if status != "" && !slices.Contains(domain.IncidentStatuses, status) {
		return nil, domain.Invalid("status", "状态只能是 reported、claimed、paid 或 closed")
	}
	f := domain.IncidentFilter{Status: status}
	switch p.Kind {
	case domain.AsAdmin:
		f.StationID = stationID
	case domain.AsStaff:
		if stationID != 0 && stationID != p.StationID {
			return nil, domain.Forbidden("只能查看本站点的出险记录")
		}
		f.StationID = p.StationID
	case domain.AsEmployer:
		f.EmployerID = p.ID
	default:
		return nil, domain.Forbidden("")
	}
	list, err := s.store.Incidents(ctx, f, incidentListLimit)
	if err != nil {
		return nil, err
	}
	if p.Kind == domain.AsEmployer {
		for i := range list {
			list[i] = list[i].ForEmployer()
		}
	}
	return list, nil
}

// MoveIncident moves an incident's claim forward (reported -> claimed -> paid -> closed): staff of
// its station, admins. The check runs on the incident as it stands in the transaction.
func (s *Service) MoveIncident(ctx context.Context, p domain.Principal, id int64, m domain.IncidentMove) (domain.Incident, error) {
	inc, err := s.visibleIncident(ctx, p, id)
	if err != nil {
		return domain.Incident{}, err
	}
	if !p.IsStaff() {
		return domain.Incident{}, domain.Forbidden("只有驿站工作人员能办理理赔进度")
	}
	today := s.clock.Today()
	return s.store.MoveIncident(ctx, inc.ID, func(cur domain.Incident) (domain.IncidentMove, error) { return m.Check(cur, today) }, p, p.IP)
}

// IncidentFigures are the dashboard's incident figures: a station's for its staff, all (or one
// station's) for admins; district "" for every district.
func (s *Service) IncidentFigures(ctx context.Context, p domain.Principal, stationID int64, district string) (domain.IncidentFigures, error) {
	if err := s.checkStationScope(p, stationID); err != nil {
		return domain.IncidentFigures{}, err
	}
	if p.Kind == domain.AsStaff {
		stationID = p.StationID
	}
	return s.store.IncidentFigures(ctx, stationID, district)
}

// IncidentPack assembles the evidence pack of an incident for the insurer and 人社: the contract with
// its terms hash, signatures and ledger, the day's attendance, the roster entry and cover of the day
// and the submissions that carried it. Staff of the incident's station and admins only; the read is
// audited before anything is returned.
func (s *Service) IncidentPack(ctx context.Context, p domain.Principal, id int64) (contracts.IncidentPack, error) {
	inc, err := s.visibleIncident(ctx, p, id)
	if err != nil {
		return contracts.IncidentPack{}, err
	}
	if !p.IsStaff() {
		return contracts.IncidentPack{}, domain.NotFound("出险记录")
	}
	ct, sigs, err := s.store.ContractByID(ctx, inc.ContractID)
	if err != nil {
		return contracts.IncidentPack{}, err
	}
	rec, err := s.contractRecord(p, ct, sigs)
	if err != nil {
		return contracts.IncidentPack{}, err
	}
	doc, err := s.contractDoc(ctx, rec)
	if err != nil {
		return contracts.IncidentPack{}, err
	}
	pack := contracts.IncidentPack{Incident: inc, Contract: doc, PreparedAt: s.clock.Now()}
	if st, err := s.store.StaffByID(ctx, p.ID); err == nil {
		pack.PreparedBy = st.DisplayName
	}
	day := inc.OccurredOn
	att, err := s.store.AttendanceOfContract(ctx, ct.ID, day)
	if err != nil {
		return contracts.IncidentPack{}, err
	}
	for _, ev := range []struct {
		e   *domain.AttendanceEvent
		dst *string
	}{{att.In, &pack.Attendance.In}, {att.Out, &pack.Attendance.Out}} {
		if ev.e != nil {
			*ev.dst = ev.e.Clock() + "（" + ev.e.Source.Label() + "）"
		}
	}
	pack.Attendance.Minutes, pack.Attendance.Flags = att.Minutes(), rosterFlags(att)
	if pack.Roster, err = s.incidentRoster(ctx, rec, day); err != nil {
		return contracts.IncidentPack{}, err
	}
	if err := s.store.AuditIncidentPack(ctx, inc, p, p.IP); err != nil {
		return contracts.IncidentPack{}, err
	}
	return pack, nil
}

// incidentRoster is the roster entry of the contract on day: whether the working days put it on the
// roster, the line (ID masked), the gig's cover that day and the insurer submissions that carried it.
func (s *Service) incidentRoster(ctx context.Context, rec ContractRecord, day domain.Date) (contracts.IncidentRoster, error) {
	ct, t := rec.Contract, rec.Terms
	r := contracts.IncidentRoster{Name: t.Worker.Name, IDMasked: t.Worker.IDMasked, Job: t.Work.Title,
		Place: t.Place.District + t.Place.Town + " " + t.Place.Address}
	days, err := s.workingDaysSource().WorkingOn(ctx, day)
	if err != nil {
		return r, err
	}
	for _, d := range days {
		if d.ContractID == ct.ID {
			r.OnRoster, r.Hours = true, domain.Milli(d.HoursMilli).String()
		}
	}
	cover, err := s.store.JobCover(ctx, ct.JobID)
	if err != nil {
		return r, err
	}
	r.Covered = cover.CoveredOn(day)
	if r.Covered {
		r.Cover = cover.Policy.Label()
	} else {
		r.Cover = cover.UncoveredReason(day)
	}
	batches, err := s.store.RosterBatches(ctx, day)
	if err != nil {
		return r, err
	}
	for _, b := range batches {
		if !slices.Contains(b.ContractIDs, ct.ID) {
			continue
		}
		state := "未送达，等待重发"
		if b.Status == "sent" {
			state = "已送达，回执 " + b.ReceiptRef
		}
		r.Batches = append(r.Batches, fmt.Sprintf("%s（第 %d 批，%s）", b.Key, b.Batch, state))
	}
	return r, nil
}
