package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// workerStore is what registration, login, the profile and the card need.
type workerStore interface {
	IssueOTP(ctx context.Context, phone, purpose, ip string, limits domain.OTPLimits) (domain.OTPCode, error)
	CancelOTP(ctx context.Context, id int64) error
	LoginWorker(ctx context.Context, phone, code, ip, ua string) (domain.Worker, domain.Session, error)
	ConfirmPhone(ctx context.Context, phone, code, ip, ua string) (domain.Worker, domain.Session, bool, error)
	RegisterWorker(ctx context.Context, reg domain.Registration) (domain.Worker, domain.Session, bool, error)
	UpdateWorker(ctx context.Context, actor domain.Principal, ip string, id int64, p domain.WorkerProfile, idNumber *string) (domain.Worker, error)
	RevokeWorkerCard(ctx context.Context, actor domain.Principal, ip string, id int64) (domain.Worker, error)
	WorkerByID(ctx context.Context, id int64) (domain.Worker, error)
	WorkerByNo(ctx context.Context, no string) (domain.Worker, error)
	StationByID(ctx context.Context, id int64) (domain.Station, error)
	StaffCSRFToken(ctx context.Context, sessionID int64) (string, error)
}

// workerView is a worker as the worker themself and station staff see it: the whole profile (phone in
// full, resident ID number masked, as domain.Worker always carries it) and where the card is.
type workerView struct {
	domain.Worker
	CardURL    string `json:"card_url"`     // what the card's QR code carries
	CardPDFURL string `json:"card_pdf_url"` // the printable card, for the viewer
}

func (s *Server) workerView(w domain.Worker, viewer domain.Principal) workerView {
	pdf := "/api/v1/workers/me/card.pdf"
	if viewer.IsStaff() {
		pdf = fmt.Sprintf("/api/v1/workers/%d/card.pdf", w.ID)
	}
	return workerView{Worker: w, CardURL: s.cardURL(w), CardPDFURL: pdf}
}

// cardURL is the content of a worker's card QR code: {PUBLIC_URL}/c/{signed token}.
func (s *Server) cardURL(w domain.Worker) string {
	return s.opts.PublicURL + "/c/" + domain.CardToken(s.keys.card, w.ID, w.CardVersion)
}

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
	SelfDescription  string   `json:"self_description"`
	ExpectedWageFen  int64    `json:"expected_wage_fen"`
	ExpectedWageUnit string   `json:"expected_wage_unit"`
	AvailableFrom    string   `json:"available_from"`
	AvailableTo      string   `json:"available_to"`
	MaxCommuteKm     int      `json:"max_commute_km"`
	IDNumber         string   `json:"id_number"`
}

func (r registerRequest) profile() domain.WorkerProfile {
	return domain.WorkerProfile{Name: r.Name, Skills: r.Skills, Certs: r.Certs, District: r.District, Town: r.Town,
		SelfDescription: r.SelfDescription, AvailableFrom: domain.Date(r.AvailableFrom), AvailableTo: domain.Date(r.AvailableTo),
		ExpectedWageFen: r.ExpectedWageFen, ExpectedWageUnit: domain.WageUnit(r.ExpectedWageUnit), MaxCommuteKm: r.MaxCommuteKm}
}

// registerResponse is the new (or, when the phone was registered already, the existing) worker, and the
// worker's bearer token; 代登记 by staff opens no session for the worker.
type registerResponse struct {
	Worker    workerView `json:"worker"`
	Token     string     `json:"token,omitempty"`
	ExpiresAt string     `json:"expires_at,omitempty"`
	Created   bool       `json:"created"`
}

