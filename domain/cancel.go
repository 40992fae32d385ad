package domain

import "time"

// Cancellations (issue 21 item 5). A signed contract may be cancelled before its first day starts: by
// the employer (or its issuing station for it), or withdrawn by the worker. What it costs depends on how
// long before the start it comes, against the notice window (LINGONG_CANCEL_NOTICE, default 24 h):
//   - the employer cancelling within the window owes the contract's cancellation amount (its terms'
//     cancellation.employer_fee_fen), written to the ledger as a cancellation line the arrears rules
//     watch; earlier, nothing;
//   - the worker withdrawing within the window gets a confirmed no-show, as if they had not come; earlier,
//     nothing.
// Exactly the window before the start counts as in time (notice given); a second later is late. Once the
// first day has started the contract is no longer cancelled but changed (an amendment at the station).

// DefaultCancelNotice is the notice window of cancellations (LINGONG_CANCEL_NOTICE).
const DefaultCancelNotice = 24 * time.Hour

// CancelParty is who cancelled a contract.
type CancelParty string

const (
	CancelByEmployer CancelParty = "employer" // the employer, or its issuing station for it
	CancelByWorker   CancelParty = "worker"   // the worker withdrew
)

// Cancellation is a contract cancelled before its first day started.
type Cancellation struct {
	ID         int64       `json:"id"`
	ContractID int64       `json:"contract_id"`
	JobID      int64       `json:"job_id"`
	WorkerID   int64       `json:"worker_id"`
	By         CancelParty `json:"by"`
	FirstDay   Date        `json:"first_day"`
	StartsAt   time.Time   `json:"starts_at"` // the first day's start the notice is measured against
	Late       bool        `json:"late"`      // within the notice window
	// FeeFen is what the employer owes for a late cancellation (0 otherwise), and LedgerEntryID the
	// cancellation line that records it (0: none, e.g. the terms fix no amount).
	FeeFen        int64     `json:"fee_fen"`
	LedgerEntryID int64     `json:"ledger_entry_id,omitempty"`
	NoShowID      int64     `json:"no_show_id,omitempty"` // a late withdrawal's confirmed no-show
	Reason        string    `json:"reason"`
	CreatedAt     time.Time `json:"created_at"`
}

// CancelLate reports whether a cancellation at now of a contract starting at start comes within the
// notice window: less than notice before the start. Exactly notice before is in time.
func CancelLate(now, start time.Time, notice time.Duration) bool {
	return start.Sub(now) < notice
}

// CancelOpen reports whether a contract starting at start may still be cancelled at now: before its
// first day's start, not at it.
func CancelOpen(now, start time.Time) bool { return now.Before(start) }

// Owed reports whether a ledger line of kind k is money owed to the worker (it counts in what was
// earned, and falls due): work, and an employer's cancellation amount.
func (k LedgerKind) Owed() bool { return k == LedgerWork || k == LedgerCancellation }

// Contest is the station's decision on a worker's contest of a confirmed no-show, in person.
type Contest string

const (
	ContestUpheld   Contest = "upheld"   // the worker was right: the no-show no longer counts
	ContestRejected Contest = "rejected" // the no-show stands
)
