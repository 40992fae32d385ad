package domain

import "time"

// The daily insured roster (投保名单, issue 22 item 3): for a date, everyone with an active contract who
// works that day, in the form insurers take (name, full ID number, gig, place, hours). It holds full
// resident ID numbers, so only the admin reads it, and every read is audited.

// WorkDay is one contract worked on a date, with the hours: from the contracts' periods and shifts
// now, from attendance once it is built (the app's WorkingDays).
type WorkDay struct {
	ContractID int64
	HoursMilli int64 // hours × 1000
}

// RosterLine is one person on a roster.
type RosterLine struct {
	ContractID     int64  `json:"contract_id"`
	ContractNumber string `json:"contract_number"`
	WorkerID       int64  `json:"worker_id"`
	WorkerName     string `json:"worker_name"`
	IDNumber       string `json:"id_number"` // full; "" when the worker has none on file
	JobID          int64  `json:"job_id"`
	JobTitle       string `json:"job_title"`
	Place          string `json:"place"`
	HoursMilli     int64  `json:"hours_milli"`
	Covered        bool   `json:"covered"`
	Cover          string `json:"cover"` // 保险公司 · 保单号, or why there is none
}

// Roster is a date's roster.
type Roster struct {
	Date   Date         `json:"date"`
	MadeAt time.Time    `json:"made_at"`
	Lines  []RosterLine `json:"lines"`
}

// RosterWindowDays is how far from today a roster may be asked for: the next day's (made before the
// cut-off), today's late additions, and a week back for re-reads.
const RosterWindowDays = 7

// CheckRosterDate refuses a roster date outside the window around today.
func CheckRosterDate(today, day Date) error {
	if !day.Valid() {
		return Invalid("date", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	if day < today.AddDays(-RosterWindowDays) || day > today.AddDays(RosterWindowDays) {
		return Invalidf("date", "只能查看今天前后 %d 天的投保名单", RosterWindowDays)
	}
	return nil
}

// RosterBatch is one submission of a date's roster to the insurer: batch 1 before the cut-off, later
// batches with the people added since. Key is sent as the Idempotency-Key, the same on every retry.
type RosterBatch struct {
	ID          int64      `json:"id"`
	Date        Date       `json:"date"`
	Batch       int        `json:"batch"`
	Key         string     `json:"key"`
	ContractIDs []int64    `json:"contract_ids"`
	Driver      string     `json:"driver"`
	Status      string     `json:"status"` // pending | sent
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error,omitempty"`
	ReceiptRef  string     `json:"receipt_ref,omitempty"`
	Receipt     string     `json:"receipt,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
}

// InsurerReceipt is the insurer's acknowledgement of a roster: its reference and the answer as received.
type InsurerReceipt struct {
	Reference string
	Body      string
}
