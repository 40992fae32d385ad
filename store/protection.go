package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// This file is the protection's cover (issue 22 item 1): the admin's settings (cover required, the city
// group policy) and each gig's declared cover, its scan, the reviewer's check and exemptions.

type protectionSettingsRow struct {
	ID               int64 `gorm:"primaryKey"`
	CityCode         string
	CoverRequired    bool
	CityInsurer      string
	CityPolicyNumber string
	CityCoverFen     int64
	CityValidFrom    string
	CityValidTo      string
	CityTerms        string
	// The wage guarantee rule (00121).
	GuaranteeCompanies    bool
	GuaranteeAfterArrears bool
	GuaranteeWageBillFen  int64
	GuaranteePercent      int64
	AdvanceAfterDays      int64
	UpdatedBy             int64
	UpdatedAt             *time.Time
}

func (protectionSettingsRow) TableName() string { return "protection_settings" }

type jobCoverRow struct {
	ID              int64 `gorm:"primaryKey"`
	CityCode        string
	JobID           int64
	Kind            string
	Insurer         string
	PolicyNumber    string
	CoverFen        int64
	ValidFrom       string
	ValidTo         string
	ScanType        string
	ScanBase64      string
	ScanSHA256      string `gorm:"column:scan_sha256"`
	CheckedBy       int64
	CheckedAt       *time.Time
	ExemptionReason string
	ExemptedBy      int64
	DeclaredByKind  string
	DeclaredByID    int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (jobCoverRow) TableName() string { return "job_covers" }

func (r jobCoverRow) domain() domain.Cover {
	c := domain.Cover{JobID: r.JobID, Kind: domain.CoverKind(r.Kind), ScanType: r.ScanType, ScanSHA256: r.ScanSHA256,
		ScanBytes: base64.StdEncoding.DecodedLen(len(r.ScanBase64)), CheckedBy: r.CheckedBy, ExemptionReason: r.ExemptionReason,
		ExemptedBy: r.ExemptedBy, DeclaredAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Policy: domain.Policy{Insurer: r.Insurer, PolicyNumber: r.PolicyNumber, CoverFen: r.CoverFen,
			ValidFrom: domain.Date(r.ValidFrom), ValidTo: domain.Date(r.ValidTo)}}
	if r.ScanBase64 == "" {
		c.ScanBytes = 0
	}
	if r.CheckedAt != nil {
		t := r.CheckedAt.UTC()
		c.CheckedAt = &t
	}
	return c
}

func (r protectionSettingsRow) domain() domain.ProtectionSettings {
	out := domain.ProtectionSettings{CoverRequired: r.CoverRequired, CityTerms: r.CityTerms,
		Guarantee: domain.GuaranteeRule{Companies: r.GuaranteeCompanies, AfterArrears: r.GuaranteeAfterArrears,
			WageBillFen: r.GuaranteeWageBillFen, Percent: r.GuaranteePercent, AdvanceAfterDays: r.AdvanceAfterDays},
		City: domain.Policy{Insurer: r.CityInsurer, PolicyNumber: r.CityPolicyNumber, CoverFen: r.CityCoverFen,
			ValidFrom: domain.Date(r.CityValidFrom), ValidTo: domain.Date(r.CityValidTo)}}
	if r.UpdatedAt != nil {
		out.UpdatedAt = r.UpdatedAt.UTC()
	}
	return out
}

// ProtectionSettings returns the admin's settings (all off and empty until the admin sets them).
func (s *Store) ProtectionSettings(ctx context.Context) (domain.ProtectionSettings, error) {
	return s.protectionSettings(s.conn(ctx))
}

func (s *Store) protectionSettings(db *gorm.DB) (domain.ProtectionSettings, error) {
	var r protectionSettingsRow
	err := db.Where("id = 1").Take(&r).Error
	if isNotFound(err) {
		return domain.ProtectionSettings{}, nil
	}
	if err != nil {
		return domain.ProtectionSettings{}, translate(fmt.Errorf("protection settings: %w", err), "保障设置")
	}
	return r.domain(), nil
}

// SetProtectionSettings replaces the admin's settings (audited with the old and new values).
func (s *Store) SetProtectionSettings(ctx context.Context, ps domain.ProtectionSettings, by domain.Principal, ip string) (domain.ProtectionSettings, error) {
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := s.protectionSettings(tx)
		if err != nil {
			return err
		}
		row := protectionSettingsRow{ID: 1, CityCode: domain.CityCode, CoverRequired: ps.CoverRequired,
			CityInsurer: ps.City.Insurer, CityPolicyNumber: ps.City.PolicyNumber, CityCoverFen: ps.City.CoverFen,
			CityValidFrom: string(ps.City.ValidFrom), CityValidTo: string(ps.City.ValidTo), CityTerms: ps.CityTerms,
			GuaranteeCompanies: ps.Guarantee.Companies, GuaranteeAfterArrears: ps.Guarantee.AfterArrears,
			GuaranteeWageBillFen: ps.Guarantee.WageBillFen, GuaranteePercent: ps.Guarantee.Percent, AdvanceAfterDays: ps.Guarantee.AdvanceAfterDays,
			UpdatedBy: by.ID, UpdatedAt: &now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: "protection.settings", EntityKind: "protection_settings", EntityID: 1, IP: ip,
			Detail: map[string]any{"cover_required": ps.CoverRequired, "was_cover_required": before.CoverRequired,
				"city_insurer": ps.City.Insurer, "city_policy_number": ps.City.PolicyNumber, "city_cover_fen": ps.City.CoverFen,
				"city_valid_from": ps.City.ValidFrom, "city_valid_to": ps.City.ValidTo,
				"was_city_policy_number": before.City.PolicyNumber, "was_city_valid_to": before.City.ValidTo,
				"guarantee": ps.Guarantee, "was_guarantee": before.Guarantee}})
	})
	if err != nil {
		return domain.ProtectionSettings{}, translate(fmt.Errorf("set protection settings: %w", err), "保障设置")
	}
	return s.ProtectionSettings(ctx)
}

