package app

import (
	"context"

	"lingong/contracts"
	"lingong/domain"
)

// Applications: a worker applies, staff apply for a walk-in; the gig's employer or staff accept
// (drafting the contract) or decline; the worker withdraws. An employer's invitation is an offer
// (app/offers.go) that only the worker accepts.

// Applied is an application and whether this call made it (false: the worker had applied already).
type Applied struct {
	Application domain.Application `json:"application"`
	Created     bool               `json:"created"`
}

// Apply puts a worker on a gig. A worker applies for themself (workerID 0 or their own id; origin
// applied); station staff apply on a walk-in's behalf (staff). The gig's employer naming a worker
// makes an offer (Invite). Applying twice answers the existing application with Created false.
func (s *Service) Apply(ctx context.Context, p domain.Principal, jobID, workerID int64) (Applied, error) {
	origin := domain.OriginApplied
	switch p.Kind {
	case domain.AsWorker:
		if workerID != 0 && workerID != p.ID {
			return Applied{}, domain.Invalid("worker_id", "零工只能为自己报名")
		}
		workerID = p.ID
	case domain.AsEmployer:
		return s.Invite(ctx, p, jobID, workerID)
	case domain.AsStaff, domain.AsAdmin:
		if workerID <= 0 {
			return Applied{}, domain.Invalid("worker_id", "请指定要报名的零工")
		}
		origin = domain.OriginStaff
	default:
		return Applied{}, domain.Unauthorized("")
	}
	app, created, err := s.store.Apply(ctx, jobID, workerID, origin, p, p.IP)
	if err != nil {
		return Applied{}, err
	}
	return Applied{Application: app, Created: created}, nil
}

// Application returns an application and its gig to someone who may act on the gig.
func (s *Service) Application(ctx context.Context, p domain.Principal, id int64) (domain.Application, domain.Job, error) {
	app, err := s.store.ApplicationByID(ctx, id)
	if err != nil {
		return app, domain.Job{}, err
	}
	j, err := s.store.JobByID(ctx, app.JobID)
	if err != nil {
		return app, j, err
	}
	if err := domain.CanManageJob(p, j); err != nil {
		return app, j, err
	}
	return app, j, nil
}

// ApplicationsForJob lists a gig's applications for its employer and the staff of its station. An
// employer sees an applicant's family name only, and the phone masked, until acceptance makes them
// parties to a contract, whose terms name both with their phones.
func (s *Service) ApplicationsForJob(ctx context.Context, p domain.Principal, jobID int64) ([]domain.ApplicationView, error) {
	j, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if err := domain.CanManageJob(p, j); err != nil {
		return nil, err
	}
	list, err := s.store.ApplicationsForJob(ctx, jobID)
	if err != nil {
		return nil, err
	}
	for i, v := range list {
		list[i] = applicationSeenBy(v, p)
	}
	return list, nil
}

// applicationSeenBy is one line of an application list as its viewer may see it (ApplicationsForJob).
func applicationSeenBy(v domain.ApplicationView, viewer domain.Principal) domain.ApplicationView {
	if viewer.Kind != domain.AsEmployer {
		return v
	}
	if v.ContractID == 0 || v.ContractStatus == domain.ContractTerminated {
		v.WorkerName = domain.MaskName(v.WorkerName)
		v.WorkerPhone = domain.MaskPhone(v.WorkerPhone)
	}
	return v
}

// ApplicationsOfWorker lists a worker's applications: the worker themself, or the staff of their
// station.
func (s *Service) ApplicationsOfWorker(ctx context.Context, p domain.Principal, workerID int64) ([]domain.ApplicationView, error) {
	if p.Kind != domain.AsWorker || p.ID != workerID {
		if _, err := s.Worker(ctx, p, workerID); err != nil {
			return nil, err
		}
	}
	return s.store.ApplicationsForWorker(ctx, workerID)
}

// Accept accepts an application for the gig's employer (or its station's staff, for an employer who
// came in or called): a place is taken and the contract drafted with its frozen terms, and the worker is
// told by SMS. Conflict when the gig is full, the worker is busy elsewhere then, or the application was
// decided already.
func (s *Service) Accept(ctx context.Context, p domain.Principal, applicationID int64) (domain.Contract, error) {
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Contract{}, domain.Forbidden("")
	}
	ct, err := s.store.AcceptApplication(ctx, applicationID, p, p.IP, s.buildTerms)
	if err != nil {
		return domain.Contract{}, err
	}
	s.jobIDChanged(ctx, ct.JobID)
	s.textWorker(ctx, ct.WorkerID, domain.SMS{Kind: domain.SMSAccepted, Subject: ct.ID, Params: map[string]string{"number": ct.Number}})
	return ct, nil
}

// Decline declines an application (the gig's employer or its station's staff).
func (s *Service) Decline(ctx context.Context, p domain.Principal, applicationID int64) (domain.Application, error) {
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Application{}, domain.Forbidden("")
	}
	return s.store.DeclineApplication(ctx, applicationID, p, p.IP)
}

// Withdraw is the worker stepping back from their own application before signing; a place it held is
// freed.
func (s *Service) Withdraw(ctx context.Context, p domain.Principal, applicationID int64) (domain.Application, error) {
	if p.Kind != domain.AsWorker {
		return domain.Application{}, domain.Forbidden("")
	}
	app, err := s.store.WithdrawApplication(ctx, applicationID, p, p.IP)
	if err != nil {
		return domain.Application{}, err
	}
	s.jobIDChanged(ctx, app.JobID)
	return app, nil
}

// BuildTerms freezes a contract's terms with the contracts package's template and the default
// attendance rules: the store hands it the parties inside the accepting (or amending) transaction.
func BuildTerms(p domain.ContractParties) ([]byte, string, error) {
	return buildTermsWith(p, domain.DefaultAttendanceRules)
}

// buildTerms is BuildTerms with the configured notice window and no-show grace, which the terms state.
func (s *Service) buildTerms(p domain.ContractParties) ([]byte, string, error) {
	return buildTermsWith(p, s.attendanceRules())
}

func buildTermsWith(p domain.ContractParties, r domain.AttendanceRules) ([]byte, string, error) {
	t, err := contracts.BuildTerms(contracts.TermsInput{Number: p.Number, Version: p.Version, PreviousNumber: p.PreviousNumber,
		IssuedAt: p.IssuedAt, Job: p.Job, Worker: p.Worker, Employer: p.Employer, Station: p.Station,
		EmployerIDMasked: p.EmployerIDMasked, WorkerIDMasked: p.WorkerIDMasked, CancelNotice: r.CancelNotice, NoShowGrace: r.NoShowGrace})
	if err != nil {
		return nil, "", err
	}
	return t.Freeze()
}