// registerWorker is POST /api/v1/workers. A worker registers with an SMS code; staff register a worker in
// person without one (代登记), attributed to their own station (an admin names the station). 201 with
// the worker and a token; 200 with created=false when the phone is registered already (that logs the
// worker in; staff get 409). Every bad field answers 400 naming the field, and nothing is saved.
func (s *Server) registerWorker(c *gin.Context) {
	var req registerRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	byStaff := p.IsStaff()
	phone, err := domain.NormalizePhone("phone", req.Phone)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !byStaff && req.Code == "" {
		s.fail(c, domain.Invalid("code", "请填写短信验证码"))
		return
	}
	station, err := s.registrationStation(ctx, p, req.StationCode)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := s.clock.Today()
	profile, problems := req.profile().Normalize(today, nil)
	if len(problems) > 0 {
		s.fail(c, problems[0])
		return
	}
	var idNumber string
	if req.IDNumber != "" {
		if idNumber, _, _, err = domain.WorkerIDNumber("id_number", req.IDNumber, today); err != nil {
			s.fail(c, err)
			return
		}
	}
	reg := domain.Registration{Worker: domain.Worker{Phone: phone, StationID: station.ID, StationCode: station.Code},
		IDNumber: idNumber, IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
	reg.Worker.SetProfile(profile)
	if byStaff {
		reg.Staff = p
	} else {
		reg.Code = req.Code
	}
	w, sess, created, err := s.store.RegisterWorker(ctx, reg)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.workerChanged(w)
	viewer := p
	if !byStaff {
		viewer = domain.Principal{Kind: domain.AsWorker, ID: w.ID}
	}
	resp := registerResponse{Worker: s.workerView(w, viewer), Created: created}
	if sess.Token != "" {
		resp.Token, resp.ExpiresAt = sess.Token, formatInstant(sess.ExpiresAt)
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, resp)
}

// registrationStation is the station a registration is attributed to: a staff member's own station
// (whatever the body says), else the station_code given (the code on the poster that was scanned).
func (s *Server) registrationStation(ctx context.Context, p domain.Principal, code string) (domain.Station, error) {
	if p.Kind == domain.AsStaff && p.StationID != 0 {
		return s.store.StationByID(ctx, p.StationID)
	}
	if code == "" {
		return domain.Station{}, domain.Invalid("station_code", "请注明登记站点（站点二维码上的编号）")
	}
	st, err := s.store.StationByCode(ctx, code)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Station{}, domain.Invalidf("station_code", "没有编号为“%s”的零工站点", truncateRunes(code, 20))
	}
	return st, err
}

// myWorker is GET /api/v1/workers/me: the worker's own profile.
func (s *Server) myWorker(c *gin.Context) {
	p := principal(c)
	w, err := s.store.WorkerByID(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.workerView(w, p))
}

// profilePatch is the body of PATCH /api/v1/workers/me: every field optional; absent fields keep their
// value. The phone cannot change here (it was proved by SMS), nor the station. id_number "" removes it.
type profilePatch struct {
	Name             *string   `json:"name"`
	Skills           *[]string `json:"skills"`
	Certs            *[]string `json:"certs"`
	District         *string   `json:"district"`
	Town             *string   `json:"town"`
	SelfDescription  *string   `json:"self_description"`
	ExpectedWageFen  *int64    `json:"expected_wage_fen"`
	ExpectedWageUnit *string   `json:"expected_wage_unit"`
	AvailableFrom    *string   `json:"available_from"`
	AvailableTo      *string   `json:"available_to"`
	MaxCommuteKm     *int      `json:"max_commute_km"`
	IDNumber         *string   `json:"id_number"`
	PushOptOut       *bool     `json:"push_opt_out"` // true: no recommended gigs by inbox or SMS (精准推送)
}

// apply returns p with the patch's fields set. A new district without a town clears the old town,
// which belongs to the old district.
func (pt profilePatch) apply(p domain.WorkerProfile) domain.WorkerProfile {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Name, pt.Name)
	set(&p.SelfDescription, pt.SelfDescription)
	if pt.District != nil && pt.Town == nil && *pt.District != p.District {
		p.Town = ""
	}
	set(&p.District, pt.District)
	set(&p.Town, pt.Town)
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
	return p
}

