package console

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
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
	// names are the stations' names by code: pages show a station by its name, never its code.
	names   map[string]string
	namesID map[int64]string
	// Settle is the settlement screen's tab strip with its counts (on its five tabs only).
	Settle *settleTabs
	// DevSMS shows the link to the development SMS inbox (admins, not in production).
	DevSMS bool
}

// StationName is the name of the station with code (the code itself if there is no such station).
func (v consoleView) StationName(code string) string {
	if n, ok := v.names[code]; ok {
		return n
	}
	return code
}

// StationNameByID is the name of the station with id.
func (v consoleView) StationNameByID(id int64) string { return v.namesID[id] }

// MyStation is the logged-in staff member's station by name ("" for an admin).
func (v consoleView) MyStation() string {
	if v.Me.StationCode == "" {
		return ""
	}
	return v.StationName(v.Me.StationCode)
}

// loginCSRFCookie carries the token of the login form before any session exists (double submit).
const loginCSRFCookie = "lg_login_csrf"

// renderConsole renders a console page for the logged-in staff member.
func (s *Console) renderConsole(c *gin.Context, status int, page, title, active string, data any) {
	p := kit.Principal(c)
	me, err := s.App.StaffByID(c.Request.Context(), p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	csrf, err := s.App.CSRFToken(c.Request.Context(), p)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// Messages arrive by a short-lived cookie (flash), never by the URL: a link someone else crafted
	// cannot put words on a station's screen.
	// A password reset on the server (lingong admin reset-password) was shown on a terminal: the account
	// chooses its own before it sees anything else.
	if me.MustChangePassword && active != "password" {
		c.Redirect(http.StatusSeeOther, "/console/password")
		return
	}
	ok, alert := s.takeFlash(c)
	if me.MustChangePassword && alert == "" {
		alert = "您的密码已由管理员在服务器上重置，请先设置自己的新密码，再使用工作台"
	}
	stations, err := s.App.Stations(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := consoleView{Me: me, CSRF: csrf, Active: active, Flash: ok, Alert: alert, Data: data, names: map[string]string{}, namesID: map[int64]string{},
		DevSMS: me.Role == domain.RoleAdmin && s.App.HasDevInbox()}
	for _, st := range stations {
		v.names[st.Code], v.namesID[st.ID] = st.Name, st.Name
	}
	if isSettleTab(active) {
		if v.Settle, err = s.settleTabs(c, active); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.Render(c, status, page, title+" · 零工驿站工作台", v)
}

type loginPageData struct {
	CSRF     string
	Next     string
	Username string
	Error    string
}

func (s *Console) consoleLoginPage(c *gin.Context) {
	if kit.Principal(c).IsStaff() {
		c.Redirect(http.StatusSeeOther, "/console")
		return
	}
	token := kit.NewToken()
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login", HttpOnly: true,
		Secure: s.Production, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.Render(c, http.StatusOK, "console_login", "工作人员登录", consoleView{Data: loginPageData{CSRF: token, Next: safeNext(c.Query("next"))}})
}

// safeNext keeps a post-login redirect on our own console (no open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/console"
}

func (s *Console) consoleLogin(c *gin.Context) {
	ck, _ := c.Cookie(loginCSRFCookie)
	if ck == "" || subtle.ConstantTimeCompare([]byte(ck), []byte(c.PostForm("csrf_token"))) != 1 {
		s.Fail(c, domain.Forbidden("表单已过期，请刷新页面后重试"))
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	next := safeNext(c.PostForm("next"))
	_, sess, err := s.App.LoginStaff(c.Request.Context(), kit.Principal(c), username, c.PostForm("password"))
	if err != nil {
		e := domain.AsError(err)
		if e.Code != domain.CodeUnauthorized && e.Code != domain.CodeRateLimited && e.Code != domain.CodeInvalid {
			s.Fail(c, err)
			return
		}
		status := kit.Status(err)
		s.Render(c, status, "console_login", "工作人员登录", consoleView{Data: loginPageData{CSRF: ck, Next: next, Username: username, Error: e.Message}})
		return
	}
	kit.SetSessionCookie(c, sess, s.Now(), s.Production)
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Console) consoleLogout(c *gin.Context) {
	if err := s.App.Logout(c.Request.Context(), kit.Principal(c)); err != nil {
		s.Fail(c, err)
		return
	}
	kit.ClearSessionCookie(c, s.Production)
	c.Redirect(http.StatusSeeOther, "/console/login")
}

type passwordPageData struct {
	Error string
	Field string
}

func (s *Console) consolePasswordPage(c *gin.Context) {
	s.renderConsole(c, http.StatusOK, "console_password", "修改密码", "password", passwordPageData{})
}

func (s *Console) consoleChangePassword(c *gin.Context) {
	err := s.App.ChangePassword(c.Request.Context(), kit.Principal(c), c.PostForm("current_password"), c.PostForm("new_password"),
		c.PostForm("confirm_password"))
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInvalid {
			s.renderConsole(c, http.StatusBadRequest, "console_password", "修改密码", "password", passwordPageData{Error: e.Message, Field: e.Field})
			return
		}
		s.Fail(c, err)
		return
	}
	s.Flash(c, "ok", "密码已修改，其他设备上的登录已退出")
	c.Redirect(http.StatusSeeOther, "/console/password")
}

type staffPageData struct {
	Staff    []domain.Staff
	Q        string
	Role     string
	Station  string
	Pager    pager
	Stations []domain.Station
	Error    string
	Field    string
	Form     map[string]string
	Reset    *staffReset // the new password after a reset, shown once
}

// consoleStaffPage lists accounts and offers the form to create one (admin only).
func (s *Console) consoleStaffPage(c *gin.Context) {
	s.renderStaffPage(c, http.StatusOK, staffPageData{})
}

func (s *Console) renderStaffPage(c *gin.Context, status int, d staffPageData) {
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Q, d.Station = q, st.Code
	f := domain.StaffFilter{StationID: st.ID, Q: q, ListPage: lp}
	if r := domain.StaffRole(c.Query("role")); r == domain.RoleStaff || r == domain.RoleAdmin {
		d.Role, f.Role = string(r), r
	}
	var total int
	if d.Staff, total, err = s.App.StaffList(c.Request.Context(), kit.Principal(c), f); err != nil {
		s.Fail(c, err)
		return
	}
	d.Pager = newPager(c, lp, total)
	if d.Stations, err = s.App.Stations(c.Request.Context()); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, status, "console_staff", "账号管理", "staff", d)
}

func (s *Console) consoleCreateStaff(c *gin.Context) {
	form := map[string]string{"username": c.PostForm("username"), "display_name": c.PostForm("display_name"),
		"role": c.PostForm("role"), "station_code": c.PostForm("station_code")}
	created, err := s.App.CreateStaffAccount(c.Request.Context(), kit.Principal(c), app.NewStaffAccount{Username: form["username"],
		DisplayName: form["display_name"], Password: c.PostForm("password"), Role: domain.StaffRole(form["role"]),
		StationCode: form["station_code"]})
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInvalid || e.Code == domain.CodeConflict {
			s.renderStaffPage(c, http.StatusBadRequest, staffPageData{Error: e.Message, Field: e.Field, Form: form})
			return
		}
		s.Fail(c, err)
		return
	}
	s.Flash(c, "ok", "已创建账号 "+created.Username)
	c.Redirect(http.StatusSeeOther, "/console/staff")
}
