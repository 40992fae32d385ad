package api

import (
	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// access is who may call a route at all. Handlers still check the object (this gig's owner, this
// station's staff); access only turns away callers who can never be right.
type access int

const (
	public          access = iota // anyone, logged in or not
	workerOnly                    // a worker session
	employerOnly                  // an employer API key
	staffOnly                     // station staff or admin
	adminOnly                     // admin
	workerOrStaff                 // a worker, or staff acting for one
	employerOrStaff               // an employer, or staff acting for one
	anyUser                       // anyone authenticated
)

// route is one row of the routing table.
type route struct {
	method  string
	path    string
	access  access
	handler gin.HandlerFunc
}

// routes is every route of the service, in one place.
func (s *Server) routes() []route {
	return []route{
		// Operations.
		{"GET", "/healthz", public, s.healthz},
		{"GET", "/readyz", public, s.readyz},
		{"GET", "/metrics", public, s.metrics.handler()},

		// Authentication.
		{"POST", "/api/v1/auth/login", public, s.login},
		{"POST", "/api/v1/auth/logout", anyUser, s.logout},

		// Stations.
		{"GET", "/api/v1/stations", public, s.listStations},

		// Pages.
		{"GET", "/", public, s.homePage},
		{"GET", "/static/*file", public, s.static},
	}
}

// router builds the gin engine from the table, with the middleware every request passes through.
func (s *Server) router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	r.Use(s.requestID, s.metrics.observe, s.accessLog, s.recoverPanic, securityHeaders, s.limits, s.authenticate)
	for _, rt := range s.routes() {
		r.Handle(rt.method, rt.path, s.guard(rt.access), rt.handler)
	}
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNoRoute) })
	return r
}

// guard enforces a route's access level.
func (s *Server) guard(a access) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		ok := false
		switch a {
		case public:
			ok = true
		case workerOnly:
			ok = p.Kind == domain.AsWorker
		case employerOnly:
			ok = p.Kind == domain.AsEmployer
		case staffOnly:
			ok = p.IsStaff()
		case adminOnly:
			ok = p.Kind == domain.AsAdmin
		case workerOrStaff:
			ok = p.Kind == domain.AsWorker || p.IsStaff()
		case employerOrStaff:
			ok = p.Kind == domain.AsEmployer || p.IsStaff()
		case anyUser:
			ok = p.Kind != domain.Anonymous
		}
		if ok {
			c.Next()
			return
		}
		if p.Kind == domain.Anonymous {
			s.fail(c, domain.Unauthorized(""))
			return
		}
		s.fail(c, domain.Forbidden(""))
	}
}
