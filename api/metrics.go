package api

import (
	"crypto/subtle"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"lingong/api/kit"
	"lingong/domain"
)

// metrics are the Prometheus series of /metrics. They live in a registry of their own (not the global
// default), so two servers in one test process do not collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	series   sync.Map // seriesKey → *series
}

func newMetrics(pool func() sql.DBStats) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lingong_http_requests_total",
			Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lingong_http_request_duration_seconds",
			Help:    "HTTP request latency by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	m.registry.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		m.registry.MustRegister(poolCollector{stats: pool})
	}
	return m
}

// observe is the middleware that records every request under its route template (never the raw path,
// which would make one series per gig id).
func (m *metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	k := seriesKey{route: route, method: c.Request.Method, status: c.Writer.Status()}
	s, ok := m.series.Load(k)
	if !ok {
		// The label values are hashed once per route, method and status, not on every request. The keys
		// are bounded as the series are: route templates, methods gin routes, statuses.
		s, _ = m.series.LoadOrStore(k, &series{
			requests: m.requests.WithLabelValues(route, k.method, strconv.Itoa(k.status)),
			latency:  m.latency.WithLabelValues(route, k.method),
		})
	}
	s.(*series).requests.Inc()
	s.(*series).latency.Observe(time.Since(start).Seconds())
}

type seriesKey struct {
	route, method string
	status        int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

// poolCollector exports the database connection pool.
type poolCollector struct{ stats func() sql.DBStats }

var (
	poolOpen  = prometheus.NewDesc("lingong_db_connections_open", "Open database connections.", nil, nil)
	poolInUse = prometheus.NewDesc("lingong_db_connections_in_use", "Database connections in use.", nil, nil)
	poolIdle  = prometheus.NewDesc("lingong_db_connections_idle", "Idle database connections.", nil, nil)
	poolWait  = prometheus.NewDesc("lingong_db_wait_total", "Times a request waited for a database connection.", nil, nil)
	poolWaitS = prometheus.NewDesc("lingong_db_wait_seconds_total", "Time spent waiting for database connections.", nil, nil)
)

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolInUse
	ch <- poolIdle
	ch <- poolWait
	ch <- poolWaitS
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.stats()
	ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaitS, prometheus.CounterValue, s.WaitDuration.Seconds())
}

// metricsGate guards /metrics: with a token configured, only "Authorization: Bearer <token>" gets the
// figures (401 otherwise); without one they are open in development and not served in production.
func (s *Server) metricsGate(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch {
		case s.opts.MetricsToken != "":
			got, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.MetricsToken)) != 1 {
				c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
				s.fail(c, domain.Unauthorized("需要监控令牌（LINGONG_METRICS_TOKEN）"))
				return
			}
		case s.opts.Production:
			s.fail(c, kit.ErrNoRoute)
			return
		}
		h(c)
	}
}
