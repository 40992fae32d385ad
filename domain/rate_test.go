package domain

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestExactHoursReadsThePostedDecimal(t *testing.T) {
	for _, c := range []struct {
		h    float64
		want string
	}{
		{0.06, "3/50"}, {7.5, "15/2"}, {10, "10/1"}, {0.001, "1/1000"}, {1e9, "1000000000/1"},
		{0, "0/1"}, {-1, "0/1"}, {math.NaN(), "0/1"}, {math.Inf(1), "0/1"}, {1e9 + 1, "0/1"},
	} {
		if got := ExactHours(c.h).String(); got != c.want {
			t.Errorf("ExactHours(%v) = %s, want %s", c.h, got, c.want)
		}
	}
}

func TestShiftMinutes(t *testing.T) {
	for _, c := range []struct {
		shifts []Shift
		want   int
	}{
		{[]Shift{{"05:00", "11:00"}, {"15:00", "19:00"}}, 600},
		{[]Shift{{"06:00", "13:50"}}, 470},
		{[]Shift{{"20:00", "24:00"}}, 240},
		{[]Shift{{"06:00", "06:01"}}, 1},
		{[]Shift{{"06:00", "06:00"}}, 0},
		{[]Shift{{"06:00", "05:00"}}, 0},
		{[]Shift{{"05:00", "11:00"}, {"12:00", "12:00"}}, 0}, // an empty shift is malformed, as ValidateJob says
		{[]Shift{{"05:00", "11:00"}, {"5点", "19:00"}}, 0},
		{[]Shift{{"05:00", "11:00"}, {"15:00", "25:00"}}, 0},
		{nil, 0},
	} {
		if got := ShiftMinutes(c.shifts); got != c.want {
			t.Errorf("ShiftMinutes(%v) = %d, want %d", c.shifts, got, c.want)
		}
	}
}

func TestDailyHoursRatPrefersShifts(t *testing.T) {
	j := Job{Shifts: []Shift{{"06:00", "13:50"}}, DailyHours: 470.0 / 60}
	if got := j.DailyHoursRat().String(); got != "47/6" {
		t.Errorf("7:50 of shifts = %s h, want 47/6", got)
	}
	j = Job{Shifts: []Shift{{"x", "y"}}, DailyHours: 7.5}
	if got := j.DailyHoursRat().String(); got != "15/2" {
		t.Errorf("malformed shifts fall back to daily_hours: %s, want 15/2", got)
	}
}

func TestDayPayAndHourlyWage(t *testing.T) {
	ten := []Shift{{"05:00", "11:00"}, {"15:00", "19:00"}}
	for _, c := range []struct {
		name        string
		j           Job
		days        int
		day, hourly string // "" for nil
		hourlyFen   int64
	}{
		{"枸杞 by the 斤", Job{WageFen: 180, WageUnit: PerPiece, ExpectedHours: 0.06, Shifts: ten}, 30, "30000/1", "3000/1", 3000},
		{"piece without expected hours", Job{WageFen: 180, WageUnit: PerPiece, Shifts: ten}, 30, "", "", 0},
		{"piece without daily hours", Job{WageFen: 180, WageUnit: PerPiece, ExpectedHours: 0.06}, 30, "", "3000/1", 3000},
		{"day of 7:50", Job{WageFen: 15667, WageUnit: PerDay, Shifts: []Shift{{"06:00", "13:50"}}}, 1, "15667/1", "94002/47", 2000},
		{"day without hours", Job{WageFen: 15000, WageUnit: PerDay}, 1, "15000/1", "", 0},
		{"hour, 7.5 h", Job{WageFen: 2001, WageUnit: PerHour, DailyHours: 7.5}, 1, "30015/2", "2001/1", 2001},
		{"hour without hours", Job{WageFen: 2001, WageUnit: PerHour}, 1, "", "2001/1", 2001},
		{"job over 3 days, 50 h", Job{WageFen: 100000, WageUnit: PerJob, ExpectedHours: 50}, 3, "100000/3", "2000/1", 2000},
		{"job over one day, 7 h", Job{WageFen: 10001, WageUnit: PerJob, ExpectedHours: 7}, 1, "10001/1", "10001/7", 1429},
		{"job, no days", Job{WageFen: 100000, WageUnit: PerJob, ExpectedHours: 50}, 0, "", "2000/1", 2000},
		{"unknown unit", Job{WageFen: 100, WageUnit: "month", DailyHours: 8}, 1, "", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			str := func(r *big.Rat) string {
				if r == nil {
					return ""
				}
				return r.String()
			}
			if got := str(c.j.DayPayRat(c.days)); got != c.day {
				t.Errorf("day pay %q, want %q", got, c.day)
			}
			if got := str(c.j.HourlyWageRat()); got != c.hourly {
				t.Errorf("hourly %q, want %q", got, c.hourly)
			}
			if got := c.j.HourlyWageFen(); got != c.hourlyFen {
				t.Errorf("hourly fen %d, want %d", got, c.hourlyFen)
			}
		})
	}
}

