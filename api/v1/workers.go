package v1

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// WorkerView is a worker as the worker themself and station staff see it: the whole profile (phone in
// full, resident ID number masked, as domain.Worker always carries it; the birth year to the worker
// only) and where the card is.
type WorkerView struct {
	domain.Worker
	CardURL    string `json:"card_url"`     // what the card's QR code carries
	CardPDFURL string `json:"card_pdf_url"` // the printable card, for the viewer
}

func (s *API) WorkerView(w domain.Worker, viewer domain.Principal) WorkerView {
	if viewer.Kind != domain.AsWorker || viewer.ID != w.ID {
		// The birth year beside even a masked ID number narrows it down; only the worker sees it.
		w.BirthYear = 0
	}
	pdf := "/api/v1/workers/me/card.pdf"
	if viewer.IsStaff() {
		pdf = fmt.Sprintf("/api/v1/workers/%d/card.pdf", w.ID)
	}
	return WorkerView{Worker: w, CardURL: s.cardURL(w), CardPDFURL: pdf}
}

// cardURL is the content of a worker's card QR code: {PUBLIC_URL}/c/{signed token}.
func (s *API) cardURL(w domain.Worker) string { return s.app.CardURL(w) }

// registerRequest is the body of POST /api/v1/workers (DESIGN.md section 3). It is flat, not built
// from embedded structs, so a decoding error names the JSON field as the client wrote it.
type registerRequest struct {
	Phone            string   `json:"phone"`
	Code             string   `json:"code"`
	StationCode      string   `json:"station_code"`
	Name             string   `json:"name"`
	Skills           []string `json:"skills"`
	Certs            []string `json:"certs"`
	District         string   `json:"district"`
	Town             string   `json:"town"`
	Village          string   `json:"village"` // optional: a 村 or 社区 of the town (GET /api/v1/places)
	SelfDescription  string   `json:"self_description"`
	ExpectedWageFen  int64    `json:"expected_wage_fen"`
	ExpectedWageUnit string   `json:"expected_wage_unit"`
	AvailableFrom    string   `json:"available_from"`
	AvailableTo      string   `json:"available_to"`
	MaxCommuteKm     int      `json:"max_commute_km"`
	IDNumber         string   `json:"id_number"`
	// Location is the phone's position, sent only with the worker's consent; it is stored snapped to a
	// ~100 m grid and used for distances instead of the town's seat.
	Location *domain.GeoPoint `json:"location"`
}

func (r registerRequest) profile() domain.WorkerProfile {
	return domain.WorkerProfile{Name: r.Name, Skills: r.Skills, Certs: r.Certs, District: r.District, Town: r.Town, Village: r.Village,
		SelfDescription: r.SelfDescription, AvailableFrom: domain.Date(r.AvailableFrom), AvailableTo: domain.Date(r.AvailableTo),
		ExpectedWageFen: r.ExpectedWageFen, ExpectedWageUnit: domain.WageUnit(r.ExpectedWageUnit), MaxCommuteKm: r.MaxCommuteKm,
		Location: r.Location}
}

// registerResponse is the new (or, when the phone was registered already, the existing) worker, and the
// worker's bearer token; 代登记 by staff opens no session for the worker.
type registerResponse struct {
	Worker    WorkerView `json:"worker"`
	Token     string     `json:"token,omitempty"`
	ExpiresAt string     `json:"expires_at,omitempty"`
	Created   bool       `json:"created"`
	// NameWarning says which characters of the name cannot be printed (they show as 〓 on paper, where
	// the worker number beside the name identifies the worker); absent when the whole name prints.
	NameWarning string `json:"name_warning,omitempty"`
}

// registerWorker is POST /api/v1/workers. A worker registers with an SMS code; staff register a worker in
// person without one (代登记), attributed to their own station (an admin names the station). 201 with
// the worker and a token; 200 with created=false when the phone is registered already (that logs the
// worker in; staff get 409). Every bad field answers 400 naming the field, and nothing is saved.
func (s *API) registerWorker(c *gin.Context) {
	var req registerRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	reg, err := s.app.RegisterWorker(c.Request.Context(), p, app.Registration{Phone: req.Phone, Code: req.Code,
		StationCode: req.StationCode, Profile: req.profile(), IDNumber: req.IDNumber})
	if err != nil {
		s.fail(c, err)
		return
	}
	viewer := p
	if !p.IsStaff() {
		viewer = domain.Principal{Kind: domain.AsWorker, ID: reg.Worker.ID}
	}
	resp := registerResponse{Worker: s.WorkerView(reg.Worker, viewer), Created: reg.Created, NameWarning: reg.NameWarning}
	if reg.Session.Token != "" {
		resp.Token, resp.ExpiresAt = reg.Session.Token, kit.FormatInstant(reg.Session.ExpiresAt)
	}
	status := http.StatusCreated
	if !reg.Created {
		status = http.StatusOK
	}
	c.JSON(status, resp)
}

// myWorker is GET /api/v1/workers/me: the worker's own profile.
func (s *API) myWorker(c *gin.Context) {
	p := kit.Principal(c)
	w, err := s.app.Worker(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, p))
}

