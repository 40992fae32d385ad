// Package api is the only package that speaks HTTP: the JSON API under /api/v1 (DESIGN.md section 3),
// the server-rendered pages for workers and station staff, health and metrics. Every route is listed
// in one table (routes.go); handlers are thin: parse, validate, call the store, render.
package api

import (
	"crypto/rand"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// Pool reports the database connection pool's figures, for /metrics.
type Pool func() sql.DBStats

// Options are the api's share of the service configuration.
type Options struct {
	PublicURL string // base of links printed in QR codes and SMS, e.g. https://lg.zw.gov.cn
	// RequestTimeout bounds each request's work (database included); a request past it answers 503.
	RequestTimeout time.Duration
	// Production turns on Secure cookies and hides nothing else; errors never leak internals anyway.
	Production bool
	// SecretKey is the service's master secret (LINGONG_SECRET_KEY). The HTTP side derives its own keys
	// from it (domain.DeriveKey): the registration page's step cookie, the sealing of an ID number
	// carried across a failed form. Empty gives a random key for this process only (tests).
	SecretKey []byte
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies whose X-Forwarded-For is
	// believed (LINGONG_TRUSTED_PROXIES). Empty trusts none: the client IP is the connection's, so the
	// per-IP SMS limit cannot be dodged with a forged header.
	TrustedProxies []string
}

// Server holds the api's dependencies. Create it with New; serve Handler().
type Server struct {
	opts    Options
	app     *app.Service
	log     *slog.Logger
	clock   domain.Clock
	metrics *metrics
	engine  *gin.Engine
	keys    keys
	pdf     *contracts.Renderer // bounds concurrent PDF rendering (posters, cards, contracts)
}

// keys are the HTTP side's derived secrets, one per purpose.
type keys struct {
	regStep []byte // signs the registration page's step cookie
	form    []byte // seals an ID number carried across a failed form
}

// Deps are the collaborators New wires together.
type Deps struct {
	// App is the use cases; every read and write goes through it.
	App    *app.Service
	Pool   Pool
	Logger *slog.Logger
}

// New builds the server and its router.
func New(opts Options, deps Deps) *Server {
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 15 * time.Second
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if len(opts.SecretKey) == 0 {
		opts.SecretKey = make([]byte, 32)
		rand.Read(opts.SecretKey)
	}
	if deps.Pool == nil {
		deps.Pool = func() sql.DBStats { return sql.DBStats{} }
	}
	s := &Server{opts: opts, app: deps.App, log: deps.Logger, clock: domain.Clock(deps.App.Now),
		metrics: newMetrics(deps.Pool), pdf: contracts.NewRenderer(0),
		keys: keys{
			regStep: domain.DeriveKey(opts.SecretKey, "registration-step"),
			form:    domain.DeriveKey(opts.SecretKey, "form-id-number"),
		}}
	s.engine = s.router()
	return s
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }
