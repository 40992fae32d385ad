package worker

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// The site's check-in page (issue 21): the site poster's QR opens /a/{site code}; after login (the
// page's route sends an anonymous visitor to /login and back) it shows the worker's contract on that
// gig today and one big button, 签到 or 签退. A plain form: no JavaScript, a few kilobytes.

// attendanceView is the check-in page.
type attendanceView struct {
	V    app.SiteVisit
	CSRF string
	Next domain.AttendanceKind
	Done string // a line saying what was just recorded
}

// sitePage is GET /a/{code}.
func (s *Pages) sitePage(c *gin.Context) {
	p := kit.Principal(c)
	v, err := s.App.VisitSite(c.Request.Context(), p, c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderSite(c, p, v, c.Query("done"))
}

func (s *Pages) renderSite(c *gin.Context, p domain.Principal, v app.SiteVisit, done string) {
	csrf, err := s.App.CSRFToken(c.Request.Context(), p)
	if err != nil {
		s.Fail(c, err)
		return
	}
	view := attendanceView{V: v, CSRF: csrf, Next: v.Next()}
	switch done {
	case "in":
		view.Done = doneMessage("签到", v.Day.In)
	case "out":
		view.Done = doneMessage("签退", v.Day.Out)
	}
	s.Render(c, http.StatusOK, "attendance", "工地签到", view)
}

// doneMessage is what the page says after the worker's tap: success, or, when someone else had recorded
// that step already (the recorder, the station, the employer's clock), that the tap changed nothing and
// what stands, so a worker never reads "签退成功" over a time they did not give.
func doneMessage(step string, ev *domain.AttendanceEvent) string {
	if ev == nil || ev.Source == domain.ByWorker {
		return step + "成功"
	}
	by := map[domain.AttendanceSource]string{domain.ByRecorder: "用工方的记录员", domain.ByStaff: "驿站",
		domain.ByEmployerClock: "用工方的考勤机", domain.ByDayEnd: "系统（缺签退）"}[ev.Source]
	return fmt.Sprintf("%s已经由%s记过（%s），这次没有改动。时间不对的话，请在“我的”里对当天的工钱提出异议，或找驿站",
		step, by, ev.Clock())
}

// sharedLocation is the point the phone shared with the worker's consent (share_location=1, lat, lng),
// or nil: no consent, no point, or not numbers (a point off the earth is refused by the rules).
func sharedLocation(c *gin.Context) *domain.Location {
	if c.PostForm("share_location") != "1" {
		return nil
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(c.PostForm("lat")), 64)
	lng, err2 := strconv.ParseFloat(strings.TrimSpace(c.PostForm("lng")), 64)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &domain.Location{Lat: lat, Lng: lng}
}

// siteSubmit is POST /a/{code}: kind=in|out (csrf), and with consent share_location=1, lat, lng. The same tap twice records once.
func (s *Pages) siteSubmit(c *gin.Context) {
	p := kit.Principal(c)
	kind := domain.AttendanceKind(c.PostForm("kind"))
	code := c.Param("code")
	if _, err := s.App.CheckInAtSite(c.Request.Context(), p, code, kind, sharedLocation(c)); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/a/"+url.PathEscape(code)+"?done="+string(kind))
}

// meAttendanceAnswer is POST /me/attendance/{id}/answer: the worker confirms (decision=confirm) or
// disputes (decision=dispute, reason) a record of the employer's own time clock, from /me.
func (s *Pages) meAttendanceAnswer(c *gin.Context) {
	id, err := kit.PathID(c, "id", "考勤机记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.App.AnswerClockRecord(c.Request.Context(), kit.Principal(c), id, c.PostForm("decision"), c.PostForm("reason")); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/me?clock_answer=1")
}
