package domain

import (
	"fmt"
	"strconv"
	"strings"
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
	PerPiece WageUnit = "piece" // a piece rate: per 件, per 斤… (the gig's PieceUnit names what is counted)
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

// Label is the Chinese name of the unit as used after a price: 元/天. A piece rate is "件" here; where
// the gig's piece unit is known, use LabelFor.
func (u WageUnit) Label() string { return u.LabelFor("") }

// LabelFor is the name of the unit after a price and after a quantity, with the piece unit of a piece
// rate: 小时, 天, 单, and for a piece rate the thing counted (斤, 箱…; 件 when not said).
func (u WageUnit) LabelFor(pieceUnit string) string {
	switch u {
	case PerHour:
		return "小时"
	case PerDay:
		return "天"
	case PerPiece:
		if pieceUnit != "" {
			return pieceUnit
		}
		return DefaultPieceUnit
	case PerJob:
		return "单"
	}
	return string(u)
}

// FormatWage renders a wage for people: "150 元/天", a piece rate as "1.80 元/件".
func FormatWage(fen int64, unit WageUnit) string { return FormatRate(fen, unit, "") }

// FormatRate renders a wage with the piece unit of a piece rate: "1.80 元/斤".
func FormatRate(fen int64, unit WageUnit, pieceUnit string) string {
	return FormatYuan(fen) + " 元/" + unit.LabelFor(pieceUnit)
}

// DefaultPieceUnit is what a piece rate counts when the gig does not say.
const DefaultPieceUnit = "件"

// PieceUnits are what a piece rate may count: pieces, weights (斤 is how Zhongwei weighs picked
// 枸杞), containers, plants, land and lengths.
var PieceUnits = []string{"件", "斤", "公斤", "箱", "筐", "袋", "株", "棵", "亩", "米", "平方米"}

// ValidPieceUnit reports whether s is one of PieceUnits.
func ValidPieceUnit(s string) bool {
	for _, u := range PieceUnits {
		if s == u {
			return true
		}
	}
	return false
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

// ParseYuan reads an amount of yuan as people type it ("150", "150.5", "１５０元", "150.50") and returns
// it in fen, exactly: the digits are read as text, never through a float. At most two decimals; no sign.
// field names the input for the error.
func ParseYuan(field, s string) (int64, error) {
	s = strings.TrimSpace(foldWidth(s))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "元"), "块"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, Invalid(field, "请填写金额")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac == "" {
		frac = "0"
	}
	if whole == "" {
		whole = "0"
	}
	if strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, Invalid(field, "金额只能填数字，例如 150 或 12.5")
	}
	if len(frac) > 2 {
		return 0, Invalid(field, "金额最多两位小数（到分）")
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 9 {
		return 0, Invalid(field, "金额太大了，请核对")
	}
	yuan, _ := strconv.ParseInt("0"+whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	fen, _ := strconv.ParseInt(frac, 10, 64)
	return yuan*100 + fen, nil
}

// FormatYuanInput renders fen the way ParseYuan reads it back ("150", "12.5", "12.05"), to refill a form.
func FormatYuanInput(fen int64) string {
	if fen%100 == 0 {
		return strconv.FormatInt(fen/100, 10)
	}
	s := fmt.Sprintf("%d.%02d", fen/100, fen%100)
	return strings.TrimSuffix(s, "0")
}
