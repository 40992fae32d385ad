// Package api is the HTTP frame of the service: the server, the middleware every request passes
// through (request ids, metrics, access log, panics, security headers, limits, authentication), the
// access guard of every route, health and metrics. It mounts the route tables of the three audiences:
// the JSON API (api/v1), the worker's phone pages (api/web/worker) and the station console
// (api/web/console). Handlers live in those packages; the use cases under them in app.
package api

import (
	"crypto/rand"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	v1 "lingong/api/v1"
	"lingong/api/web"
	"lingong/api/web/console"
	workerpages "lingong/api/web/worker"
	"lingong/app"
	"lingong/contracts"
)

// Pool reports the database connection pool's figures, for /metrics.
type Pool func() sql.DBStats

// Options are the HTTP side's share of the service configuration.
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
	// MetricsToken (LINGONG_METRICS_TOKEN), when set, is the bearer token /metrics requires. Unset,
	// /metrics is open in development and not served (404) in production: the figures tell an outsider
	// how busy each route is and how the database pool fares.
	MetricsToken string
}

// Deps are the collaborators New wires together.
type Deps struct {
	// App is the use cases; every read and write goes through it.
	App    *app.Service
	Pool   Pool
	Logger *slog.Logger
}

// Server is the HTTP frame. Create it with New; serve Handler().
type Server struct {
	opts    Options
	app     *app.Service
	log     *slog.Logger
	metrics *metrics
	funnel  *kit.Funnel
	engine  *gin.Engine

	api     *v1.API
	site    *web.Site
	pages   *workerpages.Pages
	console *console.Console
}

// New builds the server, its three audiences' handlers and the router.
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
	s := &Server{opts: opts, app: deps.App, log: deps.Logger, metrics: newMetrics(deps.Pool), funnel: &kit.Funnel{Log: deps.Logger}}
	pdf := contracts.NewRenderer(0) // bounds concurrent PDF rendering, for every audience together
	s.site = web.New(web.Deps{App: deps.App, Funnel: s.funnel, PDF: pdf, PublicURL: opts.PublicURL,
		Production: opts.Production, SecretKey: opts.SecretKey})
	s.funnel.Page = s.site.ErrorPage
	s.api = v1.New(v1.Deps{App: deps.App, Funnel: s.funnel, PDF: pdf, PublicURL: opts.PublicURL, Production: opts.Production})
	s.pages = workerpages.New(s.site)
	s.console = console.New(s.site)
	s.engine = s.router()
	return s
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

func (s *Server) fail(c *gin.Context, err error) { s.funnel.Fail(c, err) }
