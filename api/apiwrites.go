package api

import (
	"crypto/subtle"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Two rules for every state-changing request to the JSON API (POST, PUT, PATCH, DELETE under /api/):
//
//  1. A body must be declared JSON (Content-Type: application/json, parameters allowed); anything else
//     answers 415 unsupported_media_type. A page on another site can make a browser post a form or
//     text/plain without asking first (a "simple" request); it cannot send application/json without the
//     browser asking this server (CORS preflight), which it never allows.
//  2. A caller authenticated by the session cookie (a logged-in console or worker page) must also send the
//     session's CSRF token in the X-CSRF-Token header. The browser attaches the cookie to requests other
//     sites make it send; only our own pages know the token. Programs use "Authorization: Bearer", which
//     no other site can make a browser send, and need no token.
//
// Reads (GET, HEAD) stay open to the cookie: the console links to PDFs and CSV files under /api/v1.

// apiWrite enforces both rules on a route of the JSON API.
func (s *Server) apiWrite(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if hasBody(c.Request) && !isJSON(c.GetHeader("Content-Type")) {
		s.fail(c, &domain.Error{Code: domain.CodeUnsupportedMediaType, Field: "Content-Type",
			Message: "请求体必须是 JSON（Content-Type: application/json）"})
		return
	}
	if kit.CookieAuth(c) {
		want, err := s.app.CSRFToken(c.Request.Context(), kit.Principal(c))
		if err != nil {
			s.fail(c, err)
			return
		}
		got := c.GetHeader(kit.CSRFHeader)
		if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(c, &domain.Error{Code: domain.CodeForbidden, Field: kit.CSRFHeader,
				Message: "用登录 Cookie 调用接口的写操作必须带本会话的 X-CSRF-Token；程序请用 Authorization: Bearer"})
			return
		}
	}
	c.Next()
}

// hasBody reports whether a request carries a body: a length above zero, or one not announced (chunked).
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

// isJSON reports whether a Content-Type names JSON (application/json, with or without parameters).
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}
