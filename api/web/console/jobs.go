package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
	"lingong/app"
	"lingong/domain"
)

// Employers and gigs at the station: register an employer who came in person (its API key shown
// once), post a gig for them, review, see a gig's applications and ranked candidates, invite, accept,
// decline; contracts: print, record a witnessed handwritten signature.

// employersData is the employers page.
type employersData struct {
	Q         string
	Kind      string
	Employers []domain.Employer
	Pager     pager
	Stations  []domain.Station // an admin chooses the employer's station
	Station   domain.Station
	Form      map[string]string
	Errors    map[string]string
	Created   *app.EmployerCreated // just created: the key, shown this once
}

// consoleEmployers is GET /console/employers[?q=&kind=&page=]: the station's employers (an admin:
// all), searchable by name, phone or credit code, with the form to register one.
func (s *Console) consoleEmployers(c *gin.Context) {
	s.renderEmployers(c, http.StatusOK, &employersData{Q: c.Query("q"), Kind: c.Query("kind"), Form: map[string]string{"kind": "company"}, Errors: map[string]string{}})
}

func (s *Console) renderEmployers(c *gin.Context, status int, d *employersData) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	q, err := domain.CleanText("q", d.Q, 40)
	if err != nil {
		d.Errors["q"], q = domain.AsError(err).Message, ""
	}
	_, lp, err := listQuery(c)
	if err != nil {
		lp = domain.ListPage{Page: 1, PerPage: consolePerPage}
	}
	f := domain.EmployerFilter{Q: q, StationID: p.StationID, Limit: lp.Limit(), Offset: lp.Offset()}
	if k := domain.EmployerKind(d.Kind); k == domain.EmployerCompany || k == domain.EmployerIndividual {
		f.Kind = k
	} else {
		d.Kind = ""
	}
	if p.Kind == domain.AsAdmin {
		f.StationID = 0
		if d.Stations, err = s.App.Stations(ctx); err != nil {
			s.Fail(c, err)
			return
		}
	} else if d.Station, err = s.App.StationByID(ctx, p.StationID); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Employers, err = s.App.Employers(ctx, p, f); err != nil {
		s.Fail(c, err)
		return
	}
	total, err := s.App.EmployerCount(ctx, p, f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Pager = newPager(c, lp, total)
	if d.Created != nil {
		// The page that shows a key once must not be kept by the browser or a proxy.
		c.Header("Cache-Control", "no-store")
	}
	s.renderConsole(c, status, "console_employers", "用工方", "employers", d)
}

// consoleCreateEmployer is POST /console/employers: register a company (credit code checked) or an
// individual employer at the staff member's station (an admin chooses). The answer shows the API key
// once; it is never shown again (rotate it from the API to get a new one). Errors appear next to their
// fields and nothing is saved.
func (s *Console) consoleCreateEmployer(c *gin.Context) {
	form := map[string]string{}
	for _, k := range []string{"kind", "name", "credit_code", "contact_name", "contact_phone", "station_code", "verified"} {
		form[k] = strings.TrimSpace(c.PostForm(k))
	}
	d := &employersData{Form: form, Errors: map[string]string{}}
	p := kit.Principal(c)
	if p.Kind == domain.AsStaff {
		if st, err := s.App.StationByID(c.Request.Context(), p.StationID); err == nil {
			form["station_code"] = st.Code // staff register at their own station
		}
	}
	out, err := s.App.CreateEmployer(c.Request.Context(), p, app.NewEmployer{Kind: domain.EmployerKind(form["kind"]),
		Name: form["name"], CreditCode: form["credit_code"], ContactName: form["contact_name"], ContactPhone: form["contact_phone"],
		StationCode: form["station_code"], Verified: form["verified"] != ""})
	if err != nil {
		de := domain.AsError(err)
		if de.Code == domain.CodeInternal || de.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		field := de.Field
		if field == "" {
			field = "form"
		}
		d.Errors[field] = de.Message
		s.renderEmployers(c, kit.Status(err), d)
		return
	}
	d.Created = &out
	d.Form = map[string]string{"kind": "company"}
	s.renderEmployers(c, http.StatusCreated, d)
}

// jobsData is the gigs list.
type jobsData struct {
	Status   string
	Q        string
	Starts   string // "today" or ""
	Statuses []domain.JobStatus
	Jobs     []domain.Job
	Pager    pager
	Station  domain.Station
	Stations []domain.Station
}

// consoleJobs is GET /console/gigs[?status=&q=&starts=today&station=&page=]: the station's gigs (an
// admin: every station or one), newest first, by status (each of the six, or several: closed,expired),
// searched by title, employer, gig number or the end of a contact phone.
func (s *Console) consoleJobs(c *gin.Context) {
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	statuses, err := kit.JobStatuses(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := jobsData{Status: c.Query("status"), Q: q, Station: st, Statuses: []domain.JobStatus{domain.JobPendingReview, domain.JobOpen,
		domain.JobFilled, domain.JobClosed, domain.JobExpired, domain.JobRejected}}
	f := domain.JobFilter{StationID: st.ID, Statuses: statuses, Q: q, Page: lp.Page, PerPage: lp.Limit()}
	if c.Query("starts") == "today" {
		d.Starts, f.StartsOn = "today", s.Today()
	}
	var total int
	if d.Jobs, total, err = s.App.Jobs(ctx, kit.Principal(c), f); err != nil {
		s.Fail(c, err)
		return
	}
	d.Pager = newPager(c, lp, total)
	if d.Stations, err = s.stationChoice(c); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_gigs", "岗位", "gigs", d)
}

// jobForm is the gig form as typed; the same form posts and edits.
type jobForm struct {
	EmployerID, Title, Description, Headcount, Wage, WageUnit, ExpectedHours, Settlement string
	Place, Address, StartDate, EndDate, Shift1Start, Shift1End, Shift2Start, Shift2End   string
	DailyHours, Contact, StationCode, PieceUnit                                          string
	OnsiteFirst                                                                          bool
	Skills, Certs                                                                        map[string]bool
}

// jobFormData is the gig form page.
type jobFormData struct {
	Job       domain.Job // editing: the gig
	Form      jobForm
	Errors    map[string]string
	Employers []domain.Employer
	Stations  []domain.Station
	Choices   *web.FormChoices
	Today     string
}

// jobFormField maps a gig error's JSON field to the form field it is shown next to.
var jobFormField = map[string]string{"wage_fen": "wage", "district": "place", "town": "place", "lat": "place", "lng": "place",
	"station_code": "employer_id"}

func (d *jobFormData) fail(err error) {
	e := domain.AsError(err)
	f := e.Field
	if m, ok := jobFormField[f]; ok {
		f = m
	}
	if f == "" {
		f = "form"
	}
	if _, taken := d.Errors[f]; !taken {
		d.Errors[f] = e.Message
	}
}

// readJobForm reads the form into d.Form and converts it to the API's gig fields; conversion problems
// (numbers, money) go into d.Errors.
func readJobForm(c *gin.Context, d *jobFormData) app.JobFields {
	f := jobForm{EmployerID: c.PostForm("employer_id"), Title: c.PostForm("title"), Description: c.PostForm("description"),
		Headcount: c.PostForm("headcount"), Wage: c.PostForm("wage"), WageUnit: c.PostForm("wage_unit"),
		ExpectedHours: c.PostForm("expected_hours"), Settlement: c.PostForm("settlement"), Place: c.PostForm("place"),
		Address: c.PostForm("address"), StartDate: c.PostForm("start_date"), EndDate: c.PostForm("end_date"),
		Shift1Start: c.PostForm("shift1_start"), Shift1End: c.PostForm("shift1_end"), Shift2Start: c.PostForm("shift2_start"),
		Shift2End: c.PostForm("shift2_end"), DailyHours: c.PostForm("daily_hours"), Contact: c.PostForm("contact"),
		StationCode: c.PostForm("station_code"), PieceUnit: c.PostForm("piece_unit"), OnsiteFirst: c.PostForm("onsite_first") != "",
		Skills: map[string]bool{}, Certs: map[string]bool{}}
	skills, certs := c.PostFormArray("skills"), c.PostFormArray("required_certs")
	for _, k := range skills {
		f.Skills[k] = true
	}
	for _, k := range certs {
		f.Certs[k] = true
	}
	d.Form = f
	district, town, _ := strings.Cut(f.Place, "/")
	start, end := domain.Date(web.LenientDate(f.StartDate)), domain.Date(web.LenientDate(f.EndDate))
	startS, endS := string(start), string(end)
	wageUnit, settlement := f.WageUnit, f.Settlement
	jf := app.JobFields{Title: &f.Title, Description: &f.Description, Skills: &skills, RequiredCerts: &certs,
		WageUnit: &wageUnit, Settlement: &settlement, District: &district, Town: &town, Address: &f.Address,
		StartDate: &startS, EndDate: &endS, Contact: &f.Contact, OnsiteFirst: &f.OnsiteFirst}
	n, err := strconv.Atoi(strings.TrimSpace(domain.FoldWidth(f.Headcount)))
	if err != nil {
		d.fail(domain.Invalid("headcount", "请填写招几个人（1–500）"))
	}
	jf.Headcount = &n
	if strings.TrimSpace(f.Wage) == "" {
		d.fail(domain.Invalid("wage_fen", "请填写工钱（元）"))
	} else if fen, err := domain.ParseYuan("wage_fen", f.Wage); err != nil {
		d.fail(err)
	} else {
		jf.WageFen = &fen
	}
	if jf.WageFen == nil {
		zero := int64(0)
		jf.WageFen = &zero
	}
	pieceUnit := "" // only a piece rate counts pieces; the select keeps its value when another unit is chosen
	if wageUnit == string(domain.PerPiece) {
		pieceUnit = f.PieceUnit
	}
	jf.PieceUnit = &pieceUnit
	if v := strings.TrimSpace(f.ExpectedHours); v != "" && (wageUnit == "piece" || wageUnit == "job") {
		h, err := strconv.ParseFloat(domain.FoldWidth(v), 64)
		if err != nil {
			d.fail(domain.Invalid("expected_hours", "预计工时请填数字，例如 0.1"))
		}
		jf.ExpectedHours = &h
	} else {
		zero := 0.0
		jf.ExpectedHours = &zero
	}
	var shifts []domain.Shift
	for _, sh := range [][2]string{{f.Shift1Start, f.Shift1End}, {f.Shift2Start, f.Shift2End}} {
		if strings.TrimSpace(sh[0]) != "" || strings.TrimSpace(sh[1]) != "" {
			shifts = append(shifts, domain.Shift{Start: strings.TrimSpace(sh[0]), End: strings.TrimSpace(sh[1])})
		}
	}
	jf.Shifts = &shifts
	if v := strings.TrimSpace(f.DailyHours); v != "" && len(shifts) == 0 {
		h, err := strconv.ParseFloat(domain.FoldWidth(v), 64)
		if err != nil {
			d.fail(domain.Invalid("daily_hours", "每天工作几小时请填数字，例如 8"))
		}
		jf.DailyHours = &h
	} else {
		zero := 0.0
		jf.DailyHours = &zero
	}
	return jf
}

// jobFormFrom fills the form from a saved gig (the edit page).
func jobFormFrom(j domain.Job) jobForm {
	f := jobForm{EmployerID: strconv.FormatInt(j.EmployerID, 10), Title: j.Title, Description: j.Description,
		Headcount: strconv.Itoa(j.Headcount), Wage: domain.FormatYuanInput(j.WageFen), WageUnit: string(j.WageUnit),
		Settlement: string(j.Settlement), PieceUnit: j.PieceUnit, Place: j.District + "/" + j.Town, Address: j.Address,
		StartDate: string(j.StartDate), EndDate: string(j.EndDate), Contact: j.Contact, StationCode: j.StationCode,
		OnsiteFirst: j.OnsiteFirst, Skills: map[string]bool{}, Certs: map[string]bool{}}
	if j.ExpectedHours > 0 {
		f.ExpectedHours = strconv.FormatFloat(j.ExpectedHours, 'f', -1, 64)
	}
	if len(j.Shifts) > 0 {
		f.Shift1Start, f.Shift1End = j.Shifts[0].Start, j.Shifts[0].End
		if len(j.Shifts) > 1 {
			f.Shift2Start, f.Shift2End = j.Shifts[1].Start, j.Shifts[1].End
		}
	} else if j.DailyHours > 0 {
		f.DailyHours = strconv.FormatFloat(j.DailyHours, 'f', -1, 64)
	}
	for _, k := range j.Skills {
		f.Skills[k] = true
	}
	for _, k := range j.RequiredCerts {
		f.Certs[k] = true
	}
	return f
}

func (s *Console) newJobFormData() *jobFormData {
	return &jobFormData{Errors: map[string]string{}, Choices: web.Choices, Today: string(s.Today())}
}

func (s *Console) renderJobForm(c *gin.Context, status int, d *jobFormData) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	var err error
	if d.Job.ID == 0 {
		if d.Employers, err = s.App.Employers(ctx, p, domain.EmployerFilter{StationID: p.StationID, Limit: 500}); err != nil {
			s.Fail(c, err)
			return
		}
		if p.Kind == domain.AsAdmin {
			if d.Stations, err = s.App.Stations(ctx); err != nil {
				s.Fail(c, err)
				return
			}
		}
	}
	title := "代发岗位"
	if d.Job.ID != 0 {
		title = "修改岗位"
	}
	s.renderConsole(c, status, "console_gig_form", title, "gigs", d)
}

// consoleNewJob is GET /console/gigs/new[?employer_id=]: the form to post a gig for an employer who
// came in person.
func (s *Console) consoleNewJob(c *gin.Context) {
	d := s.newJobFormData()
	d.Form = jobForm{EmployerID: c.Query("employer_id"), Headcount: "1", WageUnit: "day", Settlement: "daily",
		StartDate: string(s.Today().AddDays(1)), EndDate: string(s.Today().AddDays(1)),
		Shift1Start: "08:00", Shift1End: "12:00", Shift2Start: "14:00", Shift2End: "18:00",
		Skills: map[string]bool{}, Certs: map[string]bool{}}
	s.renderJobForm(c, http.StatusOK, d)
}

// consoleCreateJob is POST /console/gigs: post a gig for an employer of this station (the API's rules:
// minimum wage, dates, hours, no phone numbers in the text). It awaits review like any other gig; the
// staff member can approve it on the next page. Errors appear next to their fields; nothing is saved.
func (s *Console) consoleCreateJob(c *gin.Context) {
	d := s.newJobFormData()
	jf := readJobForm(c, d)
	req := app.NewJob{StationCode: d.Form.StationCode, JobFields: jf}
	if id, err := strconv.ParseInt(d.Form.EmployerID, 10, 64); err == nil && id > 0 {
		req.EmployerID = &id
	} else {
		d.fail(domain.Invalid("employer_id", "请选择用工方（没有的话先在“用工方”页登记）"))
	}
	if len(d.Errors) > 0 {
		s.renderJobForm(c, http.StatusBadRequest, d)
		return
	}
	j, err := s.App.PostJob(c.Request.Context(), kit.Principal(c), req)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		d.fail(err)
		s.renderJobForm(c, kit.Status(err), d)
		return
	}
	s.Flash(c, "ok", fmt.Sprintf("已代发岗位「%s」，待审核。核对无误后请点“通过”。", j.Title))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/gigs/%d", j.ID))
}

