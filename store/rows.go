package store

import "time"

// Row structs mirror the tables of migrations/ one to one. They never leave this package: the store
// converts them to and from domain types, and request structs of the api are never rows (no mass
// assignment).

type stationRow struct {
	ID        int64 `gorm:"primaryKey"`
	CityCode  string
	Code      string
	Kind      string
	Name      string
	District  string
	Town      string
	Address   string
	Lat       float64
	Lng       float64
	Phone     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (stationRow) TableName() string { return "stations" }

type skillRow struct {
	Name      string `gorm:"primaryKey"`
	Category  string
	Synonyms  string
	Certs     string
	SortOrder int
}

func (skillRow) TableName() string { return "skills" }

type certificateRow struct {
	Name      string `gorm:"primaryKey"`
	Synonyms  string
	SortOrder int
}

func (certificateRow) TableName() string { return "certificates" }

type staffRow struct {
	ID           int64 `gorm:"primaryKey"`
	CityCode     string
	Username     string
	DisplayName  string
	PasswordHash string
	Role         string
	StationID    *int64
	Disabled     bool
	FailedLogins int
	LockedUntil  *time.Time
	// MustChangePassword is set by an admin's password reset, cleared by the owner's change.
	MustChangePassword bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (staffRow) TableName() string { return "staff" }

type workerRow struct {
	ID                  int64 `gorm:"primaryKey"`
	CityCode            string
	WorkerNo            string
	Phone               string
	Name                string
	Gender              string
	BirthYear           int
	District            string
	Town                string
	Village             string
	Lat                 float64
	Lng                 float64
	Located             string
	SelfDescription     string
	AvailableFrom       string
	AvailableTo         string
	ExpectedWageFen     int64
	ExpectedWageUnit    string
	MaxCommuteKm        int
	StationID           int64
	RegisteredByStaffID *int64
	IDNumberEnc         *string `gorm:"column:id_number_enc"`
	IDNumberIndex       *string `gorm:"column:id_number_index"`
	IDNumberMasked      string  `gorm:"column:id_number_masked"`
	IDVerifiedAt        *time.Time
	Completed           int
	NoShows             int
	PushOptOut          bool
	Status              string
	CardVersion         int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (workerRow) TableName() string { return "workers" }

type workerSkillRow struct {
	WorkerID int64  `gorm:"primaryKey"`
	Skill    string `gorm:"primaryKey"`
}

func (workerSkillRow) TableName() string { return "worker_skills" }

type workerCertRow struct {
	WorkerID int64  `gorm:"primaryKey"`
	Cert     string `gorm:"primaryKey"`
}

func (workerCertRow) TableName() string { return "worker_certs" }

type employerRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	Kind           string
	Name           string
	CreditCode     *string
	IDNumberEnc    *string `gorm:"column:id_number_enc"`
	IDNumberIndex  *string `gorm:"column:id_number_index"`
	IDNumberMasked string  `gorm:"column:id_number_masked"`
	ContactName    string
	ContactPhone   string
	StationID      int64
	Verified       bool
	Status         string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (employerRow) TableName() string { return "employers" }

type apiKeyRow struct {
	ID         int64 `gorm:"primaryKey"`
	EmployerID int64
	Prefix     string
	KeyHash    string
	IsAdmin    bool // the employer's administrator key: may manage the employer's keys
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

type jobRow struct {
	ID            int64 `gorm:"primaryKey"`
	CityCode      string
	EmployerID    int64
	StationID     int64
	Title         string
	Description   string
	Headcount     int
	Filled        int
	WageFen       int64
	WageUnit      string
	PieceUnit     string
	ExpectedHours float64
	Settlement    string
	District      string
	Town          string
	Address       string
	Lat           float64
	Lng           float64
	StartDate     string
	EndDate       string
	Shifts        string
	DailyHours    float64
	Contact       string
	OnsiteFirst   bool
	// WageFloorPayFen, WageFloorFen and WageFloorPer are domain.Job.WageFloor (zero: not below).
	WageFloorPayFen int64
	WageFloorFen    int64
	WageFloorPer    string
	Status          string
	RejectReason    string
	ReviewedBy      *int64
	ReviewedAt      *time.Time
	ApprovedAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (jobRow) TableName() string { return "jobs" }

type jobSkillRow struct {
	JobID int64  `gorm:"primaryKey"`
	Skill string `gorm:"primaryKey"`
}

func (jobSkillRow) TableName() string { return "job_skills" }

type jobCertRow struct {
	JobID int64  `gorm:"primaryKey"`
	Cert  string `gorm:"primaryKey"`
}

func (jobCertRow) TableName() string { return "job_certs" }

type applicationRow struct {
	ID        int64 `gorm:"primaryKey"`
	CityCode  string
	JobID     int64
	WorkerID  int64
	Origin    string
	Status    string
	StaffID   *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (applicationRow) TableName() string { return "applications" }

type offerReportRow struct {
	ID            int64 `gorm:"primaryKey"`
	CityCode      string
	ApplicationID int64
	WorkerID      int64
	StationID     int64
	EmployerID    int64
	JobID         int64
	Reason        string
	CreatedAt     time.Time
	HandledAt     *time.Time
	HandledBy     *int64
}

func (offerReportRow) TableName() string { return "offer_reports" }

type idConflictRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	WorkerID       int64
	HolderID       int64
	StationID      int64
	IDNumberEnc    string `gorm:"column:id_number_enc"`
	IDNumberIndex  string `gorm:"column:id_number_index"`
	IDNumberMasked string `gorm:"column:id_number_masked"`
	CreatedAt      time.Time
	ResolvedAt     *time.Time
	ResolvedBy     *int64
	Resolution     string
}

func (idConflictRow) TableName() string { return "id_conflicts" }

type walkinSigninRow struct {
	ID         int64 `gorm:"primaryKey"`
	CityCode   string
	StationID  int64
	WorkerID   int64
	Day        string
	SignedInAt time.Time
}

func (walkinSigninRow) TableName() string { return "walkin_signins" }

type contractRow struct {
	ID            int64 `gorm:"primaryKey"`
	CityCode      string
	Number        string
	ApplicationID int64
	JobID         int64
	WorkerID      int64
	EmployerID    int64
	StationID     int64
	Version       int
	PreviousID    *int64
	TermsJSON     string `gorm:"column:terms_json"`
	TermsHash     string
	Status        string
	WageFen       int64
	WageUnit      string
	PieceUnit     string
	Settlement    string
	StartDate     string
	EndDate       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (contractRow) TableName() string { return "contracts" }

type arrearsAlertRow struct {
	ID         int64 `gorm:"primaryKey"`
	CityCode   string
	ContractID int64
	EmployerID int64
	StationID  int64
	DueDate    string
	AmountFen  int64
	RaisedAt   time.Time
	ClearedAt  *time.Time
	ClearedBy  *int64
}

func (arrearsAlertRow) TableName() string { return "arrears_alerts" }

type signatureRow struct {
	ID           int64 `gorm:"primaryKey"`
	ContractID   int64
	Role         string
	Method       string
	SignerID     int64
	CredentialID int64
	TermsHash    string
	IP           string `gorm:"column:ip"`
	UserAgent    string
	SignedAt     time.Time
}

func (signatureRow) TableName() string { return "contract_signatures" }

type counterRow struct {
	Name  string `gorm:"primaryKey"`
	Value int64
}

func (counterRow) TableName() string { return "counters" }

type ledgerEntryRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	ContractID     int64
	Kind           string
	WorkDate       string
	QuantityMilli  int64
	Unit           string
	AmountFen      int64
	Method         string
	PaidAt         *time.Time
	Reference      string
	Note           string
	CorrectsID     *int64
	DueDate        string
	RecordedByKind string
	RecordedByID   int64
	CreatedAt      time.Time
	// PrevHash and LineHash chain the contract's lines: LineHash is the keyed hash of this line and
	// PrevHash (see Store.ledgerLineMAC).
	PrevHash string
	LineHash string
}

func (ledgerEntryRow) TableName() string { return "ledger_entries" }

type ledgerResponseRow struct {
	ID         int64 `gorm:"primaryKey"`
	EntryID    int64
	WorkerID   int64
	Response   string
	Reason     string
	OtpID      int64
	ResolvedBy *int64
	Resolution string
	ResolvedAt *time.Time
	CreatedAt  time.Time
}

func (ledgerResponseRow) TableName() string { return "ledger_responses" }

type sessionRow struct {
	ID          int64 `gorm:"primaryKey"`
	TokenHash   string
	SubjectKind string
	SubjectID   int64
	CsrfToken   string
	IP          string `gorm:"column:ip"`
	UserAgent   string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	RevokedAt   *time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type otpRow struct {
	ID        int64 `gorm:"primaryKey"`
	Phone     string
	Purpose   string
	CodeHash  string
	Attempts  int
	IP        string `gorm:"column:ip"`
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (otpRow) TableName() string { return "otp_codes" }

type notificationRow struct {
	ID            int64 `gorm:"primaryKey"`
	CityCode      string
	RecipientKind string
	RecipientID   int64
	Kind          string
	Title         string
	Body          string
	JobID         *int64
	ReadAt        *time.Time
	CreatedAt     time.Time
}

func (notificationRow) TableName() string { return "notifications" }

type jobPushRow struct {
	JobID    int64 `gorm:"primaryKey"`
	WorkerID int64 `gorm:"primaryKey"`
	Day      string
	PushedAt time.Time
}

func (jobPushRow) TableName() string { return "job_pushes" }

type smsRow struct {
	ID        int64 `gorm:"primaryKey"`
	Phone     string
	Body      string
	Purpose   string
	CreatedAt time.Time
	// The template, delivery state and question of the message (migration 00065).
	Kind         string
	Params       string
	Ref          string
	Status       string
	Provider     string
	ProviderID   string
	ProviderCode string
	WorkerID     int64
	Asks         string
	Subject      int64
	UpdatedAt    *time.Time
}

func (smsRow) TableName() string { return "sms_outbox" }

type auditRow struct {
	ID         int64 `gorm:"primaryKey"`
	CityCode   string
	ActorKind  string
	ActorID    int64
	Action     string
	EntityKind string
	EntityID   int64
	Detail     string
	IP         string `gorm:"column:ip"`
	PrevHash   string
	Hash       string
	CreatedAt  time.Time
}

func (auditRow) TableName() string { return "audit_events" }

type idempotencyRow struct {
	ID           int64 `gorm:"primaryKey"`
	Scope        string
	Key          string
	RequestHash  string
	StatusCode   int
	ResponseBody string
	CreatedAt    time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

type evidenceCheckRow struct {
	ID          int64 `gorm:"primaryKey"`
	CityCode    string
	CheckedAt   time.Time
	Source      string
	Intact      bool
	Problems    string
	Contracts   int64
	LedgerLines int64
	HeadID      int64
	HeadHash    string
}

func (evidenceCheckRow) TableName() string { return "evidence_checks" }

// loginFailureRow is a console login attempt against its client address (see takeAddressTry).
type loginFailureRow struct {
	ID        int64 `gorm:"primaryKey"`
	IP        string
	Username  string
	CreatedAt time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }
