package api

import (
	"context"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
)

// meView is what templates/me.html shows: the worker's card and profile. Later issues add their
// sections (matches, applications, contracts, ledger) as blocks of the same template.
type meView struct {
	Worker  domain.Worker
	Station domain.Station
	QR      template.URL // the card's QR code as a data: URI, so the card shows with no second request
	CardURL string
	Notice  string
	CSRF    string
	// Applications and Contracts are the worker's gigs in progress, newest first.
	Applications []domain.ApplicationView
	Contracts    []meContract
	// Matches are the top gigs for the worker (为你推荐), each with its reasons; Inbox the newest messages.
	Matches []meMatch
	Inbox   []domain.Notification
	// Ledgers is the pay of each contract that has ledger lines (the me_ledger block).
	Ledgers []meLedger
}

// meMatch is one recommended gig on /me: the card the job list shows, why it suits the worker, and
// whether they have applied already (else a 我要报名 button posting to /jobs/{id}/apply).
type meMatch struct {
	Card    jobCard
	Reasons []string
	Applied bool
}

// How much of the recommendations and the inbox /me shows; the API has the rest.
const (
	meMatchCount = 5
	meInboxCount = 10
)

// meContract is a contract line on /me: whether it waits for the worker's confirmation.
type meContract struct {
	domain.Contract
	NeedsMySignature bool
	StatusText       string
}

// meNotices are the one-line messages a redirect to /me may ask for.
var meNotices = map[string]string{
	"registered": "登记成功！这是您的零工卡，可以截图保存，或下载打印。",
	"welcome":    "您之前已经登记过，已为您登录。资料有变化请点“更新我的资料”。",
	"updated":    "资料已保存。",
	"revoked":    "旧的零工卡已作废，请使用下面的新卡。",
}

// workerPage resolves the worker of a worker page: anonymous visitors go to the login page (false);
// a console user gets a forbidden page.
func (s *Server) workerPage(c *gin.Context) (domain.Principal, bool) {
	p := principal(c)
	switch p.Kind {
	case domain.AsWorker:
		return p, true
	case domain.Anonymous:
		c.Redirect(http.StatusSeeOther, "/login")
	default:
		s.fail(c, domain.Forbidden("这是零工本人的页面，请用零工的手机号登录"))
	}
	return p, false
}

// mePage is GET /me: the worker card (name, worker number, station, personal QR code) and the profile.
func (s *Server) mePage(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	w, err := s.app.Worker(ctx, p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.app.StationByID(ctx, w.StationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	csrf, err := s.app.CSRFToken(ctx, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	cardURL := s.cardURL(w)
	qr, err := qrDataURI(cardURL, 240)
	if err != nil {
		s.fail(c, domain.Internal(err))
		return
	}
	v := meView{Worker: w, Station: st, QR: qr, CardURL: cardURL, CSRF: csrf}
	if v.Applications, err = s.app.ApplicationsOfWorker(ctx, p, w.ID); err != nil {
		s.fail(c, err)
		return
	}
	if v.Contracts, err = s.myContractLines(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	_, matches, err := s.matchesFor(ctx, p, w.ID, meMatchCount)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, m := range matches.Items {
		v.Matches = append(v.Matches, meMatch{Card: cardOf(m.Job.JobSummary), Reasons: m.Reasons, Applied: m.Applied})
	}
	if v.Inbox, _, err = s.app.Notifications(ctx, p, 1, meInboxCount); err != nil {
		s.fail(c, err)
		return
	}
	if v.Ledgers, err = s.myLedgers(ctx, p, v.Contracts); err != nil {
		s.fail(c, err)
		return
	}
	for key, msg := range meNotices {
		if c.Query(key) != "" {
			v.Notice = msg
		}
	}
	s.render(c, http.StatusOK, "me", "我的零工卡", v)
}

// meEditPage is GET /me/edit: the profile form, filled in.
func (s *Server) meEditPage(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	w, err := s.app.Worker(ctx, p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newRegView("edit", domain.Station{})
	if v.CSRF, err = s.app.CSRFToken(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	v.Step, v.Phone, v.Masked, v.IDOnFile = "profile", w.Phone, domain.MaskPhone(w.Phone), w.IDNumberMasked
	v.Form = formFromProfile(w.Profile())
	s.renderReg(c, http.StatusOK, v)
}

// meEditSubmit is POST /me/edit: save the profile (an empty ID number field keeps the one on file).
func (s *Server) meEditSubmit(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if !s.csrfOK(ctx, p, c.PostForm("csrf")) {
		s.fail(c, domain.Forbidden("页面已过期，请返回重新打开再保存"))
		return
	}
	w, err := s.app.Worker(ctx, p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newRegView("edit", domain.Station{})
	v.CSRF = c.PostForm("csrf")
	v.Step, v.Phone, v.Masked, v.IDOnFile = "profile", w.Phone, domain.MaskPhone(w.Phone), w.IDNumberMasked
	prev := w.Profile()
	profile, idNumber, ok := s.readProfileForm(c, v, &prev)
	if !ok {
		s.renderReg(c, http.StatusBadRequest, v)
		return
	}
	_, err = s.app.UpdateProfile(ctx, p, app.ProfileUpdate{Profile: profile, IDNumber: idNumber})
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.fail(c, err)
			return
		}
		v.fail(err)
		s.renderReg(c, statusFor(err), v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/me?updated=1")
}

// meLogout is POST /me/logout: end the session and forget the cookie.
func (s *Server) meLogout(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if !s.csrfOK(ctx, p, c.PostForm("csrf")) {
		s.fail(c, domain.Forbidden("页面已过期，请返回重新打开"))
		return
	}
	if err := s.app.Logout(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/")
}

// cardView is what templates/card.html shows for a scanned card.
type cardView struct {
	Worker  domain.Worker
	Station domain.Station
	Full    bool // staff of the worker's station (or admin): the profile; anyone else: the card check
}

// cardPage is GET /c/{token}, what a phone camera opens from a worker card: for the staff of the
// worker's station (or an admin) the worker's profile; for anyone else only that the card is valid,
// with the masked name, the worker number and the station. A forged or revoked card is a 404 page.
func (s *Server) cardPage(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := s.app.WorkerByCard(ctx, c.Param("token"))
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.app.StationByID(ctx, w.StationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	v := cardView{Worker: w, Station: st, Full: p.IsStaff() && domain.CanSeeWorker(p, w) == nil}
	s.render(c, http.StatusOK, "card", "零工卡 "+w.No, v)
}

// myContractLines lists the calling worker's contracts with what each needs from them.
func (s *Server) myContractLines(ctx context.Context, p domain.Principal) ([]meContract, error) {
	list, err := s.app.ContractsOf(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]meContract, 0, len(list))
	for _, ct := range list {
		line := meContract{Contract: ct, StatusText: ct.Status.Label()}
		if ct.Status == domain.ContractDraft {
			rec, err := s.app.Contract(ctx, p, ct.ID)
			if err != nil {
				return nil, err
			}
			line.NeedsMySignature = !rec.SignedBy(domain.SignerWorker)
		}
		out = append(out, line)
	}
	return out, nil
}
