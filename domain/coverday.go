package domain

import (
	"fmt"
	"strconv"
)

// What a worker is told about the cover of their working days (issue 22 item 3): on /me, before they
// go, each working day reads 今天有意外保险（保险公司 · 保单号）or says plainly that it is not insured.

// CoverDay is one working day of one contract and whether it is insured.
type CoverDay struct {
	ContractID int64
	JobID      int64
	JobTitle   string
	Date       Date
	Covered    bool
	// Text is the line the worker reads: "今天有意外保险（中国人寿 · P123）" or, for a day without
	// cover, "明天（12月8日）没有意外保险（保单 12月7日 到期），请先和用工方或驿站确认".
	Text string
}

// DayName names a day relative to today for people: 今天, 明天, 后天, else 12月10日.
func DayName(d, today Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return "今天"
	case 1:
		return "明天"
	case 2:
		return "后天"
	}
	return monthDay(d)
}

// monthDay writes 2026-12-08 as 12月8日.
func monthDay(d Date) string {
	t := d.Start()
	if t.IsZero() {
		return string(d)
	}
	return strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// UncoveredReason says why day d of a gig with cover c is not insured ("" when it is): an exemption,
// an own policy not yet checked, a policy that ended before the day (the blocked_from rule) or has not
// started, or no cover declared at all.
func (c Cover) UncoveredReason(d Date) string {
	if c.CoveredOn(d) {
		return ""
	}
	switch {
	case c.Kind == CoverExempt:
		return "已登记豁免：" + c.ExemptionReason
	case c.Kind == CoverOwn && c.CheckedAt == nil:
		return "用工方的保单还没有核对"
	case c.Declared() && c.Policy.ValidTo != "" && c.Policy.ValidTo < d:
		return "保单 " + monthDay(c.Policy.ValidTo) + " 已到期"
	case c.Declared():
		return "保单 " + monthDay(c.Policy.ValidFrom) + " 才生效"
	}
	return "用工方没有申报保险"
}

// CoverDayText is the worker's line about day d (today being today) of a gig with cover c.
func CoverDayText(c Cover, d, today Date) (bool, string) {
	name := DayName(d, today)
	if name == "明天" || name == "后天" {
		name += "（" + monthDay(d) + "）"
	}
	if c.CoveredOn(d) {
		return true, fmt.Sprintf("%s有意外保险（%s）", name, c.Policy.Label())
	}
	return false, fmt.Sprintf("%s没有意外保险（%s），请先和用工方或驿站确认", name, c.UncoveredReason(d))
}

// ContractCoverDays returns the lines /me shows for an active contract from today: today's and
// tomorrow's working days, and, when those are insured, the first working day without cover within the
// next lookahead days (so a lapse next week is told now). Days outside the contract's period are not working days.
func ContractCoverDays(ct Contract, jobTitle string, c Cover, today Date, lookahead int) []CoverDay {
	if ct.Status != ContractActive {
		return nil
	}
	var out []CoverDay
	add := func(d Date) {
		ok, text := CoverDayText(c, d, today)
		out = append(out, CoverDay{ContractID: ct.ID, JobID: ct.JobID, JobTitle: jobTitle, Date: d, Covered: ok, Text: text})
	}
	working := func(d Date) bool { return ct.StartDate <= d && d <= ct.EndDate }
	for i := 0; i < 2; i++ {
		if d := today.AddDays(i); working(d) {
			add(d)
		}
	}
	for _, l := range out {
		if !l.Covered {
			return out // already warned; the same reason holds for the later days
		}
	}
	for i := 2; i <= lookahead; i++ {
		if d := today.AddDays(i); working(d) && !c.CoveredOn(d) {
			add(d)
			break
		}
	}
	return out
}

// CoverContractText is how a contract's PDF lists the gig's cover: insurer, policy number, cover per
// person in 元 and the valid dates, with the days of the period [start, end] it does not reach; or why
// there is none (无意外保险（已登记豁免：理由）).
func CoverContractText(c Cover, start, end Date) string {
	switch c.Kind {
	case CoverOwn, CoverCity:
		s := fmt.Sprintf("%s，保险公司 %s，保单号 %s，每人保额 %s 元，有效期 %s 至 %s", c.Kind.Label(), c.Policy.Insurer,
			c.Policy.PolicyNumber, FormatYuan(c.Policy.CoverFen), c.Policy.ValidFrom, c.Policy.ValidTo)
		if c.Kind == CoverOwn && c.CheckedAt == nil {
			s += "（保单尚未经驿站核对，核对前工作日不算有保险）"
		}
		if from, ok := c.BlockedFrom(start, end); ok {
			s += fmt.Sprintf("。保单在工作期限结束前到期：%s 起的工作日没有意外保险", from)
		}
		return s + "。"
	case CoverExempt:
		return "无意外保险（已登记豁免：" + c.ExemptionReason + "）。"
	}
	return "无意外保险（用工方未申报）。"
}
