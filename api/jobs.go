package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// jobStore is what posting, reading, editing, reviewing and closing gigs needs.
type jobStore interface {
	idempotencyStore
	CreateJob(ctx context.Context, j domain.Job, by domain.Principal, ip string) (domain.Job, error)
	JobByID(ctx context.Context, id int64) (domain.Job, error)
	UpdateJob(ctx context.Context, id int64, by domain.Principal, ip string, edit func(j *domain.Job) error) (before, after domain.Job, err error)
	ReviewJob(ctx context.Context, id int64, approve bool, reason string, by domain.Principal, ip string) (domain.Job, error)
	CloseJob(ctx context.Context, id int64, reason string, by domain.Principal, ip string) (domain.Job, error)
	ExpireJobs(ctx context.Context, today domain.Date) ([]int64, error)
	Jobs(ctx context.Context, f domain.JobFilter) ([]domain.Job, int, error)
	OpenJobs(ctx context.Context) ([]domain.Job, error)
}

// jobFields are the fields of a gig its employer sets, as JSON. Every field is a pointer so that PATCH
// can tell "not sent" from "set to zero"; POST requires the ones a gig cannot do without. The struct is
// never a database row: status, filled, reviews and ids cannot be sent (the strict decoder refuses
// unknown fields with 400).
type jobFields struct {
	Title         *string         `json:"title"`
	Description   *string         `json:"description"`
	Skills        *[]string       `json:"skills"`
	RequiredCerts *[]string       `json:"required_certs"`
	Headcount     *int            `json:"headcount"`
	WageFen       *int64          `json:"wage_fen"`
	WageUnit      *string         `json:"wage_unit"`
	ExpectedHours *float64        `json:"expected_hours"`
	Settlement    *string         `json:"settlement"`
	District      *string         `json:"district"`
	Town          *string         `json:"town"`
	Address       *string         `json:"address"`
	Lat           *float64        `json:"lat"`
	Lng           *float64        `json:"lng"`
	StartDate     *string         `json:"start_date"`
	EndDate       *string         `json:"end_date"`
	DailyHours    *float64        `json:"daily_hours"`
	Shifts        *[]domain.Shift `json:"shifts"`
	Contact       *string         `json:"contact"`
	OnsiteFirst   *bool           `json:"onsite_first"`
}

// jobCreateRequest is the body of POST /api/v1/jobs. employer_id is for staff posting on behalf of a
// walk-in employer; with an API key the gig always belongs to the key's employer. station_code defaults
// to the employer's home station.
type jobCreateRequest struct {
	EmployerID  *int64 `json:"employer_id"`
	StationCode string `json:"station_code"`
	jobFields
}

// requiredJobFields are the fields POST /api/v1/jobs cannot do without, with their names for people.
var requiredJobFields = []struct {
	field, label string
	missing      func(f *jobFields) bool
}{
	{"title", "岗位标题", func(f *jobFields) bool { return f.Title == nil }},
	{"headcount", "招聘人数", func(f *jobFields) bool { return f.Headcount == nil }},
	{"wage_fen", "工钱（分）", func(f *jobFields) bool { return f.WageFen == nil }},
	{"wage_unit", "计薪单位", func(f *jobFields) bool { return f.WageUnit == nil }},
	{"settlement", "结算方式", func(f *jobFields) bool { return f.Settlement == nil }},
	{"district", "所在区县", func(f *jobFields) bool { return f.District == nil }},
	{"start_date", "开工日期", func(f *jobFields) bool { return f.StartDate == nil }},
	{"end_date", "结束日期", func(f *jobFields) bool { return f.EndDate == nil }},
}

