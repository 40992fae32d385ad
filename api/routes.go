package api

import (
	"fmt"

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
	consolePage                   // a console page: staff, else redirected to the console login
	consoleForm                   // a console form post: consolePage plus the session's CSRF token
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
		{"POST", "/api/v1/auth/logout", anyUser, s.noBody(s.logout)},

		// Stations.
		{"GET", "/api/v1/stations", public, s.listStations},
		{"GET", "/api/v1/stations/:code/qrcode.png", public, s.stationQRCode},
		{"GET", "/api/v1/stations/:code/poster.pdf", public, s.stationPoster},

		// Workers: SMS codes, registration, login, the own profile and card; staff look-ups by card or
		// number (station-scoped); the SMS outbox of the built-in driver.
		{"POST", "/api/v1/auth/otp", public, s.sendOTP},
		{"POST", "/api/v1/auth/worker", public, s.workerLogin},
		{"POST", "/api/v1/workers", public, s.registerWorker},
		{"GET", "/api/v1/workers/me", workerOnly, s.myWorker},
		{"PATCH", "/api/v1/workers/me", workerOnly, s.patchMyWorker},
		{"GET", "/api/v1/workers/me/card.pdf", workerOnly, s.myCardPDF},
		{"GET", "/api/v1/workers/me/matches", workerOnly, s.myMatches},
		{"GET", "/api/v1/workers/me/notifications", workerOnly, s.myNotifications},
		{"POST", "/api/v1/workers/me/card/revoke", workerOnly, s.noBody(s.revokeMyCard)},
		{"GET", "/api/v1/workers/lookup", staffOnly, s.lookupWorker},
		{"GET", "/api/v1/workers/:id", staffOnly, s.workerForStaff},
		{"GET", "/api/v1/workers/:id/card.pdf", staffOnly, s.cardPDFForStaff},
		{"POST", "/api/v1/workers/:id/card/revoke", staffOnly, s.noBody(s.revokeCardForStaff)},
		{"GET", "/api/v1/admin/sms-outbox", adminOnly, s.adminSMSOutbox},

		// Applications and contracts (电子合约).
		{"POST", "/api/v1/jobs/:id/applications", anyUser, s.applyToJob},
		{"GET", "/api/v1/jobs/:id/applications", employerOrStaff, s.jobApplications},
		{"GET", "/api/v1/workers/me/applications", workerOnly, s.myApplications},
		{"POST", "/api/v1/applications/:id/accept", employerOrStaff, s.noBody(s.acceptApplication)},
		{"POST", "/api/v1/applications/:id/decline", employerOrStaff, s.noBody(s.declineApplication)},
		{"POST", "/api/v1/applications/:id/withdraw", workerOnly, s.noBody(s.withdrawApplication)},
		{"POST", "/api/v1/workers/me/otp", workerOnly, s.sendConfirmCode},
		{"GET", "/api/v1/workers/me/contracts", workerOnly, s.myContracts},
		{"GET", "/api/v1/employer/contracts", employerOnly, s.employerContracts},
		{"GET", "/api/v1/contracts/:id", anyUser, s.getContract},
		{"GET", "/api/v1/contracts/:id/pdf", anyUser, s.contractPDF},
		{"POST", "/api/v1/contracts/:id/sign", anyUser, s.signContract},
		{"POST", "/api/v1/contracts/:id/amend", employerOrStaff, s.amendContract},
		{"GET", "/api/v1/stations/:code/contracts.pdf", staffOnly, s.stationContractsPDF},
		{"GET", "/api/v1/verify/:number", public, s.verifyContract},
		{"GET", "/verify/:number", public, s.verifyPage},
		{"GET", "/me/contracts/:id", public, s.meContractPage},
		{"POST", "/me/contracts/:id/code", public, s.meContractCode},
		{"POST", "/me/contracts/:id/sign", public, s.meContractSign},

		// Settlement (结算): the wage ledger of a contract, weigh tickets, the worker's answers, the
		// station's dispute queue, arrears alerts (欠薪预警) and the monthly 工资支付台账.
		{"POST", "/api/v1/contracts/:id/ledger", employerOrStaff, s.postLedgerEntry},
		{"GET", "/api/v1/contracts/:id/ledger", anyUser, s.getLedger},
		{"GET", "/api/v1/contracts/:id/ledger.pdf", anyUser, s.ledgerPDF},
		{"POST", "/api/v1/weigh-tickets", employerOrStaff, s.postWeighTicket},
		{"POST", "/api/v1/ledger/:id/confirm", workerOnly, s.confirmLedgerEntry},
		{"POST", "/api/v1/ledger/:id/dispute", workerOnly, s.disputeLedgerEntry},
		{"POST", "/api/v1/ledger/:id/resolve", staffOnly, s.resolveDispute},
		{"GET", "/api/v1/disputes", staffOnly, s.listDisputes},
		{"GET", "/api/v1/arrears", staffOnly, s.listArrears},
		{"POST", "/api/v1/arrears/:id/clear", staffOnly, s.noBody(s.clearArrears)},
		{"GET", "/api/v1/employer/arrears", employerOnly, s.employerArrears},
		{"GET", "/api/v1/stations/:code/payroll", staffOnly, s.stationPayroll},
		{"POST", "/me/ledger/:id/confirm", public, s.meLedgerConfirm},
		{"POST", "/me/ledger/:id/dispute", public, s.meLedgerDispute},

		// Monitoring (信息监测).
		{"GET", "/api/v1/stats", staffOnly, s.getStats},

		// Station console.
		{"GET", "/console/login", public, s.consoleLoginPage},
		{"POST", "/console/login", public, s.consoleLogin},
		{"POST", "/console/logout", consoleForm, s.consoleLogout},
		{"GET", "/console/password", consolePage, s.consolePasswordPage},
		{"POST", "/console/password", consoleForm, s.consoleChangePassword},
		{"GET", "/console/staff", consolePage, s.consoleStaffPage},
		{"POST", "/console/staff", consoleForm, s.consoleCreateStaff},
		{"GET", "/console/dashboard", consolePage, s.consoleDashboard},
		{"GET", "/console/dashboard.csv", consolePage, s.dashboardCSV},
		// Settlement at the desk (console_settlement.go).
		{"GET", "/console/ledger", consolePage, s.consoleLedgerFind},
		{"GET", "/console/contracts/:id/ledger", consolePage, s.consoleLedgerPage},
		{"POST", "/console/contracts/:id/ledger", consoleForm, s.consoleLedgerPost},
		{"GET", "/console/weigh", consolePage, s.consoleWeighPage},
		{"POST", "/console/weigh", consoleForm, s.consoleWeighPost},
		{"GET", "/console/ledger/:id/slip", consolePage, s.consoleSlip},
		{"GET", "/console/disputes", consolePage, s.consoleDisputes},
		{"POST", "/console/disputes/:id/resolve", consoleForm, s.consoleResolve},
		{"GET", "/console/arrears", consolePage, s.consoleArrears},
		{"POST", "/console/arrears/:id/clear", consoleForm, s.consoleClearArrears},
		{"GET", "/console/payroll", consolePage, s.consolePayroll},
		// The station's working screens (console_today.go, console_desk.go, console_gigs.go).
		{"GET", "/console", consolePage, s.consoleToday},
		{"GET", "/console/desk", consolePage, s.consoleDesk},
		{"POST", "/console/desk/register", consoleForm, s.consoleRegister},
		{"GET", "/console/workers/:id", consolePage, s.consoleWorker},
		{"POST", "/console/workers/:id/signin", consoleForm, s.consoleSignIn},
		{"POST", "/console/workers/:id/apply", consoleForm, s.consoleApplyFor},
		{"GET", "/console/employers", consolePage, s.consoleEmployers},
		{"POST", "/console/employers", consoleForm, s.consoleCreateEmployer},
		{"GET", "/console/gigs", consolePage, s.consoleGigs},
		{"GET", "/console/gigs/new", consolePage, s.consoleNewGig},
		{"POST", "/console/gigs", consoleForm, s.consoleCreateGig},
		{"GET", "/console/gigs/:id", consolePage, s.consoleGig},
		{"GET", "/console/gigs/:id/edit", consolePage, s.consoleEditGig},
		{"POST", "/console/gigs/:id/edit", consoleForm, s.consoleUpdateGig},
		{"POST", "/console/gigs/:id/review", consoleForm, s.consoleReview},
		{"POST", "/console/gigs/:id/invite", consoleForm, s.consoleInvite},
		{"POST", "/console/applications/:id/accept", consoleForm, s.consoleAccept},
		{"POST", "/console/applications/:id/decline", consoleForm, s.consoleDecline},
		{"GET", "/console/contracts/:id", consolePage, s.consoleContract},
		{"POST", "/console/contracts/:id/witness", consoleForm, s.consoleWitness},

		// Employers and their API keys.
		{"POST", "/api/v1/employers", staffOnly, s.createEmployer},
		{"GET", "/api/v1/employers/:id", employerOrStaff, s.getEmployer},
		{"GET", "/api/v1/employers/:id/keys", employerOrStaff, s.listAPIKeys},
		{"POST", "/api/v1/employers/:id/keys", employerOrStaff, s.noBody(s.createAPIKey)},
		{"POST", "/api/v1/employers/:id/keys/:key_id/rotate", employerOrStaff, s.noBody(s.rotateAPIKey)},
		{"DELETE", "/api/v1/employers/:id/keys/:key_id", employerOrStaff, s.noBody(s.revokeAPIKey)},
		{"GET", "/api/v1/employer", employerOnly, s.employerMe},
		{"GET", "/api/v1/employer/jobs", employerOnly, s.employerJobs},

		// Gigs: posting, review, the library.
		{"GET", "/api/v1/jobs", public, s.searchJobs},
		{"POST", "/api/v1/jobs", employerOrStaff, s.createJob},
		{"GET", "/api/v1/jobs/:id", public, s.getJob},
		{"PATCH", "/api/v1/jobs/:id", employerOrStaff, s.updateJob},
		{"POST", "/api/v1/jobs/:id/review", staffOnly, s.reviewJob},
		{"POST", "/api/v1/jobs/:id/close", employerOrStaff, s.closeJob},
		{"GET", "/api/v1/jobs/:id/candidates", employerOrStaff, s.jobCandidates},
		{"GET", "/api/v1/station/jobs", staffOnly, s.stationJobs},

		// The API's own description.
		{"GET", "/api/openapi.yaml", public, s.openapiDocument},
		{"GET", "/api/docs", public, s.apiDocs},

		// Pages.
		{"GET", "/", public, s.homePage},
		{"GET", "/static/*file", public, s.static},
		// Registration after scanning a station's poster, and login for registered workers: phone ->
		// SMS code -> profile, as plain forms (see pages_register.go).
		{"GET", "/r/:code", public, s.registerPage},
		{"POST", "/r/:code", public, s.registerSubmit},
		{"POST", "/r/:code/otp", public, s.registerSendCode},
		{"POST", "/r/:code/verify", public, s.registerVerify},
		{"POST", "/r/:code/reset", public, s.registerReset},
		{"GET", "/login", public, s.loginPage},
		{"POST", "/login/otp", public, s.loginSendCode},
		{"POST", "/login/verify", public, s.loginVerify},
		{"POST", "/login/reset", public, s.loginReset},
		// The worker's own pages: the card, the profile form, logout.
		{"GET", "/me", public, s.mePage},
		{"GET", "/me/edit", public, s.meEditPage},
		{"POST", "/me/edit", public, s.meEditSubmit},
		{"POST", "/me/logout", public, s.meLogout},
		// What a worker card's QR code opens: a check of the card for anyone, the profile for its
		// station's staff.
		{"GET", "/c/:token", public, s.cardPage},
		{"GET", "/jobs", public, s.jobsPage},
		{"GET", "/jobs/:id", public, s.jobPage},
		{"GET", "/jobs/:id/qrcode.png", public, s.jobQRCode},
		{"POST", "/jobs/:id/apply", public, s.applyFromPage},
	}
}

// router builds the gin engine from the table, with the middleware every request passes through.
func (s *Server) router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	// Believe X-Forwarded-For only from configured proxies: the per-IP SMS limit keys on ClientIP.
	if err := r.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		panic(fmt.Sprintf("api: trusted proxies %v: %v", s.opts.TrustedProxies, err))
	}
	r.Use(s.requestID, s.metrics.observe, s.accessLog, s.recoverPanic, securityHeaders, s.limits, s.authenticate)
	for _, rt := range s.routes() {
		// Every route's parameters are checked against the OpenAPI document before its handler runs.
		validate := s.validateParams(rt.method, rt.path)
		switch rt.access {
		case consolePage:
			r.Handle(rt.method, rt.path, s.consoleGuard, validate, rt.handler)
		case consoleForm:
			r.Handle(rt.method, rt.path, s.consoleGuard, s.checkCSRF, validate, rt.handler)
		default:
			r.Handle(rt.method, rt.path, s.guard(rt.access), validate, rt.handler)
		}
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
