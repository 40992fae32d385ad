package contracts

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// The money property: every amount in the terms equals a reference computed here, independently of the
// production code, from the decimal text the employer posted (big.Rat read from the strings, shifts
// parsed here, rounding written here), with exactly one rounding, half up to the fen.

// postedJob is a gig as typed: decimal strings, before any parsing.
type postedJob struct {
	unit     domain.WageUnit
	wageYuan string   // "1.80"
	daily    string   // "7.5", or "" when shifts are given
	shifts   [][2]int // minutes after midnight, [start, end)
	expected string   // hours per piece or per job: "0.06"; "" for hour and day rates
	piece    string   // what a piece rate counts: "斤"; "" for the default (件)
	start    time.Time
	days     int
}

func (g postedJob) String() string {
	return fmt.Sprintf("%s %s元 daily=%q shifts=%v expected=%q from %s for %d days",
		g.unit, g.wageYuan, g.daily, g.shifts, g.expected, g.start.Format("2006-01-02"), g.days)
}

func ratOf(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("reference: %q is not a decimal", s)
	}
	return r
}

// refRound rounds a non-negative exact amount half up: ⌊(2n + d) / 2d⌋.
func refRound(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(2))
	n.Add(n, r.Denom())
	d := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return n.Quo(n, d).Int64()
}

// reference is what the terms must say about money, computed from the posted strings.
type reference struct {
	wageFen int64
	hourly  *big.Rat // exact fen per hour; nil when unknown
	feeFen  int64    // half a day's pay
	days    int
}

func referenceFor(t *testing.T, g postedJob) reference {
	t.Helper()
	wage := new(big.Rat).Mul(ratOf(t, g.wageYuan), big.NewRat(100, 1))
	if !wage.IsInt() {
		t.Fatalf("reference: %s 元 is not whole fen", g.wageYuan)
	}
	var daily *big.Rat
	if len(g.shifts) > 0 {
		sum := 0
		for _, s := range g.shifts {
			sum += s[1] - s[0]
		}
		daily = big.NewRat(int64(sum), 60)
	} else {
		daily = ratOf(t, g.daily)
	}
	ref := reference{wageFen: wage.Num().Int64(), days: g.days}
	var dayPay *big.Rat
	switch g.unit {
	case domain.PerHour:
		ref.hourly = new(big.Rat).Set(wage)
		dayPay = new(big.Rat).Mul(wage, daily)
	case domain.PerDay:
		ref.hourly = new(big.Rat).Quo(wage, daily)
		dayPay = new(big.Rat).Set(wage)
	case domain.PerPiece:
		x := ratOf(t, g.expected)
		ref.hourly = new(big.Rat).Quo(wage, x)
		dayPay = new(big.Rat).Quo(new(big.Rat).Mul(wage, daily), x)
	case domain.PerJob:
		ref.hourly = new(big.Rat).Quo(wage, ratOf(t, g.expected))
		dayPay = new(big.Rat).Quo(wage, big.NewRat(int64(g.days), 1))
	}
	ref.feeFen = refRound(new(big.Rat).Quo(dayPay, big.NewRat(2, 1)))
	return ref
}

// job parses the posted gig the way the API does: ParseYuan for money, a JSON float for hours, HH:MM
// shifts, and validates it.
func (g postedJob) job(t *testing.T, rules domain.JobRules) (domain.Job, error) {
	t.Helper()
	fen, err := domain.ParseYuan("wage", g.wageYuan)
	if err != nil {
		t.Fatalf("%s: %v", g, err)
	}
	j := domain.Job{
		Title: "摘枸杞", Description: "按约定干活。", Headcount: 1, WageFen: fen, WageUnit: g.unit,
		PieceUnit: g.piece, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇", Address: "枸杞大道 8 号",
		StartDate: domain.DateOf(g.start), EndDate: domain.DateOf(g.start.AddDate(0, 0, g.days-1)),
		Shifts: []domain.Shift{}, Skills: []string{}, RequiredCerts: []string{},
	}
	for _, s := range g.shifts {
		j.Shifts = append(j.Shifts, domain.Shift{Start: fmt.Sprintf("%02d:%02d", s[0]/60, s[0]%60), End: fmt.Sprintf("%02d:%02d", s[1]/60, s[1]%60)})
	}
	if g.daily != "" {
		if j.DailyHours, err = strconv.ParseFloat(g.daily, 64); err != nil {
			t.Fatal(err)
		}
	}
	if g.expected != "" {
		if j.ExpectedHours, err = strconv.ParseFloat(g.expected, 64); err != nil {
			t.Fatal(err)
		}
	}
	return j, rules.ValidateJob(&j, nil)
}

