package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[domain.Code]int{
	domain.CodeInvalid:      http.StatusBadRequest,
	domain.CodeNotFound:     http.StatusNotFound,
	domain.CodeConflict:     http.StatusConflict,
	domain.CodeForbidden:    http.StatusForbidden,
	domain.CodeUnauthorized: http.StatusUnauthorized,
	domain.CodeRateLimited:  http.StatusTooManyRequests,
	domain.CodeUnavailable:  http.StatusServiceUnavailable,
	domain.CodeInternal:     http.StatusInternalServerError,

	domain.CodeIdempotencyMismatch: http.StatusUnprocessableEntity,
}

// errorBody is the JSON error format of DESIGN.md section 3.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    domain.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
}

// fail renders err: JSON under /api, an HTML error page elsewhere. Internal and unavailable errors are
// logged here, once, with their cause; the user sees only the safe Chinese message.
func (s *Server) fail(c *gin.Context, err error) {
	e := domain.AsError(err)
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch e.Code {
	case domain.CodeInternal:
		s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
	case domain.CodeUnavailable:
		s.log.WarnContext(c.Request.Context(), "dependency unavailable", "route", c.FullPath(), "err", err)
		c.Header("Retry-After", "5")
	case domain.CodeRateLimited:
		c.Header("Retry-After", "60")
	}
	if wantsHTML(c) {
		s.renderErrorPage(c, status, e)
		return
	}
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
}

// wantsHTML reports whether the request is for a page rather than the JSON API.
func wantsHTML(c *gin.Context) bool {
	p := c.Request.URL.Path
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics"
}

// errUnauthorized and friends are the common errors of the middleware.
var (
	errNoRoute     = &domain.Error{Code: domain.CodeNotFound, Message: "没有这个地址"}
	errBodyTooBig  = domain.Invalid("body", "提交的内容太大（最多 1 MB）")
	errBadUTF8     = domain.Invalid("body", "提交的内容不是有效的 UTF-8 文字")
	errNotJSONBody = domain.Invalid("body", "提交的内容不是有效的 JSON")
)

// isBodyTooLarge recognises the error of http.MaxBytesReader.
func isBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// streamJSON writes v as the JSON body, encoded straight into the response. gin's c.JSON marshals into a
// fresh buffer and copies it out; the library answers thousands of 10 KB lists a second, and that copy was
// a sixth of what each request allocated (and so of how often the collector runs under load).
func streamJSON(c *gin.Context, code int, v any) {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(code)
	if err := json.NewEncoder(c.Writer).Encode(v); err != nil {
		_ = c.Error(err) // the client went away mid-body; the status is already sent
	}
}