// apply copies the fields that were sent onto j. A new district or town without new coordinates drops
// the old coordinates, so that validation takes the new town's.
func (f *jobFields) apply(j *domain.Job) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&j.Title, f.Title)
	set(&j.Description, f.Description)
	set(&j.Address, f.Address)
	set(&j.Contact, f.Contact)
	if f.Skills != nil {
		j.Skills = *f.Skills
	}
	if f.RequiredCerts != nil {
		j.RequiredCerts = *f.RequiredCerts
	}
	if f.Headcount != nil {
		j.Headcount = *f.Headcount
	}
	if f.WageFen != nil {
		j.WageFen = *f.WageFen
	}
	if f.WageUnit != nil {
		j.WageUnit = domain.WageUnit(*f.WageUnit)
	}
	if f.ExpectedHours != nil {
		j.ExpectedHours = *f.ExpectedHours
	}
	if f.Settlement != nil {
		j.Settlement = domain.Settlement(*f.Settlement)
	}
	if (f.District != nil && *f.District != j.District) || (f.Town != nil && *f.Town != j.Town) {
		j.Lat, j.Lng = 0, 0
	}
	set(&j.District, f.District)
	set(&j.Town, f.Town)
	if f.Lat != nil {
		j.Lat = *f.Lat
	}
	if f.Lng != nil {
		j.Lng = *f.Lng
	}
	if f.StartDate != nil {
		j.StartDate = domain.Date(*f.StartDate)
	}
	if f.EndDate != nil {
		j.EndDate = domain.Date(*f.EndDate)
	}
	if f.Shifts != nil {
		j.Shifts = *f.Shifts
		if f.DailyHours == nil {
			j.DailyHours = 0 // derived from the new shifts
		}
	}
	if f.DailyHours != nil {
		j.DailyHours = *f.DailyHours
		if f.Shifts == nil {
			j.Shifts = nil // the old shifts no longer describe the day
		}
	}
	if f.OnsiteFirst != nil {
		j.OnsiteFirst = *f.OnsiteFirst
	}
}

// jobView is a gig as the API shows it: the gig, plus the labels a client would otherwise compute.
type jobView struct {
	domain.Job
	StatusLabel   string `json:"status_label"`
	WageLabel     string `json:"wage_label"`
	HourlyWageFen int64  `json:"hourly_wage_fen"`
	Remaining     int    `json:"remaining"`
}

// viewJob renders a gig for the caller. Anyone but its employer and the staff sees the contact line
// with phone numbers masked, and not who reviewed it.
func viewJob(j domain.Job, p domain.Principal) jobView {
	if !ownsOrStaffs(p, j) {
		j.Contact = domain.MaskPhonesIn(j.Contact)
		j.ReviewedBy = 0
	}
	return jobView{Job: j, StatusLabel: j.Status.Label(), WageLabel: domain.FormatWage(j.WageFen, j.WageUnit),
		HourlyWageFen: j.HourlyWageFen(), Remaining: j.Remaining()}
}

// ownsOrStaffs reports whether p is the gig's employer or a console user.
func ownsOrStaffs(p domain.Principal, j domain.Job) bool {
	return (p.Kind == domain.AsEmployer && p.ID == j.EmployerID) || p.IsStaff()
}

// canSeeJob: a gig that passed review is public; one awaiting review or rejected is seen by its employer
// and the staff only.
func canSeeJob(p domain.Principal, j domain.Job) bool {
	return j.PubliclyVisible() || ownsOrStaffs(p, j)
}

// rules are the gig rules of today.
func (s *Server) rules() domain.JobRules {
	return domain.JobRules{MinHourlyWageFen: s.opts.MinHourlyWageFen, Today: s.clock.Today()}
}

