package domain

import (
	"bytes"
	"fmt"
	"time"
)

// Protection (保障, issue 22): the accident cover every working day of a gig carries. A gig declares its
// cover before approval: the employer's own policy (checked by the reviewing staff against an uploaded
// scan) or the city's group policy for gig workers (configured by the admin). Staff may approve a gig
// without cover only by recording an exemption with its reason.

// CoverKind says where a gig's accident cover comes from.
type CoverKind string

const (
	CoverOwn    CoverKind = "own"    // the employer's own policy
	CoverCity   CoverKind = "city"   // the city's group policy for gig workers
	CoverExempt CoverKind = "exempt" // no cover: staff recorded an exemption with its reason
)

// Label is the kind in Chinese.
func (k CoverKind) Label() string {
	switch k {
	case CoverOwn:
		return "用工方自有保单"
	case CoverCity:
		return "市零工团体意外险"
	case CoverExempt:
		return "豁免（无保险）"
	}
	return "未申报"
}

// Limits of a policy's figures: anything outside is a typing error, not a policy.
const (
	MaxCoverFen = 1_000_000_000 // 1,000 万元 per person
	// MinCoverFen is the least cover per person that is a policy at all: 1,000 元. Accident policies for
	// gig work insure tens of thousands of yuan; a cover of a few yuan is a typing error (or a fake).
	MinCoverFen = 100_000
	// MaxPolicyDays bounds a policy's validity: accident policies run a year, group policies a few;
	// "1900-01-01 至 9999-12-31" is not a policy.
	MaxPolicyDays = 5*365 + 1
	MaxScanBytes  = 700 << 10 // a phone photo or a scanned page, under the 1 MiB body limit as base64
	maxPolicyText = 60
)

// Policy is an accident insurance policy: who insures, its number, the cover per person and the days
// it is valid (both inclusive, calendar dates in Asia/Shanghai).
type Policy struct {
	Insurer      string
	PolicyNumber string
	CoverFen     int64 // cover per person, fen
	ValidFrom    Date
	ValidTo      Date
}

// Configured reports whether the policy has been filled in.
func (p Policy) Configured() bool { return p.Insurer != "" && p.PolicyNumber != "" }

// Covers reports whether the policy is valid on day d.
func (p Policy) Covers(d Date) bool { return p.Configured() && p.ValidFrom <= d && d <= p.ValidTo }

// Label is "保险公司 · 保单号", as the worker reads it.
func (p Policy) Label() string { return p.Insurer + " · " + p.PolicyNumber }

// Normalize checks a policy's fields and returns it cleaned; field names are prefixed with prefix (e.g.
// "" for a gig's own policy).
func (p Policy) Normalize() (Policy, error) {
	var problems Problems
	var err error
	if p.Insurer, err = CleanText("insurer", p.Insurer, maxPolicyText); err != nil {
		problems = append(problems, AsError(err))
	} else if len([]rune(p.Insurer)) < 2 {
		problems = append(problems, Invalid("insurer", "请填写保险公司名称，例如“中国人寿财险中卫支公司”"))
	}
	if p.PolicyNumber, err = CleanText("policy_number", p.PolicyNumber, maxPolicyText); err != nil {
		problems = append(problems, AsError(err))
	} else if len(p.PolicyNumber) < 4 {
		problems = append(problems, Invalid("policy_number", "请填写保单号（保单上印的号码）"))
	}
	if p.CoverFen < MinCoverFen || p.CoverFen > MaxCoverFen {
		problems = append(problems, Invalidf("cover_fen", "每人保额应在 %s 元到 %s 元之间（单位：分）", FormatYuan(MinCoverFen), FormatYuan(MaxCoverFen)))
	}
	if _, err := ParseDate("valid_from", string(p.ValidFrom)); err != nil {
		problems = append(problems, AsError(err))
	}
	if _, err := ParseDate("valid_to", string(p.ValidTo)); err != nil {
		problems = append(problems, AsError(err))
	} else if p.ValidFrom.Valid() && p.ValidTo < p.ValidFrom {
		problems = append(problems, Invalid("valid_to", "保单的截止日期早于起始日期"))
	} else if p.ValidFrom.Valid() && p.ValidFrom.DaysUntil(p.ValidTo) >= MaxPolicyDays {
		problems = append(problems, Invalid("valid_to", "保单有效期最长 5 年，请核对起止日期"))
	}
	return p, problems.Err()
}

// Cover is a gig's declared accident cover (or its exemption).
type Cover struct {
	JobID  int64
	Kind   CoverKind
	Policy Policy // own: the employer's policy; city: the city policy when declared; exempt: empty
	// Scan of the employer's own policy: its type and SHA-256 (the bytes are fetched separately).
	ScanType   string
	ScanSHA256 string
	ScanBytes  int
	// CheckedBy/CheckedAt: the staff member who compared the scan with the declared figures.
	CheckedBy int64
	CheckedAt *time.Time
	// ExemptionReason/ExemptedBy: staff's reason for approving without cover.
	ExemptionReason string
	ExemptedBy      int64
	DeclaredAt      time.Time
	UpdatedAt       time.Time
}

// Declared reports whether the gig has any cover record at all.
func (c Cover) Declared() bool { return c.Kind != "" }