func TestRoundFenHalfUp(t *testing.T) {
	for _, c := range []struct {
		num, den int64
		want     int64
	}{
		{1, 2, 1}, {3, 2, 2}, {15001, 2, 7501}, {30015, 4, 7504}, {149, 100, 1}, {150, 100, 2}, {7, 3, 2}, {8, 3, 3},
		{0, 1, 0}, {499, 1000, 0}, {-1, 2, 0}, {-3, 2, -1}, {-7, 3, -2},
	} {
		if got := RoundFen(big.NewRat(c.num, c.den)); got != c.want {
			t.Errorf("RoundFen(%d/%d) = %d, want %d", c.num, c.den, got, c.want)
		}
	}
}

// TestMinimumWageExactly: a gig paying exactly the minimum passes, one fen less is refused, for each unit.
func TestMinimumWageExactly(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(j *Job)
		ok     bool
		msg    string
	}{
		{"1.20 元 a 斤 of 0.06 h", func(j *Job) { j.WageFen = 120 }, true, ""},
		{"1.19 元 a 斤 of 0.06 h", func(j *Job) { j.WageFen = 119 }, false, "工钱折合 19.83 元/小时"},
		{"156.67 元 a day of 7:50", func(j *Job) {
			j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen, j.Shifts = PerDay, "", 0, 15667, []Shift{{"06:00", "13:50"}}
		}, true, ""},
		{"156.66 元 a day of 7:50", func(j *Job) {
			j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen, j.Shifts = PerDay, "", 0, 15666, []Shift{{"06:00", "13:50"}}
		}, false, "工钱折合 156.66 元/天，低于本地最低工资标准 156.67 元/天"},
		{"20 元 an hour", func(j *Job) { j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen = PerHour, "", 0, 2000 }, true, ""},
		{"19.99 元 an hour", func(j *Job) { j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen = PerHour, "", 0, 1999 }, false, "19.99 元/小时"},
		{"1000 元 for a 50 h job", func(j *Job) { j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen = PerJob, "", 50, 100000 }, true, ""},
		{"999.99 元 for a 50 h job", func(j *Job) { j.WageUnit, j.PieceUnit, j.ExpectedHours, j.WageFen = PerJob, "", 50, 99999 }, false, "19.99 元/小时"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A standard whose full-day and part-time floors are both 20 元 an hour (3480 元 ÷ 174): a gig
			// below it is taken and held for review (WageFloor), never refused.
			flat := JobRules{Today: testToday, Wage: WageStandard{Districts: map[string]WageTier{"中宁县": {MonthlyFen: 348000, HourlyFen: 2000}}}}
			j := validJob()
			c.change(&j)
			if err := flat.ValidateJob(&j, nil); err != nil {
				t.Fatalf("refused: %v", err)
			}
			if c.ok != (j.WageFloor == nil) {
				t.Fatalf("WageFloor = %+v, want below=%v", j.WageFloor, !c.ok)
			}
			if j.WageFloor != nil && !strings.Contains(j.WageFloor.Message(), c.msg) {
				t.Errorf("message %q, want %q", j.WageFloor.Message(), c.msg)
			}
		})
	}
	free := JobRules{Today: testToday} // no minimum configured: any positive wage passes
	j := validJob()
	j.WageFen = 1
	if err := free.ValidateJob(&j, nil); err != nil || j.WageFloor != nil {
		t.Errorf("without a minimum, 1 fen a 斤 is refused: %v", err)
	}
}

func TestPieceUnitsAndContracts(t *testing.T) {
	for _, u := range PieceUnits {
		if !ValidPieceUnit(u) {
			t.Errorf("%s is not valid", u)
		}
	}
	for _, u := range []string{"", "吨吨", "件 ", "jin"} {
		if ValidPieceUnit(u) {
			t.Errorf("%q is valid", u)
		}
	}
	j := Job{WageUnit: PerPiece}
	if got := j.CountedPieceUnit(); got != "件" {
		t.Errorf("a piece rate without a unit counts %q, want 件", got)
	}
	j.PieceUnit = "箱"
	if got := j.CountedPieceUnit(); got != "箱" {
		t.Errorf("counts %q, want 箱", got)
	}
	j.WageUnit = PerDay
	if got := j.CountedPieceUnit(); got != "" {
		t.Errorf("a day rate counts %q", got)
	}
	for _, c := range []struct {
		c     Contract
		weigh bool
		text  string
	}{
		{Contract{WageFen: 180, WageUnit: PerPiece, PieceUnit: "斤"}, true, "1.80 元/斤"},
		{Contract{WageFen: 180, WageUnit: PerPiece}, true, "1.80 元/斤"},
		{Contract{WageFen: 350, WageUnit: PerPiece, PieceUnit: "箱"}, false, "3.50 元/箱"},
		{Contract{WageFen: 15000, WageUnit: PerDay}, false, "150 元/天"},
	} {
		if got := c.c.WeighedInJin(); got != c.weigh {
			t.Errorf("%+v weighed in 斤: %v", c.c, got)
		}
		if got := c.c.WageText(); got != c.text {
			t.Errorf("%+v reads %q, want %q", c.c, got, c.text)
		}
	}
}
