package domain

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LedgerInput is one line to append to a contract's wage ledger. Which fields count depends on Kind:
//   - work: WorkDate, QuantityMilli (quantity × 1000 in the contract's unit: hours, days, pieces or 斤),
//     Note. The amount is computed from the contract's wage, never typed.
//   - payment: AmountFen (> 0), Method, PaidAt, Reference (voucher number).
//   - correction: CorrectsID (an earlier work or payment entry of the same contract), AmountFen and/or
//     QuantityMilli as signed adjustments (a full reversal is the negative of the original), Note (the
//     reason, required).
type LedgerInput struct {
	Kind          LedgerKind
	WorkDate      Date
	QuantityMilli int64
	AmountFen     int64
	Method        PayMethod
	PaidAt        time.Time
	Reference     string
	Note          string
	CorrectsID    int64
}

// LedgerResponse is the worker's answer to a ledger line, and the station's resolution of a dispute.
type LedgerResponse struct {
	Response   string     `json:"response"` // confirm | dispute
	Reason     string     `json:"reason,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	Resolution string     `json:"resolution,omitempty"`
	ResolvedBy int64      `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// LedgerLine is an entry with the worker's response, as the ledger lists and prints it.
type LedgerLine struct {
	LedgerEntry
	Response *LedgerResponse `json:"response,omitempty"`
}

// Balance sums a contract's ledger, in fen. It is computed from the entries every time, so it always
// equals their sum.
//   - Earned: work records plus corrections of work records.
//   - Paid: payments plus corrections of payments.
//   - Confirmed: payments the worker confirmed receiving.
//   - Disputed: lines the worker disputed that the station has not resolved yet.
//   - Outstanding: earned minus paid.
type Balance struct {
	EarnedFen      int64 `json:"earned_fen"`
	PaidFen        int64 `json:"paid_fen"`
	ConfirmedFen   int64 `json:"confirmed_fen"`
	DisputedFen    int64 `json:"disputed_fen"`
	OutstandingFen int64 `json:"outstanding_fen"`
}

// ArrearsAlert (欠薪预警) is earned pay still unpaid after its due date.
type ArrearsAlert struct {
	ID             int64      `json:"id"`
	ContractID     int64      `json:"contract_id"`
	ContractNumber string     `json:"contract_number"`
	EmployerID     int64      `json:"employer_id"`
	EmployerName   string     `json:"employer_name"`
	StationID      int64      `json:"station_id"`
	WorkerName     string     `json:"worker_name"`
	DueDate        Date       `json:"due_date"`
	AmountFen      int64      `json:"amount_fen"`
	AgeDays        int        `json:"age_days"`
	RaisedAt       time.Time  `json:"raised_at"`
	ClearedAt      *time.Time `json:"cleared_at,omitempty"`
}

// EarnedFen is what a quantity of work earns at a wage: wage × quantity, rounded half up to the fen,
// in integer arithmetic (quantity is in thousandths).
func EarnedFen(wageFen, quantityMilli int64) int64 {
	p := wageFen * quantityMilli
	if p >= 0 {
		return (p + 500) / 1000
	}
	return -((-p + 500) / 1000)
}

// DueDate is when pay for work done on day d falls due under a settlement: daily, that day; weekly,
// the Sunday of its week; on completion, the contract's end date (or d when later).
func DueDate(s Settlement, d, contractEnd Date) Date {
	switch s {
	case SettleWeekly:
		wd := int(d.Start().Weekday()) // Sunday = 0
		if wd == 0 {
			return d
		}
		return d.AddDays(7 - wd)
	case SettleOnCompletion:
		if contractEnd > d {
			return contractEnd
		}
	}
	return d
}

// Milli is a quantity in thousandths of its unit (hours, days, pieces, 斤): 12.5 斤 is Milli(12500). It is
// read (ParseMilli) and written (String, JSON) as an exact decimal, never through a float, so what the
// recorder typed is what the worker's SMS, the ledger and the payroll show.
type Milli int64

// MaxMilli bounds a quantity: a million units (hours, 斤…) is far beyond any one record.
const MaxMilli = 1_000_000_000

// String writes m as a decimal without trailing zeros: 12500 -> "12.5", -125 -> "-0.125", 3000 -> "3".
func (m Milli) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/1000, v%1000
	if frac == 0 {
		return sign + strconv.FormatInt(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	return sign + strconv.FormatInt(whole, 10) + "." + f
}

// MarshalJSON writes m as a JSON number with its exact decimal digits.
func (m Milli) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number's digits exactly (a client of the API reading what MarshalJSON
// wrote). A string, an exponent or more than three decimals is an error.
func (m *Milli) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if s == "" || strings.ContainsAny(s, "\"eE") {
		return Invalid("quantity", "数量应为最多三位小数的数字")
	}
	v, err := ParseMilli("quantity", s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMilli reads a decimal quantity exactly, as typed or as a JSON number: "12", "12.5", "0.125",
// "-3.5" (a correction), full-width digits folded. At most three decimals (trailing zeros do not count:
// "12.5000" is 12.5); no exponent, no thousands separator. Its absolute value is at most MaxMilli. field
// names the input for the error.
func ParseMilli(field, s string) (Milli, error) {
	s = strings.TrimSpace(foldWidth(s))
	neg := strings.HasPrefix(s, "-")
	if neg || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && !hasDot {
		return 0, Invalid(field, "请填写数量")
	}
	if (whole == "" && frac == "") || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, Invalid(field, "数量只能是数字，例如 12 或 12.5")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 3 {
		return 0, Invalid(field, "数量最多三位小数")
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 7 {
		return 0, Invalid(field, "数量太大了，请核对")
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	for len(frac) < 3 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*1000 + f
	if v > MaxMilli {
		return 0, Invalid(field, "数量太大了，请核对")
	}
	if neg {
		v = -v
	}
	return Milli(v), nil
}

// DefaultArrearsBlockDays is how many days past due an unpaid amount may be before the employer's new
// gigs are held back from approval (issue 7: "over 3 days old"); LINGONG_ARREARS_BLOCK_DAYS changes it.
const DefaultArrearsBlockDays = 3

// ArrearsFilter selects arrears alerts: of one station, of one employer, one alert, open ones only.
// Zero fields do not filter.
type ArrearsFilter struct {
	ID         int64
	StationID  int64
	EmployerID int64
	OpenOnly   bool
}

// Dispute is a worker's objection to a ledger line, as the issuing station's queue shows it.
type Dispute struct {
	EntryID        int64      `json:"entry_id"`
	ContractID     int64      `json:"contract_id"`
	ContractNumber string     `json:"contract_number"`
	StationID      int64      `json:"station_id"`
	WorkerName     string     `json:"worker_name"`
	EmployerName   string     `json:"employer_name"`
	Kind           LedgerKind `json:"kind"`
	Date           Date       `json:"date"`
	Quantity       Milli      `json:"quantity,omitempty"`
	Unit           WageUnit   `json:"unit,omitempty"`
	PieceUnit      string     `json:"piece_unit,omitempty"` // the contract's, for a piece rate: 斤, 件…
	AmountFen      int64      `json:"amount_fen"`
	Method         PayMethod  `json:"method,omitempty"`
	Reason         string     `json:"reason"`
	DisputedAt     time.Time  `json:"disputed_at"`
	Resolution     string     `json:"resolution,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// PayrollLine is one contract's share of a station's monthly 工资支付台账 (《保障农民工工资支付条例》
// Art. 15): who, for whom, how much work, what was earned and paid in the month, and whether the worker
// confirmed it. Work counts in the month of its date; a payment in the month it was paid; a correction
// in the month of the line it corrects.
type PayrollLine struct {
	WorkerID       int64
	WorkerName     string
	IDMasked       string // 640*************3X; the full number only through Store.RevealIDNumbers
	EmployerName   string
	ContractID     int64
	ContractNumber string
	Unit           WageUnit
	PieceUnit      string // piece rates: what is counted (斤, 件…)
	Days           int    // distinct days with work records
	QuantityMilli  int64  // hours, days or pieces/斤 in Unit
	GrossFen       int64  // earned (应发)
	PaidFen        int64  // paid in the month
	PaidOn         Date   // the last payment's date
	Methods        []PayMethod
	// State is "confirmed" when every payment of the month is confirmed by the worker, "disputed" while
	// a line of the month is under an unresolved dispute, otherwise "pending".
	State string
}

// MaxPaymentFen bounds one payment record: 1,000,000 yuan. A larger sum is recorded as several payments.
const MaxPaymentFen = 100_000_000

// PaymentLeadDays is how long before a contract's first day a payment may be dated: an advance (预付) is
// normal a few weeks ahead, a payment dated earlier than this (1970, a year before) is a typing mistake
// or a forgery and is refused.
const PaymentLeadDays = 30

// CheckPaymentAmount refuses a payment amount that is not positive or above MaxPaymentFen, saying which.
func CheckPaymentAmount(fen int64) error {
	switch {
	case fen <= 0:
		return Invalid("amount_fen", "付款金额应大于 0（单位：分）")
	case fen > MaxPaymentFen:
		return Invalidf("amount_fen", "单笔付款不能超过 %s 元；更多的钱请分几笔记录", FormatYuan(MaxPaymentFen))
	}
	return nil
}

// CheckPaymentDate refuses a payment dated more than PaymentLeadDays before the contract's start.
func CheckPaymentDate(paid, start Date) error {
	if earliest := start.AddDays(-PaymentLeadDays); paid < earliest {
		return Invalidf("paid_at", "付款日期不能早于 %s（合约开始前 %d 天）", earliest, PaymentLeadDays)
	}
	return nil
}

// UnpaidByDueDate allocates payments to earned amounts in due-date order (the oldest debt is paid
// first) and returns what is still unpaid per due date.
func UnpaidByDueDate(lines []LedgerLine) map[Date]int64 {
	kindOf := map[int64]LedgerKind{}
	for _, l := range lines {
		kindOf[l.ID] = l.Kind
	}
	earned := map[Date]int64{}
	var paid int64
	for _, l := range lines {
		kind := l.Kind
		if kind == LedgerCorrection {
			kind = kindOf[l.CorrectsID]
		}
		switch {
		case kind.Owed():
			earned[l.DueDate] += l.AmountFen
		case kind == LedgerPayment:
			paid += l.AmountFen
		}
	}
	dues := make([]Date, 0, len(earned))
	for d := range earned {
		dues = append(dues, d)
	}
	sort.Slice(dues, func(i, j int) bool { return dues[i] < dues[j] })
	out := map[Date]int64{}
	for _, d := range dues {
		owed := earned[d]
		use := min(owed, max(paid, 0))
		paid -= use
		if owed-use > 0 {
			out[d] = owed - use
		}
	}
	return out
}
