package worker

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
	"lingong/domain"
	"lingong/matching"
)

// pageStore is what the gig pages need beyond the gig routes: the logged-in worker's home (the distance
// to the gig), the session's form token, and the application use case behind 我要报名.
type pageStore interface {
	WorkerByID(ctx context.Context, id int64) (domain.Worker, error)
	StaffCSRFToken(ctx context.Context, sessionID int64) (string, error)
	Apply(ctx context.Context, jobID, workerID int64, origin domain.ApplicationOrigin, actor domain.Principal, ip string) (domain.Application, bool, error)
}

// The job library's pages: /jobs (a search box, filters as big buttons, the list) and /jobs/{id}
// (everything a worker needs to decide, a QR code to share it, and the 我要报名 button). They read the
// same index and the same rules as the JSON API; only the rendering differs.

// filterButton is one big button of the /jobs page: a link that sets (or clears) one filter.
type filterButton struct {
	Label  string
	URL    string
	Active bool
}

// jobsPageView is the model of jobs.html.
type jobsPageView struct {
	Q               string
	Districts       []filterButton
	Skills          []filterButton
	Quick           []filterButton
	Items           []jobCard
	Total           int
	Prev, Next      string
	Page, PageCount int
	Filtered        bool
	Clear           string
}

// jobCard is one gig in a list, as a worker reads it.
type jobCard struct {
	ID         int64
	Title      string
	Wage       string
	Settlement string
	Place      string
	Dates      string
	Remaining  string
	Employer   string
	Verified   bool
	Certs      string
}

// pageSkills are the skills offered as buttons: the trades most gigs in Zhongwei are for.
var pageSkills = []string{"枸杞采摘", "硒砂瓜采收", "建筑小工", "搬运", "保洁", "养老护理", "普工", "服务员"}

// jobsPage is GET /jobs.
func (s *Pages) jobsPage(c *gin.Context) {
	q, err := kit.LibraryQuery(c, s.App)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q.PerPage = kit.DefaultPerPage
	res := kit.Search(c.Request.Context(), s.App, q)
	cur := c.Request.URL.Query()
	cur.Del("page")
	link := func(key, value string) string {
		v := url.Values{}
		for k, vs := range cur {
			v[k] = vs
		}
		if value == "" || v.Get(key) == value {
			v.Del(key) // pressing an active button clears it
		} else {
			v.Set(key, value)
		}
		if len(v) == 0 {
			return "/jobs"
		}
		return "/jobs?" + v.Encode()
	}
	view := jobsPageView{Q: q.Q, Total: res.Total, Page: res.Page, Filtered: len(cur) > 0, Clear: "/jobs"}
	view.Districts = append(view.Districts, filterButton{"全市", link("district", ""), q.District == ""})
	for _, d := range domain.Districts {
		view.Districts = append(view.Districts, filterButton{d, link("district", d), q.District == d})
	}
	for _, sk := range pageSkills {
		view.Skills = append(view.Skills, filterButton{sk, link("skill", sk), q.Skill == sk})
	}
	today := string(s.Today())
	view.Quick = []filterButton{
		{"今天有活", link("date", today), string(q.Date) == today},
		{"日薪 150 元以上", link("wage_min", "15000"), q.WageMinFen == 15000},
		{"日结", link("q", "日结"), q.Q == "日结"},
	}
	for _, h := range res.Items {
		view.Items = append(view.Items, cardOf(h.JobSummary))
	}
	view.PageCount = (res.Total + res.PerPage - 1) / max(res.PerPage, 1)
	pageLink := func(p int) string {
		v := url.Values{}
		for k, vs := range cur {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(p))
		return "/jobs?" + v.Encode()
	}
	if res.Page > 1 {
		view.Prev = pageLink(res.Page - 1)
	}
	if res.Page < view.PageCount {
		view.Next = pageLink(res.Page + 1)
	}
	title := "找活干 · 中卫零工"
	if q.Q != "" {
		title = q.Q + " · 找活干"
	}
	s.Render(c, http.StatusOK, "jobs", title, view)
}

func cardOf(j matching.JobSummary) jobCard {
	card := jobCard{ID: j.ID, Title: j.Title, Wage: domain.FormatRate(j.WageFen, j.WageUnit, j.PieceUnit), Settlement: j.Settlement.Label(),
		Place: j.District + " " + j.Town, Dates: domain.DateRange(j.StartDate, j.EndDate), Employer: j.EmployerName,
		Verified: j.EmployerVerified, Certs: strings.Join(j.RequiredCerts, "、")}
	card.Remaining = fmt.Sprintf("招 %d 人", j.Headcount)
	if j.Remaining < j.Headcount {
		card.Remaining = fmt.Sprintf("招 %d 人，还差 %d 人", j.Headcount, j.Remaining)
	}
	return card
}

// jobPageView is the model of job.html.
type jobPageView struct {
	Job        kit.JobView
	Open       bool
	Wage       string
	Hourly     string
	Settlement string
	Dates      string
	Hours      string
	Place      string
	Distance   string
	Station    domain.Station
	Contact    string
	PageURL    string
	QRURL      string
	ApplyURL   string
	Certs      string
	Skills     string
	// How 我要报名 works for this visitor: a worker gets a form (with the session's CSRF token); anyone
	// else a link to log in (or register at the station); console users and employers no button.
	Worker   bool
	CSRF     string
	Applied  string // the notice after applying: the first thing on the page
	LoginURL string // for a visitor: log in, then come back to this gig
	// Mine is the logged-in worker's standing on this gig (nil: not applied): shown under the title on
	// every visit, and instead of the 我要报名 button.
	Mine *myStanding
}

// myStanding is where a worker stands on a gig, in the words of the gig page.
type myStanding struct {
	Label  string // 已报名, 已录用, 待我确认 ...
	Detail string
	Kind   string // waiting | accepted | confirm | closed: the banner's colour
	Action string // a link to what is asked of the worker (the contract to confirm), if any
	Button string
}

// standing is the worker's standing from their application to the gig (and its contract).
func (s *Pages) standing(ctx context.Context, p domain.Principal, a domain.ApplicationView) (*myStanding, error) {
	switch a.Status {
	case domain.AppPending:
		if a.Origin == domain.OriginInvited {
			return &myStanding{Label: "已报名", Detail: "用工方邀请了你，等用工方确认录用，会短信通知你。", Kind: "waiting"}, nil
		}
		return &myStanding{Label: "已报名", Detail: "等用工方回复，录用后会短信通知你。", Kind: "waiting"}, nil
	case domain.AppAccepted:
		m := &myStanding{Label: "已录用", Kind: "accepted", Detail: "合约已生效，按约定时间到岗。"}
		if a.ContractID != 0 {
			m.Action, m.Button = fmt.Sprintf("/me/contracts/%d", a.ContractID), "查看合约"
		}
		if a.ContractID != 0 && a.ContractStatus == domain.ContractDraft {
			rec, err := s.App.Contract(ctx, p, a.ContractID)
			if err != nil {
				return nil, err
			}
			if !rec.SignedBy(domain.SignerWorker) {
				m.Label, m.Kind, m.Detail, m.Button = "已录用 · 待我确认", "confirm", "请看一遍合约，确认后就生效。", "查看并确认合约"
			} else {
				m.Detail = "你已确认合约，等用工方确认。"
			}
		} else if a.ContractStatus == domain.ContractCompleted || a.ContractStatus == domain.ContractTerminated {
			m.Detail = "合约" + a.ContractStatus.Label() + "。"
		}
		return m, nil
	case domain.AppDeclined:
		return &myStanding{Label: "未录用", Detail: "这次用工方没有录用你，看看别的活吧。", Kind: "closed"}, nil
	case domain.AppWithdrawn:
		return &myStanding{Label: "已撤回报名", Kind: "closed"}, nil
	}
	return nil, nil
}

