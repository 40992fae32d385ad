package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
)

// The console is for station staff at a desk PC: server-rendered pages under /console, logged in with
// the session cookie, every form carrying a CSRF token bound to the session.

// consoleView is what every console page gets: who is logged in, the form token, which tab is active.
type consoleView struct {
	Me     domain.Staff
	CSRF   string
	Active string
	Flash  string // a green one-time message
	Alert  string // a red one (an action was refused)
	Data   any
}

// loginCSRFCookie carries the token of the login form before any session exists (double submit).
const loginCSRFCookie = "lg_login_csrf"

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// renderConsole renders a console page for the logged-in staff member.
func (s *Server) renderConsole(c *gin.Context, status int, page, title, active string, data any) {
	p := principal(c)
	me, err := s.app.StaffByID(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	csrf, err := s.app.CSRFToken(c.Request.Context(), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Messages arrive by a short-lived cookie (flash), never by the URL: a link someone else crafted
	// cannot put words on a station's screen.
	ok, alert := s.takeFlash(c)
	s.render(c, status, page, title+" · 零工驿站工作台", consoleView{Me: me, CSRF: csrf, Active: active, Flash: ok, Alert: alert, Data: data})
}

// consoleGuard sends anyone who is not logged in as staff to the login page (a page, not a 401 body),
// and refuses a logged-in worker or employer.
func (s *Server) consoleGuard(c *gin.Context) {
	p := principal(c)
	switch {
	case p.IsStaff():
		c.Next()
	case p.Kind == domain.Anonymous:
		c.Redirect(http.StatusSeeOther, "/console/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
	default:
		s.fail(c, domain.Forbidden("工作台只对驿站工作人员开放"))
	}
}

// checkCSRF refuses a console form post whose token is not the session's.
func (s *Server) checkCSRF(c *gin.Context) {
	p := principal(c)
	want, err := s.app.CSRFToken(c.Request.Context(), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	got := c.PostForm("csrf_token")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		s.fail(c, domain.Forbidden("表单已过期，请刷新页面后重试"))
		return
	}
	c.Next()
}

type loginPageData struct {
	CSRF     string
	Next     string
	Username string
	Error    string
}

func (s *Server) consoleLoginPage(c *gin.Context) {
	if principal(c).IsStaff() {
		c.Redirect(http.StatusSeeOther, "/console")
		return
	}
	token := newToken()
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login", HttpOnly: true,
		Secure: s.opts.Production, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(c, http.StatusOK, "console_login", "工作人员登录", consoleView{Data: loginPageData{CSRF: token, Next: safeNext(c.Query("next"))}})
}

// safeNext keeps a post-login redirect on our own console (no open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/console"
}

func (s *Server) consoleLogin(c *gin.Context) {
	ck, _ := c.Cookie(loginCSRFCookie)
	if ck == "" || subtle.ConstantTimeCompare([]byte(ck), []byte(c.PostForm("csrf_token"))) != 1 {
		s.fail(c, domain.Forbidden("表单已过期，请刷新页面后重试"))
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	next := safeNext(c.PostForm("next"))
	_, sess, err := s.app.LoginStaff(c.Request.Context(), principal(c), username, c.PostForm("password"))
	if err != nil {
		e := domain.AsError(err)
		if e.Code != domain.CodeUnauthorized && e.Code != domain.CodeRateLimited && e.Code != domain.CodeInvalid {
			s.fail(c, err)
			return
		}
		status := statusFor(err)
		s.render(c, status, "console_login", "工作人员登录", consoleView{Data: loginPageData{CSRF: ck, Next: next, Username: username, Error: e.Message}})
		return
	}
	s.setSessionCookie(c, sess)
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) consoleLogout(c *gin.Context) {
	if err := s.app.Logout(c.Request.Context(), principal(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/console/login")
}

type passwordPageData struct {
	Error string
	Field string
}

func (s *Server) consolePasswordPage(c *gin.Context) {
	s.renderConsole(c, http.StatusOK, "console_password", "修改密码", "password", passwordPageData{})
}

func (s *Server) consoleChangePassword(c *gin.Context) {
	err := s.app.ChangePassword(c.Request.Context(), principal(c), c.PostForm("current_password"), c.PostForm("new_password"),
		c.PostForm("confirm_password"))
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInvalid {
			s.renderConsole(c, http.StatusBadRequest, "console_password", "修改密码", "password", passwordPageData{Error: e.Message, Field: e.Field})
			return
		}
		s.fail(c, err)
		return
	}
	s.flash(c, "ok", "密码已修改，其他设备上的登录已退出")
	c.Redirect(http.StatusSeeOther, "/console/password")
}

type staffPageData struct {
	Staff    []domain.Staff
	Stations []domain.Station
	Error    string
	Field    string
	Form     map[string]string
}

// consoleStaffPage lists accounts and offers the form to create one (admin only).
func (s *Server) consoleStaffPage(c *gin.Context) {
	s.renderStaffPage(c, http.StatusOK, staffPageData{})
}

func (s *Server) renderStaffPage(c *gin.Context, status int, d staffPageData) {
	var err error
	if d.Staff, err = s.app.StaffAccounts(c.Request.Context(), principal(c)); err != nil {
		s.fail(c, err)
		return
	}
	if d.Stations, err = s.app.Stations(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.renderConsole(c, status, "console_staff", "账号管理", "staff", d)
}

func (s *Server) consoleCreateStaff(c *gin.Context) {
	form := map[string]string{"username": c.PostForm("username"), "display_name": c.PostForm("display_name"),
		"role": c.PostForm("role"), "station_code": c.PostForm("station_code")}
	created, err := s.app.CreateStaffAccount(c.Request.Context(), principal(c), app.NewStaffAccount{Username: form["username"],
		DisplayName: form["display_name"], Password: c.PostForm("password"), Role: domain.StaffRole(form["role"]),
		StationCode: form["station_code"]})
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInvalid || e.Code == domain.CodeConflict {
			s.renderStaffPage(c, http.StatusBadRequest, staffPageData{Error: e.Message, Field: e.Field, Form: form})
			return
		}
		s.fail(c, err)
		return
	}
	s.flash(c, "ok", "已创建账号 "+created.Username)
	c.Redirect(http.StatusSeeOther, "/console/staff")
}
