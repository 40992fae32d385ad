package domain

// The Chinese names of the remaining coded values, for pages: a page shows a label, never a code
// (docs/pages.md). Each type's Label returns the code itself only for a value the domain does not
// know, which the tests of the rendered pages then catch.

// Label is the Chinese name of the kind of station.
func (k StationKind) Label() string {
	switch k {
	case KindMarket:
		return "零工市场"
	case KindStation:
		return "零工驿站"
	}
	return string(k)
}

// Label is the Chinese name of the kind of employer.
func (k EmployerKind) Label() string {
	switch k {
	case EmployerCompany:
		return "单位"
	case EmployerIndividual:
		return "个人"
	}
	return string(k)
}

// Label is the Chinese name of a contract's party.
func (r SignerRole) Label() string {
	switch r {
	case SignerWorker:
		return "零工"
	case SignerEmployer:
		return "用工方"
	}
	return string(r)
}

// Label is the Chinese name of how a party signed.
func (m SignMethod) Label() string {
	switch m {
	case SignSMS:
		return "短信验证码"
	case SignAPIKey:
		return "API 密钥"
	case SignStaffWitness:
		return "手写签字（工作人员见证）"
	}
	return string(m)
}

// Label is the Chinese name of a kind of ledger line.
func (k LedgerKind) Label() string {
	switch k {
	case LedgerWork:
		return "干活"
	case LedgerPayment:
		return "付款"
	case LedgerCorrection:
		return "更正"
	case LedgerCancellation:
		return "误工补偿"
	}
	return string(k)
}

// Label is the Chinese name of a console role.
func (r StaffRole) Label() string {
	switch r {
	case RoleStaff:
		return "站点工作人员"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// AccountStatusLabel is the Chinese name of a worker's or an employer's account status (active,
// inactive, suspended).
func AccountStatusLabel(status string) string {
	switch status {
	case "active", "":
		return "正常"
	case "inactive":
		return "已停用"
	case "suspended":
		return "已暂停"
	}
	return status
}
