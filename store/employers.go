package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// insertEmployer writes a new employer inside tx, sealing an individual's ID number when given, and
// fills e.ID and timestamps.
func (s *Store) insertEmployer(tx *gorm.DB, e *domain.Employer, idNumber string) error {
	now := s.now()
	row := employerRow{
		CityCode: domain.CityCode, Kind: string(e.Kind), Name: e.Name, ContactName: e.ContactName,
		ContactPhone: e.ContactPhone, StationID: e.StationID, Verified: e.Verified, Status: "active",
		CreatedAt: now, UpdatedAt: now,
	}
	if e.CreditCode != "" {
		row.CreditCode = &e.CreditCode
	}
	if idNumber != "" {
		if err := s.setIDNumber(&row.IDNumberEnc, &row.IDNumberIndex, &row.IDNumberMasked, idNumber); err != nil {
			return err
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	e.ID, e.Status, e.CityCode, e.CreatedAt, e.UpdatedAt = row.ID, row.Status, row.CityCode, now, now
	return nil
}

func employerFromRow(r employerRow, stationCode string) domain.Employer {
	e := domain.Employer{ID: r.ID, Kind: domain.EmployerKind(r.Kind), Name: r.Name, ContactName: r.ContactName,
		ContactPhone: r.ContactPhone, StationID: r.StationID, StationCode: stationCode, Verified: r.Verified,
		Status: r.Status, CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.CreditCode != nil {
		e.CreditCode = *r.CreditCode
	}
	return e
}

// EmployerByID returns the employer, or not_found.
func (s *Store) EmployerByID(ctx context.Context, id int64) (domain.Employer, error) {
	var row employerRow
	db := s.conn(ctx)
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Employer{}, translate(err, "用工单位")
	}
	codes, err := stationCodes(db)
	if err != nil {
		return domain.Employer{}, translate(fmt.Errorf("employer %d: %w", id, err), "用工单位")
	}
	return employerFromRow(row, codes[row.StationID]), nil
}

// CreateEmployer registers an employer and issues its first API key, in one transaction with their audit
// events. The key's secret is returned once, here; only its hash is stored. A company whose credit code
// is already registered is a conflict.
func (s *Store) CreateEmployer(ctx context.Context, e domain.Employer, by domain.Principal, ip string) (domain.Employer, domain.IssuedAPIKey, error) {
	var key domain.IssuedAPIKey
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if e.CreditCode != "" {
			var n int64
			if err := tx.Model(&employerRow{}).Where("credit_code = ?", e.CreditCode).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return domain.Conflict("该统一社会信用代码已经登记过，请查找已有的用工单位")
			}
		}
		if err := s.insertEmployer(tx, &e, ""); err != nil {
			return err
		}
		if err := s.appendAudit(tx, Audit{Actor: by, Action: "employer.create", EntityKind: "employer", EntityID: e.ID, IP: ip,
			Detail: map[string]any{"kind": e.Kind, "station_id": e.StationID, "verified": e.Verified}}); err != nil {
			return err
		}
		var err error
		key, err = s.insertAPIKey(tx, e.ID, true, by, ip) // the first key is the employer's administrator key
		return err
	})
	if err != nil {
		return domain.Employer{}, domain.IssuedAPIKey{}, translate(fmt.Errorf("create employer: %w", err), "用工单位")
	}
	e.StationCode = ""
	if st, err := s.StationByID(ctx, e.StationID); err == nil {
		e.StationCode = st.Code
	}
	return e, key, nil
}