// CoveredOn reports whether a working day d of the gig is insured.
// An own policy counts once the staff have checked its scan.
func (c Cover) CoveredOn(d Date) bool { return c.insures() && c.Policy.Covers(d) }

// CoveredDays counts the days d of [from, to] for which CoveredOn(d): the overlap of the range with the
// policy's validity, when the cover insures at all.
func (c Cover) CoveredDays(from, to Date) int {
	if !c.insures() || !c.Policy.Configured() {
		return 0
	}
	return DaysIn(max(from, c.Policy.ValidFrom), min(to, c.Policy.ValidTo))
}

// insures reports whether the cover is insurance that counts: the city's policy, or an own policy whose
// scan the staff have checked.
func (c Cover) insures() bool {
	return c.Kind == CoverCity || (c.Kind == CoverOwn && c.CheckedAt != nil)
}

// CoverReview is what a reviewer adds about the cover when approving a gig: that they checked the own
// policy's scan, or the reason to approve without cover.
type CoverReview struct {
	Checked bool
	// ScanSHA256 is the SHA-256 of the scan the reviewer looked at ("" when the client does not say): when
	// given, the check stands only if it is still the declaration's scan (the employer may re-declare
	// between the reviewer opening the photo and pressing the button).
	ScanSHA256 string
	Exemption  string
}

// BlockedFrom is the first day of the gig's period [start, end] the policy does not cover after its
// start (the policy expires before the gig ends), and whether there is one. Those days are blocked: the
// roster leaves them out and the worker is told before going.
func (c Cover) BlockedFrom(start, end Date) (Date, bool) {
	if c.Kind != CoverOwn && c.Kind != CoverCity {
		return "", false
	}
	if c.Policy.ValidTo < end {
		from := c.Policy.ValidTo.AddDays(1)
		if from < start {
			from = start
		}
		return from, true
	}
	return "", false
}

// CoverDeclaration is what an employer (or the staff for a walk-in employer) declares for a gig.
type CoverDeclaration struct {
	Kind   CoverKind
	Policy Policy // own policies only
	// Scan is the photo or scan of the own policy (JPEG, PNG or PDF).
	Scan []byte
}

// ScanType recognises an upload by its first bytes: a JPEG, PNG or PDF; "" for anything else.
func ScanType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	}
	return ""
}

// Normalize checks a declaration: an own policy needs its figures and a readable scan; the city policy
// needs the admin to have configured it (city, which the caller passes).
func (d CoverDeclaration) Normalize(city Policy) (CoverDeclaration, error) {
	switch d.Kind {
	case CoverOwn:
		p, err := d.Policy.Normalize()
		var problems Problems
		if err != nil {
			problems = append(problems, ProblemsOf(err)...)
		}
		switch {
		case len(d.Scan) == 0:
			problems = append(problems, Invalid("scan_base64", "请上传保单的照片或扫描件（JPG、PNG 或 PDF），审核人员要核对"))
		case len(d.Scan) > MaxScanBytes:
			problems = append(problems, Invalidf("scan_base64", "保单照片太大：最多 %d KB，请压缩后再传", MaxScanBytes>>10))
		case ScanType(d.Scan) == "":
			problems = append(problems, Invalid("scan_base64", "保单照片应为 JPG、PNG 或 PDF 文件"))
		}
		d.Policy = p
		return d, problems.Err()
	case CoverCity:
		if !city.Configured() {
			return d, Invalid("kind", "市里还没有配置零工团体意外险，请申报用工方自有保单")
		}
		d.Policy, d.Scan = city, nil
		return d, nil
	}
	return d, Invalid("kind", "保障方式应为 own（用工方自有保单）或 city（市零工团体意外险）")
}

// CoverGate is what approval requires of a gig's cover: nil when the gig may be approved. exemption is
// the staff's reason to approve without cover (empty when none); checked says the reviewer compared the
// own policy's scan with its figures.
func CoverGate(c Cover, start Date, exemption string, checked bool) error {
	if exemption != "" {
		if len([]rune(exemption)) < 4 {
			return Invalid("cover_exemption", "豁免保险要写明原因（至少 4 个字），会记入审计并在监测页统计")
		}
		return nil
	}
	switch c.Kind {
	case CoverOwn:
		if !checked && c.CheckedAt == nil {
			return Invalid("cover_checked", "请先核对用工方上传的保单照片（保险公司、保单号、保额、有效期），核对后勾选“保单已核对”")
		}
	case CoverCity:
	default:
		return Conflict("岗位还没有申报意外保险：请用工方申报保单，或写明豁免原因后通过")
	}
	if !c.Policy.Covers(start) {
		return Conflict(fmt.Sprintf("保单（%s 至 %s）不覆盖岗位的开工日 %s：请更新保单，或写明豁免原因后通过",
			c.Policy.ValidFrom, c.Policy.ValidTo, start))
	}
	return nil
}

// ProtectionSettings are the admin's rules for cover: whether approval requires it, and the city's group
// policy for gig workers (with its terms as the workers read them).
type ProtectionSettings struct {
	CoverRequired bool
	City          Policy
	CityTerms     string
	Guarantee     GuaranteeRule
	UpdatedAt     time.Time
}
