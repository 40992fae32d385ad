package domain

import (
	"fmt"
	"math/big"
	"strings"
)

// The local minimum wage (最低工资标准). Ningxia publishes two figures per tier: a monthly minimum for
// full-time work and an hourly minimum for non-full-time work (宁夏回族自治区人民政府关于调整全区最低工资
// 标准的通知: 一档 2050 元/月、20 元/小时；二档 1900 元/月、18 元/小时). A monthly figure is turned into a
// day by ÷21.75 and into an hour by ÷174 (劳社部发〔2008〕3号《关于职工全年月平均工作时间和工资折算问题的
// 通知》). Which standard fits a gig:
//
//   - a gig of a full day (paid by the day, or working at least FullDayHours a day) is judged by the
//     monthly minimum converted to its hours: monthly × hours ÷ 174, which is monthly ÷ 21.75 for an
//     8-hour day;
//   - short work (fewer than FullDayHours a day) is judged by the hourly minimum for non-full-time work.
//
// A gig below its floor is not refused: it waits for the reviewing staff with both figures shown, and a
// worker who sees it is told 低于本地最低工资标准 (much gig work is a service relationship, 劳务, that the
// staff may let through knowingly).

// WageTier is one tier of the minimum wage.
type WageTier struct {
	Name       string // 一档, 二档
	MonthlyFen int64  // full-time monthly minimum
	HourlyFen  int64  // non-full-time hourly minimum
}

// String is the standard as LINGONG_MIN_WAGE spells it.
func (s WageStandard) String() string {
	var parts []string
	for _, d := range Districts {
		if t, ok := s.Districts[d]; ok {
			parts = append(parts, fmt.Sprintf("%s=%s/%s", d, FormatYuan(t.MonthlyFen), FormatYuan(t.HourlyFen)))
		}
	}
	return strings.Join(parts, ",")
}

// Ningxia's published tiers.
var (
	NingxiaTier1 = WageTier{Name: "一档", MonthlyFen: 205000, HourlyFen: 2000}
	NingxiaTier2 = WageTier{Name: "二档", MonthlyFen: 190000, HourlyFen: 1800}
)

// WageStandard is the minimum wage per district. The zero value checks nothing.
type WageStandard struct {
	Districts map[string]WageTier
}

// DefaultWageStandard is the tier of each district of Zhongwei as the deployment ships it; the
// assignment is configuration (LINGONG_MIN_WAGE) and must follow the current published notice.
func DefaultWageStandard() WageStandard {
	return WageStandard{Districts: map[string]WageTier{"沙坡头区": NingxiaTier1, "中宁县": NingxiaTier1, "海原县": NingxiaTier2}}
}

const (
	// FullDayHours: a gig working at least this many hours a day is a full day's work.
	FullDayHours = 6.0
	// monthHours is the legal monthly average of working hours, 21.75 days × 8 (劳社部发〔2008〕3号).
	monthHours = 174.0
)

// ParseWageStandard reads "沙坡头区=2050/20,中宁县=2050/20,海原县=1900/18" (元 per month / 元 per hour,
// whole or with fen) into a standard; every district must be named once.
func ParseWageStandard(s string) (WageStandard, error) {
	out := WageStandard{Districts: map[string]WageTier{}}
	for _, part := range strings.Split(s, ",") {
		name, figures, ok := strings.Cut(strings.TrimSpace(part), "=")
		monthly, hourly, ok2 := strings.Cut(figures, "/")
		if !ok || !ok2 || !IsDistrict(strings.TrimSpace(name)) {
			return WageStandard{}, fmt.Errorf("%q: want 区县=月最低工资元/小时最低工资元", part)
		}
		m, err1 := ParseYuan("monthly", monthly)
		h, err2 := ParseYuan("hourly", hourly)
		if err1 != nil || err2 != nil || m < 100000 || m > 1000000 || h < 500 || h > 10000 {
			return WageStandard{}, fmt.Errorf("%q: monthly 1000–10000 元, hourly 5–100 元", part)
		}
		out.Districts[strings.TrimSpace(name)] = WageTier{Name: part, MonthlyFen: m, HourlyFen: h}
	}
	for _, d := range Districts {
		if _, ok := out.Districts[d]; !ok {
			return WageStandard{}, fmt.Errorf("%s has no minimum wage", d)
		}
	}
	return out, nil
}

// WageFloor is how a gig's pay compares with the standard that fits it, in the unit it is judged by
// (元/天 for a full day paid by the day, 元/小时 otherwise). Below is true when the pay is lower.
type WageFloor struct {
	PayFen   int64    `json:"pay_fen"`   // the gig's pay in Per
	FloorFen int64    `json:"floor_fen"` // the minimum in Per
	Per      WageUnit `json:"per"`       // day or hour
	Below    bool     `json:"below"`
}

// BelowMinimumLabel is what a worker reads on a gig that pays less than the local minimum.
const BelowMinimumLabel = "低于本地最低工资标准"

// Message is the two figures in Chinese, for the reviewing staff.
func (f WageFloor) Message() string {
	unit := "元/小时"
	if f.Per == PerDay {
		unit = "元/天"
	}
	return fmt.Sprintf("工钱折合 %s %s，低于本地最低工资标准 %s %s", FormatYuan(f.PayFen), unit, FormatYuan(f.FloorFen), unit)
}

// Check compares a validated gig's pay with the floor that fits it, exactly from the posted numbers; the
// floor is rounded half-up to the fen once (RoundHalfUp). ok is false when nothing can be told (no
// standard for the district, or unknown hours).
func (s WageStandard) Check(j *Job) (f WageFloor, ok bool) {
	tier, found := s.Districts[j.District]
	if !found {
		return WageFloor{}, false
	}
	hours := j.DailyHoursRat()
	if j.WageUnit == PerDay && hours.Sign() == 0 {
		hours = big.NewRat(8, 1)
	}
	fullDay := hours.Cmp(big.NewRat(int64(FullDayHours), 1)) >= 0
	// The hourly floor: the monthly minimum ÷ 174 for a full day, the hourly minimum for short work.
	hourFloor := big.NewRat(tier.HourlyFen, 1)
	if fullDay {
		hourFloor = big.NewRat(tier.MonthlyFen, int64(monthHours))
	}
	switch j.WageUnit {
	case PerDay:
		// For an 8-hour day this is monthly ÷ 21.75 (174 = 21.75 × 8).
		f = WageFloor{PayFen: j.WageFen, FloorFen: RoundHalfUp(new(big.Rat).Mul(hourFloor, hours)), Per: PerDay}
	case PerHour:
		f = WageFloor{PayFen: j.WageFen, FloorFen: RoundHalfUp(hourFloor), Per: PerHour}
	case PerPiece, PerJob:
		hourly := j.HourlyWageRat()
		if hourly == nil {
			return WageFloor{}, false
		}
		f = WageFloor{PayFen: new(big.Int).Quo(hourly.Num(), hourly.Denom()).Int64(), FloorFen: RoundHalfUp(hourFloor), Per: PerHour}
		f.Below = hourly.Cmp(new(big.Rat).SetInt64(f.FloorFen)) < 0
		return f, true
	default:
		return WageFloor{}, false
	}
	f.Below = f.PayFen < f.FloorFen
	return f, true
}
