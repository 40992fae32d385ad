package v1

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// Protection (issue 22): the admin's cover rules and city policy, each gig's declared accident cover,
// its scan and the reviewer's check.

// policyView is a policy as the API shows it.
type policyView struct {
	Insurer      string      `json:"insurer"`
	PolicyNumber string      `json:"policy_number"`
	CoverFen     int64       `json:"cover_fen"`
	ValidFrom    domain.Date `json:"valid_from"`
	ValidTo      domain.Date `json:"valid_to"`
}

func viewPolicy(p domain.Policy) policyView {
	return policyView{Insurer: p.Insurer, PolicyNumber: p.PolicyNumber, CoverFen: p.CoverFen, ValidFrom: p.ValidFrom, ValidTo: p.ValidTo}
}

// protectionSettingsView is GET/PUT /api/v1/admin/protection.
type protectionSettingsView struct {
	CoverRequired bool                 `json:"cover_required"`
	City          *policyView          `json:"city_policy"`
	CityTerms     string               `json:"city_terms"`
	Guarantee     domain.GuaranteeRule `json:"guarantee"`
	UpdatedAt     *time.Time           `json:"updated_at"`
}

func viewProtectionSettings(ps domain.ProtectionSettings) protectionSettingsView {
	v := protectionSettingsView{CoverRequired: ps.CoverRequired, CityTerms: ps.CityTerms, Guarantee: ps.Guarantee}
	if ps.City.Configured() {
		p := viewPolicy(ps.City)
		v.City = &p
	}
	if !ps.UpdatedAt.IsZero() {
		v.UpdatedAt = &ps.UpdatedAt
	}
	return v
}

// protectionSettingsRequest is the body of PUT /api/v1/admin/protection.
type protectionSettingsRequest struct {
	CoverRequired bool                  `json:"cover_required"`
	City          *policyView           `json:"city_policy"`
	CityTerms     string                `json:"city_terms"`
	Guarantee     *domain.GuaranteeRule `json:"guarantee"`
}

// getProtectionSettings is GET /api/v1/admin/protection: the cover rules (console users).
func (s *API) getProtectionSettings(c *gin.Context) {
	ps, err := s.app.ProtectionSettings(c.Request.Context(), kit.Principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewProtectionSettings(ps))
}

// putProtectionSettings is PUT /api/v1/admin/protection: the admin sets whether approval requires cover
// and the city's group policy.
func (s *API) putProtectionSettings(c *gin.Context) {
	var req protectionSettingsRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ps := domain.ProtectionSettings{CoverRequired: req.CoverRequired, CityTerms: req.CityTerms}
	if req.Guarantee != nil {
		ps.Guarantee = *req.Guarantee
	}
	if req.City != nil {
		ps.City = domain.Policy{Insurer: req.City.Insurer, PolicyNumber: req.City.PolicyNumber, CoverFen: req.City.CoverFen,
			ValidFrom: req.City.ValidFrom, ValidTo: req.City.ValidTo}
	}
	out, err := s.app.SetProtectionSettings(c.Request.Context(), kit.Principal(c), ps)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewProtectionSettings(out))
}

// coverView is a gig's cover as its employer and the staff see it.
type coverView struct {
	JobID           int64       `json:"job_id"`
	Kind            string      `json:"kind"` // own | city | exempt | "" (none declared)
	KindLabel       string      `json:"kind_label"`
	Policy          *policyView `json:"policy"`
	ScanURL         string      `json:"scan_url,omitempty"`
	ScanSHA256      string      `json:"scan_sha256,omitempty"`
	Checked         bool        `json:"checked"`
	CheckedAt       *time.Time  `json:"checked_at,omitempty"`
	ExemptionReason string      `json:"exemption_reason,omitempty"`
	Required        bool        `json:"required"`
	BlockedFrom     domain.Date `json:"blocked_from,omitempty"`
	Note            string      `json:"note"`
}