// profilePatch is the body of PATCH /api/v1/workers/me: every field optional; absent fields keep their
// value. The phone cannot change here (it was proved by SMS), nor the station. id_number "" removes it.
type profilePatch struct {
	Name             *string   `json:"name"`
	Skills           *[]string `json:"skills"`
	Certs            *[]string `json:"certs"`
	District         *string   `json:"district"`
	Town             *string   `json:"town"`
	Village          *string   `json:"village"` // "" removes it
	SelfDescription  *string   `json:"self_description"`
	ExpectedWageFen  *int64    `json:"expected_wage_fen"`
	ExpectedWageUnit *string   `json:"expected_wage_unit"`
	AvailableFrom    *string   `json:"available_from"`
	AvailableTo      *string   `json:"available_to"`
	MaxCommuteKm     *int      `json:"max_commute_km"`
	IDNumber         *string   `json:"id_number"`
	PushOptOut       *bool     `json:"push_opt_out"` // true: no recommended gigs by inbox or SMS (精准推送)
	// Location shares the phone's position (stored snapped to ~100 m); forget_location true goes back
	// to the town's seat. Choosing another district or town without a new location also drops it.
	Location       *domain.GeoPoint `json:"location"`
	ForgetLocation *bool            `json:"forget_location"`
}

// apply returns p with the patch's fields set. A new district without a town clears the old town,
// which belongs to the old district; a new town without a village clears the old village likewise.
func (pt profilePatch) apply(p domain.WorkerProfile) domain.WorkerProfile {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	before := p
	set(&p.Name, pt.Name)
	set(&p.SelfDescription, pt.SelfDescription)
	if pt.District != nil && pt.Town == nil && *pt.District != p.District {
		p.Town = ""
	}
	set(&p.District, pt.District)
	set(&p.Town, pt.Town)
	if pt.Village == nil && (pt.District != nil || pt.Town != nil) && (p.District != before.District || p.Town != before.Town) {
		p.Village = ""
	}
	set(&p.Village, pt.Village)
	if pt.Skills != nil {
		p.Skills = *pt.Skills
	}
	if pt.Certs != nil {
		p.Certs = *pt.Certs
	}
	if pt.ExpectedWageFen != nil {
		p.ExpectedWageFen = *pt.ExpectedWageFen
	}
	if pt.ExpectedWageUnit != nil {
		p.ExpectedWageUnit = domain.WageUnit(*pt.ExpectedWageUnit)
	}
	if pt.AvailableFrom != nil {
		p.AvailableFrom = domain.Date(*pt.AvailableFrom)
	}
	if pt.AvailableTo != nil {
		p.AvailableTo = domain.Date(*pt.AvailableTo)
	}
	if pt.MaxCommuteKm != nil {
		p.MaxCommuteKm = *pt.MaxCommuteKm
	}
	if pt.PushOptOut != nil {
		p.PushOptOut = *pt.PushOptOut
	}
	if pt.ForgetLocation != nil && *pt.ForgetLocation {
		p.Located = domain.LocatedTown
	}
	p.Location = pt.Location
	return p
}

// patchMyWorker is PATCH /api/v1/workers/me: change the own profile. The whole result is validated as at
// registration, except that dates left unchanged may lie in the past.
func (s *API) patchMyWorker(c *gin.Context) {
	var patch profilePatch
	if err := kit.DecodeJSON(c, &patch); err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	ctx := c.Request.Context()
	w, err := s.app.Worker(ctx, p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	w, err = s.app.UpdateProfile(ctx, p, app.ProfileUpdate{Profile: patch.apply(w.Profile()), IDNumber: patch.IDNumber})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, p))
}

// lookupWorker is GET /api/v1/workers/lookup?q=: what a staff member scanned from a worker card (its
// URL or token) or typed (the worker number, or the phone), answered with the worker's profile. A forged or revoked
// card is 404; a worker of another station is 403 (personal data stays at the registering station).
func (s *API) lookupWorker(c *gin.Context) {
	w, err := s.app.FindWorker(c.Request.Context(), kit.Principal(c), c.Query("q"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, kit.Principal(c)))
}

// workerForStaff is GET /api/v1/workers/{id}: a worker's profile, for the staff of the worker's station.
func (s *API) workerForStaff(c *gin.Context) {
	w, err := s.workerParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, kit.Principal(c)))
}

// workerParam loads the worker named by the :id path parameter for a caller who may see their personal
// data (not_found for anything but a number).
func (s *API) workerParam(c *gin.Context) (domain.Worker, error) {
	id, err := kit.PathID(c, "id", "零工")
	if err != nil {
		return domain.Worker{}, err
	}
	return s.app.Worker(c.Request.Context(), kit.Principal(c), id)
}

// revokeMyCard is POST /api/v1/workers/me/card/revoke: a worker who lost their card makes every printed
// copy stop working; the answer carries the new card's URL.
func (s *API) revokeMyCard(c *gin.Context) {
	p := kit.Principal(c)
	w, err := s.app.RevokeCard(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, p))
}

// revokeCardForStaff is POST /api/v1/workers/{id}/card/revoke: the same, done by the worker's station.
func (s *API) revokeCardForStaff(c *gin.Context) {
	id, err := kit.PathID(c, "id", "零工")
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	w, err := s.app.RevokeCard(c.Request.Context(), p, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.WorkerView(w, p))
}
