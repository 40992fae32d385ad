package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// An admin's actions on one console account (the rows of /console/staff): turn it off or on, reset its
// password, move it to another station. Each is audited by the use case; each answers back on the list.

// consoleDisableStaff is POST /console/staff/{id}/disable (disabled=true|false): turning an account off
// ends its sessions at once.
func (s *Console) consoleDisableStaff(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	disabled := c.PostForm("disabled") != "false"
	if err := s.App.SetStaffDisabled(c.Request.Context(), kit.Principal(c), id, disabled); err != nil {
		s.staffActionFailed(c, err)
		return
	}
	if disabled {
		s.Flash(c, "ok", "账号已停用，它的登录已全部退出")
	} else {
		s.Flash(c, "ok", "账号已启用")
	}
	c.Redirect(http.StatusSeeOther, "/console/staff")
}

// consoleResetStaffPassword is POST /console/staff/{id}/reset-password: a new random password, shown once
// on the answering page for the admin to hand over in person (never by cookie or URL); the account's
// sessions end and its owner must change the password at the next login.
func (s *Console) consoleResetStaffPassword(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	password, err := s.App.ResetStaffPassword(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.staffActionFailed(c, err)
		return
	}
	who, err := s.App.StaffByID(c.Request.Context(), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.renderStaffPage(c, http.StatusOK, staffPageData{Reset: &staffReset{Username: who.Username, Password: password}})
}

// consoleMoveStaff is POST /console/staff/{id}/station (station_code).
func (s *Console) consoleMoveStaff(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.App.SetStaffStation(c.Request.Context(), kit.Principal(c), id, c.PostForm("station_code")); err != nil {
		s.staffActionFailed(c, err)
		return
	}
	s.Flash(c, "ok", "已调整站点")
	c.Redirect(http.StatusSeeOther, "/console/staff")
}

// staffActionFailed shows a refused action (invalid, conflict) in red on the list; anything else is an
// error page.
func (s *Console) staffActionFailed(c *gin.Context, err error) {
	if !kit.StaysOnForm(err) {
		s.Fail(c, err)
		return
	}
	s.Flash(c, "error", domain.AsError(err).Message)
	c.Redirect(http.StatusSeeOther, "/console/staff")
}

// staffReset is the one-time answer of a password reset.
type staffReset struct {
	Username string
	Password string
}
