package app

import (
	"context"

	"lingong/domain"
)

// Gigs: posting, editing, review, closing, and who may see which.

// JobFields are the fields of a gig its employer sets. Every field is a pointer so that an edit can tell
// "not sent" from "set to zero"; posting requires the ones a gig cannot do without (RequiredJobFields).
// It is never a database row: status, filled, reviews and ids cannot be set through it. The JSON names
// are the API's.
type JobFields struct {
	Title         *string         `json:"title"`
	Description   *string         `json:"description"`
	Skills        *[]string       `json:"skills"`
	RequiredCerts *[]string       `json:"required_certs"`
	Headcount     *int            `json:"headcount"`
	WageFen       *int64          `json:"wage_fen"`
	WageUnit      *string         `json:"wage_unit"`
	PieceUnit     *string         `json:"piece_unit"`
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

// RequiredJobFields are the fields a new gig cannot do without, with their names for people.
var RequiredJobFields = []struct {
	Field, Label string
	Missing      func(f *JobFields) bool
}{
	{"title", "岗位标题", func(f *JobFields) bool { return f.Title == nil }},
	{"headcount", "招聘人数", func(f *JobFields) bool { return f.Headcount == nil }},
	{"wage_fen", "工钱（分）", func(f *JobFields) bool { return f.WageFen == nil }},
	{"wage_unit", "计薪单位", func(f *JobFields) bool { return f.WageUnit == nil }},
	{"settlement", "结算方式", func(f *JobFields) bool { return f.Settlement == nil }},
	{"district", "所在区县", func(f *JobFields) bool { return f.District == nil }},
	{"start_date", "开工日期", func(f *JobFields) bool { return f.StartDate == nil }},
	{"end_date", "结束日期", func(f *JobFields) bool { return f.EndDate == nil }},
}

// Apply copies the fields that were sent onto j. A new district or town without new coordinates drops
// the old coordinates, so that validation takes the new town's.
func (f *JobFields) Apply(j *domain.Job) {
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
		if j.WageUnit != domain.PerPiece && f.PieceUnit == nil {
			j.PieceUnit = "" // only a piece rate counts pieces
		}
	}
	set(&j.PieceUnit, f.PieceUnit)
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

// NewJob is a gig to post. EmployerID is for staff posting on behalf of a walk-in employer; with an API
// key the gig always belongs to the key's employer. StationCode defaults to the employer's home station.
type NewJob struct {
	EmployerID  *int64 `json:"employer_id"`
	StationCode string `json:"station_code"`
	JobFields
}

// rules are the gig rules of today.
func (s *Service) rules() domain.JobRules {
	return domain.JobRules{Wage: s.opts.Wage, Today: s.clock.Today()}
}

// PostJob posts a gig: an employer for itself, or staff for a walk-in employer of their station. The
// gig awaits review and is not in the library yet.
func (s *Service) PostJob(ctx context.Context, p domain.Principal, n NewJob) (domain.Job, error) {
	j, err := s.newJob(ctx, p, &n)
	if err != nil {
		return domain.Job{}, err
	}
	if j, err = s.store.CreateJob(ctx, j, p, p.IP); err != nil {
		return domain.Job{}, err
	}
	s.jobChanged(ctx, j)
	return j, nil
}

// newJob builds and validates the gig a posting describes, for the caller.
func (s *Service) newJob(ctx context.Context, p domain.Principal, n *NewJob) (domain.Job, error) {
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Job{}, domain.Forbidden("")
	}
	for _, r := range RequiredJobFields {
		if r.Missing(&n.JobFields) {
			return domain.Job{}, domain.Invalidf(r.Field, "请填写%s（%s）", r.Label, r.Field)
		}
	}
	var employerID int64
	switch {
	case p.Kind == domain.AsEmployer && n.EmployerID != nil:
		return domain.Job{}, domain.Invalid("employer_id", "使用 API 密钥发布时不要填写 employer_id，岗位自动归属本单位")
	case p.Kind == domain.AsEmployer:
		employerID = p.ID
	case n.EmployerID == nil || *n.EmployerID <= 0:
		return domain.Job{}, domain.Invalid("employer_id", "工作人员代发岗位，请填写用工单位编号 employer_id")
	default:
		employerID = *n.EmployerID
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
	code := n.StationCode
	if code == "" {
		code = emp.StationCode
	}
	st, err := s.StationField(ctx, "station_code", code)
	if err != nil {
		return domain.Job{}, err
	}
	if p.IsStaff() && !p.CanManageStation(st.ID) {
		return domain.Job{}, domain.Forbidden("只能为本站点发布岗位")
	}
	j := domain.Job{EmployerID: emp.ID, EmployerName: emp.Name, StationID: st.ID, StationCode: st.Code}
	n.Apply(&j)
	if err := s.rules().ValidateJob(&j, nil); err != nil {
		return domain.Job{}, err
	}
	return j, nil
}

// Job returns a gig the caller may see: a gig that passed review is public; its employer and the staff
// also see it while it awaits review or after a rejection; to anyone else such a gig does not exist. A
// gig found past its end date expires on the spot.
func (s *Service) Job(ctx context.Context, p domain.Principal, id int64) (domain.Job, error) {
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
	if !domain.CanSeeJob(p, j) {
		return domain.Job{}, domain.NotFound("零工岗位")
	}
	return j, nil
}

// ManagedJob is Job for changes: the caller must also be the gig's employer, staff of its station or an
// admin (another employer gets not_found, staff of another station forbidden).
func (s *Service) ManagedJob(ctx context.Context, p domain.Principal, id int64) (domain.Job, error) {
	j, err := s.Job(ctx, p, id)
	if err != nil {
		return domain.Job{}, err
	}
	if err := domain.CanManageJob(p, j); err != nil {
		return domain.Job{}, err
	}
	return j, nil
}

// EditJob changes some fields of a gig (its employer or the station's staff). The gig goes back to
// review, so an approved gig leaves the library until it is approved again.
func (s *Service) EditJob(ctx context.Context, p domain.Principal, id int64, f JobFields) (domain.Job, error) {
	j, err := s.ManagedJob(ctx, p, id)
	if err != nil {
		return domain.Job{}, err
	}
	rules := s.rules()
	_, after, err := s.store.UpdateJob(ctx, j.ID, p, p.IP, func(cur *domain.Job) error {
		prev := *cur
		f.Apply(cur)
		return rules.ValidateJob(cur, &prev)
	})
	if err != nil {
		return domain.Job{}, err
	}
	s.jobChanged(ctx, after)
	return after, nil
}

// Review is a staff decision on a gig awaiting review.
type Review struct {
	Decision string // approve | reject
	Reason   string // required to reject; the employer reads it
	// CoverChecked: the reviewer compared the own policy's scan with its figures (issue 22).
	CoverChecked bool
	// CoverScanSHA256: the SHA-256 of the scan the reviewer looked at (the console always sends it).
	CoverScanSHA256 string
	// CoverExemption: the reviewer's reason to approve without accident cover (audited, counted).
	CoverExemption string
}

// ReviewJob approves a gig into the library or rejects it with a reason: staff of the gig's station or
// an admin. An approval pushes the gig to its best workers after the commit (精准推送), whichever surface
// approved it.
func (s *Service) ReviewJob(ctx context.Context, p domain.Principal, id int64, r Review) (domain.Job, error) {
	if !p.IsStaff() {
		return domain.Job{}, domain.Forbidden("")
	}
	reason, err := domain.CleanText("reason", r.Reason, 200)
	if err != nil {
		return domain.Job{}, err
	}
	var approve bool
	switch r.Decision {
	case "approve":
		approve = true
	case "reject":
		if len([]rune(reason)) < 2 {
			return domain.Job{}, domain.Invalid("reason", "驳回时请写明原因，用工方会看到，例如“工钱低于最低标准”")
		}
	default:
		return domain.Job{}, domain.Invalid("decision", "审核结果应为 approve（通过）或 reject（驳回）")
	}
	j, err := s.Job(ctx, p, id)
	if err != nil {
		return domain.Job{}, err
	}
	if !p.CanManageStation(j.StationID) {
		return domain.Job{}, domain.Forbidden("只能审核本站点的岗位")
	}
	exemption, err := domain.CleanText("cover_exemption", r.CoverExemption, 200)
	if err != nil {
		return domain.Job{}, err
	}
	cr := domain.CoverReview{Checked: r.CoverChecked, ScanSHA256: r.CoverScanSHA256, Exemption: exemption}
	if !approve {
		cr = domain.CoverReview{}
	}
	if j, err = s.store.ReviewJobCovered(ctx, j.ID, approve, reason, cr, p, p.IP); err != nil {
		return domain.Job{}, err
	}
	s.jobChanged(ctx, j)
	if approve && j.Status == domain.JobOpen {
		s.jobApproved(ctx, j) // in the background: it never delays or fails the approval
	}
	return j, nil
}

// CloseJob stops a gig (its employer or the station's staff); it leaves the library at once.
func (s *Service) CloseJob(ctx context.Context, p domain.Principal, id int64, rawReason string) (domain.Job, error) {
	reason, err := domain.CleanText("reason", rawReason, 200)
	if err != nil {
		return domain.Job{}, err
	}
	j, err := s.ManagedJob(ctx, p, id)
	if err != nil {
		return domain.Job{}, err
	}
	if j, err = s.store.CloseJob(ctx, j.ID, reason, p, p.IP); err != nil {
		return domain.Job{}, err
	}
	s.jobChanged(ctx, j)
	return j, nil
}

// Jobs lists gigs in every state, newest first: an employer's own (f.EmployerID is set to the caller),
// or a station's for its staff (an admin: any station, or all with StationID 0).
func (s *Service) Jobs(ctx context.Context, p domain.Principal, f domain.JobFilter) ([]domain.Job, int, error) {
	switch {
	case p.Kind == domain.AsEmployer:
		f.EmployerID, f.StationID = p.ID, 0
	case p.Kind == domain.AsAdmin:
	case p.Kind == domain.AsStaff:
		if f.StationID != p.StationID {
			return nil, 0, domain.Forbidden("只能查看本站点的岗位")
		}
	default:
		return nil, 0, domain.Forbidden("")
	}
	return s.store.Jobs(ctx, f)
}
