package kit

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// statusOf is the one table from domain error codes to HTTP statuses (Status).
var statusOf = map[domain.Code]int{
	domain.CodeInvalid:      http.StatusBadRequest,
	domain.CodeNotFound:     http.StatusNotFound,
	domain.CodeConflict:     http.StatusConflict,
	domain.CodeForbidden:    http.StatusForbidden,
	domain.CodeUnauthorized: http.StatusUnauthorized,
	domain.CodeRateLimited:  http.StatusTooManyRequests,
	domain.CodeUnavailable:  http.StatusServiceUnavailable,
	domain.CodeInternal:     http.StatusInternalServerError,

	domain.CodeIdempotencyMismatch:  http.StatusUnprocessableEntity,
	domain.CodeOfferUnanswered:      http.StatusConflict,
	domain.CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
}

// ErrorBody is the JSON error format of DESIGN.md section 3.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

type ErrorDetail struct {
	Code    domain.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
}

// Funnel is the one place errors become answers: JSON under /api (and for the operational routes), an
// HTML error page elsewhere. Internal and unavailable errors are logged here, once, with their cause;
// the user sees only the safe Chinese message.
type Funnel struct {
	Log *slog.Logger
	// Page renders an error as a page with a way back (the web package's); nil answers JSON everywhere.
	Page func(c *gin.Context, status int, e *domain.Error)
}

// Fail renders err and aborts the request.
func (f *Funnel) Fail(c *gin.Context, err error) {
	if ClientGone(c) {
		// The client hung up (its connection closed, so the request's context was cancelled) and the
		// work failed because of it: not a fault of ours nor of the database. Nobody reads an answer;
		// the access log records 499, nginx's "client closed request", at info level.
		c.AbortWithStatus(StatusClientClosedRequest)
		return
	}
	e := domain.AsError(err)
	status := Status(err)
	switch e.Code {
	case domain.CodeInternal:
		f.Log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
	case domain.CodeUnavailable:
		f.Log.WarnContext(c.Request.Context(), "dependency unavailable", "route", c.FullPath(), "err", err)
		c.Header("Retry-After", "5")
	case domain.CodeRateLimited:
		c.Header("Retry-After", "60")
	}
	if f.Page != nil && WantsHTML(c) {
		f.Page(c, status, e)
		return
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
}

// Status is the HTTP status of err: the one table below, 500 for anything it does not name.
func Status(err error) int {
	if st, ok := statusOf[domain.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// StaysOnForm reports whether a page shows err next to the form it came from (the user can fix it
// there: bad input, a state conflict) rather than as an error page of its own.
func StaysOnForm(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.CodeInvalid, domain.CodeConflict, domain.CodeOfferUnanswered:
		return true
	}
	return false
}

// WantsHTML reports whether the request is for a page rather than the JSON API. A PDF of the API opened
// by a browser (a print link on the console or /me; its Accept names text/html) is a page too: when it
// is refused, the reader sees a Chinese error page instead of JSON.
func WantsHTML(c *gin.Context) bool {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") {
		return (strings.HasSuffix(p, "/pdf") || strings.HasSuffix(p, ".pdf")) && strings.Contains(c.GetHeader("Accept"), "text/html")
	}
	return p != "/healthz" && p != "/readyz" && p != "/metrics"
}

// ErrNoRoute and friends are the common errors of the frame and the decoders.
var (
	ErrNoRoute     = &domain.Error{Code: domain.CodeNotFound, Message: "没有这个地址"}
	ErrBodyTooBig  = domain.Invalid("body", "提交的内容太大（最多 1 MB）")
	ErrBadUTF8     = domain.Invalid("body", "提交的内容不是有效的 UTF-8 文字")
	ErrNotJSONBody = domain.Invalid("body", "提交的内容不是有效的 JSON")
)

// IsBodyTooLarge recognises the error of http.MaxBytesReader.
func IsBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// StreamJSON writes v as the JSON body, encoded straight into the response. gin's c.JSON marshals into a
// fresh buffer and copies it out; the library answers thousands of 10 KB lists a second, and that copy was
// a sixth of what each request allocated (and so of how often the collector runs under load).
func StreamJSON(c *gin.Context, code int, v any) {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(code)
	if err := json.NewEncoder(c.Writer).Encode(v); err != nil {
		_ = c.Error(err) // the client went away mid-body; the status is already sent
	}
}

// CodeStatus is the HTTP status of an error code.
func CodeStatus(code domain.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// StatusClientClosedRequest is nginx's 499: the client closed the connection before the answer.
const StatusClientClosedRequest = 499

// ClientGone reports whether the request's client went away: its context was cancelled (not timed out:
// a request past LINGONG_REQUEST_TIMEOUT is ours to answer, with 503).
func ClientGone(c *gin.Context) bool {
	return errors.Is(c.Request.Context().Err(), context.Canceled)
}
