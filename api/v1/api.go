// Package v1 is the JSON API under /api/v1 (DESIGN.md section 3) for employers' systems, station staff's
// tools and the workers' apps: one file per resource, thin handlers (decode, call the use case in app,
// render), every route in one table (Routes), every route documented in openapi.yaml, which this package
// serves at /api/openapi.yaml and /api/docs and against which the frame validates every request's
// parameters.
package v1

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// Deps are what the JSON API works with.
type Deps struct {
	App    *app.Service
	Funnel *kit.Funnel
	PDF    *contracts.Renderer // bounds concurrent PDF rendering
	// PublicURL is the base of the links the API hands out (registration QR codes).
	PublicURL string
	// Production turns on Secure cookies.
	Production bool
}

// API is the JSON API's handlers.
type API struct {
	app    *app.Service
	funnel *kit.Funnel
	idem   kit.Idempotency
	pdf    *contracts.Renderer
	opts   Deps
}

// New returns the JSON API over the use cases.
func New(d Deps) *API {
	return &API{app: d.App, funnel: d.Funnel, idem: kit.Idempotency{Funnel: d.Funnel, Once: d.App.Once}, pdf: d.PDF, opts: d}
}

func (s *API) fail(c *gin.Context, err error) { s.funnel.Fail(c, err) }

// noBody wraps a handler whose request has no body (kit.NoBody).
func (s *API) noBody(h gin.HandlerFunc) gin.HandlerFunc { return kit.NoBody(s.funnel, h) }

func (s *API) today() domain.Date { return domain.DateOf(s.app.Now()) }

func (s *API) now() time.Time { return s.app.Now() }

