package matching

import (
	"math"
	"strings"

	"lingong/domain"
)

// Wages are compared as a day's pay in integer fen. Hours arrive as float64 from the domain; they are
// turned into whole milli-hours once, so no money amount ever passes through a float.

// defaultDayMilli is the working day assumed when a gig states no daily hours: 8 hours.
const defaultDayMilli = 8000

// milliHours converts hours to whole milli-hours (0 for none, negative or absurd values).
func milliHours(h float64) int64 {
	if !(h > 0) || h > 1e6 {
		return 0
	}
	return int64(math.Round(h * 1000))
}

// dayMilliOf is a gig's working day in milli-hours.
func dayMilliOf(dailyHours float64) int64 {
	if m := milliHours(dailyHours); m > 0 {
		return m
	}
	return defaultDayMilli
}

// dailyFen is what a gig pays for one working day, in fen, and whether that can be known: hourly pay
// times the day's hours; a day rate as it is; piece and job rates through the hours the employer expects
// one piece or job to take. A piece rate without expected hours cannot be turned into a day's pay.
func dailyFen(wageFen int64, unit domain.WageUnit, dayMilli, expectedMilli int64) (int64, bool) {
	if wageFen <= 0 {
		return 0, false
	}
	switch unit {
	case domain.PerDay:
		return wageFen, true
	case domain.PerHour:
		return wageFen * dayMilli / 1000, true
	case domain.PerPiece, domain.PerJob:
		if expectedMilli > 0 {
			return wageFen * dayMilli / expectedMilli, true
		}
	}
	return 0, false
}

// expectedDailyFen is a worker's expected wage as a day's pay on a gig with the given working day.
func expectedDailyFen(fen int64, unit domain.WageUnit, dayMilli int64) (int64, bool) {
	switch {
	case fen <= 0:
		return 0, false
	case unit == domain.PerDay || unit == "":
		return fen, true
	case unit == domain.PerHour:
		return fen * dayMilli / 1000, true
	}
	return 0, false
}

// pieceUnitIn is what a worker's piece-rate wish counts, as his words say it ("按斤算", "一斤不低于2块",
// "每箱", "2块/斤"): the first unit of domain.PieceUnits written after 按, 一, 每 or a slash, the longer
// unit first (公斤 before 斤); 件 when the words name none.
func pieceUnitIn(text string) string {
	best, at := domain.DefaultPieceUnit, len(text)+1
	for _, u := range domain.PieceUnits {
		for _, lead := range []string{"按", "一", "每", "/"} {
			if i := strings.Index(text, lead+u); i >= 0 && (i < at || i == at && len(u) > len(best)) {
				best, at = u, i
			}
		}
	}
	return best
}

// samePieceUnit reports whether two piece rates count the same thing (a gig that names none counts 件).
func samePieceUnit(a, b string) bool {
	if a == "" {
		a = domain.DefaultPieceUnit
	}
	if b == "" {
		b = domain.DefaultPieceUnit
	}
	return a == b
}
