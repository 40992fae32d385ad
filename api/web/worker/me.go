package worker

import (
	"context"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
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
	// NameWarning: characters of the name print as 〓 (app.NameWarning).
	NameWarning string
	CSRF        string
	// Offers are the employers' invitations waiting for the worker's answer (also in Applications).
	Offers []domain.ApplicationView
	// Applications and Contracts are the worker's gigs in progress, newest first.
	Applications []domain.ApplicationView
	Contracts    []meContract
	// Matches are the top gigs for the worker (为你推荐), each with its reasons; Inbox the newest messages.
	Matches []meMatch
	Inbox   []domain.Notification
	// Ledgers is the pay of each contract that has ledger lines (the me_ledger block).
	Ledgers []meLedger
	// Today is the worker's attendance today, one line per contract (签到 07:02 · 签退 17:10 · 今日应得 200 元).
	Today []domain.AttendanceDay
	// ClockRecords are today's records of the employer's own clock waiting for the worker's answer.
	ClockRecords []domain.AttendanceEvent
	// Cover says, per active contract, whether today's and tomorrow's working days are insured, and
	// the first uninsured working day of the coming week (a warning the worker reads before going).
	Cover []domain.CoverDay
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
	"registered":   "登记成功！这是您的零工卡，可以截图保存，或下载打印。",
	"welcome":      "您之前已经登记过，已为您登录。资料有变化请点“更新我的资料”。",
	"updated":      "资料已保存。",
	"revoked":      "旧的零工卡已作废，请使用下面的新卡。",
	"offer_agree":  "您已接受邀请。请看下面“我的合约”，确认合约后就算定下了。",
	"offer_refuse": "已谢绝这个邀请，对方不会看到您的姓名和电话。",
	"offer_report": "已谢绝并举报这个邀请，零工驿站的工作人员会看到并处理。",
	"clock_answer": "已记下您对考勤机记录的答复。",
}

