package domain

import "time"

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
