package app

import (
	"context"

	"lingong/domain"
)

// Employers and their API keys.

// NewEmployer is an employer registered at a station: a company (with its credit code) or a person.
// Verified records that the staff saw the business licence (or the person's ID card) at the desk.
type NewEmployer struct {
	Kind         domain.EmployerKind
	Name         string
	CreditCode   string
	ContactName  string
	ContactPhone string
	StationCode  string // staff register at their own station whatever this says; an admin names one
	Verified     bool
}

// EmployerCreated is a new employer and its first API key, whose secret is shown this once.
type EmployerCreated struct {
	Employer domain.Employer     `json:"employer"`
	APIKey   domain.IssuedAPIKey `json:"api_key"`
}

// CreateEmployer registers an employer at a station (staff of that station, or an admin) and issues
// its first API key.
func (s *Service) CreateEmployer(ctx context.Context, p domain.Principal, n NewEmployer) (EmployerCreated, error) {
	if !p.IsStaff() {
		return EmployerCreated{}, domain.Forbidden("")
	}
	e := domain.Employer{Kind: n.Kind, Name: n.Name, CreditCode: n.CreditCode, ContactName: n.ContactName,
		ContactPhone: n.ContactPhone, Verified: n.Verified}
	if err := domain.ValidateEmployer(&e); err != nil {
		return EmployerCreated{}, err
	}
	st, err := s.StationField(ctx, "station_code", n.StationCode)
	if err != nil {
		return EmployerCreated{}, err
	}
	if !p.CanManageStation(st.ID) {
		return EmployerCreated{}, domain.Forbidden("只能为本站点登记用工单位")
	}
	e.StationID, e.StationCode = st.ID, st.Code
	emp, key, err := s.store.CreateEmployer(ctx, e, p, p.IP)
	if err != nil {
		return EmployerCreated{}, err
	}
	emp.StationCode = st.Code
	return EmployerCreated{Employer: emp, APIKey: key}, nil
}

// Employer returns an employer to someone with a right to it: the employer itself, staff of its home
// station, or an admin. Another employer gets not_found (it may not learn which ids exist); staff of
// another station get forbidden.
func (s *Service) Employer(ctx context.Context, p domain.Principal, id int64) (domain.Employer, error) {
	if p.Kind == domain.AsEmployer && p.ID != id {
		return domain.Employer{}, domain.NotFound("用工单位")
	}
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Employer{}, domain.NotFound("用工单位")
	}
	e, err := s.store.EmployerByID(ctx, id)
	if err != nil {
		return domain.Employer{}, err
	}
	if p.IsStaff() && !p.CanManageStation(e.StationID) {
		return domain.Employer{}, domain.Forbidden("只能管理本站点的用工单位")
	}
	return e, nil
}

// Employers lists the employers of a station (0: every station, admins only), searchable by name,
// phone or credit code.
func (s *Service) Employers(ctx context.Context, p domain.Principal, f domain.EmployerFilter) ([]domain.Employer, error) {
	if !p.IsStaff() || (p.Kind != domain.AsAdmin && f.StationID != p.StationID) {
		return nil, domain.Forbidden("只能查看本站点的用工单位")
	}
	return s.store.Employers(ctx, f)
}

// APIKeys lists an employer's keys by prefix, revoked ones included.
func (s *Service) APIKeys(ctx context.Context, p domain.Principal, employerID int64) ([]domain.APIKey, error) {
	e, err := s.Employer(ctx, p, employerID)
	if err != nil {
		return nil, err
	}
	return s.store.APIKeys(ctx, e.ID)
}

// CreateAPIKey issues one more key (its secret shown once), so that an integration can switch keys
// without downtime.
func (s *Service) CreateAPIKey(ctx context.Context, p domain.Principal, employerID int64) (domain.IssuedAPIKey, error) {
	if err := mayManageKeys(p); err != nil {
		return domain.IssuedAPIKey{}, err
	}
	e, err := s.Employer(ctx, p, employerID)
	if err != nil {
		return domain.IssuedAPIKey{}, err
	}
	return s.store.CreateAPIKey(ctx, e.ID, p, p.IP)
}

// RotateAPIKey revokes a key and issues its replacement in one step (for a key that leaked).
func (s *Service) RotateAPIKey(ctx context.Context, p domain.Principal, employerID, keyID int64) (domain.IssuedAPIKey, error) {
	if err := mayManageKeys(p); err != nil {
		return domain.IssuedAPIKey{}, err
	}
	e, err := s.Employer(ctx, p, employerID)
	if err != nil {
		return domain.IssuedAPIKey{}, err
	}
	return s.store.RotateAPIKey(ctx, e.ID, keyID, p, p.IP)
}

// RevokeAPIKey makes a key answer 401 from now on.
func (s *Service) RevokeAPIKey(ctx context.Context, p domain.Principal, employerID, keyID int64) (domain.APIKey, error) {
	if err := mayManageKeys(p); err != nil {
		return domain.APIKey{}, err
	}
	e, err := s.Employer(ctx, p, employerID)
	if err != nil {
		return domain.APIKey{}, err
	}
	return s.store.RevokeAPIKey(ctx, e.ID, keyID, p, p.IP)
}

// mayManageKeys: station staff, or an employer calling with its administrator key. An ordinary key (one
// deployed in some integration) cannot mint more keys or revoke its siblings, so a leaked one cannot lock
// the employer out or hide in a key of its own.
func mayManageKeys(p domain.Principal) error {
	if p.IsStaff() || (p.Kind == domain.AsEmployer && p.AdminKey) {
		return nil
	}
	return domain.Forbidden("只有用工单位的管理密钥或驿站工作人员可以签发、轮换和撤销密钥")
}