// Routes is every route of the JSON API, in one table.
func (s *API) Routes() []kit.Route {
	const (
		public          = kit.Public
		workerOnly      = kit.WorkerOnly
		employerOnly    = kit.EmployerOnly
		staffOnly       = kit.StaffOnly
		adminOnly       = kit.AdminOnly
		employerOrStaff = kit.EmployerOrStaff
		anyUser         = kit.AnyUser
	)
	return []kit.Route{
		// Authentication.
		kit.R("POST", "/api/v1/auth/login", public, s.login),
		kit.R("POST", "/api/v1/auth/logout", anyUser, s.noBody(s.logout)),

		// Stations.
		kit.R("GET", "/api/v1/stations", public, s.listStations),
		kit.R("GET", "/api/v1/stations/:code/qrcode.png", public, s.stationQRCode),
		kit.R("GET", "/api/v1/stations/:code/poster.pdf", public, s.stationPoster),

		// The taxonomy of trades and certificates.
		kit.R("GET", "/api/v1/skills", public, s.listSkills),
		// The gazetteer: districts, towns (with their seats) and their villages.
		kit.R("GET", "/api/v1/places", public, s.listPlaces),

		// Workers: SMS codes, registration, login, the own profile and card; staff look-ups by card or
		// number (station-scoped); the SMS outbox of the built-in driver.
		kit.R("POST", "/api/v1/auth/otp", public, s.sendOTP),
		kit.R("POST", "/api/v1/auth/worker", public, s.workerLogin),
		kit.R("POST", "/api/v1/workers", public, s.registerWorker),
		kit.R("GET", "/api/v1/workers/me", workerOnly, s.myWorker),
		kit.R("PATCH", "/api/v1/workers/me", workerOnly, s.patchMyWorker),
		kit.R("GET", "/api/v1/workers/me/card.pdf", workerOnly, s.myCardPDF),
		kit.R("GET", "/api/v1/workers/me/matches", workerOnly, s.myMatches),
		kit.R("GET", "/api/v1/workers/me/notifications", workerOnly, s.myNotifications),
		kit.R("POST", "/api/v1/workers/me/card/revoke", workerOnly, s.noBody(s.revokeMyCard)),
		kit.R("GET", "/api/v1/workers/lookup", staffOnly, s.lookupWorker),
		kit.R("GET", "/api/v1/workers/:id", staffOnly, s.workerForStaff),
		kit.R("GET", "/api/v1/workers/:id/card.pdf", staffOnly, s.cardPDFForStaff),
		kit.R("POST", "/api/v1/workers/:id/card/revoke", staffOnly, s.noBody(s.revokeCardForStaff)),
		kit.R("GET", "/api/v1/admin/sms-outbox", adminOnly, s.adminSMSOutbox),
		kit.R("POST", "/api/v1/sms/:provider/receipts", public, s.smsReceipts),
		kit.R("POST", "/api/v1/sms/:provider/replies", public, s.smsReplies),

		// Applications and contracts (电子合约).
		kit.R("POST", "/api/v1/jobs/:id/applications", anyUser, s.applyToJob),
		kit.R("GET", "/api/v1/jobs/:id/applications", employerOrStaff, s.jobApplications),
		kit.R("GET", "/api/v1/workers/me/applications", workerOnly, s.myApplications),
		kit.R("POST", "/api/v1/applications/:id/accept", employerOrStaff, s.noBody(s.acceptApplication)),
		kit.R("POST", "/api/v1/applications/:id/decline", employerOrStaff, s.noBody(s.declineApplication)),
		kit.R("POST", "/api/v1/applications/:id/withdraw", workerOnly, s.noBody(s.withdrawApplication)),
		kit.R("POST", "/api/v1/applications/:id/agree", workerOnly, s.noBody(s.agreeToOffer)),
		kit.R("POST", "/api/v1/applications/:id/refuse", workerOnly, s.noBody(s.refuseOffer)),
		kit.R("POST", "/api/v1/applications/:id/report", workerOnly, s.reportOffer),
		kit.R("POST", "/api/v1/workers/me/otp", workerOnly, s.sendConfirmCode),
		kit.R("GET", "/api/v1/workers/me/contracts", workerOnly, s.myContracts),
		kit.R("GET", "/api/v1/workers/me/no-shows", workerOnly, s.myNoShows),
		kit.R("POST", "/api/v1/workers/me/no-shows/:id/contest", workerOnly, s.requestNoShowContest),
		kit.R("GET", "/api/v1/employer/contracts", employerOnly, s.employerContracts),
		kit.R("GET", "/api/v1/contracts/:id", anyUser, s.getContract),
		kit.R("GET", "/api/v1/contracts/:id/pdf", anyUser, s.contractPDF),
		kit.R("POST", "/api/v1/contracts/:id/sign", anyUser, s.signContract),
		kit.R("POST", "/api/v1/contracts/:id/amend", employerOrStaff, s.amendContract),
		kit.R("GET", "/api/v1/stations/:code/contracts.pdf", staffOnly, s.stationContractsPDF),
		kit.R("GET", "/api/v1/verify/:number", public, s.verifyContract),

		// Settlement (结算): the wage ledger of a contract, weigh tickets, the worker's answers, the
		// station's dispute queue, arrears alerts (欠薪预警) and the monthly 工资支付台账.
		kit.R("POST", "/api/v1/contracts/:id/ledger", employerOrStaff, s.postLedgerEntry),
		kit.R("GET", "/api/v1/contracts/:id/ledger", anyUser, s.getLedger),
		kit.R("GET", "/api/v1/contracts/:id/ledger.pdf", anyUser, s.ledgerPDF),
		kit.R("POST", "/api/v1/weigh-tickets", employerOrStaff, s.postWeighTicket),
		kit.R("POST", "/api/v1/ledger/:id/confirm", workerOnly, s.confirmLedgerEntry),
		kit.R("POST", "/api/v1/ledger/:id/dispute", workerOnly, s.disputeLedgerEntry),
		kit.R("POST", "/api/v1/ledger/:id/employer-review", employerOrStaff, s.employerReview),
		kit.R("POST", "/api/v1/no-shows/:id/decision", employerOrStaff, s.decideNoShow),
		kit.R("POST", "/api/v1/no-shows/:id/contest", staffOnly, s.contestNoShow),
		kit.R("POST", "/api/v1/contracts/:id/cancel", employerOrStaff, s.cancelContract),
		kit.R("POST", "/api/v1/contracts/:id/withdraw", workerOnly, s.withdrawFromContract),
		kit.R("POST", "/api/v1/contracts/:id/end-early", anyUser, s.endContractEarly),
		kit.R("POST", "/api/v1/attendance/scan", employerOrStaff, s.attendanceScan),
		kit.R("POST", "/api/v1/attendance/:id/answer", workerOnly, s.answerClockRecord),
		kit.R("POST", "/api/v1/ledger/:id/resolve", staffOnly, s.resolveDispute),
		kit.R("GET", "/api/v1/disputes", staffOnly, s.listDisputes),
		kit.R("GET", "/api/v1/arrears", staffOnly, s.listArrears),
		kit.R("POST", "/api/v1/arrears/:id/clear", staffOnly, s.noBody(s.clearArrears)),
		kit.R("GET", "/api/v1/employer/arrears", employerOnly, s.employerArrears),
		kit.R("GET", "/api/v1/stations/:code/payroll", staffOnly, s.stationPayroll),

		// Monitoring (信息监测).
		kit.R("GET", "/api/v1/stats", staffOnly, s.getStats),

		// Employers and their API keys.
		kit.R("POST", "/api/v1/employers", staffOnly, s.createEmployer),
		kit.R("GET", "/api/v1/employers/:id", employerOrStaff, s.getEmployer),
		kit.R("GET", "/api/v1/employers/:id/keys", employerOrStaff, s.listAPIKeys),
		kit.R("POST", "/api/v1/employers/:id/keys", employerOrStaff, s.noBody(s.createAPIKey)),
		kit.R("POST", "/api/v1/employers/:id/keys/:key_id/rotate", employerOrStaff, s.noBody(s.rotateAPIKey)),
		kit.R("DELETE", "/api/v1/employers/:id/keys/:key_id", employerOrStaff, s.noBody(s.revokeAPIKey)),
		kit.R("GET", "/api/v1/employer", employerOnly, s.employerMe),
		kit.R("GET", "/api/v1/employer/jobs", employerOnly, s.employerJobs),

		// Gigs: posting, review, the library.
		kit.R("GET", "/api/v1/jobs", public, s.searchJobs),
		kit.R("POST", "/api/v1/jobs", employerOrStaff, s.createJob),
		kit.R("GET", "/api/v1/jobs/:id", public, s.getJob),
		kit.R("PATCH", "/api/v1/jobs/:id", employerOrStaff, s.updateJob),
		kit.R("POST", "/api/v1/jobs/:id/review", staffOnly, s.reviewJob),
		kit.R("POST", "/api/v1/jobs/:id/close", employerOrStaff, s.closeJob),
		kit.R("GET", "/api/v1/jobs/:id/candidates", employerOrStaff, s.jobCandidates),

		// Protection (issue 22): the cover rules, each gig's accident cover and its check.
		kit.R("GET", "/api/v1/admin/protection", staffOnly, s.getProtectionSettings),
		kit.R("PUT", "/api/v1/admin/protection", adminOnly, s.putProtectionSettings),
		kit.R("GET", "/api/v1/jobs/:id/cover", employerOrStaff, s.getCover),
		kit.R("PUT", "/api/v1/jobs/:id/cover", employerOrStaff, s.putCover),
		kit.R("GET", "/api/v1/jobs/:id/cover/scan", employerOrStaff, s.coverScan),
		kit.R("POST", "/api/v1/jobs/:id/cover/check", staffOnly, s.checkCover),
		kit.R("GET", "/api/v1/jobs/:id/guarantee", employerOrStaff, s.jobGuarantee),
		kit.R("GET", "/api/v1/employers/:id/guarantee", employerOrStaff, s.getGuarantee),
		kit.R("POST", "/api/v1/employers/:id/guarantee", staffOnly, s.recordGuarantee),
		kit.R("POST", "/api/v1/guarantee/:id/confirm", staffOnly, s.noBody(s.confirmGuarantee)),
		kit.R("POST", "/api/v1/arrears/:id/advance", staffOnly, s.advanceWages),
		kit.R("GET", "/api/v1/admin/roster", adminOnly, s.roster),
		kit.R("POST", "/api/v1/incidents", staffOnly, s.recordIncident),
		kit.R("GET", "/api/v1/incidents", employerOrStaff, s.listIncidents),
		kit.R("GET", "/api/v1/incidents/:id", employerOrStaff, s.getIncident),
		kit.R("POST", "/api/v1/incidents/:id/status", staffOnly, s.moveIncident),
		kit.R("GET", "/api/v1/incidents/:id/pack.pdf", staffOnly, s.incidentPack),
		kit.R("GET", "/api/v1/jobs/:id/site-poster.pdf", employerOrStaff, s.sitePoster),
		kit.R("GET", "/api/v1/jobs/:id/attendance", employerOrStaff, s.jobAttendance),
		kit.R("POST", "/api/v1/jobs/:id/attendance", employerOnly, s.jobAttendanceClock),
		kit.R("GET", "/api/v1/jobs/:id/attendance.pdf", employerOrStaff, s.jobAttendancePDF),
		kit.R("GET", "/api/v1/jobs/:id/no-shows", employerOrStaff, s.jobNoShows),
		kit.R("GET", "/api/v1/station/jobs", staffOnly, s.stationJobs),

		// The API's own description.
		kit.R("GET", "/api/openapi.yaml", public, s.openapiDocument),
		kit.R("GET", "/api/docs", public, s.apiDocs),
	}
}

// getStats is GET /api/v1/stats: the dashboard's figures as JSON (money in fen).
func (s *API) getStats(c *gin.Context) {
	f, err := kit.StatsFilter(c, s.app)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.app.Stats(c.Request.Context(), kit.Principal(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
