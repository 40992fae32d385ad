package app

import (
	"context"
	"time"

	"lingong/domain"
)

// Store is what the use cases need from the database; the store package implements it. Each method is
// one transaction (or a read); Idempotent runs a function inside one and records its answer.
type Store interface {
	ProtectionStore   // protection.go
	RosterStore       // roster.go
	RosterSubmitStore // rostersubmit.go
	IncidentStore     // incident.go
	CoverWarnStore    // coverwarn.go
	// Identity: sessions, codes, logins and console accounts.
	Authenticate(ctx context.Context, token string) (domain.Principal, error)
	StaffCSRFToken(ctx context.Context, sessionID int64) (string, error)
	IssueOTP(ctx context.Context, phone, purpose, ip string, limits domain.OTPLimits, outbox *domain.SMSMessage) (domain.OTPCode, error)
	CancelOTP(ctx context.Context, id int64) error
	LoginWorker(ctx context.Context, phone, code, ip, ua string) (domain.Worker, domain.Session, error)
	ConfirmPhone(ctx context.Context, phone, code, ip, ua string) (domain.Worker, domain.Session, bool, error)
	VerifyWorkerConfirmCode(ctx context.Context, workerID int64, code string) (int64, error)
	LoginStaff(ctx context.Context, username, password, ip, ua string) (domain.Staff, domain.Session, error)
	RevokeSession(ctx context.Context, sessionID int64) error
	StaffByID(ctx context.Context, id int64) (domain.Staff, error)
	StaffNames(ctx context.Context, ids []int64) (map[int64]string, error)
	ChangeStaffPassword(ctx context.Context, staffID int64, current, next string, keepSessionID int64, ip string) error
	ListStaff(ctx context.Context, stationID int64) ([]domain.Staff, error)
	CreateStaffAccount(ctx context.Context, n domain.NewStaff, actor domain.Principal, ip string) (domain.Staff, error)
	SetStaffDisabled(ctx context.Context, staffID int64, disabled bool, actor domain.Principal, ip string) error
	// Backups of the embedded database (made by cmd; the console shows the outcome).
	LatestBackups(ctx context.Context) (lastOK, lastFailure *domain.BackupRun, err error)
	ResetStaffPassword(ctx context.Context, staffID int64, password string, actor domain.Principal, ip string) error
	SetStaffStation(ctx context.Context, staffID, stationID int64, actor domain.Principal, ip string) error
	// Stations, workers and the desk.
	Ping(ctx context.Context) error
	Stations(ctx context.Context) ([]domain.Station, error)
	StationByCode(ctx context.Context, code string) (domain.Station, error)
	StationByID(ctx context.Context, id int64) (domain.Station, error)
	RegisterWorker(ctx context.Context, reg domain.Registration) (domain.Worker, domain.Session, bool, error)
	UpdateWorker(ctx context.Context, actor domain.Principal, ip string, id int64, p domain.WorkerProfile, idNumber *string) (domain.Worker, error)
	RevokeWorkerCard(ctx context.Context, actor domain.Principal, ip string, id int64) (domain.Worker, error)
	WorkerByID(ctx context.Context, id int64) (domain.Worker, error)
	WorkerByNo(ctx context.Context, no string) (domain.Worker, error)
	WorkerByPhone(ctx context.Context, phone string) (domain.Worker, error)
	SignInWalkin(ctx context.Context, stationID, workerID int64, actor domain.Principal, ip string) (domain.WalkinSignin, bool, error)
	WalkinSigninToday(ctx context.Context, stationID, workerID int64) (domain.WalkinSignin, error)
	Walkins(ctx context.Context, stationID int64, day domain.Date) ([]domain.WalkinSignin, error)
	StationDay(ctx context.Context, stationID int64, day domain.Date) (domain.StationDay, error)
	OnsiteQueue(ctx context.Context, jobID int64) (map[int64]int, int64, error)
	Stats(ctx context.Context, f domain.StatsFilter) (domain.Stats, error)
	// Employers and api keys.
	CreateEmployer(ctx context.Context, e domain.Employer, by domain.Principal, ip string) (domain.Employer, domain.IssuedAPIKey, error)
	EmployerByID(ctx context.Context, id int64) (domain.Employer, error)
	Employers(ctx context.Context, f domain.EmployerFilter) ([]domain.Employer, error)
	APIKeys(ctx context.Context, employerID int64) ([]domain.APIKey, error)
	CreateAPIKey(ctx context.Context, employerID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error)
	RotateAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error)
	RevokeAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.APIKey, error)
	// Gigs, applications and pushes.
	Idempotent(ctx context.Context, scope, key, requestHash string, fn func(ctx context.Context) (int, []byte, error)) (status int, body []byte, replayed bool, err error)
	CreateJob(ctx context.Context, j domain.Job, by domain.Principal, ip string) (domain.Job, error)
	JobByID(ctx context.Context, id int64) (domain.Job, error)
	UpdateJob(ctx context.Context, id int64, by domain.Principal, ip string, edit func(j *domain.Job) error) (before, after domain.Job, err error)
	ReviewJob(ctx context.Context, id int64, approve bool, reason string, by domain.Principal, ip string) (domain.Job, error)
	CloseJob(ctx context.Context, id int64, reason string, by domain.Principal, ip string) (domain.Job, error)
	ExpireJobs(ctx context.Context, today domain.Date) ([]int64, error)
	Jobs(ctx context.Context, f domain.JobFilter) ([]domain.Job, int, error)
	OpenJobs(ctx context.Context) ([]domain.Job, error)
	Apply(ctx context.Context, jobID, workerID int64, origin domain.ApplicationOrigin, actor domain.Principal, ip string) (domain.Application, bool, error)
	AcceptApplication(ctx context.Context, appID int64, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error)
	Invite(ctx context.Context, jobID, workerID int64, actor domain.Principal, ip string, limit domain.InviteLimit) (domain.Application, domain.Job, bool, error)
	AgreeToOffer(ctx context.Context, appID int64, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error)
	RefuseOffer(ctx context.Context, appID int64, actor domain.Principal, ip string, report bool, reason string) (domain.Application, error)
	OfferReports(ctx context.Context, stationID int64) ([]domain.OfferReport, error)
	HandleOfferReport(ctx context.Context, id int64, actor domain.Principal, ip, note string) error
	IDConflicts(ctx context.Context, stationID int64) ([]domain.IDConflict, error)
	ResolveIDConflict(ctx context.Context, id int64, actor domain.Principal, ip, resolution string) (domain.IDConflict, error)
	DeclineApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error)
	WithdrawApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error)
	ApplicationByID(ctx context.Context, id int64) (domain.Application, error)
	ApplicationsForWorker(ctx context.Context, workerID int64) ([]domain.ApplicationView, error)
	// WorkerWithLiveApplications is WorkerByID plus the gigs with a pending or accepted application of
	// the worker, in one round trip (GET /api/v1/workers/me/matches), or none when version (the worker's
	// own session's Principal.WorkerVersion; 0: unknown) finds them in memory. The answer is read only.
	WorkerWithLiveApplications(ctx context.Context, workerID, version int64) (domain.Worker, map[int64]bool, error)
	ApplicationsForJob(ctx context.Context, jobID int64) ([]domain.ApplicationView, error)
	RecordPushes(ctx context.Context, jobID int64, day domain.Date, candidates []domain.Push, want, dailyLimit int) ([]domain.Push, error)
	NotificationsPage(ctx context.Context, recipientKind string, recipientID int64, page, perPage int) ([]domain.Notification, int, error)
	AppendSMS(ctx context.Context, m *domain.SMSMessage) error
	SMSOutbox(ctx context.Context, phone string, page, perPage int) ([]domain.SMSMessage, int, error)
	SetSMSStatus(ctx context.Context, ref string, status domain.SMSStatus, provider, providerID, code string) (bool, error)
	ApplySMSReceipt(ctx context.Context, provider string, r domain.SMSReceipt) (bool, error)
	LatestSMSQuestion(ctx context.Context, phone string, since time.Time) (domain.SMSMessage, error)
	RecordSMSReply(ctx context.Context, provider string, r domain.SMSReply, workerID int64) (int64, bool, error)
	SetSMSReplyOutcome(ctx context.Context, id int64, outcome string) error
	WorkerSMS(ctx context.Context, workerID int64, phone string, limit int) ([]domain.SMSMessage, error)
	// Contracts and the ledger.
	// Attendance (issue 21).
	RecordAttendance(ctx context.Context, ev domain.AttendanceEvent, actor domain.Principal, ip string) (domain.AttendanceEvent, bool, error)
	AttendanceOfJob(ctx context.Context, jobID int64, day domain.Date) ([]domain.AttendanceDay, error)
	AttendanceOfWorker(ctx context.Context, workerID int64, day domain.Date) ([]domain.AttendanceDay, error)
	AttendanceOfContract(ctx context.Context, contractID int64, day domain.Date) (domain.AttendanceDay, error)
	AnswerClockRecord(ctx context.Context, eventID, workerID int64, decision, reason, ip string) error
	ReviewAttendanceLine(ctx context.Context, entryID int64, decision, reason string, window time.Duration, actor domain.Principal, ip string) error
	NoShowCandidates(ctx context.Context, day domain.Date) ([]domain.NoShowCandidate, error)
	MarkNoShow(ctx context.Context, c domain.NoShowCandidate, day domain.Date) (bool, error)
	NoShowsOfJob(ctx context.Context, jobID int64, day domain.Date) ([]domain.NoShow, error)
	DecideNoShow(ctx context.Context, id int64, decision, reason string, actor domain.Principal, ip string) (domain.NoShow, error)
	ContestNoShow(ctx context.Context, id int64, decision domain.Contest, reason string, actor domain.Principal, ip string) (domain.NoShow, error)
	NoShowsOfWorker(ctx context.Context, workerID, stationID int64) ([]domain.NoShow, error)
	RequestNoShowContest(ctx context.Context, id int64, reason string, actor domain.Principal, ip string) (domain.NoShow, error)
	NoShowsOfContract(ctx context.Context, contractID int64) ([]domain.NoShow, error)
	AllNoShowsOfWorker(ctx context.Context, workerID int64) ([]domain.NoShow, error)
	ContestsWaiting(ctx context.Context, stationID int64) ([]domain.ContestWaiting, error)
	OpenCheckIns(ctx context.Context, from, before domain.Date) ([]domain.OpenCheckIn, error)
	CloseMissedCheckOut(ctx context.Context, in domain.AttendanceEvent, at time.Time) (domain.AttendanceEvent, bool, error)
	CancelContract(ctx context.Context, contractID int64, reason string, notice time.Duration, actor domain.Principal, ip string) (domain.Cancellation, error)
	CancellationOf(ctx context.Context, contractID int64) (domain.Cancellation, error)
	EndContractEarly(ctx context.Context, contractID int64, lastDay domain.Date, reason string, actor domain.Principal, ip string) (domain.ContractEnding, error)
	EndingsOf(ctx context.Context, contractID int64) ([]domain.ContractEnding, error)
	EndingsOfContracts(ctx context.Context, contractIDs []int64) (map[int64][]domain.ContractEnding, error)
	ContractByID(ctx context.Context, id int64) (domain.Contract, []domain.SignatureEvent, error)
	ContractsByIDs(ctx context.Context, ids []int64) ([]domain.Contract, map[int64][]domain.SignatureEvent, error)
	ContractByNumber(ctx context.Context, number string) (domain.Contract, []domain.SignatureEvent, error)
	ContractsFor(ctx context.Context, column string, id int64, day domain.Date) ([]domain.Contract, error)
	ContractsOfJob(ctx context.Context, jobID int64) ([]domain.ContractLine, error)
	ContractsOfWorker(ctx context.Context, workerID int64) ([]domain.ContractLine, error)
	SignContract(ctx context.Context, contractID int64, ev domain.SignatureEvent, actor domain.Principal, ip string) (domain.Contract, error)
	AmendContract(ctx context.Context, contractID int64, a domain.Amendment, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error)
	VerifyContract(ctx context.Context, number string) (domain.ContractVerification, error)
	VerifyEvidence(ctx context.Context) (domain.EvidenceReport, error)
	RecordEvidenceCheck(ctx context.Context, rep domain.EvidenceReport) error
	EvidenceChecks(ctx context.Context, limit int) ([]domain.EvidenceReport, error)
	Ledger(ctx context.Context, contractID int64) ([]domain.LedgerLine, domain.Balance, error)
	Ledgers(ctx context.Context, contractIDs []int64) (map[int64][]domain.LedgerLine, map[int64]domain.Balance, error)
	AppendLedger(ctx context.Context, contractID int64, in domain.LedgerInput, actor domain.Principal, ip string) (domain.LedgerEntry, error)
	LedgerEntryByID(ctx context.Context, id int64) (domain.LedgerEntry, error)
	RespondToLedgerEntry(ctx context.Context, entryID, workerID int64, response, reason string, otpID int64, ip string) error
	ResolveDispute(ctx context.Context, entryID int64, resolution string, correction *domain.LedgerInput, actor domain.Principal, ip string) error
	Disputes(ctx context.Context, stationID int64, openOnly bool) ([]domain.Dispute, error)
	ArrearsAlerts(ctx context.Context, f domain.ArrearsFilter) ([]domain.ArrearsAlert, error)
	ArrearsAlert(ctx context.Context, id int64) (domain.ArrearsAlert, error)
	ClearArrearsAlert(ctx context.Context, alertID int64, actor domain.Principal, ip string) error
	SweepArrears(ctx context.Context, graceDays int) (raised, cleared int, err error)
	Payroll(ctx context.Context, stationID int64, month string) ([]domain.PayrollLine, error)
	RevealIDNumbers(ctx context.Context, stationID int64, month string, workerIDs []int64, actor domain.Principal, ip string) (map[int64]string, error)
	// The console's lists: a page and the total matching.
	ContractList(ctx context.Context, f domain.ContractFilter) ([]domain.ContractSummary, int, error)
	WorkerList(ctx context.Context, f domain.WorkerFilter) ([]domain.Worker, int, error)
	DisputeList(ctx context.Context, f domain.DisputeFilter) ([]domain.Dispute, int, error)
	ArrearsList(ctx context.Context, f domain.ArrearsFilter, q string, page domain.ListPage) ([]domain.ArrearsAlert, int, error)
	EmployerCount(ctx context.Context, f domain.EmployerFilter) (int, error)
	StaffList(ctx context.Context, f domain.StaffFilter) ([]domain.Staff, int, error)
	SettlementCounts(ctx context.Context, stationID int64, day domain.Date) (domain.SettlementCounts, error)
	CommonSkills(ctx context.Context, stationID int64, district string, limit int) ([]string, error)
}
