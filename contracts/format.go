package contracts

import (
	"strconv"
	"strings"
	"time"

	"lingong/domain"
)

// Formatting for people: Chinese dates and numerals, the labels of codes. Times are always shown in
// Asia/Shanghai.

// cnDate writes a calendar date as 2026年5月1日; an invalid or empty date is written as given.
func cnDate(d domain.Date) string {
	t := d.Start()
	if t.IsZero() {
		return string(d)
	}
	return cnDay(t)
}

func cnDay(t time.Time) string {
	t = t.In(domain.Shanghai)
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// cnTime writes an instant as 2026年5月1日 09:12:03 in Asia/Shanghai.
func cnTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cnDay(t) + " " + t.In(domain.Shanghai).Format("15:04:05")
}

// shortDate writes a date as 05-01 for narrow table columns (the year is in the header).
func shortDate(d domain.Date) string {
	if len(d) == 10 {
		return string(d[5:])
	}
	return string(d)
}

// cnOrdinal writes 1..99 in Chinese numerals for clause numbers: 一, 十, 十二, 二十一.
func cnOrdinal(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		if n == 10 {
			return "十"
		}
		return "十" + digits[n-10]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}

// hoursText writes minutes as hours: 480 -> "8 小时", 450 -> "7.5 小时", 500 -> "8 小时 20 分钟".
func hoursText(min int) string {
	h, m := min/60, min%60
	switch {
	case m == 0:
		return strconv.Itoa(h) + " 小时"
	case m == 30:
		return strconv.Itoa(h) + ".5 小时"
	case h == 0:
		return strconv.Itoa(m) + " 分钟"
	}
	return strconv.Itoa(h) + " 小时 " + strconv.Itoa(m) + " 分钟"
}

// milli writes a quantity held in thousandths: 12500 -> "12.5", 3000 -> "3", -250 -> "-0.25".
func milli(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatInt(v/1000, 10)
	if frac := v % 1000; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1000+frac, 10)[1:], "0")
	}
	return sign + s
}

// quantityUnit is the unit of a ledger quantity: 小时, 天, 单, or the contract's piece unit (斤, 件…).
func quantityUnit(u domain.WageUnit, wage WageTerms) string {
	if u == wage.Unit {
		return wage.CountUnit()
	}
	return u.Label()
}

// yuan writes fen as "150.50 元".
func yuan(fen int64) string { return domain.FormatYuan(fen) + " 元" }

func roleLabel(r domain.SignerRole) string {
	switch r {
	case domain.SignerWorker:
		return "乙方（劳动者）"
	case domain.SignerEmployer:
		return "甲方（用工方）"
	}
	return string(r)
}

func methodLabel(m domain.SignMethod) string {
	switch m {
	case domain.SignSMS:
		return "短信验证码确认"
	case domain.SignAPIKey:
		return "API密钥确认"
	case domain.SignStaffWitness:
		return "工作人员见证手写签名"
	}
	return string(m)
}

func ledgerKindLabel(k domain.LedgerKind) string {
	switch k {
	case domain.LedgerWork:
		return "工作记录"
	case domain.LedgerPayment:
		return "付款"
	case domain.LedgerCorrection:
		return "更正"
	case domain.LedgerCancellation:
		return "误工补偿"
	}
	return string(k)
}

func contractStatusLabel(s domain.ContractStatus) string {
	switch s {
	case domain.ContractDraft:
		return "待签署"
	case domain.ContractActive:
		return "已生效"
	case domain.ContractCompleted:
		return "已完成"
	case domain.ContractTerminated:
		return "已终止"
	}
	return string(s)
}

func employerKindLabel(k domain.EmployerKind) string {
	if k == domain.EmployerIndividual {
		return "个人"
	}
	return "单位"
}

// orDash returns s, or a dash for an empty value so a blank never looks like a printing fault.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