// patchMyWorker is PATCH /api/v1/workers/me: change the own profile. The whole result is validated as at
// registration, except that dates left unchanged may lie in the past.
func (s *Server) patchMyWorker(c *gin.Context) {
	var patch profilePatch
	if err := decodeJSON(c, &patch); err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	w, err := s.store.WorkerByID(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	prev := w.Profile()
	profile, problems := patch.apply(prev).Normalize(s.clock.Today(), &prev)
	if len(problems) > 0 {
		s.fail(c, problems[0])
		return
	}
	var idNumber *string
	if patch.IDNumber != nil {
		id := ""
		if *patch.IDNumber != "" {
			if id, _, _, err = domain.WorkerIDNumber("id_number", *patch.IDNumber, s.clock.Today()); err != nil {
				s.fail(c, err)
				return
			}
		}
		idNumber = &id
	}
	w, err = s.store.UpdateWorker(ctx, p, c.ClientIP(), w.ID, profile, idNumber)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.workerChanged(w)
	c.JSON(http.StatusOK, s.workerView(w, p))
}

// lookupWorker is GET /api/v1/workers/lookup?q=: what a staff member scanned from a worker card (its
// URL or token) or typed (the worker number, or the phone), answered with the worker's profile. A forged or revoked
// card is 404; a worker of another station is 403 (personal data stays at the registering station).
func (s *Server) lookupWorker(c *gin.Context) {
	w, err := s.findWorker(c.Request.Context(), c.Query("q"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerWorkerToStaff(c, w)
}

// workerByScan finds the worker behind what a desk scanner or a recorder typed: a worker number
// (LG00000012), or a card's QR code (its URL or bare token; see workerByCard).
func (s *Server) workerByScan(ctx context.Context, q string) (domain.Worker, error) {
	if no, ok := domain.NormalizeWorkerNo(q); ok {
		return s.store.WorkerByNo(ctx, no)
	}
	return s.workerByCard(ctx, domain.CardTokenFromScan(q))
}

// workerByCard resolves a card token to its worker: the signature must verify and the card version
// must be the worker's current one (a revoked card answers like a forged one).
func (s *Server) workerByCard(ctx context.Context, token string) (domain.Worker, error) {
	id, version, err := domain.ParseCardToken(s.keys.card, token)
	if err != nil {
		return domain.Worker{}, err
	}
	w, err := s.store.WorkerByID(ctx, id)
	if domain.IsCode(err, domain.CodeNotFound) || (err == nil && w.CardVersion != version) {
		return domain.Worker{}, domain.ErrCardInvalid()
	}
	return w, err
}

// workerForStaff is GET /api/v1/workers/{id}: a worker's profile, for the staff of the worker's station.
func (s *Server) workerForStaff(c *gin.Context) {
	w, err := s.workerParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerWorkerToStaff(c, w)
}

func (s *Server) answerWorkerToStaff(c *gin.Context, w domain.Worker) {
	p := principal(c)
	if err := canSeeWorker(p, w); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.workerView(w, p))
}

// workerParam loads the worker named by the :id path parameter (not_found for anything but a number).
func (s *Server) workerParam(c *gin.Context) (domain.Worker, error) {
	id, err := pathID(c, "id", "零工")
	if err != nil {
		return domain.Worker{}, err
	}
	return s.store.WorkerByID(c.Request.Context(), id)
}

// canSeeWorker is the object-level rule for a worker's personal data: the worker themself, admins, and
// the staff of the station the worker registered at. Other staff are forbidden.
func canSeeWorker(p domain.Principal, w domain.Worker) error {
	switch {
	case p.Kind == domain.AsWorker && p.ID == w.ID, p.CanManageStation(w.StationID):
		return nil
	case p.Kind == domain.AsStaff:
		return domain.Forbidden("这位零工在其他站点登记，个人信息只有登记站点的工作人员能查看")
	}
	return domain.Forbidden("")
}

// revokeMyCard is POST /api/v1/workers/me/card/revoke: a worker who lost their card makes every printed
// copy stop working; the answer carries the new card's URL.
func (s *Server) revokeMyCard(c *gin.Context) {
	p := principal(c)
	w, err := s.store.RevokeWorkerCard(c.Request.Context(), p, c.ClientIP(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.workerChanged(w)
	c.JSON(http.StatusOK, s.workerView(w, p))
}

// revokeCardForStaff is POST /api/v1/workers/{id}/card/revoke: the same, done by the worker's station.
func (s *Server) revokeCardForStaff(c *gin.Context) {
	w, err := s.workerParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	if err := canSeeWorker(p, w); err != nil {
		s.fail(c, err)
		return
	}
	if w, err = s.store.RevokeWorkerCard(c.Request.Context(), p, c.ClientIP(), w.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.workerChanged(w)
	c.JSON(http.StatusOK, s.workerView(w, p))
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
