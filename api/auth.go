package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// authStore is what logging in and out needs.
type authStore interface {
	Authenticate(ctx context.Context, token string) (domain.Principal, error)
	LoginStaff(ctx context.Context, username, password, ip, ua string) (domain.Staff, domain.Session, error)
	RevokeSession(ctx context.Context, sessionID int64) error
	StaffByID(ctx context.Context, id int64) (domain.Staff, error)
}

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
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	username, err := domain.CleanText("username", req.Username, 64)
	if err != nil {
		s.fail(c, err)
		return
	}
	if username == "" || strings.ContainsAny(username, " \n\t") {
		s.fail(c, domain.Invalid("username", "请填写用户名"))
		return
	}
	req.Username = username
	if req.Password == "" || len(req.Password) > 256 {
		s.fail(c, domain.Invalid("password", "请填写密码"))
		return
	}
	staff, sess, err := s.store.LoginStaff(c.Request.Context(), req.Username, req.Password, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"), Staff: staff})
}

// logout is POST /api/v1/auth/logout: the caller's session token stops working at once.
func (s *Server) logout(c *gin.Context) {
	p := principal(c)
	if p.SessionID == 0 {
		s.fail(c, domain.Invalid("authorization", "API 密钥不能注销，请在控制台撤销"))
		return
	}
	if err := s.store.RevokeSession(c.Request.Context(), p.SessionID); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}
