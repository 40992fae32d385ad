package console

import (
	"fmt"

	"lingong/domain"
)

// The dashboard's attendance (issue 21 item 7) and protection (issue 22 item 6) figures as the page and
// the CSV show them. A rate or a time with nothing to compute it from is "—", never NaN or 0.

// orDash writes a figure that may be missing.
func orDash(x *float64, f func(float64) string) string {
	if x == nil {
		return "—"
	}
	return f(*x)
}

func pctOf(x *float64) string   { return orDash(x, pct) }
func hoursOf(x *float64) string { return orDash(x, hours) }
func daysOf(x *float64) string {
	return orDash(x, func(v float64) string { return fmt.Sprintf("%.1f", v) })
}

// hoursUnit is a time in hours with its unit ("18.5 小时"); inDays the same time in days ("0.8").
func hoursUnit(x *float64) string {
	return orDash(x, func(v float64) string { return fmt.Sprintf("%.1f 小时", v) })
}
func inDays(x *float64) string {
	return orDash(x, func(v float64) string { return fmt.Sprintf("%.1f", v/24) })
}

// figureCells are the figures the page's attendance and protection panels show in large type.
func figureCells(st domain.Stats) map[string]string {
	a, p := st.Attendance, st.Protection
	return map[string]string{
		"check_ins":     itoa(a.CheckIns),
		"no_show_rate":  pctOf(a.NoShowRate),
		"no_shows":      fmt.Sprintf("%d / %d", a.NoShowsConfirmed, a.DaysDue),
		"no_shows_open": itoa(a.NoShowsUnanswered),
		"pay_median":    hoursUnit(a.PayHoursMedian), "pay_median_days": inDays(a.PayHoursMedian),
		"pay_p90": hoursUnit(a.PayHoursP90), "pay_p90_days": inDays(a.PayHoursP90),
		"days_paid":        fmt.Sprintf("%d / %d", a.DaysPaid, a.DaysWorked),
		"covered_share":    pctOf(p.CoveredShare),
		"covered_days":     fmt.Sprintf("%d / %d", p.CoveredDays, p.WorkingDays),
		"exemptions":       itoa(p.Exemptions),
		"guarantee_held":   yuanCell(p.GuaranteeHeldFen),
		"advances":         itoa(p.Advances),
		"advanced":         yuanCell(p.AdvancedFen),
		"arrears_days":     daysOf(p.ArrearsDaysMedian),
		"arrears_days_p90": daysOf(p.ArrearsDaysP90),
		"arrears_paid":     itoa(p.ArrearsPaid),
		"arrears_unpaid":   itoa(p.ArrearsUnpaid),
	}
}

// attendanceHeader is the header of the attendance tables by station and by district.
var attendanceHeader = []string{"签到人次", "应到的合约工作日", "确认缺勤", "缺勤率", "缺勤待答复", "有工钱的合约工作日", "已付", "到付款中位数（小时）", "到付款 P90（小时）"}

func attendanceRow(name string, c domain.AttendanceCounts) []string {
	return []string{name, itoa(c.CheckIns), itoa(c.DaysDue), itoa(c.NoShowsConfirmed), pctOf(c.NoShowRate), itoa(c.NoShowsUnanswered),
		itoa(c.DaysWorked), itoa(c.DaysPaid), hoursOf(c.PayHoursMedian), hoursOf(c.PayHoursP90)}
}

// protectionTable is one of the attendance and protection tables.
func protectionTable(st domain.Stats, table string) [][]string {
	a, p := st.Attendance, st.Protection
	switch table {
	case "attendance":
		return [][]string{
			{"指标", "数值"},
			{"签到人次", itoa(a.CheckIns)},
			{"应到的合约工作日（今天以前）", itoa(a.DaysDue)},
			{"确认的缺勤", itoa(a.NoShowsConfirmed)},
			{"缺勤率（确认的缺勤 ÷ 应到的合约工作日）", pctOf(a.NoShowRate)},
			{"标为缺勤、还没有答复", itoa(a.NoShowsUnanswered)},
			{"有工钱的合约工作日", itoa(a.DaysWorked)},
			{"其中已付", itoa(a.DaysPaid)},
			{"干完活到付款（中位数，小时）", hoursOf(a.PayHoursMedian)},
			{"干完活到付款（P90，小时）", hoursOf(a.PayHoursP90)},
		}
	case "attendance_stations", "attendance_districts":
		first, groups := "站点", a.ByStation
		if table == "attendance_districts" {
			first, groups = "区县", a.ByDistrict
		}
		rows := [][]string{append([]string{first}, attendanceHeader...)}
		for _, g := range groups {
			rows = append(rows, attendanceRow(g.Name, g.AttendanceCounts))
		}
		return rows
	case "check_ins":
		rows := [][]string{{"日期", "签到人次"}}
		for _, d := range a.CheckInsPerDay {
			rows = append(rows, []string{string(d.Day), itoa(d.Count)})
		}
		return rows
	}
	return [][]string{
		{"指标", "数值"},
		{"合约工作日", itoa(p.WorkingDays)},
		{"其中有意外保险", itoa(p.CoveredDays)},
		{"有意外保险的工作日占比", pctOf(p.CoveredShare)},
		{"豁免保险通过审核的岗位", itoa(p.Exemptions)},
		{"保证金余额（元，已复核）", yuanCell(p.GuaranteeHeldFen)},
		{"先行垫付（笔）", itoa(p.Advances)},
		{"先行垫付（元）", yuanCell(p.AdvancedFen)},
		{"欠薪预警已付清（条）", itoa(p.ArrearsPaid)},
		{"欠薪预警未付清（条）", itoa(p.ArrearsUnpaid)},
		{"预警到付清（中位数，天）", daysOf(p.ArrearsDaysMedian)},
		{"预警到付清（P90，天）", daysOf(p.ArrearsDaysP90)},
	}
}
