package domain

import (
	"strings"
	"testing"
)

// The floor is tested at its limit: a fen at the floor is fine, a fen below is held with both figures.
func TestWageFloorAtTheExactLimit(t *testing.T) {
	day := func(district string, fen int64, hours float64) Job {
		j := validJob()
		j.District, j.Town, j.Shifts, j.DailyHours = district, "", nil, hours
		j.WageUnit, j.WageFen, j.ExpectedHours, j.PieceUnit = PerDay, fen, 0, ""
		if district == "海原县" {
			j.Town = "海城镇"
		}
		return j
	}
	hour := func(fen int64, hours float64) Job {
		j := day("中宁县", fen, hours)
		j.WageUnit = PerHour
		return j
	}
	// The floors at 6 hours, computed in integers, rounded half up to the fen: 2050 元 ÷ 174 an hour,
	// 2050 元 × 6 ÷ 174 a day.
	tier1Hour := halfUp(NingxiaTier1.MonthlyFen, 174)
	tier1SixHours := halfUp(NingxiaTier1.MonthlyFen*6, 174)
	cases := []struct {
		name        string
		j           Job
		below       bool
		pay, floor  int64
		per         WageUnit
		messagePart string
	}{
		// 2050 元 ÷ 21.75 = 94.2528… → 94.25 元 for an 8-hour day (tier 1).
		{"8-hour day at the floor", day("中宁县", 9425, 8), false, 9425, 9425, PerDay, ""},
		{"8-hour day a fen below", day("中宁县", 9424, 8), true, 9424, 9425, PerDay, "工钱折合 94.24 元/天，低于本地最低工资标准 94.25 元/天"},
		{"沙坡头区 is tier 1", day("沙坡头区", 9424, 8), true, 9424, 9425, PerDay, ""},
		// 1900 元 ÷ 21.75 = 87.356… → 87.36 元 (tier 2, 海原县).
		{"tier 2 day at the floor", day("海原县", 8736, 8), false, 8736, 8736, PerDay, ""},
		{"tier 2 day a fen below", day("海原县", 8735, 8), true, 8735, 8736, PerDay, ""},
		// 12 hours for 130 元: 2050 × 12 ÷ 174 = 141.38 元.
		{"12-hour day for 130", day("中宁县", 13000, 12), true, 13000, 14138, PerDay, ""},
		// A full-day gig paid by the hour: 2050 ÷ 174 = 11.78 元/小时, not the part-time 20 元.
		{"full-day hourly at the floor", hour(1178, 8), false, 1178, 1178, PerHour, ""},
		{"full-day hourly a fen below", hour(1177, 8), true, 1177, 1178, PerHour, ""},
		// Short work (under 6 hours a day) is judged by the non-full-time hourly minimum.
		{"short hourly at 20 元", hour(2000, 3), false, 2000, 2000, PerHour, ""},
		{"short hourly a fen below", hour(1999, 3), true, 1999, 2000, PerHour, "工钱折合 19.99 元/小时，低于本地最低工资标准 20 元/小时"},
		{"4-hour day paid by the day", day("中宁县", 7999, 4), true, 7999, 8000, PerDay, ""},
		// Exactly FullDayHours (6) a day is a full day: judged by the monthly minimum ÷ 174, not the
		// part-time 20 元 an hour.
		{"6-hour hourly at the full-day floor", hour(tier1Hour, 6), false, tier1Hour, tier1Hour, PerHour, ""},
		{"6-hour hourly a fen below", hour(tier1Hour-1, 6), true, tier1Hour - 1, tier1Hour, PerHour, ""},
		{"6-hour day at the full-day floor", day("中宁县", tier1SixHours, 6), false, tier1SixHours, tier1SixHours, PerDay, ""},
		{"6-hour day a fen below", day("中宁县", tier1SixHours-1, 6), true, tier1SixHours - 1, tier1SixHours, PerDay, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := tc.j
			if err := testRules.ValidateJob(&j, nil); err != nil {
				t.Fatalf("a gig below the floor must not be refused: %v", err)
			}
			f, ok := testRules.Wage.Check(&j)
			if !ok || f.Below != tc.below || f.PayFen != tc.pay || f.FloorFen != tc.floor || f.Per != tc.per {
				t.Fatalf("got %+v ok=%v", f, ok)
			}
			if (j.WageFloor != nil) != tc.below {
				t.Fatalf("WageFloor = %+v, want below=%v", j.WageFloor, tc.below)
			}
			if tc.messagePart != "" && !strings.Contains(j.WageFloor.Message(), tc.messagePart) {
				t.Fatalf("message %q lacks %q", j.WageFloor.Message(), tc.messagePart)
			}
		})
	}
}

func TestWageFloorPieceRate(t *testing.T) {
	j := validJob() // 1.80 元 a 斤, 0.06 h a 斤: 30 元/小时 over a 10-hour day
	j.WageFen = 70  // 0.70 ÷ 0.06 = 11.66 元/小时 < 11.78
	if err := testRules.ValidateJob(&j, nil); err != nil || j.WageFloor == nil || j.WageFloor.PayFen != 1166 || j.WageFloor.FloorFen != 1178 {
		t.Fatalf("got %v %+v", err, j.WageFloor)
	}
	j = validJob()
	if err := testRules.ValidateJob(&j, nil); err != nil || j.WageFloor != nil {
		t.Fatalf("a fair piece rate is flagged: %v %+v", err, j.WageFloor)
	}
}

func TestParseWageStandard(t *testing.T) {
	s, err := ParseWageStandard("沙坡头区=2050/20, 中宁县=2050/20, 海原县=1900/18")
	if err != nil || s.Districts["海原县"].MonthlyFen != 190000 || s.Districts["中宁县"].HourlyFen != 2000 {
		t.Fatalf("got %+v %v", s, err)
	}
	for _, bad := range []string{"", "沙坡头区=2050/20", "沙坡头区=2050,中宁县=2050/20,海原县=1900/18", "银川=2050/20,沙坡头区=2050/20,中宁县=2050/20,海原县=1900/18",
		"沙坡头区=20.5/20,中宁县=2050/20,海原县=1900/18"} {
		if _, err := ParseWageStandard(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Live-in work (住家) is posted as 24 hours a day without shifts; 23 or 25 hours is a mistake.
func TestLiveInJobsTake24Hours(t *testing.T) {
	for _, tc := range []struct {
		hours float64
		ok    bool
	}{{24, true}, {23, false}, {25, false}, {12, true}, {12.5, false}} {
		j := validJob()
		j.Shifts, j.DailyHours, j.WageUnit, j.WageFen, j.ExpectedHours, j.PieceUnit = nil, tc.hours, PerDay, 34000, 0, ""
		err := testRules.ValidateJob(&j, nil)
		if (err == nil) != tc.ok {
			t.Errorf("%v hours: %v", tc.hours, err)
		}
	}
	// The floor judges the 24 hours: 340 元 ÷ 24 = 14.17 元/小时 ≥ 11.78; 280 元 is below 282.76 元.
	j := validJob()
	j.Shifts, j.DailyHours, j.WageUnit, j.WageFen, j.ExpectedHours, j.PieceUnit = nil, 24, PerDay, 28000, 0, ""
	if err := testRules.ValidateJob(&j, nil); err != nil || j.WageFloor == nil || j.WageFloor.FloorFen != 28276 {
		t.Fatalf("got %v %+v", err, j.WageFloor)
	}
}

// halfUp is num ÷ den rounded half up, for positive integers, computed without big.Rat.
func halfUp(num, den int64) int64 { return (2*num + den) / (2 * den) }

// A gig paid by the day whose hours are unknown is judged as an 8-hour day (monthly ÷ 21.75). ValidateJob
// never lets such a gig through, but Check is exported and must not wave it through with a floor of 0.
func TestWageFloorDayWithoutHoursIsAnEightHourDay(t *testing.T) {
	floor := halfUp(NingxiaTier1.MonthlyFen*100, 2175) // 2050 元 ÷ 21.75
	for _, c := range []struct {
		fen   int64
		below bool
	}{{floor, false}, {floor - 1, true}} {
		j := Job{District: "中宁县", WageUnit: PerDay, WageFen: c.fen}
		f, ok := testRules.Wage.Check(&j)
		if !ok || f.Per != PerDay || f.FloorFen != floor || f.PayFen != c.fen || f.Below != c.below {
			t.Errorf("%d fen a day without hours: got %+v ok=%v, want floor %d below=%v", c.fen, f, ok, floor, c.below)
		}
	}
}

// LINGONG_MIN_WAGE takes monthly 1000–10000 元 and hourly 5–100 元, both ends included.
func TestParseWageStandardLimits(t *testing.T) {
	for _, c := range []struct {
		monthly, hourly string
		ok              bool
		monthFen, hrFen int64
	}{
		{"1000", "20", true, 1000 * 100, 20 * 100},
		{"999.99", "20", false, 0, 0},
		{"10000", "20", true, 10000 * 100, 20 * 100},
		{"10000.01", "20", false, 0, 0},
		{"2050", "5", true, 2050 * 100, 5 * 100},
		{"2050", "4.99", false, 0, 0},
		{"2050", "100", true, 2050 * 100, 100 * 100},
		{"2050", "100.01", false, 0, 0},
	} {
		in := "沙坡头区=" + c.monthly + "/" + c.hourly + ",中宁县=2050/20,海原县=1900/18"
		s, err := ParseWageStandard(in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", in, err, c.ok)
			continue
		}
		if tier := s.Districts["沙坡头区"]; c.ok && (tier.MonthlyFen != c.monthFen || tier.HourlyFen != c.hrFen) {
			t.Errorf("%q: got %+v", in, tier)
		}
	}
}
