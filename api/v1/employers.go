package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

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
type employerCreated = app.EmployerCreated

// createEmployer is POST /api/v1/employers: station staff (of the employer's home station) or an admin
// register a company or an individual employer and hand over its API key.
func (s *API) createEmployer(c *gin.Context) {
	var req employerRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.app.CreateEmployer(c.Request.Context(), kit.Principal(c), app.NewEmployer{Kind: domain.EmployerKind(req.Kind),
		Name: req.Name, CreditCode: req.CreditCode, ContactName: req.ContactName, ContactPhone: req.ContactPhone,
		StationCode: req.StationCode, Verified: req.Verified})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(kit.Created, out)
}

// getEmployer is GET /api/v1/employers/{id}: the employer itself, staff of its station, or an admin.
func (s *API) getEmployer(c *gin.Context) {
	e, err := s.employerFor(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// me is GET /api/v1/employer: the employer the API key belongs to (a quick check that a key works).
func (s *API) employerMe(c *gin.Context) {
	p := kit.Principal(c)
	e, err := s.app.Employer(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// listAPIKeys is GET /api/v1/employers/{id}/keys: the employer's keys by prefix, revoked ones included.
func (s *API) listAPIKeys(c *gin.Context) {
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.fail(c, err)
		return
	}
	keys, err := s.app.APIKeys(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.APIKey]{Items: keys, Total: len(keys), Page: 1, PerPage: len(keys)})
}

// createAPIKey is POST /api/v1/employers/{id}/keys: one more key (its secret shown once), so that an
// integration can switch keys without downtime.
func (s *API) createAPIKey(c *gin.Context) {
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := kit.DecodeOptionalEmpty(c); err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.app.CreateAPIKey(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(kit.Created, key)
}

// rotateAPIKey is POST /api/v1/employers/{id}/keys/{key_id}/rotate: the key is revoked and its
// replacement issued in one step (for a key that leaked).
func (s *API) rotateAPIKey(c *gin.Context) {
	id, keyID, err := employerKeyParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := kit.DecodeOptionalEmpty(c); err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.app.RotateAPIKey(c.Request.Context(), kit.Principal(c), id, keyID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(kit.Created, key)
}

// revokeAPIKey is DELETE /api/v1/employers/{id}/keys/{key_id}: the key answers 401 from now on.
func (s *API) revokeAPIKey(c *gin.Context) {
	id, keyID, err := employerKeyParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	key, err := s.app.RevokeAPIKey(c.Request.Context(), kit.Principal(c), id, keyID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, key)
}

// employerFor loads the employer of the {id} route for a caller with a right to it
// (app.Service.Employer).
func (s *API) employerFor(c *gin.Context) (domain.Employer, error) {
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		return domain.Employer{}, err
	}
	return s.app.Employer(c.Request.Context(), kit.Principal(c), id)
}

// employerKeyParams reads the {id} and {key_id} of a key route. The employer's own id is checked first:
// a caller with no right to the employer learns nothing about its keys.
func employerKeyParams(c *gin.Context) (employerID, keyID int64, err error) {
	if employerID, err = kit.PathID(c, "id", "用工单位"); err != nil {
		return 0, 0, err
	}
	if keyID, err = kit.PathID(c, "key_id", "密钥"); err != nil {
		return 0, 0, err
	}
	return employerID, keyID, nil
}
