package domain

import "time"

// Offers: an employer's invitation (origin invited) is only an offer. Nothing is accepted or booked,
// and the employer learns neither the worker's full name nor their phone, until the worker says yes:
// on their own page (/me), or at a station with staff as witness. The worker may instead refuse the
// offer, or report it; a report goes to the staff of the worker's station.

// AwaitsWorker reports whether the application is an offer the worker has not answered yet.
func (a Application) AwaitsWorker() bool {
	return a.Origin == OriginInvited && a.Status == AppPending
}

// CodeOfferUnanswered: an invitation was to be accepted before the worker agreed to it. Only the
// worker (or station staff witnessing the worker's answer) accepts an offer.
const CodeOfferUnanswered Code = "offer_unanswered"

// ErrOfferUnanswered is the answer to accepting an offer the worker has not agreed to.
var ErrOfferUnanswered = &Error{Code: CodeOfferUnanswered,
	Message: "这是用工方发出的邀请，要等零工本人同意后才算录用；用工方不能替零工接受"}

// OfferAnswer is a worker's answer to an offer.
type OfferAnswer string

const (
	OfferAgree  OfferAnswer = "agree"  // the worker takes the gig: a place is taken, the contract drafted
	OfferRefuse OfferAnswer = "refuse" // the worker does not want it
)

// InviteLimit bounds how many invitations an employer sends in any rolling 24 hours (LINGONG_INVITES_PER_DAY).
type InviteLimit struct {
	PerDay int
}

// DefaultInviteLimit is 30 invitations a day per employer: a farm hiring a crew for the harvest
// invites a dozen or two; more looks like trawling the worker list.
var DefaultInviteLimit = InviteLimit{PerDay: 30}

// OfferReport is a worker's report of an offer they did not want (harassment, a fake employer, a
// stranger who knew their name): the offer is refused and the staff of the worker's station see it.
type OfferReport struct {
	ID            int64      `json:"id"`
	ApplicationID int64      `json:"application_id"`
	WorkerID      int64      `json:"worker_id"`
	WorkerName    string     `json:"worker_name"`
	WorkerNo      string     `json:"worker_no"`
	StationID     int64      `json:"station_id"`
	EmployerID    int64      `json:"employer_id"`
	EmployerName  string     `json:"employer_name"`
	JobID         int64      `json:"job_id"`
	JobTitle      string     `json:"job_title"`
	Reason        string     `json:"reason"`
	CreatedAt     time.Time  `json:"created_at"`
	HandledAt     *time.Time `json:"handled_at,omitempty"`
	HandledBy     int64      `json:"handled_by,omitempty"`
}

// IDChangesPerDay is how many times a worker may change their own ID number in any rolling 24 hours;
// past it the change answers rate_limited, whatever the number.
const IDChangesPerDay = 3

// IDConflict is a worker's claim to an ID number another worker holds. Self-service never says so
// (the claim is taken like any change, without the sealed number); the staff of the claimant's
// station see the conflict and settle it with both ID cards in hand.
type IDConflict struct {
	ID             int64      `json:"id"`
	WorkerID       int64      `json:"worker_id"` // the claimant
	WorkerName     string     `json:"worker_name"`
	WorkerNo       string     `json:"worker_no"`
	StationID      int64      `json:"station_id"`
	HolderID       int64      `json:"holder_id"` // the worker who holds the number
	HolderName     string     `json:"holder_name"`
	HolderNo       string     `json:"holder_no"`
	IDNumberMasked string     `json:"id_number_masked"`
	CreatedAt      time.Time  `json:"created_at"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	Resolution     string     `json:"resolution,omitempty"` // claimant | holder
}

// IDConflict resolutions: the number goes to the claimant (the holder loses it) or stays with the
// holder (the claim is dropped).
const (
	ConflictToClaimant = "claimant"
	ConflictToHolder   = "holder"
)
