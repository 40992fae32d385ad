// Package worker is the phone pages that workers and the public open: the front page, registration
// after scanning a station's poster (/r/{code}) and login (/login), the worker's own pages (/me: the card,
// profile, applications, contracts and pay), the job library (/jobs), the public contract check
// (/verify) and what a worker card's QR code opens (/c). Plain forms that work without JavaScript on a
// cheap phone with a weak signal.
package worker

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
	"lingong/app"
	"lingong/domain"
)

// Pages is the phone pages' handlers.
type Pages struct {
	*web.Site
	stepKey []byte // signs the registration page's step cookie
}

// New returns the phone pages over the shared site.
func New(site *web.Site) *Pages {
	return &Pages{Site: site, stepKey: domain.DeriveKey(site.SecretKey, "registration-step")}
}

// Routes is every route of the phone pages, in one table.
func (s *Pages) Routes() []kit.Route {
	const (
		public     = kit.Public
		workerPage = kit.WorkerPage
		workerForm = kit.WorkerForm
	)
	return []kit.Route{
		kit.R("GET", "/", public, s.homePage),
		// Registration after scanning a station's poster, and login for registered workers: phone ->
		// SMS code -> profile, as plain forms (register.go).
		kit.R("GET", "/r/:code", public, s.registerPage),
		kit.R("POST", "/r/:code", public, s.registerSubmit),
		kit.R("POST", "/r/:code/otp", public, s.registerSendCode),
		kit.R("POST", "/r/:code/verify", public, s.registerVerify),
		kit.R("POST", "/r/:code/reset", public, s.registerReset),
		kit.R("GET", "/login", public, s.loginPage),
		kit.R("POST", "/login/otp", public, s.loginSendCode),
		kit.R("POST", "/login/verify", public, s.loginVerify),
		kit.R("POST", "/login/reset", public, s.loginReset),
		// The worker's own pages: the card, the profile form, contracts and pay, logout.
		kit.R("GET", "/me", workerPage, s.mePage),
		kit.R("GET", "/me/edit", workerPage, s.meEditPage),
		kit.R("POST", "/me/edit", workerForm, s.meEditSubmit),
		kit.R("POST", "/me/logout", workerForm, s.meLogout),
		kit.R("GET", "/me/contracts/:id", workerPage, s.meContractPage),
		kit.R("POST", "/me/contracts/:id/code", workerForm, s.meContractCode),
		kit.R("POST", "/me/contracts/:id/sign", workerForm, s.meContractSign),
		kit.R("POST", "/me/contracts/:id/withdraw", workerForm, s.meContractWithdraw),
		kit.R("POST", "/me/contracts/:id/end-early", workerForm, s.meContractEndEarly),
		kit.R("POST", "/me/contracts/:id/no-shows/:ns/contest", workerForm, s.meNoShowContest),
		kit.R("POST", "/me/offers/:id/agree", workerForm, s.meOfferAnswer("agree")),
		kit.R("POST", "/me/offers/:id/refuse", workerForm, s.meOfferAnswer("refuse")),
		kit.R("POST", "/me/offers/:id/report", workerForm, s.meOfferAnswer("report")),
		kit.R("POST", "/me/ledger/:id/confirm", workerForm, s.meLedgerConfirm),
		kit.R("POST", "/me/ledger/:id/dispute", workerForm, s.meLedgerDispute),
		kit.R("POST", "/me/attendance/:id/answer", workerForm, s.meAttendanceAnswer),
		// The job library.
		kit.R("GET", "/jobs", public, s.jobsPage),
		kit.R("GET", "/jobs/:id", public, s.jobPage),
		kit.R("GET", "/jobs/:id/qrcode.png", public, s.jobQRCode),
		kit.R("POST", "/jobs/:id/apply", workerForm, s.applyFromPage),
		// What a worker card's QR code opens: a check of the card for anyone, the profile for its
		// station's staff; the public check of a printed contract.
		kit.R("GET", "/c/:token", public, s.cardPage),
		kit.R("GET", "/verify/:number", public, s.verifyPage),
		// What a site poster's QR code opens: the worker's 签到/签退 for their contract there today.
		kit.R("GET", "/a/:code", workerPage, s.sitePage),
		kit.R("POST", "/a/:code", workerForm, s.siteSubmit),
	}
}

// homePage is the front door: find work, register at a station, or staff log in.
func (s *Pages) homePage(c *gin.Context) {
	stations, err := s.App.Stations(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "home", "中卫零工一码通", stations)
}

// verifyPage is /verify/{number}?code=…: the same check as a page, for whoever scanned the printed QR
// code (which carries the check code) or typed the number and the check code printed on the paper.
// Without a code it asks for one; a wrong code answers 404 as an unknown number does.
func (s *Pages) verifyPage(c *gin.Context) {
	number, code := c.Param("number"), c.Query("code")
	if code == "" {
		s.Render(c, http.StatusOK, "verify", "合约核验", verifyView{Number: number})
		return
	}
	v, err := s.App.Verify(c.Request.Context(), number, code)
	if domain.IsCode(err, domain.CodeNotFound) {
		s.Render(c, http.StatusNotFound, "verify", "合约核验", verifyView{Number: number, Code: code,
			Error: "没有找到这份合约：请核对合约编号和核验码（印在合约首页编号下方）"})
		return
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "verify", "合约核验 "+v.Number, verifyView{Number: number, V: &v})
}

// verifyView is the verify page: the form asking for the check code, or the outcome.
type verifyView struct {
	Number, Code, Error string
	V                   *app.Verification
}