// decimal writes n/10^places as a decimal without trailing zeros: (6, 2) -> "0.06".
func decimal(n int64, places int) string {
	s := strconv.FormatInt(n, 10)
	if places == 0 {
		return s
	}
	for len(s) <= places {
		s = "0" + s
	}
	s = s[:len(s)-places] + "." + s[len(s)-places:]
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// randomJob draws a gig of the given unit. Often its wage sits exactly at the minimum hourly wage (or
// one fen below it), and often the gig is one day long or starts in January.
func randomJob(r *rand.Rand, unit domain.WageUnit, minHourly int64) postedJob {
	g := postedJob{unit: unit, days: 1 + r.IntN(60)}
	if r.IntN(4) == 0 {
		g.days = 1
	}
	if r.IntN(2) == 0 { // January, across the turn of the year too
		g.start = time.Date(2027, 1, 1+r.IntN(31), 0, 0, 0, 0, domain.Shanghai)
	} else {
		g.start = time.Date(2026, 12, 1, 0, 0, 0, 0, domain.Shanghai).AddDate(0, 0, r.IntN(120))
	}
	// Daily time: shifts in whole minutes, or decimal hours with up to two decimals.
	var dailyMinutesX100 int64 // daily hours × 6000, to find whole-fen wages at the minimum
	if r.IntN(2) == 0 {
		from := 5*60 + r.IntN(120)
		for k := 0; k < 1+r.IntN(2); k++ {
			to := from + 30 + r.IntN(300)
			g.shifts = append(g.shifts, [2]int{from, to})
			dailyMinutesX100 += int64(to-from) * 100
			from = to + 30 + r.IntN(60)
		}
	} else {
		h := int64(100 + r.IntN(1101)) // 1.00 .. 12.00 hours, in hundredths
		g.daily = decimal(h, 2)
		dailyMinutesX100 = h * 60
	}
	atMinimum := r.IntN(3) == 0
	var wage int64
	switch unit {
	case domain.PerHour:
		wage = minHourly + int64(r.IntN(4000))
		if atMinimum {
			wage = minHourly
		}
	case domain.PerDay:
		wage = 5000 + int64(r.IntN(40000))
		// minimum day wage = minHourly × hours; whole fen only when it divides out
		if m := minHourly * dailyMinutesX100; atMinimum && m%6000 == 0 {
			wage = m / 6000
		}
	case domain.PerPiece:
		x := int64(1 + r.IntN(3000)) // thousandths of an hour per piece: 0.001 .. 3
		if r.IntN(3) == 0 {
			x = int64(10 * (1 + r.IntN(30))) // 0.01 .. 0.3 h, like 0.06
		}
		g.expected = decimal(x, 3)
		wage = 1 + int64(r.IntN(3000))
		if m := minHourly * x; atMinimum && m%1000 == 0 {
			wage = m/1000 - int64(r.IntN(2)) // exactly the minimum, or one fen below
		}
	case domain.PerJob:
		x := int64(50 + r.IntN(20000)) // hundredths of an hour: 0.5 .. 200.5 h for the whole job
		g.expected = decimal(x, 2)
		wage = 10000 + int64(r.IntN(2000000))
		if m := minHourly * x; atMinimum && m%100 == 0 {
			wage = m/100 - int64(r.IntN(2))
		}
	}
	if wage < 1 {
		wage = 1
	}
	g.wageYuan = decimal(wage, 2)
	return g
}

func TestMoneyProperty(t *testing.T) {
	const minHourly = 2000 // 20 元/小时
	// Full-day and part-time floors both 20 元 an hour (3480 元 ÷ 174), in every district.
	flat := domain.WageTier{MonthlyFen: minHourly * 174, HourlyFen: minHourly}
	rules := domain.JobRules{Today: "2026-11-30", Wage: domain.WageStandard{Districts: map[string]domain.WageTier{
		"沙坡头区": flat, "中宁县": flat, "海原县": flat}}}
	r := rand.New(rand.NewPCG(20, 1))
	counts := map[string]int{}
	for i := 0; i < 8000; i++ {
		unit := domain.WageUnits[i%len(domain.WageUnits)]
		g := randomJob(r, unit, minHourly)
		ref := referenceFor(t, g)
		j, err := g.job(t, rules)

		// The minimum wage: a gig below it is taken and held for review with its figures, never refused;
		// an hourly or piece rate is compared exactly, a day's pay with the floor rounded to the fen.
		below := ref.hourly.Cmp(big.NewRat(minHourly, 1)) < 0
		if err != nil {
			t.Fatalf("%s: refused with hourly %s fen: %v", g, ref.hourly.FloatString(4), err)
		}
		if below {
			if j.WageFloor == nil && unit != domain.PerDay {
				t.Fatalf("%s: hourly %s fen is below the minimum, not flagged", g, ref.hourly.FloatString(4))
			}
			counts["held below the minimum"]++
			continue
		}
		if j.WageFloor != nil {
			t.Fatalf("%s: hourly %s fen at or above the minimum, flagged %+v", g, ref.hourly.FloatString(4), j.WageFloor)
		}
		if err != nil {
			t.Fatalf("%s: refused with hourly %s fen: %v", g, ref.hourly.FloatString(4), err)
		}
		if ref.hourly.Cmp(big.NewRat(minHourly, 1)) == 0 {
			counts["exactly at the minimum"]++
		}
		if got, want := j.HourlyWageFen(), refRound(ref.hourly); got != want {
			t.Fatalf("%s: hourly wage %d fen, want %d", g, got, want)
		}

		in := sampleInput()
		in.Job = j
		terms, err := BuildTerms(in)
		if err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		if terms.Wage.AmountFen != ref.wageFen || terms.Wage.Unit != g.unit {
			t.Fatalf("%s: wage %d %s, want %d", g, terms.Wage.AmountFen, terms.Wage.Unit, ref.wageFen)
		}
		if terms.Period.Days != ref.days {
			t.Fatalf("%s: %d days, want %d", g, terms.Period.Days, ref.days)
		}
		if terms.Cancellation.EmployerFeeFen != ref.feeFen {
			t.Fatalf("%s: half a day's pay %d fen, want %d", g, terms.Cancellation.EmployerFeeFen, ref.feeFen)
		}
		if want := "半天工资 " + refYuan(ref.feeFen) + " 元"; ref.feeFen > 0 && !strings.Contains(terms.Cancellation.Employer, want) {
			t.Fatalf("%s: clause %q lacks %q", g, terms.Cancellation.Employer, want)
		}
		counts[string(g.unit)]++
		if g.days == 1 {
			counts["one day"]++
		}
		if g.start.Month() == time.January {
			counts["starting in January"]++
		}
	}
	t.Logf("checked: %v", counts)
	for _, k := range []string{"hour", "day", "piece", "job", "one day", "starting in January", "exactly at the minimum", "held below the minimum"} {
		if counts[k] < 50 {
			t.Errorf("only %d gigs of kind %q: the generator no longer tests that limit", counts[k], k)
		}
	}
}

// refYuan writes fen as yuan the way people read it, independently of domain.FormatYuan.
func refYuan(fen int64) string {
	return strings.TrimSuffix(fmt.Sprintf("%d.%02d", fen/100, fen%100), ".00")
}

// TestMoneyLimits pins the figures at their limits, each checked against the reference too.
func TestMoneyLimits(t *testing.T) {
	// Full-day and part-time floors both 20 元 an hour (3480 元 ÷ 174), in every district.
	flat := domain.WageTier{MonthlyFen: 2000 * 174, HourlyFen: 2000}
	rules := domain.JobRules{Today: "2026-12-01", Wage: domain.WageStandard{Districts: map[string]domain.WageTier{
		"沙坡头区": flat, "中宁县": flat, "海原县": flat}}}
	jan := time.Date(2027, 1, 31, 0, 0, 0, 0, domain.Shanghai)
	tests := []struct {
		name    string
		job     postedJob
		fee     int64
		refused bool
	}{
		{"README 枸杞: 1.80 元/斤, 0.06 h/斤, 10 h is 300 元 a day", postedJob{unit: domain.PerPiece, wageYuan: "1.80", expected: "0.06",
			shifts: [][2]int{{5 * 60, 11 * 60}, {15 * 60, 19 * 60}}, start: jan, days: 30}, 15000, false},
		{"piece at exactly 20 元/h: 1.20 元 per 0.06 h", postedJob{unit: domain.PerPiece, wageYuan: "1.20", expected: "0.06", daily: "10", start: jan, days: 1}, 10000, false},
		{"piece one fen below: 1.19 元 per 0.06 h", postedJob{unit: domain.PerPiece, wageYuan: "1.19", expected: "0.06", daily: "10", start: jan, days: 1}, 0, true},
		{"hour at exactly the minimum, 7.5 h: 150 元 a day", postedJob{unit: domain.PerHour, wageYuan: "20", daily: "7.5", start: jan, days: 1}, 7500, false},
		{"hour one fen below", postedJob{unit: domain.PerHour, wageYuan: "19.99", daily: "8", start: jan, days: 1}, 0, true},
		{"day for 7:50 of shifts: the minimum is 156.666… 元, so 156.66 元 is refused", postedJob{unit: domain.PerDay, wageYuan: "156.66",
			shifts: [][2]int{{6 * 60, 13*60 + 50}}, start: jan, days: 1}, 0, true},
		{"day for 7:50 of shifts: 156.67 元 passes, half is 78.335 元", postedJob{unit: domain.PerDay, wageYuan: "156.67",
			shifts: [][2]int{{6 * 60, 13*60 + 50}}, start: jan, days: 1}, 7834, false},
		{"day of 160 元 at 8 h: exactly 20 元/h", postedJob{unit: domain.PerDay, wageYuan: "160", daily: "8", start: jan, days: 1}, 8000, false},
		{"half a fen rounds up: 150.01 元 a day", postedJob{unit: domain.PerDay, wageYuan: "150.01", daily: "7", start: jan, days: 1}, 7501, false},
		{"0.75 fen rounds up: 20.25 元/h × 7.5 h ÷ 2 = 75.9375 元", postedJob{unit: domain.PerHour, wageYuan: "20.25", daily: "7.5", start: jan, days: 1}, 7594, false},
		{"0.25 fen rounds down: 20.03 元/h × 7.5 h ÷ 2 = 75.1125 元", postedJob{unit: domain.PerHour, wageYuan: "20.03", daily: "7.5", start: jan, days: 1}, 7511, false},
		{"x.5 fen with decimal hours: 20.02 元/h × 7.5 h ÷ 2 = 75.075 元", postedJob{unit: domain.PerHour, wageYuan: "20.02", daily: "7.5", start: jan, days: 1}, 7508, false},
		{"x.5 fen: 20.01 元/h × 5 h ÷ 2 = 50.025 元", postedJob{unit: domain.PerHour, wageYuan: "20.01", daily: "5", start: jan, days: 1}, 5003, false},
		{"job of 1000.01 元 over one day", postedJob{unit: domain.PerJob, wageYuan: "1000.01", expected: "50", daily: "8", start: jan, days: 1}, 50001, false},
		{"job of 1000 元 over 3 days", postedJob{unit: domain.PerJob, wageYuan: "1000", expected: "50", daily: "8", start: jan, days: 3}, 16667, false},
		{"job at exactly the minimum: 1000 元 for 50 h", postedJob{unit: domain.PerJob, wageYuan: "1000", expected: "50", daily: "8", start: jan, days: 2}, 25000, false},
		{"job one fen below: 999.99 元 for 50 h", postedJob{unit: domain.PerJob, wageYuan: "999.99", expected: "50", daily: "8", start: jan, days: 2}, 0, true},
		{"New Year's Eve to New Year's Day", postedJob{unit: domain.PerDay, wageYuan: "200", daily: "8", start: time.Date(2026, 12, 31, 0, 0, 0, 0, domain.Shanghai), days: 2}, 10000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := tt.job.job(t, rules)
			if tt.refused { // below the minimum: taken, and held for review with its figures
				if err != nil || j.WageFloor == nil {
					t.Fatalf("below the minimum wage: err %v, floor %+v", err, j.WageFloor)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			in := sampleInput()
			in.Job = j
			terms, err := BuildTerms(in)
			if err != nil {
				t.Fatal(err)
			}
			ref := referenceFor(t, tt.job)
			if terms.Cancellation.EmployerFeeFen != tt.fee || ref.feeFen != tt.fee {
				t.Errorf("half a day's pay: terms %d, reference %d, want %d fen", terms.Cancellation.EmployerFeeFen, ref.feeFen, tt.fee)
			}
			if terms.Period.Days != tt.job.days {
				t.Errorf("days = %d, want %d", terms.Period.Days, tt.job.days)
			}
		})
	}
}

// TestLedgerAmountsProperty: a work line earns wage × quantity, exactly, rounded once half up, for
// quantities typed with up to three decimals (corrections negative, rounded symmetrically).
func TestLedgerAmountsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 10))
	for i := 0; i < 5000; i++ {
		wage := 1 + int64(r.IntN(100000))
		qty := decimal(int64(1+r.IntN(2_000_000)), 3)
		m, err := domain.ParseMilli("quantity", qty)
		if err != nil {
			t.Fatal(err)
		}
		exact := new(big.Rat).Mul(big.NewRat(wage, 1), ratOf(t, qty))
		want := refRound(exact)
		if got := domain.EarnedFen(wage, int64(m)); got != want {
			t.Fatalf("%d fen × %s = %d fen, want %d (exact %s)", wage, qty, got, want, exact.FloatString(4))
		}
		if got := domain.EarnedFen(wage, -int64(m)); got != -want {
			t.Fatalf("correction: %d fen × -%s = %d fen, want %d", wage, qty, got, -want)
		}
	}
	for _, c := range []struct {
		wage int64
		qty  string
		want int64
	}{
		{180, "12.5", 2250}, {3, "0.5", 2}, {1, "0.5", 1}, {1, "0.499", 0}, {1, "0.001", 0}, {333, "1.5", 500}, {15000, "0.5", 7500},
	} {
		m, _ := domain.ParseMilli("quantity", c.qty)
		if got := domain.EarnedFen(c.wage, int64(m)); got != c.want {
			t.Errorf("%d fen × %s = %d fen, want %d", c.wage, c.qty, got, c.want)
		}
	}
}

// TestContractPDFMoneyOfTheReadmeJob: the README's 枸杞 gig, through validation, terms and the printed
// contract, as pdftotext reads it: half a day's pay is 150 元 (300 元 a day ÷ 2), not 135.
func TestContractPDFMoneyOfTheReadmeJob(t *testing.T) {
	g := postedJob{unit: domain.PerPiece, wageYuan: "1.80", expected: "0.06", piece: "斤",
		shifts: [][2]int{{5 * 60, 11 * 60}, {15 * 60, 19 * 60}}, start: time.Date(2027, 1, 5, 0, 0, 0, 0, domain.Shanghai), days: 30}
	j, err := g.job(t, domain.JobRules{Wage: domain.DefaultWageStandard(), Today: "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput()
	in.Job = j
	terms, err := BuildTerms(in)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := ContractPDF(ContractDoc{Terms: terms, VerifyURL: "https://lingong.example.cn/verify/" + terms.Number})
	if err != nil {
		t.Fatal(err)
	}
	text := noSpace(pdfText(t, pdf))
	for _, want := range []string{"半天工资150元", "工资标准：1.80元/斤（人民币）", "每日工作10小时", "2027年1月5日至2027年2月3日，共30天"} {
		if !strings.Contains(text, want) {
			t.Errorf("contract text lacks %q", want)
		}
	}
	if strings.Contains(text, "半天工资135元") || strings.Contains(text, "件(斤)") {
		t.Error("contract still says 半天工资 135 元 or 件(斤)")
	}
}
