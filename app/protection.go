package app

import (
	"context"
	"fmt"

	"lingong/domain"
)

// Protection (issue 22): each gig's accident cover, the admin's rules for it, and the reviewer's check.

// ProtectionStore is what the protection use cases need from the database.
type ProtectionStore interface {
	ProtectionSettings(ctx context.Context) (domain.ProtectionSettings, error)
	SetProtectionSettings(ctx context.Context, ps domain.ProtectionSettings, by domain.Principal, ip string) (domain.ProtectionSettings, error)
	JobCover(ctx context.Context, jobID int64) (domain.Cover, error)
	JobCovers(ctx context.Context, jobIDs []int64) (map[int64]domain.Cover, error)
	JobCoverScan(ctx context.Context, jobID int64) ([]byte, string, error)
	DeclareCover(ctx context.Context, jobID int64, d domain.CoverDeclaration, by domain.Principal, ip string) (domain.Cover, error)
	CheckCover(ctx context.Context, jobID int64, scanSHA256 string, by domain.Principal, ip string) (domain.Cover, error)
	ReviewJobCovered(ctx context.Context, id int64, approve bool, reason string, cr domain.CoverReview, by domain.Principal, ip string) (domain.Job, error)
	// The wage guarantee (guarantee.go).
	GuaranteeAccount(ctx context.Context, employerID int64) (domain.GuaranteeAccount, error)
	GuaranteeEntry(ctx context.Context, id int64) (domain.GuaranteeEntry, error)
	GuaranteeTotals(ctx context.Context) (held, advanced int64, err error)
	GuaranteeNeed(ctx context.Context, jobID int64) (domain.GuaranteeNeed, error)
	RecordGuarantee(ctx context.Context, employerID int64, in domain.GuaranteeInput, by domain.Principal, ip string) (domain.GuaranteeEntry, error)
	ConfirmGuarantee(ctx context.Context, entryID int64, by domain.Principal, ip string) (domain.GuaranteeEntry, error)
	RecordAdvance(ctx context.Context, employerID, contractID, ledgerEntryID, alertID, amountFen int64, by domain.Principal, ip string) (domain.GuaranteeEntry, error)
	LockGuarantee(ctx context.Context, employerID int64) error
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// ProtectionSettings returns the admin's cover rules and the city policy: console users only.
func (s *Service) ProtectionSettings(ctx context.Context, p domain.Principal) (domain.ProtectionSettings, error) {
	if !p.IsStaff() {
		return domain.ProtectionSettings{}, domain.Forbidden("")
	}
	return s.store.ProtectionSettings(ctx)
}

// SetProtectionSettings replaces the cover rules and the city group policy: the admin only. A city
// policy is either complete and valid or entirely empty.
func (s *Service) SetProtectionSettings(ctx context.Context, p domain.Principal, ps domain.ProtectionSettings) (domain.ProtectionSettings, error) {
	if p.Kind != domain.AsAdmin {
		return domain.ProtectionSettings{}, domain.Forbidden("只有管理员能设置保障规则")
	}
	if ps.City != (domain.Policy{}) {
		city, err := ps.City.Normalize()
		if err != nil {
			return domain.ProtectionSettings{}, err
		}
		ps.City = city
	}
	if err := ps.Guarantee.Validate(); err != nil {
		return domain.ProtectionSettings{}, err
	}
	terms, err := domain.CleanText("city_terms", ps.CityTerms, 2000)
	if err != nil {
		return domain.ProtectionSettings{}, err
	}
	ps.CityTerms = terms
	return s.store.SetProtectionSettings(ctx, ps, p, p.IP)
}

// managedJobForCover loads a gig its employer or its station's staff may act on.
func (s *Service) managedJobForCover(ctx context.Context, p domain.Principal, jobID int64) (domain.Job, error) {
	j, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return domain.Job{}, err
	}
	if err := domain.CanManageJob(p, j); err != nil {
		return domain.Job{}, err
	}
	return j, nil
}

// DeclareCover records a gig's accident cover: the employer (or its station's staff) declares the
// employer's own policy with a scan, or the city's group policy. A new declaration replaces the old one
// and must be checked again.
func (s *Service) DeclareCover(ctx context.Context, p domain.Principal, jobID int64, d domain.CoverDeclaration) (domain.Cover, error) {
	j, err := s.managedJobForCover(ctx, p, jobID)
	if err != nil {
		return domain.Cover{}, err
	}
	settings, err := s.store.ProtectionSettings(ctx)
	if err != nil {
		return domain.Cover{}, err
	}
	if d, err = d.Normalize(settings.City); err != nil {
		return domain.Cover{}, err
	}
	if d.Policy.ValidTo < j.StartDate {
		return domain.Cover{}, domain.Invalid("valid_to", "保单在岗位开工（"+string(j.StartDate)+"）之前就到期了")
	}
	return s.store.DeclareCover(ctx, j.ID, d, p, p.IP)
}

