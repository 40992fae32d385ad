package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// applicationStore is what applying, inviting, accepting and declining need.
type applicationStore interface {
	Apply(ctx context.Context, jobID, workerID int64, origin domain.ApplicationOrigin, actor domain.Principal, ip string) (domain.Application, bool, error)
	AcceptApplication(ctx context.Context, appID int64, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error)
	DeclineApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error)
	WithdrawApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error)
	ApplicationByID(ctx context.Context, id int64) (domain.Application, error)
	ApplicationsForWorker(ctx context.Context, workerID int64) ([]domain.ApplicationView, error)
	ApplicationsForJob(ctx context.Context, jobID int64) ([]domain.ApplicationView, error)
	JobByID(ctx context.Context, id int64) (domain.Job, error)
}

// buildTerms freezes a contract's terms with the contracts package's template: the store hands it the
// parties inside the accepting transaction.
func buildTerms(p domain.ContractParties) ([]byte, string, error) {
	t, err := contracts.BuildTerms(contracts.TermsInput{Number: p.Number, Version: p.Version, PreviousNumber: p.PreviousNumber,
		IssuedAt: p.IssuedAt, Job: p.Job, Worker: p.Worker, Employer: p.Employer, Station: p.Station,
		EmployerIDMasked: p.EmployerIDMasked, WorkerIDMasked: p.WorkerIDMasked})
	if err != nil {
		return nil, "", err
	}
	return t.Freeze()
}

// applyRequest is the body of POST /api/v1/jobs/{id}/applications: empty for a worker applying for
// themself; worker_id for an employer inviting, or staff applying on a walk-in's behalf.
type applyRequest struct {
	WorkerID int64 `json:"worker_id"`
}

// applyToJob is POST /api/v1/jobs/{id}/applications. A worker applies (origin applied); the gig's
// employer invites (invited); station staff apply for a worker at the desk (staff). Applying twice
// answers the existing application with 200 instead of 201.
func (s *Server) applyToJob(c *gin.Context) {
	jobID, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req applyRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	p := principal(c)
	origin := domain.OriginApplied
	workerID := p.ID
	switch p.Kind {
	case domain.AsWorker:
		if req.WorkerID != 0 && req.WorkerID != p.ID {
			s.fail(c, domain.Invalid("worker_id", "零工只能为自己报名"))
			return
		}
	case domain.AsEmployer, domain.AsStaff, domain.AsAdmin:
		if req.WorkerID <= 0 {
			s.fail(c, domain.Invalid("worker_id", "请指定要邀请的零工"))
			return
		}
		workerID, origin = req.WorkerID, domain.OriginInvited
		if p.IsStaff() {
			origin = domain.OriginStaff
		}
	}
	app, created, err := s.store.Apply(c.Request.Context(), jobID, workerID, origin, p, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, gin.H{"application": app, "created": created})
}

// applicationView is one line of an application list as its viewer may see it. The worker and station
// staff see everything. An employer sees an applicant's family name only, and the phone masked, until
// acceptance makes them parties to a contract, whose terms name both with their phones.
func applicationView(v domain.ApplicationView, viewer domain.Principal) domain.ApplicationView {
	if viewer.Kind != domain.AsEmployer {
		return v
	}
	if v.ContractID == 0 || v.ContractStatus == domain.ContractTerminated {
		v.WorkerName = domain.MaskName(v.WorkerName)
		v.WorkerPhone = domain.MaskPhone(v.WorkerPhone)
	}
	return v
}

// jobApplications is GET /api/v1/jobs/{id}/applications: the gig's applications, for its employer and
// the staff of its station (others: not found / forbidden).
func (s *Server) jobApplications(c *gin.Context) {
	jobID, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	if err := canManageJob(p, job); err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.store.ApplicationsForJob(ctx, jobID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i, v := range list {
		list[i] = applicationView(v, p)
	}
	c.JSON(http.StatusOK, listResponse[domain.ApplicationView]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// canManageJob lets a gig's employer and its station's staff (and admins) act on it; another employer
// gets not_found, staff of another station forbidden.
func canManageJob(p domain.Principal, job domain.Job) error {
	switch {
	case p.Kind == domain.AsEmployer && p.ID == job.EmployerID:
		return nil
	case p.Kind == domain.AsEmployer:
		return domain.NotFound("零工岗位")
	case p.IsStaff() && p.CanManageStation(job.StationID):
		return nil
	case p.IsStaff():
		return domain.Forbidden("只能处理本站点的零工岗位")
	}
	return domain.NotFound("零工岗位")
}

// myApplications is GET /api/v1/workers/me/applications.
func (s *Server) myApplications(c *gin.Context) {
	list, err := s.store.ApplicationsForWorker(c.Request.Context(), principal(c).ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.ApplicationView]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// acceptApplication is POST /api/v1/applications/{id}/accept: 201 with the draft contract; 409 when
// the gig is full, the worker is busy elsewhere then, or the application was already decided.
func (s *Server) acceptApplication(c *gin.Context) {
	appID, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	contract, err := s.store.AcceptApplication(ctx, appID, principal(c), c.ClientIP(), buildTerms)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.refreshJob(ctx, contract.JobID)
	s.notifyWorkerBySMS(ctx, contract.WorkerID, fmt.Sprintf("【中卫零工】您已被录用，电子合约 %s 待您确认。请在手机上打开“我的零工卡”确认，或带零工卡到零工驿站办理。", contract.Number))
	c.JSON(http.StatusCreated, gin.H{"contract": contract})
}

// declineApplication is POST /api/v1/applications/{id}/decline.
func (s *Server) declineApplication(c *gin.Context) {
	appID, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.store.DeclineApplication(c.Request.Context(), appID, principal(c), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"application": app})
}

// withdrawApplication is POST /api/v1/applications/{id}/withdraw: the worker steps back before signing.
func (s *Server) withdrawApplication(c *gin.Context) {
	appID, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.store.WithdrawApplication(c.Request.Context(), appID, principal(c), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.refreshJob(c.Request.Context(), app.JobID)
	c.JSON(http.StatusOK, gin.H{"application": app})
}

// refreshJob re-reads a gig whose places just changed (an acceptance fills one, a withdrawal frees
// one) and hands it to jobChanged, so a full gig leaves the library at once and a freed place returns.
func (s *Server) refreshJob(ctx context.Context, jobID int64) {
	j, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		s.log.WarnContext(ctx, "could not refresh a gig in the library", "job_id", jobID, "err", err)
		return
	}
	s.jobChanged(j)
}

// notifyWorkerBySMS texts a worker about a step that needs them (acceptance, a weigh ticket). A failed
// send is logged, not fatal: the step is done and is in the worker's inbox too.
func (s *Server) notifyWorkerBySMS(ctx context.Context, workerID int64, body string) {
	w, err := s.store.WorkerByID(ctx, workerID)
	if err == nil {
		err = s.sms.Send(ctx, w.Phone, body, "notice")
	}
	if err != nil {
		s.log.WarnContext(ctx, "could not text the worker", "worker_id", workerID, "err", err)
	}
}
