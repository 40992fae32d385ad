// Package kit is what every HTTP package of the service shares: who is calling (the principal the
// frame's authentication put on the request), the access levels routes declare, decoding of JSON
// bodies and parameters, paging, the Idempotency-Key layer, the session cookie, and the one error
// funnel that turns domain errors into answers. It holds no handlers.
package kit

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

const principalKey = "lingong.principal"

// Principal returns the authenticated caller (Kind == domain.Anonymous when none), with the IP and
// user agent the request came from.
func Principal(c *gin.Context) domain.Principal {
	p, _ := c.Get(principalKey)
	pp, _ := p.(domain.Principal)
	return pp
}

// SetPrincipal records the caller of the request (the frame's authentication does it).
func SetPrincipal(c *gin.Context, p domain.Principal) { c.Set(principalKey, p) }

const cookieAuthKey = "lingong.cookie_auth"

// SetCookieAuth records that the caller was authenticated by the session cookie (which a browser sends
// by itself, also with requests another site makes it send), not by an Authorization header.
func SetCookieAuth(c *gin.Context) { c.Set(cookieAuthKey, true) }

// CookieAuth reports whether the caller was authenticated by the session cookie.
func CookieAuth(c *gin.Context) bool { return c.GetBool(cookieAuthKey) }

// Access is who may call a route at all. Handlers (and the use cases under them) still check the
// object (this gig's owner, this station's staff); access only turns away callers who can never be
// right.
type Access int

const (
	Public          Access = iota // anyone, logged in or not
	WorkerOnly                    // a worker session
	EmployerOnly                  // an employer API key
	StaffOnly                     // station staff or admin
	AdminOnly                     // admin
	WorkerOrStaff                 // a worker, or staff acting for one
	EmployerOrStaff               // an employer, or staff acting for one
	AnyUser                       // anyone authenticated
	ConsolePage                   // a console page: staff, else redirected to the console login
	ConsoleForm                   // a console form post: ConsolePage plus the session's CSRF token
	WorkerPage                    // a worker's own page: a worker, else redirected to the login page
	WorkerForm                    // a worker page's form post: WorkerPage plus the session's CSRF token
)

// Allows reports whether p may call a route of access a at all (before the object is checked). The
// page levels are allowed to anyone, since the frame's page guard redirects instead of refusing.
func (a Access) Allows(p domain.Principal) bool {
	switch a {
	case Public:
		return true
	case WorkerOnly, WorkerPage, WorkerForm:
		return p.Kind == domain.AsWorker
	case EmployerOnly:
		return p.Kind == domain.AsEmployer
	case StaffOnly, ConsolePage, ConsoleForm:
		return p.IsStaff()
	case AdminOnly:
		return p.Kind == domain.AsAdmin
	case WorkerOrStaff:
		return p.Kind == domain.AsWorker || p.IsStaff()
	case EmployerOrStaff:
		return p.Kind == domain.AsEmployer || p.IsStaff()
	case AnyUser:
		return p.Kind != domain.Anonymous
	}
	return false
}

// Route is one row of a routing table: method, path (gin syntax), who may call it, the handler.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Handler gin.HandlerFunc
}

// CSRFField is the form field (and CSRFHeader the header, for JSON requests authenticated by the
// session cookie) that carries the session's CSRF token.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// List is the shape of every list answer: {items, total, page, per_page}.
type List[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// ListOf is a one-page list of all of items.
func ListOf[T any](items []T) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: len(items), Page: 1, PerPage: len(items)}
}

// FormatInstant renders an instant for JSON: UTC, RFC 3339, whole seconds.
func FormatInstant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// NewToken is a fresh random token (CSRF tokens, one-time form keys).
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SendPDF answers a PDF, shown in the browser (inline) with a file name for saving.
func SendPDF(c *gin.Context, pdf []byte, filename, cacheControl string) {
	c.Header("Content-Disposition", fmt.Sprintf("inline; filename=%q", filename))
	c.Header("Cache-Control", cacheControl)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// PDFStream is the body of a PDF response written while the PDF is made (a station's batch of
// contracts): the status (200) and headers, as SendPDF sets them, go out with the first byte, so until
// then the handler can still answer with an error instead.
type PDFStream struct {
	c                      *gin.Context
	filename, cacheControl string
	started                bool
}

// NewPDFStream returns the body writer of a PDF response named filename.
func NewPDFStream(c *gin.Context, filename, cacheControl string) *PDFStream {
	return &PDFStream{c: c, filename: filename, cacheControl: cacheControl}
}

// Write sends p, after the status and headers the first time.
func (w *PDFStream) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		w.c.Header("Content-Type", "application/pdf")
		w.c.Header("Content-Disposition", fmt.Sprintf("inline; filename=%q", w.filename))
		w.c.Header("Cache-Control", w.cacheControl)
		w.c.Status(http.StatusOK)
	}
	return w.c.Writer.Write(p)
}

// Started reports whether the response has begun: an error after that can only cut the PDF short.
func (w *PDFStream) Started() bool { return w.started }

// PDFError classifies a rendering failure: a request that gave up while waiting for a rendering slot is
// unavailable (retry), anything else internal.
func PDFError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return domain.Unavailable(err)
	}
	return domain.Internal(err)
}

// SessionCookie is the login cookie of the console and the worker pages.
const SessionCookie = "lg_session"

// BearerToken returns the request's credential and whether it came from the session cookie.
func BearerToken(c *gin.Context) (token string, fromCookie bool) {
	if h := c.GetHeader("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:]), false
		}
		return "-invalid-", false
	}
	if ck, err := c.Cookie(SessionCookie); err == nil && ck != "" {
		return ck, true
	}
	return "", false
}

// SetSessionCookie logs the browser in: the session token in an HttpOnly cookie (scripts never see
// it), SameSite=Lax (not sent with cross-site form posts), Secure in production.
func SetSessionCookie(c *gin.Context, sess domain.Session, now time.Time, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		MaxAge: int(sess.ExpiresAt.Sub(now) / time.Second), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie logs the browser out.
func ClearSessionCookie(c *gin.Context, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode})
}

// R is a Route, for the tables: R("GET", "/api/v1/jobs", Public, h).
func R(method, path string, a Access, h gin.HandlerFunc) Route {
	return Route{Method: method, Path: path, Access: a, Handler: h}
}
