package domain

import "unicode/utf8"

// Employer statuses.
const (
	EmployerActive    = "active"
	EmployerSuspended = "suspended"
)

// MaxEmployerName bounds an employer's name (a cooperative's full registered name fits).
const MaxEmployerName = 60

// MaxActiveAPIKeys is how many unrevoked keys one employer may hold: enough to rotate without downtime
// (issue the new key, deploy it, revoke the old), few enough that forgotten keys do not pile up.
const MaxActiveAPIKeys = 5

// IssuedAPIKey is a key just issued: its record, and the secret the employer must copy now. The secret is
// never shown again; only its SHA-256 is stored.
type IssuedAPIKey struct {
	Key    APIKey `json:"key"`
	Secret string `json:"secret"`
}

// ValidateEmployer checks and normalises a new employer: a company needs its unified social credit code
// (GB 32100-2015, check character verified); an individual (a household, a farmer) has none. Both need a
// contact person and a mobile number. It returns the first problem as an invalid error naming the field.
func ValidateEmployer(e *Employer) error {
	var err error
	switch e.Kind {
	case EmployerCompany, EmployerIndividual:
	default:
		return Invalid("kind", "用工方类型应为 company（企业、合作社等单位）或 individual（个人、家庭）")
	}
	if e.Name, err = cleanLine("name", e.Name, MaxEmployerName); err != nil {
		return err
	}
	if utf8.RuneCountInString(e.Name) < 2 {
		if e.Kind == EmployerCompany {
			return Invalid("name", "请填写单位名称（与营业执照一致）")
		}
		return Invalid("name", "请填写用工人姓名")
	}
	if e.Kind == EmployerCompany {
		if e.CreditCode, err = NormalizeCreditCode("credit_code", e.CreditCode); err != nil {
			return err
		}
	} else if e.CreditCode != "" {
		return Invalid("credit_code", "个人用工不需要统一社会信用代码；单位请选择 company")
	}
	if e.ContactName, err = NormalizeName("contact_name", e.ContactName); err != nil {
		return err
	}
	if e.ContactPhone, err = NormalizePhone("contact_phone", e.ContactPhone); err != nil {
		return err
	}
	return nil
}