// mePage is GET /me: the worker card (name, worker number, station, personal QR code) and the profile.
func (s *Pages) mePage(c *gin.Context) {
	p := kit.Principal(c)
	ctx := c.Request.Context()
	w, err := s.App.Worker(ctx, p, p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.App.StationByID(ctx, w.StationID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	csrf, err := s.App.CSRFToken(ctx, p)
	if err != nil {
		s.Fail(c, err)
		return
	}
	cardURL := s.App.CardURL(w)
	qr, err := web.QRDataURI(cardURL, 240)
	if err != nil {
		s.Fail(c, domain.Internal(err))
		return
	}
	v := meView{Worker: w, Station: st, QR: qr, CardURL: cardURL, CSRF: csrf, NameWarning: app.NameWarning(w)}
	if v.Applications, err = s.App.ApplicationsOfWorker(ctx, p, w.ID); err != nil {
		s.Fail(c, err)
		return
	}
	for _, a := range v.Applications {
		if a.AwaitingWorker {
			v.Offers = append(v.Offers, a)
		}
	}
	if v.Contracts, err = s.myContractLines(ctx, p); err != nil {
		s.Fail(c, err)
		return
	}
	_, matches, err := kit.Recommend(ctx, s.App, p, w.ID, meMatchCount)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, m := range matches.Items {
		v.Matches = append(v.Matches, meMatch{Card: cardOf(m.Job.JobSummary), Reasons: m.Reasons, Applied: m.Applied})
	}
	if v.Inbox, _, err = s.App.Notifications(ctx, p, 1, meInboxCount); err != nil {
		s.Fail(c, err)
		return
	}
	if v.Ledgers, err = s.myLedgers(ctx, p, v.Contracts); err != nil {
		s.Fail(c, err)
		return
	}
	if v.Cover, err = s.App.MyCoverDays(ctx, p, s.Today()); err != nil {
		s.Fail(c, err)
		return
	}
	if v.Today, err = s.App.MyAttendance(ctx, p, s.Today()); err != nil {
		s.Fail(c, err)
		return
	}
	for _, d := range v.Today {
		for _, ev := range []*domain.AttendanceEvent{d.In, d.Out} {
			if ev != nil && ev.NeedsWorker() {
				v.ClockRecords = append(v.ClockRecords, *ev)
			}
		}
	}
	for key, msg := range meNotices {
		if c.Query(key) != "" {
			v.Notice = msg
		}
	}
	s.Render(c, http.StatusOK, "me", "我的零工卡", v)
}

// meEditPage is GET /me/edit: the profile form, filled in.
func (s *Pages) meEditPage(c *gin.Context) {
	p := kit.Principal(c)
	ctx := c.Request.Context()
	w, err := s.App.Worker(ctx, p, p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := s.NewRegView("edit", domain.Station{})
	if v.CSRF, err = s.App.CSRFToken(ctx, p); err != nil {
		s.Fail(c, err)
		return
	}
	v.Step, v.Phone, v.Masked, v.IDOnFile = "profile", w.Phone, domain.MaskPhone(w.Phone), w.IDNumberMasked
	v.HomeStation, _ = s.App.StationByID(ctx, w.StationID)
	v.Form = web.FormFromProfile(w.Profile())
	s.RenderReg(c, http.StatusOK, v)
}

// meEditSubmit is POST /me/edit: save the profile (an empty ID number field keeps the one on file).
func (s *Pages) meEditSubmit(c *gin.Context) {
	p := kit.Principal(c)
	ctx := c.Request.Context()
	w, err := s.App.Worker(ctx, p, p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := s.NewRegView("edit", domain.Station{})
	v.CSRF = c.PostForm(kit.CSRFField)
	v.Step, v.Phone, v.Masked, v.IDOnFile = "profile", w.Phone, domain.MaskPhone(w.Phone), w.IDNumberMasked
	v.HomeStation, _ = s.App.StationByID(ctx, w.StationID)
	prev := w.Profile()
	profile, idNumber, ok := s.ReadProfileForm(c, v, &prev)
	if !ok {
		s.RenderReg(c, http.StatusBadRequest, v)
		return
	}
	_, err = s.App.UpdateProfile(ctx, p, app.ProfileUpdate{Profile: profile, IDNumber: idNumber})
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		v.Fail(err)
		s.RenderReg(c, kit.Status(err), v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/me?updated=1")
}

// meLogout is POST /me/logout: end the session and forget the cookie.
func (s *Pages) meLogout(c *gin.Context) {
	p := kit.Principal(c)
	ctx := c.Request.Context()
	if err := s.App.Logout(ctx, p); err != nil {
		s.Fail(c, err)
		return
	}
	kit.ClearSessionCookie(c, s.Production)
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
func (s *Pages) cardPage(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := s.App.WorkerByCard(ctx, c.Param("token"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.App.StationByID(ctx, w.StationID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := kit.Principal(c)
	v := cardView{Worker: w, Station: st, Full: p.IsStaff() && domain.CanSeeWorker(p, w) == nil}
	s.Render(c, http.StatusOK, "card", "零工卡 "+w.No, v)
}

// myContractLines lists the calling worker's contracts with what each needs from them.
func (s *Pages) myContractLines(ctx context.Context, p domain.Principal) ([]meContract, error) {
	list, err := s.App.ContractsOf(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]meContract, 0, len(list))
	for _, ct := range list {
		line := meContract{Contract: ct, StatusText: ct.Status.Label()}
		if ct.Status == domain.ContractDraft {
			rec, err := s.App.Contract(ctx, p, ct.ID)
			if err != nil {
				return nil, err
			}
			line.NeedsMySignature = !rec.SignedBy(domain.SignerWorker)
		}
		out = append(out, line)
	}
	return out, nil
}

// meOfferAnswer is POST /me/offers/{id}/agree|refuse|report: the worker answers an employer's
// invitation from /me (the report form carries an optional reason). Then back to /me, where an agreed
// offer's contract waits for confirmation.
func (s *Pages) meOfferAnswer(answer string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := kit.PathID(c, "id", "邀请")
		if err != nil {
			s.Fail(c, err)
			return
		}
		ctx, p := c.Request.Context(), kit.Principal(c)
		switch answer {
		case "agree":
			_, err = s.App.AgreeToOffer(ctx, p, id)
		case "refuse":
			_, err = s.App.RefuseOffer(ctx, p, id)
		default:
			_, err = s.App.ReportOffer(ctx, p, id, c.PostForm("reason"))
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/me?offer_"+answer+"=1#my-offers")
	}
}
