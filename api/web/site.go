// Package web is what the worker's phone pages (web/worker) and the station console (web/console) share:
// the templates and their layout, the template functions, static files, the error page, and the worker
// profile form that both the registration page and the station desk fill in.
package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// Deps are what the pages work with.
type Deps struct {
	App    *app.Service
	Funnel *kit.Funnel
	PDF    *contracts.Renderer // bounds concurrent PDF rendering
	// PublicURL is the base of the links printed in QR codes (a gig's page, a worker's card).
	PublicURL string
	// Production turns on Secure cookies.
	Production bool
	// SecretKey is the master secret; the pages derive their own keys from it (domain.DeriveKey).
	SecretKey []byte
}

// Site is the shared part of every page handler: the use cases, rendering, the error funnel.
type Site struct {
	Deps
	formKey []byte // seals an ID number carried across a failed form
}

// New returns the shared part of the pages.
func New(d Deps) *Site {
	return &Site{Deps: d, formKey: domain.DeriveKey(d.SecretKey, "form-id-number")}
}

// Fail answers err as an error page (kit.Funnel).
func (s *Site) Fail(c *gin.Context, err error) { s.Funnel.Fail(c, err) }

// Now is the service's clock; Today its date in Asia/Shanghai.
func (s *Site) Now() time.Time { return s.App.Now() }

// Today is the service's date in Asia/Shanghai.
func (s *Site) Today() domain.Date { return domain.DateOf(s.App.Now()) }

// ContractParam loads the contract of the :id path for a caller who may see it.
func (s *Site) ContractParam(c *gin.Context) (app.ContractRecord, error) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		return app.ContractRecord{}, err
	}
	return s.App.Contract(c.Request.Context(), kit.Principal(c), id)
}

// JobParam loads the gig of the :id path if the caller may see it.
func (s *Site) JobParam(c *gin.Context) (domain.Job, error) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		return domain.Job{}, err
	}
	return s.App.Job(c.Request.Context(), kit.Principal(c), id)
}

// WorkerParam loads the worker of the :id path for a caller who may see their personal data.
func (s *Site) WorkerParam(c *gin.Context) (domain.Worker, error) {
	id, err := kit.PathID(c, "id", "零工")
	if err != nil {
		return domain.Worker{}, err
	}
	return s.App.Worker(c.Request.Context(), kit.Principal(c), id)
}
