package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string       `json:"token"`
	ExpiresAt string       `json:"expires_at"`
	Staff     domain.Staff `json:"staff"`
}

// login is POST /api/v1/auth/login: a console user's username and password for a bearer token.
func (s *API) login(c *gin.Context) {
	var req loginRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	staff, sess, err := s.app.LoginStaff(c.Request.Context(), kit.Principal(c), req.Username, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"), Staff: staff})
}

// logout is POST /api/v1/auth/logout: the caller's session token stops working at once.
func (s *API) logout(c *gin.Context) {
	if err := s.app.Logout(c.Request.Context(), kit.Principal(c)); err != nil {
		s.fail(c, err)
		return
	}
	kit.ClearSessionCookie(c, s.opts.Production)
	c.Status(http.StatusNoContent)
}