// JobCover returns a gig's cover; a gig that declared none gets a Cover with an empty Kind (not an error).
func (s *Store) JobCover(ctx context.Context, jobID int64) (domain.Cover, error) {
	c, err := s.jobCover(s.conn(ctx).Omit("scan_base64"), jobID)
	if err != nil {
		return domain.Cover{}, translate(fmt.Errorf("job %d cover: %w", jobID, err), "保险申报")
	}
	return c, nil
}

func (s *Store) jobCover(db *gorm.DB, jobID int64) (domain.Cover, error) {
	var r jobCoverRow
	err := db.Where("job_id = ?", jobID).Take(&r).Error
	if isNotFound(err) {
		return domain.Cover{JobID: jobID}, nil
	}
	if err != nil {
		return domain.Cover{}, err
	}
	c := r.domain()
	if r.ScanSHA256 != "" {
		c.ScanBytes = -1 // not loaded; JobCoverScan reads it
	}
	return c, nil
}

// JobCovers returns the covers of the given gigs (gigs without one are absent).
func (s *Store) JobCovers(ctx context.Context, jobIDs []int64) (map[int64]domain.Cover, error) {
	out := map[int64]domain.Cover{}
	for _, chunk := range chunks(jobIDs, 500) {
		var rows []jobCoverRow
		if err := s.conn(ctx).Omit("scan_base64").Where("job_id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, translate(fmt.Errorf("job covers: %w", err), "保险申报")
		}
		for _, r := range rows {
			out[r.JobID] = r.domain()
		}
	}
	return out, nil
}

// JobCoverScan returns the uploaded scan of a gig's own policy and its type; not_found when there is none.
func (s *Store) JobCoverScan(ctx context.Context, jobID int64) ([]byte, string, error) {
	var r jobCoverRow
	if err := s.conn(ctx).Select("scan_type, scan_base64").Where("job_id = ? AND scan_base64 <> ''", jobID).Take(&r).Error; err != nil {
		return nil, "", translate(fmt.Errorf("job %d scan: %w", jobID, err), "保单照片")
	}
	b, err := base64.StdEncoding.DecodeString(r.ScanBase64)
	if err != nil {
		return nil, "", domain.Internal(fmt.Errorf("job %d scan: %w", jobID, err))
	}
	return b, r.ScanType, nil
}

// DeclareCover records a gig's cover, replacing any earlier declaration (a new policy must be checked
// again). The gig must await review or be open (a renewed policy); audited with the policy's figures and
// the scan's SHA-256.
func (s *Store) DeclareCover(ctx context.Context, jobID int64, d domain.CoverDeclaration, by domain.Principal, ip string) (domain.Cover, error) {
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var job jobRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id, status").Where("id = ?", jobID).Take(&job).Error; err != nil {
			return translate(err, "零工岗位")
		}
		if st := domain.JobStatus(job.Status); st != domain.JobPendingReview && st != domain.JobOpen {
			return domain.Conflict(fmt.Sprintf("岗位%s，不能再申报保险", st.Label()))
		}
		row := jobCoverRow{CityCode: domain.CityCode, JobID: jobID, Kind: string(d.Kind), Insurer: d.Policy.Insurer,
			PolicyNumber: d.Policy.PolicyNumber, CoverFen: d.Policy.CoverFen, ValidFrom: string(d.Policy.ValidFrom),
			ValidTo: string(d.Policy.ValidTo), DeclaredByKind: by.ActorKind(), DeclaredByID: by.ID, CreatedAt: now, UpdatedAt: now}
		if len(d.Scan) > 0 {
			row.ScanType, row.ScanBase64, row.ScanSHA256 = domain.ScanType(d.Scan), base64.StdEncoding.EncodeToString(d.Scan), sha256Hex(d.Scan)
		}
		if err := tx.Where("job_id = ?", jobID).Delete(&jobCoverRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: "job.cover_declare", EntityKind: "job", EntityID: jobID, IP: ip,
			Detail: map[string]any{"kind": d.Kind, "insurer": d.Policy.Insurer, "policy_number": d.Policy.PolicyNumber,
				"cover_fen": d.Policy.CoverFen, "valid_from": d.Policy.ValidFrom, "valid_to": d.Policy.ValidTo, "scan_sha256": row.ScanSHA256}})
	})
	if err != nil {
		return domain.Cover{}, translate(fmt.Errorf("declare cover of job %d: %w", jobID, err), "保险申报")
	}
	return s.JobCover(ctx, jobID)
}