// JobCover returns a gig's cover for its employer and the staff.
func (s *Service) JobCover(ctx context.Context, p domain.Principal, jobID int64) (domain.Job, domain.Cover, error) {
	j, err := s.managedJobForCover(ctx, p, jobID)
	if err != nil {
		return domain.Job{}, domain.Cover{}, err
	}
	c, err := s.store.JobCover(ctx, j.ID)
	return j, c, err
}

// JobCovers returns the covers of gigs (for lists the staff read); gigs without one are absent.
func (s *Service) JobCovers(ctx context.Context, p domain.Principal, jobIDs []int64) (map[int64]domain.Cover, error) {
	if !p.IsStaff() {
		return nil, domain.Forbidden("")
	}
	return s.store.JobCovers(ctx, jobIDs)
}

// JobCoverScan returns the uploaded policy scan for the gig's employer and the staff who check it.
func (s *Service) JobCoverScan(ctx context.Context, p domain.Principal, jobID int64) ([]byte, string, error) {
	j, err := s.managedJobForCover(ctx, p, jobID)
	if err != nil {
		return nil, "", err
	}
	return s.store.JobCoverScan(ctx, j.ID)
}

// CheckCover records that the gig's station staff compared the own policy's scan with its figures (for
// a policy renewed after approval; at approval the review does it).
func (s *Service) CheckCover(ctx context.Context, p domain.Principal, jobID int64, scanSHA256 string) (domain.Cover, error) {
	if !p.IsStaff() {
		return domain.Cover{}, domain.Forbidden("只有审核人员能核对保单")
	}
	j, err := s.managedJobForCover(ctx, p, jobID)
	if err != nil {
		return domain.Cover{}, err
	}
	return s.store.CheckCover(ctx, j.ID, scanSHA256, p, p.IP)
}

// ProtectionStatus is what the review screen and the gig's cover view show about one gig.
type ProtectionStatus struct {
	Cover    domain.Cover
	Required bool
	// BlockedFrom is the first working day the policy does not cover (it expires before the gig ends).
	BlockedFrom domain.Date
}

// CoverStatus returns a gig's cover with what it means for the gig's days.
func CoverStatus(j domain.Job, c domain.Cover, settings domain.ProtectionSettings) ProtectionStatus {
	st := ProtectionStatus{Cover: c, Required: settings.CoverRequired}
	if from, ok := c.BlockedFrom(j.StartDate, j.EndDate); ok {
		st.BlockedFrom = from
	}
	return st
}

// JobCoverStatus returns a gig's cover with what it means for the gig's days, for its employer and the staff.
func (s *Service) JobCoverStatus(ctx context.Context, p domain.Principal, jobID int64) (ProtectionStatus, error) {
	j, c, err := s.JobCover(ctx, p, jobID)
	if err != nil {
		return ProtectionStatus{}, err
	}
	settings, err := s.store.ProtectionSettings(ctx)
	if err != nil {
		return ProtectionStatus{}, err
	}
	return CoverStatus(j, c, settings), nil
}

// CoverNote is one Chinese line on a gig's cover, as the review screen and the API show it.
func CoverNote(st ProtectionStatus) string {
	c := st.Cover
	var note string
	switch c.Kind {
	case domain.CoverOwn, domain.CoverCity:
		note = fmt.Sprintf("%s：%s，每人保额 %s 元，有效期 %s 至 %s", c.Kind.Label(), c.Policy.Label(),
			domain.FormatYuan(c.Policy.CoverFen), c.Policy.ValidFrom, c.Policy.ValidTo)
		if c.Kind == domain.CoverOwn {
			if c.CheckedAt != nil {
				note += "；保单照片已核对"
			} else {
				note += "；保单照片待审核人员核对"
			}
		}
		if st.BlockedFrom != "" {
			note += fmt.Sprintf("。保单在岗位结束前到期：%s 起的工作日没有保险，不能上工，请更新保单", st.BlockedFrom)
		}
	case domain.CoverExempt:
		note = "豁免（无意外保险）：" + c.ExemptionReason
	default:
		note = "未申报意外保险"
		if st.Required {
			note += "：申报前不能通过审核"
		}
	}
	return note
}
