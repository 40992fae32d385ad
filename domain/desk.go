package domain

import "time"

// The station desk: walk-ins who come to a 零工市场 or 零工驿站 in person sign in, and the day's work of
// the station's staff is listed on one page.
//
// The fair queue (现场优先). A gig may be marked OnsiteFirst by its employer or the station's staff.
// For such a gig, on a calendar day D (Asia/Shanghai), a *walk-in* is a worker who signed in at the
// gig's station on D. The rule, enforced by the store whenever anyone (staff or the employer's API)
// accepts an application to the gig on D:
//
//	While any walk-in of D holds a pending application to the gig, the only application that may be
//	accepted is the pending application of the walk-in who signed in first. Online applicants (workers
//	who did not sign in at the gig's station on D) are accepted only when no walk-in's application to
//	the gig is pending.
//
// Declining a walk-in's application (the employer does not want them, or they left) moves the queue
// on. A walk-in's application counts wherever it came from (applied online earlier, applied for them
// at the desk, invited). Sign-ins last for their day only: the next day the queue starts empty.

// WalkinSignin is a worker's sign-in at a station's desk on one day.
type WalkinSignin struct {
	ID         int64     `json:"id"`
	StationID  int64     `json:"station_id"`
	WorkerID   int64     `json:"worker_id"`
	Day        Date      `json:"day"`
	SignedInAt time.Time `json:"signed_in_at"`
	Position   int       `json:"position"` // 1 = first to sign in at the station that day
	WorkerNo   string    `json:"worker_no"`
	WorkerName string    `json:"worker_name"`
	// Pending and Accepted count the worker's applications in those states (any gig), so the desk sees
	// at a glance who still waits for work.
	Pending  int `json:"pending"`
	Accepted int `json:"accepted"`
}

// ContractLine is a contract as a station's lists show it: enough to find it on paper and to see
// which signatures are missing.
type ContractLine struct {
	ID             int64          `json:"id"`
	Number         string         `json:"number"`
	Status         ContractStatus `json:"status"`
	JobID          int64          `json:"job_id"`
	JobTitle       string         `json:"job_title"`
	WorkerID       int64          `json:"worker_id"`
	WorkerName     string         `json:"worker_name"`
	WorkerNo       string         `json:"worker_no"`
	EmployerName   string         `json:"employer_name"`
	WorkerSigned   bool           `json:"worker_signed"`
	EmployerSigned bool           `json:"employer_signed"`
	CreatedAt      time.Time      `json:"created_at"`
}

// StationDay is "today at my station": what waits for the staff, with counts. StationID 0 is every
// station (an admin's view).
type StationDay struct {
	StationID int64 `json:"station_id"`
	Day       Date  `json:"day"`

	ReviewQueue []Job `json:"review_queue"` // gigs awaiting review, oldest first
	ReviewCount int   `json:"review_count"`

	Walkins []WalkinSignin `json:"walkins"` // today's sign-ins, in order

	NewWorkers     []Worker `json:"new_workers"` // registered today, newest first
	NewWorkerCount int      `json:"new_worker_count"`

	StartingToday      []Job `json:"starting_today"` // open or filled gigs whose first day is today
	StartingTodayCount int   `json:"starting_today_count"`

	Contracts     []ContractLine `json:"contracts"` // issued today (to print), newest first
	ContractCount int            `json:"contract_count"`
	UnsignedCount int            `json:"unsigned_count"` // of all the station's drafts, how many wait for a signature
	OpenDisputes  int            `json:"open_disputes"`  // worker disputes of ledger lines not yet resolved
	OpenArrears   int            `json:"open_arrears"`   // arrears alerts not cleared
	OpenReports   int            `json:"open_reports"`   // reported offers and ID number conflicts not dealt with
	ArrearsFen    int64          `json:"arrears_fen"`    // their unpaid amount
	ListLimit     int            `json:"list_limit"`     // lists are cut at this many lines; counts are exact
}

// Label is the Chinese name of the application status.
func (s ApplicationStatus) Label() string {
	switch s {
	case AppPending:
		return "待处理"
	case AppAccepted:
		return "已录用"
	case AppDeclined:
		return "已婉拒"
	case AppWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// Label is the Chinese name of where an application came from.
func (o ApplicationOrigin) Label() string {
	switch o {
	case OriginApplied:
		return "本人报名"
	case OriginInvited:
		return "用工方邀请"
	case OriginStaff:
		return "驿站代报名"
	}
	return string(o)
}

// Label is the Chinese name of the contract status.
func (s ContractStatus) Label() string {
	switch s {
	case ContractDraft:
		return "待签署"
	case ContractActive:
		return "已生效"
	case ContractCompleted:
		return "已完成"
	case ContractTerminated:
		return "已终止"
	}
	return string(s)
}

// EmployerFilter selects employers for a station's list.
type EmployerFilter struct {
	StationID int64        // 0 = every station
	Q         string       // a part of the name, contact phone or credit code
	Kind      EmployerKind // "" = both
	Limit     int          // at most this many (default 100)
	Offset    int          // skip this many (the console's pages)
}
