package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// listenEarly listens on LINGONG_ADDR and serves the start gate there until the service is ready.
func listenEarly(cfg Config, log *slog.Logger) (net.Listener, *http.Server, *startGate, chan error, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("LINGONG_ADDR: cannot listen on %s: %w", cfg.Addr, err)
	}
	gate := &startGate{}
	httpServer := &http.Server{
		Handler:           gate,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 15*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(ln) }()
	log.Info("answering health checks while starting", "addr", ln.Addr().String())
	return ln, httpServer, gate, serveErr, nil
}

// startGate is the HTTP handler from the moment the process listens until the service is ready (the
// database migrated, the matching index built): /healthz answers 200 at once (the process is alive),
// everything else, /readyz included, answers 503 with Retry-After, so a load balancer sends no traffic
// yet and an orchestrator does not kill a process that is only loading. ready swaps in the service.
type startGate struct {
	next atomic.Pointer[http.Handler]
}

const startingBody = `{"error":{"code":"unavailable","message":"服务正在启动，请稍后再试"}}`

func (g *startGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := g.next.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.URL.Path == "/healthz" {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"status":"ok"}`))
		return
	}
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(startingBody))
}

// ready hands every later request to h.
func (g *startGate) ready(h http.Handler) { g.next.Store(&h) }