// consoleEditJob is GET /console/gigs/{id}/edit: the gig's form, filled.
func (s *Console) consoleEditJob(c *gin.Context) {
	j, err := s.consoleJob(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := s.newJobFormData()
	d.Job, d.Form = j, jobFormFrom(j)
	s.renderJobForm(c, http.StatusOK, d)
}

// consoleUpdateJob is POST /console/gigs/{id}/edit: change a gig (the 现场优先 box included). As with
// the API's PATCH, the changed gig goes back to review.
func (s *Console) consoleUpdateJob(c *gin.Context) {
	j, err := s.consoleJob(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := s.newJobFormData()
	d.Job = j
	jf := readJobForm(c, d)
	if len(d.Errors) > 0 {
		s.renderJobForm(c, http.StatusBadRequest, d)
		return
	}
	_, err = s.App.EditJob(c.Request.Context(), kit.Principal(c), j.ID, jf)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		d.fail(err)
		s.renderJobForm(c, kit.Status(err), d)
		return
	}
	s.Flash(c, "ok", "岗位已修改，需重新审核")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/gigs/%d", j.ID))
}

// jobPageData is a gig's page.
type jobPageData struct {
	Job          domain.Job
	Employer     domain.Employer
	Applications []domain.ApplicationView
	QueuePlace   map[int64]int                  // application id -> the worker's place in today's walk-in queue
	QueueHead    int64                          // the application to decide first (现场优先), 0 when none
	Contracts    map[int64]*domain.ContractLine // worker id -> their newest contract
	Candidates   kit.CandidateList              // masked where the viewer may not see the worker (another station's)
	Applied      map[int64]bool                 // worker id -> has an application
	NoMatcher    bool
	Cover        app.ProtectionStatus // the gig's accident cover (issue 22), with CoverNote's line
	CoverNote    string
	Guarantee    domain.GuaranteeNeed // whether the employer must hold a wage guarantee, and does
}

// consoleJobPage is GET /console/gigs/{id}: the gig with its review buttons, its applications (accept,
// decline; the walk-in queue's order shown and, for 现场优先, enforced), its contracts (print, record a
// witnessed signature) and ranked candidates from the matching index (candidatesFor, as GET
// /api/v1/jobs/{id}/candidates: masked where they belong to another station) with an invite button.
func (s *Console) consoleJobPage(c *gin.Context) {
	j, err := s.consoleJob(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := jobPageData{Job: j, Applied: map[int64]bool{}, Contracts: map[int64]*domain.ContractLine{}}
	p := kit.Principal(c)
	if d.Employer, err = s.App.Employer(ctx, p, j.EmployerID); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Applications, err = s.App.ApplicationsForJob(ctx, p, j.ID); err != nil {
		s.Fail(c, err)
		return
	}
	for _, a := range d.Applications {
		d.Applied[a.WorkerID] = true
	}
	if d.QueuePlace, d.QueueHead, err = s.App.OnsiteQueue(ctx, p, j.ID); err != nil {
		s.Fail(c, err)
		return
	}
	lines, err := s.App.ContractsOfJob(ctx, p, j.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for i, l := range lines {
		if _, seen := d.Contracts[l.WorkerID]; !seen { // newest version per worker
			d.Contracts[l.WorkerID] = &lines[i]
		}
	}
	if d.Cover, err = s.App.JobCoverStatus(ctx, p, j.ID); err != nil {
		s.Fail(c, err)
		return
	}
	d.CoverNote = app.CoverNote(d.Cover)
	if d.Guarantee, err = s.App.GuaranteeNeed(ctx, p, j.ID); err != nil {
		s.Fail(c, err)
		return
	}
	d.NoMatcher = !s.App.HasIndex()
	if j.Status == domain.JobOpen {
		if d.Candidates, err = kit.Candidates(ctx, s.App, p, j.ID, 20); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.renderConsole(c, http.StatusOK, "console_gig", j.Title, "gigs", d)
}

// consoleInvite is POST /console/gigs/{id}/invite (worker_id): staff of the gig's station invite a
// candidate (an offer, as an employer's: the worker answers on their phone or at a station).
func (s *Console) consoleInvite(c *gin.Context) {
	j, err := s.consoleJob(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := fmt.Sprintf("/console/gigs/%d", j.ID)
	workerID, err := strconv.ParseInt(c.PostForm("worker_id"), 10, 64)
	if err != nil || workerID <= 0 {
		s.back(c, page, domain.Invalid("worker_id", "请选择零工"), "")
		return
	}
	res, err := s.App.Invite(c.Request.Context(), kit.Principal(c), j.ID, workerID)
	msg := "已向这位零工发出邀请，零工本人同意后才算录用"
	if err == nil && !res.Created {
		msg = "这位零工已经在报名名单里"
	}
	s.back(c, page, err, msg)
}

// consoleApplication loads the :id application and its gig for staff who may manage the gig.
func (s *Console) consoleApplication(c *gin.Context) (domain.Application, domain.Job, error) {
	id, err := kit.PathID(c, "id", "报名")
	if err != nil {
		return domain.Application{}, domain.Job{}, err
	}
	return s.App.Application(c.Request.Context(), kit.Principal(c), id)
}

// consoleAccept is POST /console/applications/{id}/accept: accept for the employer (who came in or
// called): a place is taken and the contract drafted, as through the API; the fair queue of a 现场优先
// gig is enforced by the store. The answer goes back to the gig's page, where the contract can be
// printed at once.
func (s *Console) consoleAccept(c *gin.Context) {
	a, j, err := s.consoleApplication(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := backTo(c, fmt.Sprintf("/console/gigs/%d", j.ID))
	ct, err := s.App.Accept(c.Request.Context(), kit.Principal(c), a.ID)
	if err != nil {
		s.back(c, page, err, "")
		return
	}
	s.back(c, page, nil, fmt.Sprintf("已录用，合约 %s 已生成，可以打印后请双方签字", ct.Number))
}

// consoleDecline is POST /console/applications/{id}/decline.
func (s *Console) consoleDecline(c *gin.Context) {
	a, j, err := s.consoleApplication(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := backTo(c, fmt.Sprintf("/console/gigs/%d", j.ID))
	_, err = s.App.Decline(c.Request.Context(), kit.Principal(c), a.ID)
	s.back(c, page, err, "已婉拒这次报名")
}

// contractPageData is a contract's page.
type contractPageData struct {
	Contract   domain.Contract
	Signatures map[string]*domain.SignatureEvent // by role: worker, employer
	Witness    map[string]string                 // by role: the witnessing staff member's name
	VerifyPath string                            // the public check with the contract's check code
	WorkerName string
	Employer   string
	JobTitle   string
	Station    domain.Station
	// Ending is the contract's early ending as printed ("" when none); Today and EarliestLastDay bound
	// the form's last day (the station may go back domain.EndingBackDays).
	Ending                 string
	Today, EarliestLastDay domain.Date
}

// consoleContract is GET /console/contracts/{id}: the contract's parties, status and signatures, with
// print and record-a-handwritten-signature buttons; staff of its station and admins (others 403).
func (s *Console) consoleContract(c *gin.Context) {
	rec, err := s.ContractParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	ct, terms := rec.Contract, rec.Terms
	d := contractPageData{Contract: ct, Signatures: map[string]*domain.SignatureEvent{}, Witness: map[string]string{},
		WorkerName: terms.Worker.Name, Employer: terms.Employer.Name, JobTitle: terms.Work.Title,
		VerifyPath: "/verify/" + ct.Number + "?code=" + s.App.CheckCode(ct.Number)}
	for i, sg := range rec.Signatures {
		d.Signatures[string(sg.Role)] = &rec.Signatures[i]
	}
	for role, name := range s.App.Witnesses(ctx, rec) {
		d.Witness[string(role)] = name
	}
	if d.Station, err = s.App.StationByID(ctx, ct.StationID); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Ending, err = s.App.EndingNote(ctx, ct.ID); err != nil {
		s.Fail(c, err)
		return
	}
	d.Today = domain.DateOf(s.App.Now())
	d.EarliestLastDay = max(d.Today.AddDays(-domain.EndingBackDays), ct.StartDate)
	s.renderConsole(c, http.StatusOK, "console_contract", "合约 "+ct.Number, "gigs", d)
}

// consoleWitness is POST /console/contracts/{id}/witness (role=worker|employer): the party signed the
// printed contract by hand in front of the staff member, who records it (method staff_witnessed, the
// staff member as the credential). Both signatures make the contract active.
func (s *Console) consoleWitness(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := backTo(c, fmt.Sprintf("/console/contracts/%d", id))
	role := domain.SignerRole(c.PostForm("role"))
	rec, err := s.App.Sign(c.Request.Context(), kit.Principal(c), id, app.Signing{Role: role})
	if err != nil {
		if !kit.StaysOnForm(err) {
			s.Fail(c, err)
			return
		}
		s.back(c, page, err, "")
		return
	}
	who := "零工"
	if role == domain.SignerEmployer {
		who = "用工方"
	}
	msg := "已记录" + who + "的手写签名"
	if rec.Contract.Status == domain.ContractActive {
		msg += "，双方已签，合约生效"
	}
	s.back(c, page, nil, msg)
}