// jobPage is GET /jobs/{id}: the gig for a worker to decide on.
func (s *Pages) jobPage(c *gin.Context) {
	j, err := s.JobParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := kit.Principal(c)
	v := jobPageView{Job: kit.ViewJob(j, p), Open: j.Listed(), Wage: domain.FormatRate(j.WageFen, j.WageUnit, j.PieceUnit),
		Settlement: j.Settlement.Label(), Dates: domain.DateRange(j.StartDate, j.EndDate),
		Place:   strings.TrimSpace(j.District + " " + j.Town + " " + j.Address),
		PageURL: s.PublicURL + fmt.Sprintf("/jobs/%d", j.ID), QRURL: fmt.Sprintf("/jobs/%d/qrcode.png", j.ID),
		ApplyURL: fmt.Sprintf("/jobs/%d/apply", j.ID), Worker: p.Kind == domain.AsWorker || p.Kind == domain.Anonymous, Certs: strings.Join(j.RequiredCerts, "、"),
		Skills: strings.Join(j.Skills, "、"), Contact: kit.ViewJob(j, p).Contact}
	if hourly := j.HourlyWageFen(); hourly > 0 && j.WageUnit != domain.PerHour {
		v.Hourly = "折合每小时约 " + domain.FormatYuan(hourly) + " 元"
	}
	var shifts []string
	for _, sh := range j.Shifts {
		shifts = append(shifts, sh.Start+"–"+sh.End)
	}
	v.Hours = fmt.Sprintf("每天 %s 小时", trimFloat(j.DailyHours))
	if len(shifts) > 0 {
		v.Hours = strings.Join(shifts, "、") + "，" + v.Hours
	}
	if st, err := s.App.StationByID(c.Request.Context(), j.StationID); err == nil {
		v.Station = st
	}
	switch c.Query("applied") {
	case "new":
		v.Applied = "报名成功！用工方确认后会短信通知你。"
	case "again":
		v.Applied = "你已经报过名了，不用再报。"
	}
	v.LoginURL = "/login?next=" + url.QueryEscape(fmt.Sprintf("/jobs/%d", j.ID))
	if p.Kind == domain.AsWorker {
		ctx := c.Request.Context()
		if v.CSRF, err = s.App.CSRFToken(ctx, p); err != nil {
			s.Fail(c, err)
			return
		}
		apps, err := s.App.ApplicationsOfWorker(ctx, p, p.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, a := range apps {
			if a.JobID == j.ID {
				if v.Mine, err = s.standing(ctx, p, a); err != nil {
					s.Fail(c, err)
					return
				}
				break
			}
		}
		if w, err := s.App.Worker(c.Request.Context(), p, p.ID); err == nil && (w.Lat != 0 || w.Lng != 0) {
			km := domain.DistanceKm(w.Lat, w.Lng, j.Lat, j.Lng)
			if km < 1 {
				v.Distance = "离你不到 1 公里"
			} else {
				v.Distance = fmt.Sprintf("离你约 %.0f 公里（%s%s）", km, w.District, w.Town)
			}
		}
	}
	s.Render(c, http.StatusOK, "job", j.Title+" · 中卫零工", v)
}

// applyFromPage is POST /jobs/{id}/apply, the 我要报名 button: a logged-in worker applies through the
// application use case (the same as POST /api/v1/jobs/{id}/applications) and comes back to the gig with
// a notice. Anonymous visitors go to the login page; the form's CSRF token must match the session.
func (s *Pages) applyFromPage(c *gin.Context) {
	p := kit.Principal(c)
	ctx := c.Request.Context()
	j, err := s.JobParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	res, err := s.App.Apply(ctx, p, j.ID, 0)
	if err != nil {
		s.Fail(c, err)
		return
	}
	result := "again"
	if res.Created {
		result = "new"
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d?applied=%s", j.ID, result))
}

// jobQRCode is GET /jobs/{id}/qrcode.png: a QR code of the gig's page, to print or forward.
func (s *Pages) jobQRCode(c *gin.Context) {
	j, err := s.JobParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	png, err := contracts.QRPNG(fmt.Sprintf("%s/jobs/%d", s.PublicURL, j.ID), 480)
	if err != nil {
		s.Fail(c, domain.Internal(err))
		return
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/png", png)
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(f, 'f', 2, 64), "0"), ".")
}
