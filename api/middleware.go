package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// maxBodyBytes bounds every request body (DESIGN: 1 MiB).
const maxBodyBytes = 1 << 20

type ctxKey int

const requestIDKey ctxKey = iota

// requestID gives every request an id (or keeps a sane one from X-Request-ID), returns it in the
// response header and puts it in the context, where the log handler finds it for every line.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) < 8 || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r > '~' }) {
		var b [8]byte
		var h [16]byte
		rand.Read(b[:])
		hex.Encode(h[:], b[:])
		id = string(h[:])
	}
	c.Header("X-Request-ID", id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey, id))
	c.Next()
}

// RequestIDFrom returns the request id in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithRequestIDs wraps a slog handler so that every record logged with a request's context carries
// request_id: one grep finds everything a request did.
func WithRequestIDs(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// accessLog writes one line per request. The path is logged without its query string: queries can hold
// phone numbers typed into a search box.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	ctx := c.Request.Context()
	if !s.log.Enabled(ctx, level) {
		return
	}
	// Attributes, not key-value pairs: nothing boxed into an interface for each request.
	s.log.LogAttrs(ctx, level, "request",
		slog.String("method", c.Request.Method), slog.String("route", c.FullPath()), slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()), slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.Int("bytes", c.Writer.Size()), slog.String("ip", c.ClientIP()))
}

// recoverPanic turns a panic into a logged stack and a 500 in the standard error body.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				// The unwinding already ran the request deadline's cancel (limits), which would read as a
				// client that hung up (499); a panic is our fault, answered as a 500.
				c.Request = c.Request.WithContext(context.WithoutCancel(c.Request.Context()))
				s.fail(c, domain.Internal(fmt.Errorf("panic: %v", r)))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// limits bounds the body size and the time a request may spend; the deadline reaches the database
// through the context, so a hung query ends as a 503 instead of a hung request.
func (s *Server) limits(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// securityHeaders are sent with every response. Pages use no third-party origin at all. In production
// (served over HTTPS) HSTS tells browsers never to use plain HTTP for this host again, so a café Wi-Fi
// cannot downgrade a station PC's session.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if s.opts.Production {
		h["Strict-Transport-Security"] = hsts
	}
	// The values are shared by every response (net/http only reads them; Set and Add replace the slice),
	// and the names canonical already: no allocation per request.
	h["X-Content-Type-Options"] = nosniff
	h["Referrer-Policy"] = sameOrigin
	h["X-Frame-Options"] = frameDeny
	h["Content-Security-Policy"] = csp
	c.Next()
}

var (
	hsts       = []string{"max-age=31536000; includeSubDomains"}
	nosniff    = []string{"nosniff"}
	sameOrigin = []string{"same-origin"}
	frameDeny  = []string{"DENY"}
	csp        = []string{"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"}
)

// authenticate resolves the caller from "Authorization: Bearer <token>" (or the session cookie of the
// console and the worker pages). No credential means anonymous; a bearer token that is wrong, expired
// or revoked is refused at once with 401, even on a public route, so a client learns immediately that
// its key is dead. A dead cookie is different: the browser sent it unasked, so it is cleared and the
// request goes on as anonymous (a worker whose session expired can still open the registration page
// and log in again).
func (s *Server) authenticate(c *gin.Context) {
	if c.Request.URL.Path == "/metrics" { // its own token, checked by metricsGate
		kit.SetPrincipal(c, domain.Principal{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
		c.Next()
		return
	}
	token, fromCookie := kit.BearerToken(c)
	if token == "" {
		kit.SetPrincipal(c, domain.Principal{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
		c.Next()
		return
	}
	p, err := s.app.Authenticate(c.Request.Context(), token)
	if err != nil {
		if fromCookie && domain.IsCode(err, domain.CodeUnauthorized) {
			kit.ClearSessionCookie(c, s.opts.Production)
			kit.SetPrincipal(c, domain.Principal{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
			c.Next()
			return
		}
		s.fail(c, err)
		return
	}
	p.IP, p.UserAgent = c.ClientIP(), c.Request.UserAgent()
	kit.SetPrincipal(c, p)
	if fromCookie {
		kit.SetCookieAuth(c)
	}
	c.Next()
}
