// Package console is the station console: the pages station staff use on a PC at a 零工市场 or 零工驿站
// (today's work, the walk-in desk and 代登记, employers and gigs, review, applications and contracts,
// settlement, the dashboard) and an admin's account management. Every route is for staff only (the
// frame's guard sends anyone else to the console's login page), and every form carries the session's
// CSRF token.
package console

import (
	"lingong/api/kit"
	"lingong/api/web"
	"lingong/domain"
)

// Console is the station console's handlers.
type Console struct {
	*web.Site
	idem kit.Idempotency
}

// New returns the console over the shared site.
func New(site *web.Site) *Console {
	return &Console{Site: site, idem: kit.Idempotency{Funnel: site.Funnel, Once: site.App.Once}}
}

// Routes is every route of the console, in one table.
func (s *Console) Routes() []kit.Route {
	const (
		public      = kit.Public
		consolePage = kit.ConsolePage
		consoleForm = kit.ConsoleForm
	)
	return []kit.Route{
		kit.R("GET", "/console/login", public, s.consoleLoginPage),
		kit.R("POST", "/console/login", public, s.consoleLogin),
		kit.R("POST", "/console/logout", consoleForm, s.consoleLogout),
		kit.R("GET", "/console/password", consolePage, s.consolePasswordPage),
		kit.R("POST", "/console/password", consoleForm, s.consoleChangePassword),
		kit.R("GET", "/console/staff", consolePage, s.consoleStaffPage),
		kit.R("POST", "/console/staff", consoleForm, s.consoleCreateStaff),
		kit.R("POST", "/console/staff/:id/disable", consoleForm, s.consoleDisableStaff),
		kit.R("POST", "/console/staff/:id/reset-password", consoleForm, s.consoleResetStaffPassword),
		kit.R("POST", "/console/staff/:id/station", consoleForm, s.consoleMoveStaff),
		kit.R("GET", "/console/dev/sms", consolePage, s.consoleDevSMS),
		kit.R("GET", "/console/dashboard", consolePage, s.consoleDashboard),
		kit.R("GET", "/console/dashboard.csv", consolePage, s.dashboardCSV),
		kit.R("GET", "/console/evidence", consolePage, s.consoleEvidence),
		// Settlement at the desk (settlement.go).
		kit.R("GET", "/console/ledger", consolePage, s.consoleLedgerFind),
		kit.R("GET", "/console/contracts/:id/ledger", consolePage, s.consoleLedgerPage),
		kit.R("POST", "/console/contracts/:id/ledger", consoleForm, s.consoleLedgerPost),
		kit.R("GET", "/console/weigh", consolePage, s.consoleWeighPage),
		kit.R("POST", "/console/weigh", consoleForm, s.consoleWeighPost),
		kit.R("GET", "/console/attendance", consolePage, s.consoleAttendancePage),
		kit.R("POST", "/console/attendance", consoleForm, s.consoleAttendancePost),
		kit.R("POST", "/console/no-shows/:id/contest", consoleForm, s.consoleContestPost),
		kit.R("POST", "/console/contracts/:id/cancel", consoleForm, s.consoleCancelPost),
		kit.R("POST", "/console/contracts/:id/end-early", consoleForm, s.consoleEndEarlyPost),
		kit.R("GET", "/console/ledger/:id/slip", consolePage, s.consoleSlip),
		kit.R("GET", "/console/disputes", consolePage, s.consoleDisputes),
		kit.R("POST", "/console/disputes/:id/resolve", consoleForm, s.consoleResolve),
		kit.R("GET", "/console/arrears", consolePage, s.consoleArrears),
		kit.R("POST", "/console/arrears/:id/clear", consoleForm, s.consoleClearArrears),
		kit.R("GET", "/console/payroll", consolePage, s.consolePayroll),
		kit.R("GET", "/console/incidents", consolePage, s.consoleIncidents),
		kit.R("POST", "/console/incidents", consoleForm, s.consoleRecordIncident),
		kit.R("POST", "/console/incidents/:id/status", consoleForm, s.consoleMoveIncident),
		kit.R("GET", "/console/employers/:id/guarantee", consolePage, s.consoleGuarantee),
		kit.R("POST", "/console/employers/:id/guarantee", consoleForm, s.consoleRecordGuarantee),
		kit.R("POST", "/console/guarantee/:id/confirm", consoleForm, s.consoleConfirmGuarantee),
		kit.R("POST", "/console/arrears/:id/advance", consoleForm, s.consoleAdvance),
		kit.R("GET", "/console/gigs/:id/cover", consolePage, s.consoleCoverPage),
		kit.R("POST", "/console/gigs/:id/cover", consoleForm, s.consoleDeclareCover),
		// The station's working screens (today.go, desk.go, gigs.go).
		kit.R("GET", "/console", consolePage, s.consoleToday),
		kit.R("GET", "/console/desk", consolePage, s.consoleDesk),
		kit.R("POST", "/console/desk/register", consoleForm, s.consoleRegister),
		kit.R("GET", "/console/workers", consolePage, s.consoleWorkers),
		kit.R("GET", "/console/workers/:id", consolePage, s.consoleWorker),
		kit.R("POST", "/console/workers/:id/signin", consoleForm, s.consoleSignIn),
		kit.R("POST", "/console/workers/:id/apply", consoleForm, s.consoleApplyFor),
		kit.R("POST", "/console/workers/:id/id-number", consoleForm, s.consoleCorrectID),
		kit.R("GET", "/console/employers", consolePage, s.consoleEmployers),
		kit.R("POST", "/console/employers", consoleForm, s.consoleCreateEmployer),
		kit.R("GET", "/console/gigs", consolePage, s.consoleJobs),
		kit.R("GET", "/console/gigs/new", consolePage, s.consoleNewJob),
		kit.R("POST", "/console/gigs", consoleForm, s.consoleCreateJob),
		kit.R("GET", "/console/gigs/:id", consolePage, s.consoleJobPage),
		kit.R("GET", "/console/gigs/:id/edit", consolePage, s.consoleEditJob),
		kit.R("POST", "/console/gigs/:id/edit", consoleForm, s.consoleUpdateJob),
		kit.R("POST", "/console/gigs/:id/review", consoleForm, s.consoleReview),
		kit.R("POST", "/console/gigs/:id/invite", consoleForm, s.consoleInvite),
		kit.R("POST", "/console/applications/:id/accept", consoleForm, s.consoleAccept),
		kit.R("POST", "/console/applications/:id/decline", consoleForm, s.consoleDecline),
		kit.R("GET", "/console/contracts/:id", consolePage, s.consoleContract),
		kit.R("POST", "/console/contracts/:id/witness", consoleForm, s.consoleWitness),
		kit.R("POST", "/console/offers/:id/agree", consoleForm, s.consoleOfferAnswer(domain.OfferAgree)),
		kit.R("POST", "/console/offers/:id/refuse", consoleForm, s.consoleOfferAnswer(domain.OfferRefuse)),
		kit.R("GET", "/console/reports", consolePage, s.consoleReports),
		kit.R("POST", "/console/reports/:id/handle", consoleForm, s.consoleHandleReport),
		kit.R("POST", "/console/id-conflicts/:id/resolve", consoleForm, s.consoleResolveConflict),
	}
}
