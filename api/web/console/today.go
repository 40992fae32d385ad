package console

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// The console's working screens for station staff: today at my station (/console), the walk-in desk
// (/console/desk, /console/workers/{id}), gigs and employers (/console/gigs, /console/employers) and
// contracts (/console/contracts/{id}). Pages are plain forms: every action is one POST with the
// session's csrf_token that redirects back (post/redirect/get) with a one-time message. What a staff
// member may see and do is checked in each handler against the record's station
// (domain.Principal.CanManageStation): staff of another station get 403, as the API answers.

// flashCookie carries the one-time message of a console action to the page it redirects to, so the
// message is not in the URL (where anyone could write a link that shows any text on the console).
const flashCookie = "lg_flash"

// Flash sets the message the next console page shows: kind "ok" (green) or "error" (red).
func (s *Console) Flash(c *gin.Context, kind, msg string) {
	v := base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + domain.TruncateRunes(msg, 300)))
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: v, Path: "/console", MaxAge: 120, HttpOnly: true,
		Secure: s.Production, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads and clears the message set by flash.
func (s *Console) takeFlash(c *gin.Context) (ok, alert string) {
	raw, err := c.Cookie(flashCookie)
	if err != nil || raw == "" {
		return "", ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true,
		Secure: s.Production, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return "", ""
	}
	kind, msg, _ := strings.Cut(string(b), "|")
	if kind == "error" {
		return "", msg
	}
	return msg, ""
}

// back redirects to where a console action came from, with its message. to must be a console path.
func (s *Console) back(c *gin.Context, to string, err error, ok string) {
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		s.Flash(c, "error", e.Message)
	} else if ok != "" {
		s.Flash(c, "ok", ok)
	}
	c.Redirect(http.StatusSeeOther, safeNext(to))
}

// backTo is the page a form came from: its "back" field when it is a console path, else def.
func backTo(c *gin.Context, def string) string {
	if b := c.PostForm("back"); strings.HasPrefix(b, "/console") {
		return safeNext(b)
	}
	return def
}

// consoleStation is the station a console page is about: the staff member's own; an admin's choice
// (?station=CODE), or every station (ID 0) when none is chosen. Staff naming another station get 403.
func (s *Console) consoleStation(c *gin.Context) (domain.Station, error) {
	p := kit.Principal(c)
	code := c.Query("station")
	if p.Kind == domain.AsStaff {
		st, err := s.App.StationByID(c.Request.Context(), p.StationID)
		if err == nil && code != "" && code != st.Code {
			return domain.Station{}, domain.Forbidden("只能查看本站点的数据")
		}
		return st, err
	}
	if code == "" {
		return domain.Station{}, nil
	}
	st, err := s.App.StationField(c.Request.Context(), "station", code)
	return st, err
}

// todayData is the today page.
type todayData struct {
	Station  domain.Station   // ID 0: every station (admin)
	Stations []domain.Station // an admin's station picker
	Day      domain.StationDay
	Now      string
	More     map[string]string // section -> the full, paged list of it
	// WalkinCount is the length of today's queue (the list shows its head; the desk shows it all).
	WalkinCount int
	// Backup is how the database's backups stand (admins only).
	Backup *domain.BackupStatus
	// Evidence is the latest verification of the records (nil before the first): broken is the alert.
	Evidence *domain.EvidenceReport
}

// todayRows is how many lines each list of the today page shows; the rest are a link away, in the
// paged lists (a city-wide admin's day has hundreds).
const todayRows = 10

// consoleToday is GET /console: today at my station. Counts and lists of what waits for the staff:
// gigs to review (approve or reject in one click each), the walk-in queue, today's registrations, gigs
// starting today, today's contracts (print all or one), open disputes and arrears.
func (s *Console) consoleToday(c *gin.Context) {
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := todayData{Station: st, Now: s.Now().In(domain.Shanghai).Format("2006-01-02 15:04")}
	if d.Day, err = s.App.StationDay(ctx, kit.Principal(c), st.ID); err != nil {
		s.Fail(c, err)
		return
	}
	d.WalkinCount = len(d.Day.Walkins)
	d.Day.Walkins = d.Day.Walkins[:min(len(d.Day.Walkins), todayRows)]
	d.Day.ReviewQueue = d.Day.ReviewQueue[:min(len(d.Day.ReviewQueue), todayRows)]
	d.Day.NewWorkers = d.Day.NewWorkers[:min(len(d.Day.NewWorkers), todayRows)]
	d.Day.StartingToday = d.Day.StartingToday[:min(len(d.Day.StartingToday), todayRows)]
	d.Day.Contracts = d.Day.Contracts[:min(len(d.Day.Contracts), todayRows)]
	d.More = map[string]string{
		"review":        withStation(c, "/console/gigs?status=pending_review", st),
		"registrations": withStation(c, "/console/workers?day=today", st),
		"starting":      withStation(c, "/console/gigs?starts=today", st),
		"contracts":     withStation(c, "/console/ledger?day=today", st),
	}
	if checks, err := s.App.EvidenceChecks(ctx, kit.Principal(c), 1); err != nil {
		s.Fail(c, err)
		return
	} else if len(checks) > 0 {
		d.Evidence = &checks[0]
	}
	if kit.Principal(c).Kind == domain.AsAdmin {
		if d.Stations, err = s.App.Stations(ctx); err != nil {
			s.Fail(c, err)
			return
		}
		b, err := s.App.BackupStatus(ctx, kit.Principal(c))
		if err != nil {
			s.Fail(c, err)
			return
		}
		d.Backup = &b
	}
	s.renderConsole(c, http.StatusOK, "console_today", "今日工作", "today", d)
}

// consoleReview is POST /console/gigs/{id}/review: approve (decision=approve) or reject with a reason
// (decision=reject, reason), for staff of the gig's station. The same rules as the API's review.
func (s *Console) consoleReview(c *gin.Context) {
	back := backTo(c, "/console")
	j, err := s.consoleJob(c)
	if err != nil {
		s.Fail(c, err) // not found or another station's: refused outright, not a message on the way back
		return
	}
	j, err = s.App.ReviewJob(c.Request.Context(), kit.Principal(c), j.ID, app.Review{Decision: c.PostForm("decision"), Reason: c.PostForm("reason"),
		CoverChecked: c.PostForm("cover_checked") == "1", CoverScanSHA256: c.PostForm("cover_scan_sha256"), CoverExemption: c.PostForm("cover_exemption")})
	if err != nil {
		s.back(c, back, err, "")
		return
	}
	approve := c.PostForm("decision") == "approve"
	reason := strings.TrimSpace(c.PostForm("reason"))
	msg := fmt.Sprintf("已通过「%s」，岗位已进入职位库", j.Title)
	if !approve {
		msg = fmt.Sprintf("已驳回「%s」：%s", j.Title, reason)
	}
	s.back(c, back, nil, msg)
}

// consoleJob loads the gig of the :id path for a console user who may manage it (its station's staff or
// an admin): not found, or 403 for another station's gig.
func (s *Console) consoleJob(c *gin.Context) (domain.Job, error) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		return domain.Job{}, err
	}
	return s.App.ManagedJob(c.Request.Context(), kit.Principal(c), id)
}