// createJob is POST /api/v1/jobs: an employer (API key) posts a gig, or staff post one for a walk-in
// employer (employer_id). The gig awaits review and is not in the library yet. Honours Idempotency-Key.
func (s *Server) createJob(c *gin.Context) {
	body, err := readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req jobCreateRequest
	if err := decodeJSONBytes(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	var job domain.Job
	ran := s.respondIdempotent(c, body, func(ctx context.Context) (int, any, error) {
		// Everything that can fail runs in here, after the key check: a retry of a request that
		// succeeded gets its first answer even if today's rules would now refuse it.
		j, err := s.newJob(ctx, p, &req)
		if err != nil {
			return 0, nil, err
		}
		job, err = s.store.CreateJob(ctx, j, p, c.ClientIP())
		if err != nil {
			return 0, nil, err
		}
		return created, viewJob(job, p), nil
	})
	if ran {
		s.jobChanged(job)
	}
}

// newJob builds and validates the gig a create request describes, for the caller.
func (s *Server) newJob(ctx context.Context, p domain.Principal, req *jobCreateRequest) (domain.Job, error) {
	for _, r := range requiredJobFields {
		if r.missing(&req.jobFields) {
			return domain.Job{}, domain.Invalidf(r.field, "请填写%s（%s）", r.label, r.field)
		}
	}
	var employerID int64
	switch {
	case p.Kind == domain.AsEmployer && req.EmployerID != nil:
		return domain.Job{}, domain.Invalid("employer_id", "使用 API 密钥发布时不要填写 employer_id，岗位自动归属本单位")
	case p.Kind == domain.AsEmployer:
		employerID = p.ID
	case req.EmployerID == nil || *req.EmployerID <= 0:
		return domain.Job{}, domain.Invalid("employer_id", "工作人员代发岗位，请填写用工单位编号 employer_id")
	default:
		employerID = *req.EmployerID
	}
	emp, err := s.store.EmployerByID(ctx, employerID)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Job{}, domain.Invalid("employer_id", "没有这个用工单位")
	}
	if err != nil {
		return domain.Job{}, err
	}
	if emp.Status != domain.EmployerActive {
		return domain.Job{}, domain.Conflict("该用工单位已停用，不能发布岗位")
	}
	code := req.StationCode
	if code == "" {
		code = emp.StationCode
	}
	st, err := s.stationField(ctx, "station_code", code)
	if err != nil {
		return domain.Job{}, err
	}
	if p.IsStaff() && !p.CanManageStation(st.ID) {
		return domain.Job{}, domain.Forbidden("只能为本站点发布岗位")
	}
	j := domain.Job{EmployerID: emp.ID, EmployerName: emp.Name, StationID: st.ID, StationCode: st.Code}
	req.apply(&j)
	if err := s.rules().ValidateJob(&j, nil); err != nil {
		return domain.Job{}, err
	}
	return j, nil
}

// getJob is GET /api/v1/jobs/{id}. A gig that passed review is public; its employer and the staff also
// see it while it awaits review or after a rejection (with the reason); to anyone else such a gig does
// not exist (404). A gig found past its end date expires on the spot.
func (s *Server) getJob(c *gin.Context) {
	j, err := s.visibleJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewJob(j, principal(c)))
}

// visibleJob loads the gig of the {id} route if the caller may see it (not_found otherwise), expiring it
// first when its end date has passed and the sweep has not got to it yet.
func (s *Server) visibleJob(c *gin.Context) (domain.Job, error) {
	id, err := pathID(c, "id", "零工岗位")
	if err != nil {
		return domain.Job{}, err
	}
	ctx := c.Request.Context()
	j, err := s.store.JobByID(ctx, id)
	if err != nil {
		return domain.Job{}, err
	}
	if (j.Status == domain.JobOpen || j.Status == domain.JobPendingReview) && j.EndDate < s.clock.Today() {
		if err := s.ExpireJobs(ctx); err != nil {
			return domain.Job{}, err
		}
		if j, err = s.store.JobByID(ctx, id); err != nil {
			return domain.Job{}, err
		}
	}
	if !canSeeJob(principal(c), j) {
		return domain.Job{}, domain.NotFound("零工岗位")
	}
	return j, nil
}

// managedJob is visibleJob for changes: the caller must also be the gig's employer, staff of its station
// or an admin (canManageJob: another employer gets not_found, staff of another station forbidden).
func (s *Server) managedJob(c *gin.Context) (domain.Job, error) {
	j, err := s.visibleJob(c)
	if err != nil {
		return domain.Job{}, err
	}
	if err := canManageJob(principal(c), j); err != nil {
		return domain.Job{}, err
	}
	return j, nil
}

