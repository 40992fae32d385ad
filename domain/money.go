package domain

import (
	"fmt"
	"strconv"
)

// Money is always an integer number of fen (分, 1/100 yuan). It never passes through a float.

// FormatYuan renders fen as yuan for people: 15000 -> "150", 15050 -> "150.50", -300 -> "-3".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	if fen%100 == 0 {
		return sign + strconv.FormatInt(fen/100, 10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// WageUnit is what one wage amount pays for.
type WageUnit string

const (
	PerHour  WageUnit = "hour"
	PerDay   WageUnit = "day"
	PerPiece WageUnit = "piece" // a piece, or a 斤 for piece-rate picking
	PerJob   WageUnit = "job"   // the whole gig
)

// WageUnits lists the valid units.
var WageUnits = []WageUnit{PerHour, PerDay, PerPiece, PerJob}

// Valid reports whether u is a known unit.
func (u WageUnit) Valid() bool {
	for _, v := range WageUnits {
		if u == v {
			return true
		}
	}
	return false
}

// Label is the Chinese name of the unit as used after a price: 元/天.
func (u WageUnit) Label() string {
	switch u {
	case PerHour:
		return "小时"
	case PerDay:
		return "天"
	case PerPiece:
		return "件(斤)"
	case PerJob:
		return "单"
	}
	return string(u)
}

// FormatWage renders a wage for people: "150 元/天".
func FormatWage(fen int64, unit WageUnit) string {
	return FormatYuan(fen) + " 元/" + unit.Label()
}

// Settlement is when wages are due.
type Settlement string

const (
	SettleDaily        Settlement = "daily"
	SettleWeekly       Settlement = "weekly"
	SettleOnCompletion Settlement = "on_completion"
)

// Valid reports whether s is a known settlement.
func (s Settlement) Valid() bool {
	return s == SettleDaily || s == SettleWeekly || s == SettleOnCompletion
}

// Label is the Chinese name: 日结, 周结, 完工结.
func (s Settlement) Label() string {
	switch s {
	case SettleDaily:
		return "日结"
	case SettleWeekly:
		return "周结"
	case SettleOnCompletion:
		return "完工结"
	}
	return string(s)
}