// CheckCover records that a staff member compared an own policy's scan with its declared figures.
func (s *Store) CheckCover(ctx context.Context, jobID int64, scanSHA256 string, by domain.Principal, ip string) (domain.Cover, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error { return s.checkCover(tx, jobID, scanSHA256, by, ip) })
	if err != nil {
		return domain.Cover{}, translate(fmt.Errorf("check cover of job %d: %w", jobID, err), "保险申报")
	}
	return s.JobCover(ctx, jobID)
}

func (s *Store) checkCover(tx *gorm.DB, jobID int64, scanSHA256 string, by domain.Principal, ip string) error {
	var row jobCoverRow
	err := tx.Omit("scan_base64").Where("job_id = ? AND kind = ? AND scan_base64 <> ''", jobID, string(domain.CoverOwn)).Take(&row).Error
	if isNotFound(err) {
		return domain.Conflict("岗位没有申报带保单照片的自有保单，无需核对")
	}
	if err != nil {
		return err
	}
	if scanSHA256 != "" && scanSHA256 != row.ScanSHA256 {
		return domain.Conflict("用工方在您打开保单照片之后重新申报了保单：请刷新页面、重新查看照片后再核对")
	}
	if row.CheckedAt != nil {
		return nil // checked already: pressing again records nothing more
	}
	now := s.now()
	res := tx.Model(&jobCoverRow{}).Where("id = ? AND scan_sha256 = ?", row.ID, row.ScanSHA256).
		Updates(map[string]any{"checked_by": by.ID, "checked_at": now, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	// The audit says which declaration was checked: its scan and the figures compared with it.
	return s.appendAudit(tx, Audit{Actor: by, Action: "job.cover_check", EntityKind: "job", EntityID: jobID, IP: ip,
		Detail: map[string]any{"scan_sha256": row.ScanSHA256, "insurer": row.Insurer, "policy_number": row.PolicyNumber,
			"cover_fen": row.CoverFen, "valid_from": row.ValidFrom, "valid_to": row.ValidTo}})
}

// exemptCover records, inside an approval, the staff's reason to approve the gig without cover.
func (s *Store) exemptCover(tx *gorm.DB, jobID int64, reason string, by domain.Principal, ip string) error {
	now := s.now()
	if err := tx.Where("job_id = ?", jobID).Delete(&jobCoverRow{}).Error; err != nil {
		return err
	}
	row := jobCoverRow{CityCode: domain.CityCode, JobID: jobID, Kind: string(domain.CoverExempt), ExemptionReason: reason,
		ExemptedBy: by.ID, DeclaredByKind: by.ActorKind(), DeclaredByID: by.ID, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return s.appendAudit(tx, Audit{Actor: by, Action: "job.cover_exempt", EntityKind: "job", EntityID: jobID, IP: ip,
		Detail: map[string]any{"reason": reason}})
}

// coverGate applies the cover rules of an approval inside its transaction: the reviewer's check or
// exemption is recorded, then, when the admin requires cover, the gig must have it (domain.CoverGate).
func (s *Store) coverGate(tx *gorm.DB, jobID int64, cr domain.CoverReview, by domain.Principal, ip string) error {
	settings, err := s.protectionSettings(tx)
	if err != nil {
		return err
	}
	var job jobRow
	if err := tx.Select("id, start_date").Where("id = ?", jobID).Take(&job).Error; err != nil {
		return translate(err, "零工岗位")
	}
	cover, err := s.jobCover(tx.Omit("scan_base64"), jobID)
	if err != nil {
		return err
	}
	if cr.Exemption == "" && cr.Checked && cover.Kind == domain.CoverOwn && cover.CheckedAt == nil {
		if err := s.checkCover(tx, jobID, cr.ScanSHA256, by, ip); err != nil {
			return err
		}
		now := s.now()
		cover.CheckedAt = &now
	}
	if settings.CoverRequired || cr.Exemption != "" {
		if err := domain.CoverGate(cover, domain.Date(job.StartDate), cr.Exemption, cr.Checked); err != nil {
			return err
		}
	}
	if cr.Exemption != "" {
		return s.exemptCover(tx, jobID, cr.Exemption, by, ip)
	}
	return nil
}
