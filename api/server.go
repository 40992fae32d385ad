// Package api is the only package that speaks HTTP: the JSON API under /api/v1 (DESIGN.md section 3),
// the server-rendered pages for workers and station staff, health and metrics. Every route is listed
// in one table (routes.go); handlers are thin: parse, validate, call the store, render.
package api

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// Store is what the api needs from the database. The store package implements it; the api never
// imports gorm or a driver. Each capability declares its part next to its handlers (authStore in
// auth.go, …) and is embedded here.
type Store interface {
	opsStore
	authStore
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
}

// Server holds the api's dependencies. Create it with New; serve Handler().
type Server struct {
	opts    Options
	store   Store
	log     *slog.Logger
	clock   domain.Clock
	metrics *metrics
	engine  *gin.Engine
}

// Deps are the collaborators New wires together.
type Deps struct {
	Store  Store
	Logger *slog.Logger
	Clock  domain.Clock
}

// New builds the server and its router.
func New(opts Options, deps Deps) *Server {
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 15 * time.Second
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, store: deps.Store, log: deps.Logger, clock: deps.Clock,
		metrics: newMetrics(deps.Store.PoolStats)}
	s.engine = s.router()
	return s
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }
