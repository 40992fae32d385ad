package domain

import (
	"math/big"
	"strconv"
)

// Exact money from posted numbers. A gig's wage is integer fen, but the figures derived from it (half a
// day's pay for a piece rate, the effective hourly wage) divide by hours that were posted as decimals
// (expected_hours 0.06, daily_hours 7.5) or as shifts (05:30–11:00). These functions carry the
// computation in rational numbers (math/big.Rat) from the posted numbers to the end, and round exactly
// once, half up to the fen (RoundFen). No float and no intermediate rounding (to minutes, to fen per
// hour) ever reaches a money figure: 1.80 元/斤 at 0.06 小时/斤 for 10 小时 is 300 元 a day, not 270.
// The rule is documented for users in docs/money.md.

// ExactHours reads an hour figure held as float64 as the decimal that was posted. JSON and form input
// arrive as decimal text ("0.06"); the float64 they parse to prints back, in its shortest round-trip
// form, as exactly that text, so the rational read from that text is the number the employer typed, not
// the binary approximation 0.059999999999999997779…. Zero, negative and non-finite values give 0.
func ExactHours(h float64) *big.Rat {
	r := new(big.Rat)
	if !(h > 0) || h > 1e9 {
		return r
	}
	r.SetString(strconv.FormatFloat(h, 'f', -1, 64))
	return r
}

// DailyHoursRat is the exact working time of one day in hours: the sum of the shifts in whole minutes
// over 60 when the gig has valid shifts (7:50 is 47/6 hours, which no decimal holds), else the posted
// daily_hours. 0 when neither says.
func (j *Job) DailyHoursRat() *big.Rat {
	if m := ShiftMinutes(j.Shifts); m > 0 {
		return big.NewRat(int64(m), 60)
	}
	return ExactHours(j.DailyHours)
}

// ExpectedHoursRat is the exact expected_hours of a piece or job rate (0 when not given).
func (j *Job) ExpectedHoursRat() *big.Rat { return ExactHours(j.ExpectedHours) }

// ShiftMinutes is the total length of the shifts in minutes, or 0 when any shift is malformed.
func ShiftMinutes(shifts []Shift) int {
	total := 0
	for _, sh := range shifts {
		from, ok1 := clockMinutes(sh.Start, false)
		to, ok2 := clockMinutes(sh.End, true)
		if !ok1 || !ok2 || to <= from {
			return 0
		}
		total += to - from
	}
	return total
}

// HourlyWageRat is the exact effective hourly pay in fen: the wage itself for an hourly rate, a day's
// wage over the daily hours, a piece or job wage over its expected hours. nil when the gig does not say
// enough to tell.
func (j *Job) HourlyWageRat() *big.Rat {
	wage := new(big.Rat).SetInt64(j.WageFen)
	var per *big.Rat
	switch j.WageUnit {
	case PerHour:
		return wage
	case PerDay:
		per = j.DailyHoursRat()
	case PerPiece, PerJob:
		per = j.ExpectedHoursRat()
	default:
		return nil
	}
	if per.Sign() <= 0 {
		return nil
	}
	return wage.Quo(wage, per)
}

// DayPayRat is the exact pay of one full working day in fen, from the posted numbers:
//   - day: the wage;
//   - hour: the wage × the daily hours;
//   - piece: the wage × the daily hours ÷ the expected hours per piece (what a worker earns working
//     the whole day at the pace the employer expects);
//   - job: the wage ÷ the number of days of the gig.
//
// days is the length of the gig in days. nil when the gig does not say enough (no daily hours for an
// hourly or piece rate, no expected hours for a piece rate).
func (j *Job) DayPayRat(days int) *big.Rat {
	wage := new(big.Rat).SetInt64(j.WageFen)
	switch j.WageUnit {
	case PerDay:
		return wage
	case PerHour:
		h := j.DailyHoursRat()
		if h.Sign() <= 0 {
			return nil
		}
		return wage.Mul(wage, h)
	case PerPiece:
		h, x := j.DailyHoursRat(), j.ExpectedHoursRat()
		if h.Sign() <= 0 || x.Sign() <= 0 {
			return nil
		}
		wage.Mul(wage, h)
		return wage.Quo(wage, x)
	case PerJob:
		if days <= 0 {
			return nil
		}
		return wage.Quo(wage, big.NewRat(int64(days), 1))
	}
	return nil
}

// RoundFen is the one rounding step of every derived money figure: an exact amount of fen rounded half
// up to a whole fen (x.5 fen becomes x+1; -x.5 becomes -x).
func RoundFen(fen *big.Rat) int64 { return RoundHalfUp(fen) }

// RoundHalfUp is floor(r + 1/2), computed exactly.
func RoundHalfUp(r *big.Rat) int64 {
	t := new(big.Rat).Add(r, big.NewRat(1, 2))
	q := new(big.Int).Div(t.Num(), t.Denom()) // Euclidean division by a positive denominator: the floor
	return q.Int64()
}