// updateJob is PATCH /api/v1/jobs/{id}: the employer (or the station's staff) changes some fields. The
// gig goes back to review, so an approved gig leaves the library until it is approved again.
func (s *Server) updateJob(c *gin.Context) {
	var req jobFields
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.managedJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	rules := s.rules()
	_, after, err := s.store.UpdateJob(c.Request.Context(), j.ID, p, c.ClientIP(), func(cur *domain.Job) error {
		prev := *cur
		req.apply(cur)
		return rules.ValidateJob(cur, &prev)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.jobChanged(after)
	c.JSON(http.StatusOK, viewJob(after, p))
}

// reviewRequest is the body of POST /api/v1/jobs/{id}/review.
type reviewRequest struct {
	Decision string `json:"decision"` // approve | reject
	Reason   string `json:"reason"`   // required to reject; the employer reads it
}

// reviewJob is POST /api/v1/jobs/{id}/review: staff of the gig's station (or an admin) approve it into
// the library or reject it with a reason. Staff of another station are forbidden. An approval pushes the
// gig to its best workers after the commit (gigApproved).
func (s *Server) reviewJob(c *gin.Context) {
	var req reviewRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	reason, err := domain.CleanText("reason", req.Reason, 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	var approve bool
	switch req.Decision {
	case "approve":
		approve = true
	case "reject":
		if len([]rune(reason)) < 2 {
			s.fail(c, domain.Invalid("reason", "驳回时请写明原因，用工方会看到，例如“工钱低于最低标准”"))
			return
		}
	default:
		s.fail(c, domain.Invalid("decision", "审核结果应为 approve（通过）或 reject（驳回）"))
		return
	}
	j, err := s.visibleJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	if !p.CanManageStation(j.StationID) {
		s.fail(c, domain.Forbidden("只能审核本站点的岗位"))
		return
	}
	j, err = s.store.ReviewJob(c.Request.Context(), j.ID, approve, reason, p, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.jobChanged(j)
	if approve && j.Status == domain.JobOpen {
		s.gigApproved(j) // 精准推送, in the background: it never delays or fails the approval
	}
	c.JSON(http.StatusOK, viewJob(j, p))
}

// closeRequest is the optional body of POST /api/v1/jobs/{id}/close.
type closeRequest struct {
	Reason string `json:"reason"`
}

// closeJob is POST /api/v1/jobs/{id}/close: the employer (or the station's staff) stops the gig; it
// leaves the library at once.
func (s *Server) closeJob(c *gin.Context) {
	body, err := readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req closeRequest
	if len(body) > 0 {
		if err := decodeJSONBytes(body, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	reason, err := domain.CleanText("reason", req.Reason, 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.managedJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	j, err = s.store.CloseJob(c.Request.Context(), j.ID, reason, p, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.jobChanged(j)
	c.JSON(http.StatusOK, viewJob(j, p))
}

// statusFilter reads the optional status parameter of the gig lists: one status or several separated
// by commas.
func statusFilter(c *gin.Context) ([]domain.JobStatus, error) {
	raw := c.Query("status")
	if raw == "" {
		return nil, nil
	}
	var out []domain.JobStatus
	for _, part := range strings.Split(raw, ",") {
		st := domain.JobStatus(strings.TrimSpace(part))
		if !st.Valid() {
			return nil, domain.Invalid("status", "状态应为 pending_review、open、filled、closed、expired 或 rejected")
		}
		out = append(out, st)
	}
	return out, nil
}

// employerJobs is GET /api/v1/employer/jobs: the calling employer's own gigs in every state, newest
// first, with the review outcome of each.
func (s *Server) employerJobs(c *gin.Context) {
	s.listJobsFiltered(c, domain.JobFilter{EmployerID: principal(c).ID})
}

// stationJobs is GET /api/v1/station/jobs: the gigs of the caller's station (an admin: all stations, or
// the one named by station=CODE), newest first; status=pending_review is the review queue.
func (s *Server) stationJobs(c *gin.Context) {
	p := principal(c)
	f := domain.JobFilter{StationID: p.StationID}
	if code := c.Query("station"); code != "" {
		st, err := s.stationField(c.Request.Context(), "station", code)
		if err != nil {
			s.fail(c, err)
			return
		}
		if !p.CanManageStation(st.ID) {
			s.fail(c, domain.Forbidden("只能查看本站点的岗位"))
			return
		}
		f.StationID = st.ID
	}
	s.listJobsFiltered(c, f)
}

func (s *Server) listJobsFiltered(c *gin.Context, f domain.JobFilter) {
	var err error
	if f.Statuses, err = statusFilter(c); err != nil {
		s.fail(c, err)
		return
	}
	if f.Page, f.PerPage, err = pageParams(c); err != nil {
		s.fail(c, err)
		return
	}
	jobs, total, err := s.store.Jobs(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	items := make([]jobView, len(jobs))
	for i, j := range jobs {
		items[i] = viewJob(j, p)
	}
	c.JSON(http.StatusOK, listResponse[jobView]{Items: items, Total: total, Page: f.Page, PerPage: f.PerPage})
}
