package domain

import (
	"fmt"
	"time"
)

// CityCode is the administrative division code of 中卫市. Every row that belongs to a city carries it, so
// the data can later be partitioned by city (DESIGN.md section 6).
const CityCode = "640500"

// Shanghai is Asia/Shanghai. Instants are stored in UTC and shown in this zone; calendar dates (a gig's
// start day, a work record's day) are dates in this zone. China has had no daylight saving since 1991, so
// a fixed +08:00 zone is exact and needs no tzdata on the machine.
var Shanghai = time.FixedZone("CST", 8*60*60)

// Date is a calendar date in Asia/Shanghai, written "2006-01-02". The zero value "" means "no date".
// Dates compare correctly as strings.
type Date string

const dateLayout = "2006-01-02"

// ParseDate parses "2006-01-02" strictly (a real calendar day). field names the input for the error.
func ParseDate(field, s string) (Date, error) {
	t, err := time.ParseInLocation(dateLayout, s, Shanghai)
	if err != nil || t.Format(dateLayout) != s {
		return "", Invalidf(field, "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	return Date(s), nil
}

// DateOf returns the Asia/Shanghai calendar date of the instant t.
func DateOf(t time.Time) Date { return Date(t.In(Shanghai).Format(dateLayout)) }

// Start returns the instant this date begins in Asia/Shanghai.
func (d Date) Start() time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), Shanghai)
	if err != nil {
		return time.Time{}
	}
	return t
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Start().AddDate(0, 0, n).Add(12 * time.Hour)) }

// DaysUntil returns the number of days from d to e (negative when e is before d).
func (d Date) DaysUntil(e Date) int {
	return int(e.Start().Sub(d.Start()).Round(24*time.Hour) / (24 * time.Hour))
}

// DaysIn returns the number of days of [from, to], both included: 0 when to is before from.
func DaysIn(from, to Date) int {
	if to < from {
		return 0
	}
	return from.DaysUntil(to) + 1
}

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	_, err := ParseDate("", string(d))
	return err == nil
}

// Clock tells the time. Production uses time.Now; tests inject a fixed or moving clock so that expiry,
// due dates and arrears are testable without waiting.
type Clock func() time.Time

// Now returns the current instant in UTC.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now().UTC()
	}
	return c().UTC()
}

// Today returns today's calendar date in Asia/Shanghai.
func (c Clock) Today() Date { return DateOf(c.Now()) }

// DateRange renders a period for people: "5月11日（周一）至 6月30日（周二），共 51 天", or one day.
func DateRange(from, to Date) string {
	if from == to {
		return MonthDay(from) + "，1 天"
	}
	return fmt.Sprintf("%s 至 %s，共 %d 天", MonthDay(from), MonthDay(to), from.DaysUntil(to)+1)
}

// MonthDay renders a date for people: "5月11日（周一）".
func MonthDay(d Date) string {
	t := d.Start()
	if t.IsZero() {
		return string(d)
	}
	return fmt.Sprintf("%d月%d日（周%s）", t.Month(), t.Day(), []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()])
}
