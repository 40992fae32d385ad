package domain

import "time"

// StationKind tells a 零工市场 (market: a hall with staff all day) from a 零工驿站 (station: a desk in a town).
type StationKind string

const (
	KindMarket  StationKind = "market"
	KindStation StationKind = "station"
)

// Station is one of Zhongwei's 5 零工市场 and 20 零工驿站. Every registration, gig and contract carries the
// station it came from.
type Station struct {
	ID        int64       `json:"id"`
	Code      string      `json:"code"` // e.g. SPT-M1, ZN-S03
	Kind      StationKind `json:"kind"`
	Name      string      `json:"name"`
	District  string      `json:"district"` // 沙坡头区, 中宁县, 海原县
	Town      string      `json:"town"`
	Address   string      `json:"address"`
	Lat       float64     `json:"lat"`
	Lng       float64     `json:"lng"`
	Phone     string      `json:"phone"`
	CityCode  string      `json:"city_code"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Worker is a registered gig worker.
type Worker struct {
	ID               int64    `json:"id"`
	No               string   `json:"worker_no"` // printed on the card, typed at the desk: LG00000123
	Phone            string   `json:"phone"`     // full digits; masked by the api for anyone but owner and staff
	Name             string   `json:"name"`
	Gender           string   `json:"gender,omitempty"` // male | female | ""
	BirthYear        int      `json:"birth_year,omitempty"`
	District         string   `json:"district"`
	Town             string   `json:"town"`
	Village          string   `json:"village"` // a 村 or 社区 of the town, "" when not given
	Lat              float64  `json:"lat"`
	Lng              float64  `json:"lng"`
	Located          string   `json:"located"` // town: lat/lng are the town's seat; gps: the shared position (~100 m)
	Skills           []string `json:"skills"`
	Certs            []string `json:"certs"`
	SelfDescription  string   `json:"self_description"`
	AvailableFrom    Date     `json:"available_from"`
	AvailableTo      Date     `json:"available_to"`
	ExpectedWageFen  int64    `json:"expected_wage_fen"`
	ExpectedWageUnit WageUnit `json:"expected_wage_unit"`
	MaxCommuteKm     int      `json:"max_commute_km"`
	StationID        int64    `json:"station_id"`
	StationCode      string   `json:"station_code"`
	RegisteredBy     int64    `json:"registered_by_staff_id,omitempty"` // staff id for 代登记, 0 when self-registered
	IDNumberMasked   string   `json:"id_number_masked,omitempty"`       // 640*************3X (MaskIDNumber)
	// IDVerified: station staff checked the number against the card; only staff change it then.
	IDVerified  bool      `json:"id_verified"`
	Completed   int       `json:"completed"`
	NoShows     int       `json:"no_shows"`
	PushOptOut  bool      `json:"push_opt_out"`
	Status      string    `json:"status"` // active | inactive
	CardVersion int       `json:"-"`      // bumped to revoke printed cards
	CityCode    string    `json:"city_code"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Worker statuses.
const (
	WorkerActive   = "active"
	WorkerInactive = "inactive"
)

// EmployerKind is a company (with a credit code) or an individual (a household, a farmer).
type EmployerKind string

const (
	EmployerCompany    EmployerKind = "company"
	EmployerIndividual EmployerKind = "individual"
)

// Employer posts gigs.
type Employer struct {
	ID           int64        `json:"id"`
	Kind         EmployerKind `json:"kind"`
	Name         string       `json:"name"`
	CreditCode   string       `json:"credit_code,omitempty"`
	ContactName  string       `json:"contact_name"`
	ContactPhone string       `json:"contact_phone"`
	StationID    int64        `json:"station_id"`
	StationCode  string       `json:"station_code"`
	Verified     bool         `json:"verified"` // checked by station staff (licence or ID seen)
	Status       string       `json:"status"`   // active | suspended
	CityCode     string       `json:"city_code"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// APIKey is an employer's credential. The secret is shown once at creation; only its hash is stored.
type APIKey struct {
	ID         int64  `json:"id"`
	EmployerID int64  `json:"employer_id"`
	Prefix     string `json:"prefix"` // the first characters, to tell keys apart in a list
	// Admin marks the employer's administrator key: only it (or station staff) may create, rotate or
	// revoke the employer's keys. The key issued with the employer is one.
	Admin      bool       `json:"admin"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// JobStatus is where a gig is in its life.
type JobStatus string

const (
	JobPendingReview JobStatus = "pending_review"
	JobOpen          JobStatus = "open"
	JobFilled        JobStatus = "filled"
	JobClosed        JobStatus = "closed"
	JobExpired       JobStatus = "expired"
	JobRejected      JobStatus = "rejected"
)

// Shift is one block of working time in a day, "05:00"–"11:00". A split day has two.
type Shift struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Job is a gig: a need for hands for a day or a season.
type Job struct {
	ID               int64      `json:"id"`
	EmployerID       int64      `json:"employer_id"`
	EmployerName     string     `json:"employer_name"`
	EmployerVerified bool       `json:"employer_verified"`
	StationID        int64      `json:"station_id"`
	StationCode      string     `json:"station_code"`
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	Skills           []string   `json:"skills"`
	RequiredCerts    []string   `json:"required_certs"`
	Headcount        int        `json:"headcount"`
	Filled           int        `json:"filled"`
	WageFen          int64      `json:"wage_fen"`
	WageUnit         WageUnit   `json:"wage_unit"`
	PieceUnit        string     `json:"piece_unit,omitempty"`     // for piece rates: what is counted (斤, 件, 箱…; PieceUnits)
	ExpectedHours    float64    `json:"expected_hours,omitempty"` // for piece and job rates: hours the employer expects per unit, to check the minimum wage
	Settlement       Settlement `json:"settlement"`
	District         string     `json:"district"`
	Town             string     `json:"town"`
	Address          string     `json:"address"`
	Lat              float64    `json:"lat"`
	Lng              float64    `json:"lng"`
	StartDate        Date       `json:"start_date"`
	EndDate          Date       `json:"end_date"`
	Shifts           []Shift    `json:"shifts"`
	DailyHours       float64    `json:"daily_hours"`
	Contact          string     `json:"contact,omitempty"`
	OnsiteFirst      bool       `json:"onsite_first"`         // 现场优先: walk-ins at the station are offered places first
	WageFloor        *WageFloor `json:"wage_floor,omitempty"` // set when the pay is below the local minimum (WageStandard.Check)
	Status           JobStatus  `json:"status"`
	RejectReason     string     `json:"reject_reason,omitempty"`
	ReviewedBy       int64      `json:"reviewed_by,omitempty"`
	ReviewedAt       *time.Time `json:"reviewed_at,omitempty"`
	ApprovedAt       *time.Time `json:"approved_at,omitempty"`
	CityCode         string     `json:"city_code"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// Remaining is the number of places still free.
func (j *Job) Remaining() int {
	if j.Filled >= j.Headcount {
		return 0
	}
	return j.Headcount - j.Filled
}

// ApplicationOrigin says who started an application.
type ApplicationOrigin string

const (
	OriginApplied ApplicationOrigin = "applied" // the worker applied
	OriginInvited ApplicationOrigin = "invited" // the employer invited the worker
	OriginStaff   ApplicationOrigin = "staff"   // station staff applied on the worker's behalf
)

// ApplicationStatus is where an application is.
type ApplicationStatus string

const (
	AppPending   ApplicationStatus = "pending"
	AppAccepted  ApplicationStatus = "accepted"
	AppDeclined  ApplicationStatus = "declined"
	AppWithdrawn ApplicationStatus = "withdrawn"
)

// Application joins a worker to a gig. An accepted application holds one place of the gig's headcount.
type Application struct {
	ID       int64             `json:"id"`
	JobID    int64             `json:"job_id"`
	WorkerID int64             `json:"worker_id"`
	Origin   ApplicationOrigin `json:"origin"`
	Status   ApplicationStatus `json:"status"`
	StaffID  int64             `json:"staff_id,omitempty"`
	// AwaitingWorker: an employer's invitation the worker has not answered (AwaitsWorker).
	AwaitingWorker bool      `json:"awaiting_worker"`
	CityCode       string    `json:"city_code"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ContractStatus is where a contract is.
type ContractStatus string

const (
	ContractDraft      ContractStatus = "draft"
	ContractActive     ContractStatus = "active"
	ContractCompleted  ContractStatus = "completed"
	ContractTerminated ContractStatus = "terminated"
)

// Contract is the 电子合约 made when an application is accepted. Its terms are frozen as canonical JSON
// and their SHA-256 is stored and signed.
type Contract struct {
	ID            int64          `json:"id"`
	Number        string         `json:"number"` // ZW-YYYYMM-NNNNNN
	ApplicationID int64          `json:"application_id"`
	JobID         int64          `json:"job_id"`
	WorkerID      int64          `json:"worker_id"`
	EmployerID    int64          `json:"employer_id"`
	StationID     int64          `json:"station_id"`
	Version       int            `json:"version"`
	PreviousID    int64          `json:"previous_id,omitempty"` // the version this amends
	TermsJSON     string         `json:"-"`
	TermsHash     string         `json:"terms_hash"`
	Status        ContractStatus `json:"status"`
	// The wage terms the ledger computes with (copies of the signed terms).
	WageFen    int64      `json:"wage_fen"`
	WageUnit   WageUnit   `json:"wage_unit"`
	PieceUnit  string     `json:"piece_unit,omitempty"` // piece rates: what is counted (斤, 件…)
	Settlement Settlement `json:"settlement"`
	StartDate  Date       `json:"start_date"`
	EndDate    Date       `json:"end_date"`
	CityCode   string     `json:"city_code"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// WeighedInJin reports whether the contract pays by the 斤, so that a weigh ticket (重量，斤) can be
// recorded on it. A piece rate without a piece unit predates piece units and was weighed in 斤.
func (c Contract) WeighedInJin() bool {
	return c.WageUnit == PerPiece && (c.PieceUnit == "斤" || c.PieceUnit == "")
}

// WageText is the contract's wage for people: "1.80 元/斤".
func (c Contract) WageText() string {
	piece := c.PieceUnit
	if c.WageUnit == PerPiece && piece == "" {
		piece = "斤"
	}
	return FormatRate(c.WageFen, c.WageUnit, piece)
}

// SignerRole says which party a signature is for.
type SignerRole string

const (
	SignerWorker   SignerRole = "worker"
	SignerEmployer SignerRole = "employer"
)

// SignMethod says how a party confirmed.
type SignMethod string

const (
	SignSMS          SignMethod = "sms_code"        // the worker typed an SMS code
	SignAPIKey       SignMethod = "api_key"         // the employer called with its key
	SignStaffWitness SignMethod = "staff_witnessed" // a handwritten signature witnessed by staff
)

// SignatureEvent records one party's confirmation of one version of the terms.
type SignatureEvent struct {
	ID           int64      `json:"id"`
	ContractID   int64      `json:"contract_id"`
	Role         SignerRole `json:"role"`
	Method       SignMethod `json:"method"`
	SignerID     int64      `json:"signer_id"`     // worker, employer or (witnessed) worker/employer id
	CredentialID int64      `json:"credential_id"` // SMS code id, API key id or staff id
	TermsHash    string     `json:"terms_hash"`
	IP           string     `json:"ip"`
	UserAgent    string     `json:"user_agent"`
	SignedAt     time.Time  `json:"signed_at"`
}

// LedgerKind is the kind of a settlement entry.
type LedgerKind string

const (
	LedgerWork       LedgerKind = "work"       // work done: earns money computed from the contract's wage
	LedgerPayment    LedgerKind = "payment"    // money paid to the worker
	LedgerCorrection LedgerKind = "correction" // reverses or adjusts an earlier entry
	// LedgerCancellation is what an employer who cancelled within the notice window owes (domain/cancel.go).
	LedgerCancellation LedgerKind = "cancellation"
)

// PayMethod is how money was paid.
type PayMethod string

const (
	PayCash   PayMethod = "cash"
	PayWeChat PayMethod = "wechat"
	PayAlipay PayMethod = "alipay"
	PayBank   PayMethod = "bank"
	PaySSCard PayMethod = "social_security_card" // 社保卡
	// PayGuarantee is a payment the station made from the employer's wage guarantee (先行垫付, issue 22);
	// only that use case records it, so it is not among PayMethods.
	PayGuarantee PayMethod = "guarantee"
)

// PayMethods lists the valid methods.
var PayMethods = []PayMethod{PayCash, PayWeChat, PayAlipay, PayBank, PaySSCard}

// Label is the Chinese name of the method.
func (m PayMethod) Label() string {
	switch m {
	case PayCash:
		return "现金"
	case PayWeChat:
		return "微信"
	case PayAlipay:
		return "支付宝"
	case PayBank:
		return "银行转账"
	case PaySSCard:
		return "社保卡"
	case PayGuarantee:
		return "保证金垫付"
	}
	return string(m)
}

// LedgerEntry is one append-only line of a contract's wage ledger. Corrections are new entries that refer
// to the entry they adjust; no entry is ever updated or deleted.
type LedgerEntry struct {
	ID            int64      `json:"id"`
	ContractID    int64      `json:"contract_id"`
	Kind          LedgerKind `json:"kind"`
	WorkDate      Date       `json:"date,omitempty"`
	Quantity      Milli      `json:"quantity,omitempty"` // hours, days, pieces or 斤, in the contract's unit: an exact decimal
	QuantityMilli int64      `json:"quantity_milli,omitempty"`
	Unit          WageUnit   `json:"unit,omitempty"`
	AmountFen     int64      `json:"amount_fen"` // + earned for work, + paid for payments; corrections carry a sign
	Method        PayMethod  `json:"method,omitempty"`
	PaidAt        *time.Time `json:"paid_at,omitempty"`
	Reference     string     `json:"reference,omitempty"`
	Note          string     `json:"note,omitempty"`
	CorrectsID    int64      `json:"corrects_id,omitempty"`
	DueDate       Date       `json:"due_date,omitempty"`
	RecordedBy    string     `json:"recorded_by"` // "employer:12" | "staff:3"
	CityCode      string     `json:"city_code"`
	CreatedAt     time.Time  `json:"created_at"`
}

// StaffRole is a console role.
type StaffRole string

const (
	RoleStaff StaffRole = "staff" // works at one station
	RoleAdmin StaffRole = "admin" // all stations; manages staff and stations
)

// Staff is a console user at a station (or an admin of the 人社局).
type Staff struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        StaffRole `json:"role"`
	StationID   int64     `json:"station_id,omitempty"`
	StationCode string    `json:"station_code,omitempty"`
	Disabled    bool      `json:"disabled"`
	// MustChangePassword is set when an admin reset the password: until its owner changes it, the account
	// can do nothing else.
	MustChangePassword bool      `json:"must_change_password"`
	CityCode           string    `json:"city_code"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Notification is a message in a worker's, employer's or station's inbox.
type Notification struct {
	ID            int64      `json:"id"`
	RecipientKind string     `json:"recipient_kind"` // worker | employer | station
	RecipientID   int64      `json:"recipient_id"`
	Kind          string     `json:"kind"` // e.g. job_push, application_accepted
	Title         string     `json:"title"`
	Body          string     `json:"body"`
	JobID         int64      `json:"job_id,omitempty"`
	ReadAt        *time.Time `json:"read_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// SMSMessage is one message handed to the SMS sender; the built-in driver keeps them in the outbox.
type SMSMessage struct {
	ID        int64     `json:"id"`
	Phone     string    `json:"phone"`
	Body      string    `json:"body"`
	Purpose   string    `json:"purpose"` // otp | push | ticket | notice
	CreatedAt time.Time `json:"created_at"`
	// The template and its variables (codes masked), the delivery state and what a reply would answer.
	Kind         SMSKind           `json:"kind"`
	Params       map[string]string `json:"params"`
	Ref          string            `json:"ref"` // our idempotency reference, sent to the provider
	Status       SMSStatus         `json:"status"`
	Provider     string            `json:"provider"`      // outbox | aliyun | tencent
	ProviderID   string            `json:"provider_id"`   // the provider's id (BizId, SerialNo)
	ProviderCode string            `json:"provider_code"` // the provider's code of the last state
	WorkerID     int64             `json:"worker_id,omitempty"`
	Asks         string            `json:"asks,omitempty"`
	Subject      int64             `json:"subject,omitempty"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// AuditEvent records who did what to which record, when and from where. Events are hash-chained: each
// carries the SHA-256 of the previous event and of its own content, so a deleted or edited row is detected.
type AuditEvent struct {
	ID         int64     `json:"id"`
	ActorKind  string    `json:"actor_kind"` // worker | employer | staff | system
	ActorID    int64     `json:"actor_id"`
	Action     string    `json:"action"` // e.g. job.approve, contract.sign
	EntityKind string    `json:"entity_kind"`
	EntityID   int64     `json:"entity_id"`
	Detail     string    `json:"detail"` // JSON, never personal data in clear
	IP         string    `json:"ip"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
	CityCode   string    `json:"city_code"`
	CreatedAt  time.Time `json:"created_at"`
}

// ContractParties is everything a contract's terms are built from, loaded inside the accepting
// transaction. The store hands it to a TermsBuilder (the contracts package, via the api), so the store
// never needs to know the template and the template never touches the database.
type ContractParties struct {
	Number           string // ZW-YYYYMM-NNNNNN
	Version          int
	PreviousNumber   string // the version this amends, "" for version 1
	IssuedAt         time.Time
	Job              Job
	Worker           Worker
	WorkerIDMasked   string
	Employer         Employer
	EmployerIDMasked string // individual employers only
	Station          Station
}

// TermsBuilder freezes the terms of a contract: canonical JSON and its SHA-256 hex.
type TermsBuilder func(ContractParties) (termsJSON []byte, hash string, err error)

// Notification kinds and recipients used across use cases.
const (
	RecipientWorker   = "worker"
	RecipientEmployer = "employer"
	RecipientStation  = "station"
)

// Overlaps reports whether a worker could not do both gigs: their date ranges share a day and, on such a
// day, their working hours intersect. A gig without shifts takes the whole day. (A morning of 枸杞 picking
// and an evening of cleaning on the same day do not overlap.)
func (j Job) Overlaps(o Job) bool {
	if j.EndDate < o.StartDate || o.EndDate < j.StartDate {
		return false
	}
	if len(j.Shifts) == 0 || len(o.Shifts) == 0 {
		return true
	}
	for _, a := range j.Shifts {
		for _, b := range o.Shifts {
			if a.Start < b.End && b.Start < a.End {
				return true
			}
		}
	}
	return false
}

// ApplicationView is an application with what its lists show: the gig, the worker, the contract.
type ApplicationView struct {
	Application
	JobTitle       string         `json:"job_title"`
	JobStartDate   Date           `json:"job_start_date"`
	JobEndDate     Date           `json:"job_end_date"`
	JobStationID   int64          `json:"job_station_id"`
	EmployerID     int64          `json:"employer_id"`
	EmployerName   string         `json:"employer_name"`
	WorkerName     string         `json:"worker_name"`
	WorkerNo       string         `json:"worker_no"`
	WorkerPhone    string         `json:"worker_phone"` // masked by the api for everyone but the worker and staff
	ContractID     int64          `json:"contract_id,omitempty"`
	ContractNumber string         `json:"contract_number,omitempty"`
	ContractStatus ContractStatus `json:"contract_status,omitempty"`
}

// Amendment is a change to a contract's terms: a new version that references the old one and needs
// both signatures again. Zero fields keep the current value.
type Amendment struct {
	StartDate  Date
	EndDate    Date
	WageFen    int64
	DailyHours float64
	Shifts     []Shift
	Reason     string
}

// ContractVerification is what /verify shows: whether the record is intact, and if not, why.
type ContractVerification struct {
	Contract   Contract         `json:"contract"`
	TermsJSON  string           `json:"-"`
	Signatures []SignatureEvent `json:"signatures"`
	Intact     bool             `json:"intact"`
	Problems   []string         `json:"problems"`
}

// BackupRun is one attempt to copy the embedded database (lingong backup, or the daily backup).
type BackupRun struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"` // daily | manual
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	OK         bool      `json:"ok"`
	File       string    `json:"file"`
	SizeBytes  int64     `json:"size_bytes"`
	Error      string    `json:"error,omitempty"`
}

// BackupStatus is what the console shows about backups: whether the daily backup is configured, the
// last success, and the last failure when it is more recent than the last success.
type BackupStatus struct {
	Dir         string // LINGONG_BACKUP_DIR; empty = no daily backup
	Unsupported bool   // PostgreSQL: backups are the database's own (pg_dump, PITR)
	LastOK      *BackupRun
	LastFailure *BackupRun
}
