package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// employerStore is what registering employers and managing their API keys needs.
type employerStore interface {
	CreateEmployer(ctx context.Context, e domain.Employer, by domain.Principal, ip string) (domain.Employer, domain.IssuedAPIKey, error)
	EmployerByID(ctx context.Context, id int64) (domain.Employer, error)
	APIKeys(ctx context.Context, employerID int64) ([]domain.APIKey, error)
	CreateAPIKey(ctx context.Context, employerID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error)
	RotateAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error)
	RevokeAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.APIKey, error)
}

// employerRequest is the body of POST /api/v1/employers. It is not a database row: status, verification
// by anyone but staff, ids and keys cannot be assigned through it.
type employerRequest struct {
	Kind         string `json:"kind"`
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	StationCode  string `json:"station_code"`
	// Verified records that the staff saw the business licence (or the individual's ID card) at the desk.
	Verified bool `json:"verified"`
}

// employerCreated is the answer to POST /api/v1/employers: the employer and its first API key, whose
// secret appears here once and never again.
type employerCreated struct {
	Employer domain.Employer     `json:"employer"`
	APIKey   domain.IssuedAPIKey `json:"api_key"`
}

// createEmployer is POST /api/v1/employers: station staff (of the employer's home station) or an admin
// register a company or an individual employer and hand over its API key.
func (s *Server) createEmployer(c *gin.Context) {
	var req employerRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	e := domain.Employer{Kind: domain.EmployerKind(req.Kind), Name: req.Name, CreditCode: req.CreditCode,
		ContactName: req.ContactName, ContactPhone: req.ContactPhone, Verified: req.Verified}
	if err := domain.ValidateEmployer(&e); err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.stationField(c.Request.Context(), "station_code", req.StationCode)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !p.CanManageStation(st.ID) {
		s.fail(c, domain.Forbidden("只能为本站点登记用工单位"))
		return
	}
	e.StationID, e.StationCode = st.ID, st.Code
	emp, key, err := s.store.CreateEmployer(c.Request.Context(), e, p, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	emp.StationCode = st.Code
	c.JSON(created, employerCreated{Employer: emp, APIKey: key})
}

// getEmployer is GET /api/v1/employers/{id}: the employer itself, staff of its station, or an admin.
func (s *Server) getEmployer(c *gin.Context) {
	e, err := s.employerFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// me is GET /api/v1/employer: the employer the API key belongs to (a quick check that a key works).
func (s *Server) employerMe(c *gin.Context) {
	e, err := s.store.EmployerByID(c.Request.Context(), principal(c).ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// listAPIKeys is GET /api/v1/employers/{id}/keys: the employer's keys by prefix, revoked ones included.
func (s *Server) listAPIKeys(c *gin.Context) {
	e, err := s.employerFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	keys, err := s.store.APIKeys(c.Request.Context(), e.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.APIKey]{Items: keys, Total: len(keys), Page: 1, PerPage: len(keys)})
}

// createAPIKey is POST /api/v1/employers/{id}/keys: one more key (its secret shown once), so that an
// integration can switch keys without downtime.
func (s *Server) createAPIKey(c *gin.Context) {
	e, err := s.employerFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := decodeOptionalEmpty(c); err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.store.CreateAPIKey(c.Request.Context(), e.ID, principal(c), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(created, key)
}

// rotateAPIKey is POST /api/v1/employers/{id}/keys/{key_id}/rotate: the key is revoked and its
// replacement issued in one step (for a key that leaked).
func (s *Server) rotateAPIKey(c *gin.Context) {
	e, keyID, err := s.employerKeyFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := decodeOptionalEmpty(c); err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.store.RotateAPIKey(c.Request.Context(), e.ID, keyID, principal(c), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(created, key)
}

// revokeAPIKey is DELETE /api/v1/employers/{id}/keys/{key_id}: the key answers 401 from now on.
func (s *Server) revokeAPIKey(c *gin.Context) {
	e, keyID, err := s.employerKeyFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.store.RevokeAPIKey(c.Request.Context(), e.ID, keyID, principal(c), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, key)
}

// employerFor loads the employer of the {id} route and checks the caller's right to it: the employer
// itself, staff of its home station, or an admin. Another employer gets not_found (it may not learn
// which ids exist); staff of another station get forbidden.
func (s *Server) employerFor(c *gin.Context) (domain.Employer, error) {
	id, err := pathID(c, "id", "用工单位")
	if err != nil {
		return domain.Employer{}, err
	}
	p := principal(c)
	if p.Kind == domain.AsEmployer && p.ID != id {
		return domain.Employer{}, domain.NotFound("用工单位")
	}
	e, err := s.store.EmployerByID(c.Request.Context(), id)
	if err != nil {
		return domain.Employer{}, err
	}
	if p.IsStaff() && !p.CanManageStation(e.StationID) {
		return domain.Employer{}, domain.Forbidden("只能管理本站点的用工单位")
	}
	return e, nil
}

func (s *Server) employerKeyFor(c *gin.Context) (domain.Employer, int64, error) {
	e, err := s.employerFor(c)
	if err != nil {
		return domain.Employer{}, 0, err
	}
	keyID, err := pathID(c, "key_id", "密钥")
	if err != nil {
		return domain.Employer{}, 0, err
	}
	return e, keyID, nil
}

// stationField resolves a station code given in a request body; an unknown code is invalid, naming field.
func (s *Server) stationField(ctx context.Context, field, code string) (domain.Station, error) {
	if code == "" {
		return domain.Station{}, domain.Invalid(field, "请填写站点编号，例如 ZN-S03")
	}
	if len(code) > 16 {
		return domain.Station{}, domain.Invalid(field, "没有这个站点编号")
	}
	st, err := s.store.StationByCode(ctx, code)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Station{}, domain.Invalidf(field, "没有编号为“%s”的站点", code)
	}
	return st, err
}

// decodeOptionalEmpty accepts no body or an empty JSON object, and refuses anything else (a POST
// action without parameters must not silently ignore fields it does not know).
func decodeOptionalEmpty(c *gin.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	var empty struct{}
	return decodeJSONBytes(body, &empty)
}