func viewCover(st app.ProtectionStatus) coverView {
	c := st.Cover
	v := coverView{JobID: c.JobID, Kind: string(c.Kind), KindLabel: c.Kind.Label(), Checked: c.CheckedAt != nil, CheckedAt: c.CheckedAt,
		ExemptionReason: c.ExemptionReason, Required: st.Required, BlockedFrom: st.BlockedFrom, Note: app.CoverNote(st)}
	if c.Policy.Configured() {
		p := viewPolicy(c.Policy)
		v.Policy = &p
	}
	if c.ScanSHA256 != "" {
		v.ScanURL, v.ScanSHA256 = "/api/v1/jobs/"+strconv.FormatInt(c.JobID, 10)+"/cover/scan", c.ScanSHA256
	}
	return v
}

// coverRequest is the body of PUT /api/v1/jobs/{id}/cover.
type coverRequest struct {
	Kind         string      `json:"kind"` // own | city
	Insurer      string      `json:"insurer"`
	PolicyNumber string      `json:"policy_number"`
	CoverFen     int64       `json:"cover_fen"`
	ValidFrom    domain.Date `json:"valid_from"`
	ValidTo      domain.Date `json:"valid_to"`
	ScanBase64   string      `json:"scan_base64"` // the policy's photo or scan: JPEG, PNG or PDF
}

// putCover is PUT /api/v1/jobs/{id}/cover: the gig's employer (or its station's staff) declares the
// gig's accident cover; it replaces any earlier declaration.
func (s *API) putCover(c *gin.Context) {
	var req coverRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	d := domain.CoverDeclaration{Kind: domain.CoverKind(req.Kind), Policy: domain.Policy{Insurer: req.Insurer, PolicyNumber: req.PolicyNumber,
		CoverFen: req.CoverFen, ValidFrom: req.ValidFrom, ValidTo: req.ValidTo}}
	if req.ScanBase64 != "" {
		if d.Scan, err = base64.StdEncoding.DecodeString(req.ScanBase64); err != nil {
			s.fail(c, domain.Invalid("scan_base64", "保单照片应为 base64 编码的 JPG、PNG 或 PDF 文件"))
			return
		}
	}
	ctx, p := c.Request.Context(), kit.Principal(c)
	if _, err := s.app.DeclareCover(ctx, p, id, d); err != nil {
		s.fail(c, err)
		return
	}
	s.renderCover(c, id)
}

// renderCover answers with the gig's cover and what it means for its days.
func (s *API) renderCover(c *gin.Context, id int64) {
	ctx, p := c.Request.Context(), kit.Principal(c)
	st, err := s.app.JobCoverStatus(ctx, p, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewCover(st))
}

// getCover is GET /api/v1/jobs/{id}/cover: the gig's employer and the staff.
func (s *API) getCover(c *gin.Context) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderCover(c, id)
}

// coverScan is GET /api/v1/jobs/{id}/cover/scan: the uploaded policy scan, for the staff who check it
// and the employer who sent it.
func (s *API) coverScan(c *gin.Context) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	b, typ, err := s.app.JobCoverScan(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, typ, b)
}

// coverCheckRequest is the optional body of POST /api/v1/jobs/{id}/cover/check: the scan the reviewer
// looked at (Cover.scan_sha256), so a declaration made since is not checked unseen.
type coverCheckRequest struct {
	ScanSHA256 string `json:"scan_sha256"`
}

// checkCover is POST /api/v1/jobs/{id}/cover/check: the station's staff record that they compared the
// scan with the declared figures.
func (s *API) checkCover(c *gin.Context) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req coverCheckRequest
	body, err := kit.ReadBody(c)
	if err == nil && len(body) > 0 {
		err = kit.DecodeJSONBytes(body, &req)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.app.CheckCover(c.Request.Context(), kit.Principal(c), id, req.ScanSHA256); err != nil {
		s.fail(c, err)
		return
	}
	s.renderCover(c, id)
}
