// Package api is the only package that speaks HTTP: the JSON API under /api/v1 (DESIGN.md section 3),
// the server-rendered pages for workers and station staff, health and metrics. Every route is listed
// in one table (routes.go); handlers are thin: parse, validate, call the store, render.
package api

import (
	"context"
	"crypto/rand"
	"database/sql"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// Store is what the api needs from the database. The store package implements it; the api never
// imports gorm or a driver. Each capability declares its part next to its handlers (authStore in
// auth.go, …) and is embedded here.
type Store interface {
	opsStore
	authStore
	workerStore
	smsStore
	consoleStore
	deskStore
	statsStore
	applicationStore
	contractStore
	verifyStore
	employerStore
	jobStore
	pageStore
	matchStore
	ledgerStore
}

// opsStore is what health, metrics and the station list need.
type opsStore interface {
	Ping(ctx context.Context) error
	PoolStats() sql.DBStats
	Stations(ctx context.Context) ([]domain.Station, error)
	StationByCode(ctx context.Context, code string) (domain.Station, error)
}

// Options are the api's share of the service configuration.
type Options struct {
	PublicURL string // base of links printed in QR codes and SMS, e.g. https://lg.zw.gov.cn
	// RequestTimeout bounds each request's work (database included); a request past it answers 503.
	RequestTimeout time.Duration
	// Production turns on Secure cookies and hides nothing else; errors never leak internals anyway.
	Production bool
	// SecretKey is the service's master secret (LINGONG_SECRET_KEY). The api derives its own keys from
	// it (domain.DeriveKey): the worker-card signer, the registration page's step cookie, the sealing of
	// an ID number carried across a failed form. Empty gives a random key for this process only (tests):
	// cards printed under it stop working at the next start, so cmd always passes the configured one.
	SecretKey []byte
	// OTPLimits bound how often SMS codes are sent (LINGONG_OTP_*); the zero value means
	// domain.DefaultOTPLimits.
	OTPLimits domain.OTPLimits
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies whose X-Forwarded-For is
	// believed (LINGONG_TRUSTED_PROXIES). Empty trusts none: the client IP is the connection's, so the
	// per-IP SMS limit cannot be dodged with a forged header.
	TrustedProxies []string
	// MinHourlyWageFen is the local minimum hourly wage; gigs paying less are refused (0 = no check).
	MinHourlyWageFen int64
	// Push are the rules of 精准推送 (LINGONG_PUSH_*); the zero value means domain.DefaultPushRules.
	Push domain.PushRules
}

// Server holds the api's dependencies. Create it with New; serve Handler().
type Server struct {
	opts    Options
	store   Store
	log     *slog.Logger
	clock   domain.Clock
	metrics *metrics
	engine  *gin.Engine
	sms     SMSSender
	keys    keys
	pdf     *contracts.Renderer // bounds concurrent PDF rendering (posters, cards, later contracts)
	index   jobIndex
	pusher  *pusher // pushes of approved gigs, off the request path
	// indexSync orders the index's updates of each record (see syncJob).
	indexSync indexSync

	expiry       expiry     // the library's once-a-day sweep
	sweepMu      sync.Mutex // one sweep at a time
	stationCache stationCache
}

// keys are the api's derived secrets, one per purpose.
type keys struct {
	card    []byte // signs worker-card tokens
	regStep []byte // signs the registration page's step cookie
	form    []byte // seals an ID number carried across a failed form
}

// Deps are the collaborators New wires together.
type Deps struct {
	Store  Store
	Logger *slog.Logger
	Clock  domain.Clock
	// SMS delivers text messages; nil means the built-in outbox driver (NewOutboxSender).
	SMS SMSSender
	// Index is the matching engine's in-memory index of open gigs and active workers, built by the
	// caller from Store.OpenJobs and Store.ActiveWorkers; the api keeps it current after every gig and
	// worker change it makes, and ApplyChange applies the changes of other processes. nil runs without a
	// library, recommendations or pushes.
	Index jobIndex
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
	if opts.OTPLimits == (domain.OTPLimits{}) {
		opts.OTPLimits = domain.DefaultOTPLimits
	}
	if opts.Push == (domain.PushRules{}) {
		opts.Push = domain.DefaultPushRules
	}
	if deps.SMS == nil {
		deps.SMS = NewOutboxSender(deps.Store, deps.Logger)
	}
	s := &Server{opts: opts, store: deps.Store, log: deps.Logger, clock: deps.Clock,
		metrics: newMetrics(deps.Store.PoolStats), sms: deps.SMS, pdf: contracts.NewRenderer(0), index: deps.Index,
		pusher: newPusher(),
		keys: keys{
			card:    domain.DeriveKey(opts.SecretKey, "worker-card"),
			regStep: domain.DeriveKey(opts.SecretKey, "registration-step"),
			form:    domain.DeriveKey(opts.SecretKey, "form-id-number"),
		}}
	s.engine = s.router()
	return s
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }
