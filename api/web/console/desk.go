package console

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
	"lingong/app"
	"lingong/domain"
)

// The walk-in desk. A USB scanner is a keyboard: scanning a worker card types the card's URL and
// Enter into the focused search field, which submits GET /console/desk?q=…; typing a worker number
// (LG00000012) or a phone number does the same. A worker found at this station opens
// their page (/console/workers/{id}): sign in for today's queue, best matches, apply on their behalf,
// print the card. A phone not registered yet leads to the one-screen 代登记 form on the desk.

// deskData is the desk page: the search field, today's walk-in queue and the 代登记 form.
type deskData struct {
	Q           string
	Error       string
	Station     domain.Station   // the staff member's station (ID 0 for an admin)
	Stations    []domain.Station // an admin registers for a station of their choice
	Walkins     []domain.WalkinSignin
	Reg         *web.RegView
	Phone       string // the registration form's phone, as typed
	StationCode string
	SignIn      bool
}

// consoleDesk is GET /console/desk[?q=]: with q, the worker scanned or typed (their page, when this
// station may see them; else the reason, with the search field ready for the next scan).
func (s *Console) consoleDesk(c *gin.Context) {
	d := s.newDeskData(c)
	status := http.StatusOK
	if q := c.Query("q"); q != "" {
		d.Q = q
		w, err := s.App.FindWorker(c.Request.Context(), kit.Principal(c), q)
		if err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/workers/%d", w.ID))
			return
		}
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		d.Error, status = e.Message, kit.Status(err)
		if e.Field == "phone" {
			d.Phone = q // not registered yet: the form below starts with it
		}
	}
	s.renderDesk(c, status, d)
}

func (s *Console) newDeskData(c *gin.Context) *deskData {
	v := s.NewRegView("desk", domain.Station{})
	v.Form = web.ProfileForm{WageUnit: "day", MaxCommuteKm: "30", AvailableFrom: string(s.Today()),
		Skills: map[string]bool{}, Certs: map[string]bool{}}
	return &deskData{Reg: v, SignIn: true}
}

func (s *Console) renderDesk(c *gin.Context, status int, d *deskData) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	var err error
	if p.Kind == domain.AsStaff {
		if d.Station, err = s.App.StationByID(ctx, p.StationID); err != nil {
			s.Fail(c, err)
			return
		}
	} else if d.Stations, err = s.App.Stations(ctx); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Walkins, err = s.App.Walkins(ctx, p, d.Station.ID); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, status, "console_desk", "窗口服务", "desk", d)
}

// consoleRegister is POST /console/desk/register: 代登记 on one screen for a worker without a
// smartphone. No SMS code: the staff member saw the person. The worker is attributed to the staff
// member's station (an admin chooses one), the registration is audited, and by default the worker is
// signed in for today's queue in the same transaction. Every problem is shown next to its field with
// what was typed, and nothing is saved. Success opens the worker's page with the card ready to print.
func (s *Console) consoleRegister(c *gin.Context) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	d := s.newDeskData(c)
	d.Phone, d.StationCode, d.SignIn = c.PostForm("phone"), c.PostForm("station_code"), c.PostForm("signin") != ""
	v := d.Reg
	profile, idNumber, ok := s.ReadProfileForm(c, v, nil)
	phone, err := domain.NormalizePhone("phone", d.Phone)
	if err != nil {
		v.Fail(err)
		ok = false
	}
	if !ok {
		s.renderDesk(c, http.StatusBadRequest, d)
		return
	}
	reg := app.Registration{Phone: phone, StationCode: d.StationCode, Profile: profile, SignIn: d.SignIn}
	if idNumber != nil {
		reg.IDNumber = *idNumber
	}
	out, err := s.App.RegisterWorker(ctx, p, reg)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		v.Fail(err)
		if idNumber != nil && !web.HasField(err, "id_number") {
			s.SealID(v, *idNumber)
		}
		s.renderDesk(c, kit.Status(err), d)
		return
	}
	w := out.Worker
	msg := fmt.Sprintf("已为 %s 登记，零工编号 %s。请打印零工卡交给本人。", w.Name, w.No)
	if out.NameWarning != "" {
		msg += out.NameWarning
	}
	if d.SignIn {
		msg += "已签到，进入今天的现场队列。"
	}
	s.Flash(c, "ok", msg)
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/workers/%d?new=1", w.ID))
}

// workerPageData is a worker's page at the desk.
type workerPageData struct {
	Worker       domain.Worker
	New          bool                 // just registered: the print button has the focus
	Signin       *domain.WalkinSignin // today's sign-in at the worker's station, if any
	Applications []domain.ApplicationView
	Applied      map[int64]bool // gig id -> has an application
	Contracts    []domain.ContractLine
	Onsite       []domain.Job     // open 现场优先 gigs of the worker's station
	Matches      kit.JobMatchList // the best gigs for them (the same ranking as their own /me page)
	NoMatcher    bool
	SMS          app.WorkerMessages // their latest text messages: failed ones, and whether to call them
}

