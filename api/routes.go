package api

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	v1 "lingong/api/v1"
	workerpages "lingong/api/web/worker"
	"lingong/domain"
)

// routes is every route of the service: the frame's own (operations, static files), then each
// audience's table.
func (s *Server) routes() []kit.Route {
	out := []kit.Route{
		kit.R("GET", "/healthz", kit.Public, s.healthz),
		kit.R("GET", "/readyz", kit.Public, s.readyz),
		kit.R("GET", "/metrics", kit.Public, s.metricsGate(s.metrics.handler())),
		kit.R("GET", "/static/*file", kit.Public, s.site.Static),
	}
	out = append(out, s.api.Routes()...)
	out = append(out, s.pages.Routes()...)
	return append(out, s.console.Routes()...)
}

// router builds the gin engine from the tables, with the middleware every request passes through.
func (s *Server) router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	// Believe X-Forwarded-For only from configured proxies: the per-IP SMS limit keys on ClientIP.
	if err := r.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		panic(fmt.Sprintf("api: trusted proxies %v: %v", s.opts.TrustedProxies, err))
	}
	r.Use(s.requestID, s.metrics.observe, s.accessLog, compress, s.recoverPanic, s.securityHeaders, s.limits, s.authenticate)
	for _, rt := range s.routes() {
		// Every route's parameters are checked against the OpenAPI document before its handler runs.
		handlers := []gin.HandlerFunc{s.guard(rt.Access), s.passwordFirst(rt)}
		if strings.HasPrefix(rt.Path, "/api/") {
			handlers = append(handlers, s.apiWrite)
		}
		if rt.Access == kit.ConsoleForm || rt.Access == kit.WorkerForm {
			handlers = append(handlers, s.checkCSRF(rt.Access))
		}
		handlers = append(handlers, v1.ValidateParams(s.funnel, rt.Method, rt.Path), rt.Handler)
		r.Handle(rt.Method, rt.Path, handlers...)
	}
	r.NoRoute(func(c *gin.Context) { s.fail(c, kit.ErrNoRoute) })
	return r
}

// guard enforces a route's access level. An API route refuses the wrong caller (401 when anonymous,
// 403 otherwise); a page sends an anonymous visitor to its login page (the console's, or the
// worker's) instead, and refuses a logged-in caller of the wrong kind with an error page.
func (s *Server) guard(a kit.Access) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := kit.Principal(c)
		if a.Allows(p) {
			c.Next()
			return
		}
		switch {
		case p.Kind == domain.Anonymous && (a == kit.ConsolePage || a == kit.ConsoleForm):
			c.Redirect(http.StatusSeeOther, "/console/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
		case p.Kind == domain.Anonymous && (a == kit.WorkerPage || a == kit.WorkerForm):
			// Back to this page after logging in (a form post cannot be replayed: back to the page
			// it was posted from, when that is one of ours).
			next := c.Request.URL.RequestURI()
			if c.Request.Method != http.MethodGet {
				next = refererPath(c)
			}
			if next = workerpages.SafeNext(next); next != "" {
				c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
			} else {
				c.Redirect(http.StatusSeeOther, "/login")
			}
			c.Abort()
		case p.Kind == domain.Anonymous:
			s.fail(c, domain.Unauthorized(""))
		case a == kit.ConsolePage || a == kit.ConsoleForm:
			s.fail(c, domain.Forbidden("工作台只对驿站工作人员开放"))
		case a == kit.WorkerPage || a == kit.WorkerForm:
			s.fail(c, domain.Forbidden("这是零工本人的页面，请用零工的手机号登录"))
		default:
			s.fail(c, domain.Forbidden(""))
		}
	}
}

// passwordFirst holds a staff account whose password an admin reset to changing it: every other console
// page leads to the password page, every other API call is refused, until the owner has chosen their own.
// Public routes, the password page and logging out stay open.
func (s *Server) passwordFirst(rt kit.Route) gin.HandlerFunc {
	open := rt.Access == kit.Public || rt.Path == "/console/password" || rt.Path == "/console/logout" || rt.Path == "/api/v1/auth/logout"
	return func(c *gin.Context) {
		if open || !kit.Principal(c).MustChangePassword {
			c.Next()
			return
		}
		if rt.Access == kit.ConsolePage || rt.Access == kit.ConsoleForm {
			c.Redirect(http.StatusSeeOther, "/console/password")
			c.Abort()
			return
		}
		s.fail(c, domain.Forbidden("管理员重置了您的密码，请先在工作台修改密码"))
	}
}

// checkCSRF refuses a form post (console or worker page) whose token is not the session's.
func (s *Server) checkCSRF(a kit.Access) gin.HandlerFunc {
	expired := "页面已过期，请刷新后重试"
	if a == kit.ConsoleForm {
		expired = "表单已过期，请刷新页面后重试"
	}
	return func(c *gin.Context) {
		want, err := s.app.CSRFToken(c.Request.Context(), kit.Principal(c))
		if err != nil {
			s.fail(c, err)
			return
		}
		got := c.PostForm(kit.CSRFField)
		if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(c, domain.Forbidden(expired))
			return
		}
		c.Next()
	}
}

// refererPath is the path and query of the page a form was posted from, when it is this site's.
func refererPath(c *gin.Context) string {
	ref, err := url.Parse(c.GetHeader("Referer"))
	if err != nil || ref.Host != c.Request.Host {
		return ""
	}
	return ref.RequestURI()
}