// consoleWorker is GET /console/workers/{id}: the worker's profile for the staff of their station
// (others 403), today's sign-in, applications and contracts, the station's 现场优先 gigs and the best
// matches from the index, each with a button to apply on the worker's behalf.
func (s *Console) consoleWorker(c *gin.Context) {
	w, err := s.consoleWorkerParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := workerPageData{Worker: w, New: c.Query("new") != "", Applied: map[int64]bool{}}
	if si, err := s.App.WalkinToday(ctx, kit.Principal(c), w); err == nil {
		d.Signin = &si
	} else if !domain.IsCode(err, domain.CodeNotFound) {
		s.Fail(c, err)
		return
	}
	if d.Applications, err = s.App.ApplicationsOfWorker(ctx, kit.Principal(c), w.ID); err != nil {
		s.Fail(c, err)
		return
	}
	for _, a := range d.Applications {
		if a.Status == domain.AppPending || a.Status == domain.AppAccepted {
			d.Applied[a.JobID] = true
		}
	}
	if d.Contracts, err = s.App.ContractsOfWorker(ctx, kit.Principal(c), w.ID); err != nil {
		s.Fail(c, err)
		return
	}
	open, _, err := s.App.Jobs(ctx, kit.Principal(c), domain.JobFilter{StationID: w.StationID, Statuses: []domain.JobStatus{domain.JobOpen}, Page: 1, PerPage: 100})
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, j := range open {
		if j.OnsiteFirst {
			d.Onsite = append(d.Onsite, j)
		}
	}
	d.NoMatcher = !s.App.HasIndex()
	if _, d.Matches, err = kit.Recommend(ctx, s.App, kit.Principal(c), w.ID, 10); err != nil {
		s.Fail(c, err)
		return
	}
	if d.SMS, err = s.App.WorkerSMS(ctx, kit.Principal(c), w.ID); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_worker", w.Name+" · 零工", "desk", d)
}

// consoleWorkerParam loads the :id worker for a console user who may see their personal data (staff
// of the worker's station, admins); others 403.
func (s *Console) consoleWorkerParam(c *gin.Context) (domain.Worker, error) {
	return s.WorkerParam(c)
}

// consoleSignIn is POST /console/workers/{id}/signin: the worker signs in at their station's desk for
// today (once a day; a second sign-in keeps the first place).
func (s *Console) consoleSignIn(c *gin.Context) {
	w, err := s.consoleWorkerParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := fmt.Sprintf("/console/workers/%d", w.ID)
	si, created, err := s.App.SignInWalkin(c.Request.Context(), kit.Principal(c), w.ID)
	if err != nil {
		s.back(c, page, err, "")
		return
	}
	msg := fmt.Sprintf("%s 已签到，今天第 %d 位", w.Name, si.Position)
	if !created {
		msg = fmt.Sprintf("%s 今天已经签到过（%s，第 %d 位）", w.Name, si.SignedInAt.In(domain.Shanghai).Format("15:04"), si.Position)
	}
	s.back(c, backTo(c, page), nil, msg)
}

// consoleApplyFor is POST /console/workers/{id}/apply (job_id): staff apply for a gig on the worker's
// behalf (origin staff, audited), for a worker of their station to any open gig of the city.
func (s *Console) consoleApplyFor(c *gin.Context) {
	w, err := s.consoleWorkerParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page := backTo(c, fmt.Sprintf("/console/workers/%d", w.ID))
	jobID, err := strconv.ParseInt(c.PostForm("job_id"), 10, 64)
	if err != nil || jobID <= 0 {
		s.back(c, page, domain.Invalid("job_id", "请选择要报名的岗位"), "")
		return
	}
	ctx := c.Request.Context()
	res, err := s.App.Apply(ctx, kit.Principal(c), jobID, w.ID)
	if err != nil {
		s.back(c, page, err, "")
		return
	}
	app, created := res.Application, res.Created
	j, err := s.App.Job(ctx, kit.Principal(c), app.JobID)
	if err != nil {
		s.back(c, page, err, "")
		return
	}
	msg := fmt.Sprintf("已为 %s 报名「%s」，等待用工方或驿站录用", w.Name, j.Title)
	if !created {
		msg = fmt.Sprintf("%s 已经报过「%s」（%s）", w.Name, j.Title, app.Status.Label())
	}
	s.back(c, page, nil, msg)
}
