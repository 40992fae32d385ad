package app

import (
	"context"
	"fmt"
	"time"

	"lingong/contracts"
	"lingong/domain"
)

// Contracts (电子合约): reading, signing, witnessing, amending, printing and the public check.

// ContractRecord is a contract as its parties and its station's staff read it: the record, its frozen
// terms and who signed.
type ContractRecord struct {
	Contract   domain.Contract
	Terms      contracts.Terms
	Signatures []domain.SignatureEvent
}

// Awaiting is who still has to sign a draft.
func (r ContractRecord) Awaiting() []domain.SignerRole {
	out := []domain.SignerRole{}
	if r.Contract.Status != domain.ContractDraft {
		return out
	}
	for _, role := range []domain.SignerRole{domain.SignerWorker, domain.SignerEmployer} {
		if !r.SignedBy(role) {
			out = append(out, role)
		}
	}
	return out
}

// SignedBy reports whether the party signed.
func (r ContractRecord) SignedBy(role domain.SignerRole) bool {
	for _, sg := range r.Signatures {
		if sg.Role == role {
			return true
		}
	}
	return false
}

// Contract returns a contract to someone who may see it (domain.CanSeeContract).
func (s *Service) Contract(ctx context.Context, p domain.Principal, id int64) (ContractRecord, error) {
	ct, sigs, err := s.store.ContractByID(ctx, id)
	if err != nil {
		return ContractRecord{}, err
	}
	return s.contractRecord(p, ct, sigs)
}

// ContractByNumber is Contract by the contract's number.
func (s *Service) ContractByNumber(ctx context.Context, p domain.Principal, number string) (ContractRecord, error) {
	ct, sigs, err := s.store.ContractByNumber(ctx, number)
	if err != nil {
		return ContractRecord{}, err
	}
	return s.contractRecord(p, ct, sigs)
}

func (s *Service) contractRecord(p domain.Principal, ct domain.Contract, sigs []domain.SignatureEvent) (ContractRecord, error) {
	if err := domain.CanSeeContract(p, ct); err != nil {
		return ContractRecord{}, err
	}
	terms, err := contracts.ParseTerms([]byte(ct.TermsJSON))
	if err != nil {
		return ContractRecord{}, domain.Internal(fmt.Errorf("contract %d terms: %w", ct.ID, err))
	}
	if sigs == nil {
		sigs = []domain.SignatureEvent{}
	}
	return ContractRecord{Contract: ct, Terms: terms, Signatures: sigs}, nil
}

// visibleContract loads a contract the caller may see, without its terms.
func (s *Service) visibleContract(ctx context.Context, p domain.Principal, id int64) (domain.Contract, error) {
	ct, _, err := s.store.ContractByID(ctx, id)
	if err != nil {
		return domain.Contract{}, err
	}
	if err := domain.CanSeeContract(p, ct); err != nil {
		return domain.Contract{}, err
	}
	return ct, nil
}

// ContractsOf lists the contracts of the calling worker or employer, newest first.
func (s *Service) ContractsOf(ctx context.Context, p domain.Principal) ([]domain.Contract, error) {
	switch p.Kind {
	case domain.AsWorker:
		return s.store.ContractsFor(ctx, "worker_id", p.ID, "")
	case domain.AsEmployer:
		return s.store.ContractsFor(ctx, "employer_id", p.ID, "")
	}
	return nil, domain.Forbidden("")
}

// StationContracts lists a station's contracts (issued on day, or all when day is ""), newest first,
// for its staff.
func (s *Service) StationContracts(ctx context.Context, p domain.Principal, stationID int64, day domain.Date) ([]domain.Contract, error) {
	if !p.CanManageStation(stationID) {
		return nil, domain.Forbidden("只能查看本站点签发的合约")
	}
	return s.store.ContractsFor(ctx, "station_id", stationID, day)
}

// ContractLines are the contracts of a gig, or of a worker, as the station's desk lists them.
func (s *Service) ContractsOfJob(ctx context.Context, p domain.Principal, jobID int64) ([]domain.ContractLine, error) {
	if _, err := s.ManagedJob(ctx, p, jobID); err != nil {
		return nil, err
	}
	return s.store.ContractsOfJob(ctx, jobID)
}

// ContractsOfWorker lists a worker's contracts for the staff of their station.
func (s *Service) ContractsOfWorker(ctx context.Context, p domain.Principal, workerID int64) ([]domain.ContractLine, error) {
	if _, err := s.Worker(ctx, p, workerID); err != nil {
		return nil, err
	}
	return s.store.ContractsOfWorker(ctx, workerID)
}

// Signing says how a party signs: a worker with the SMS code from SendConfirmCode, an employer with its
// API key (nothing to send), or station staff recording a handwritten signature they witnessed (Role:
// whose). TermsHash, when given (always, with HashShown: a page that showed the terms), must be the hash
// the signer was shown: a party never signs terms that changed under them.
type Signing struct {
	Code      string
	Role      domain.SignerRole
	TermsHash string
	HashShown bool
}

// Sign records the caller's signature (or the witnessed one); both signatures make the contract active.
// It returns the contract as it now stands.
func (s *Service) Sign(ctx context.Context, p domain.Principal, contractID int64, sg Signing) (ContractRecord, error) {
	rec, err := s.Contract(ctx, p, contractID)
	if err != nil {
		return ContractRecord{}, err
	}
	ct := rec.Contract
	ev, err := s.signatureEvent(ctx, p, ct, sg)
	if err != nil {
		return ContractRecord{}, err
	}
	if (sg.TermsHash != "" || sg.HashShown) && sg.TermsHash != ct.TermsHash {
		return ContractRecord{}, domain.Conflict("合约条款已更新，请重新查看后再确认")
	}
	if _, err := s.store.SignContract(ctx, ct.ID, ev, p, p.IP); err != nil {
		return ContractRecord{}, err
	}
	return s.Contract(ctx, p, ct.ID)
}

// signatureEvent says who signs and how, from the caller.
func (s *Service) signatureEvent(ctx context.Context, p domain.Principal, ct domain.Contract, sg Signing) (domain.SignatureEvent, error) {
	ev := domain.SignatureEvent{TermsHash: ct.TermsHash, IP: p.IP, UserAgent: p.UserAgent}
	switch p.Kind {
	case domain.AsWorker:
		if sg.Code == "" {
			return ev, domain.Invalid("code", "请输入短信验证码确认合约")
		}
		otpID, err := s.store.VerifyWorkerConfirmCode(ctx, p.ID, sg.Code)
		if err != nil {
			return ev, err
		}
		ev.Role, ev.Method, ev.SignerID, ev.CredentialID = domain.SignerWorker, domain.SignSMS, p.ID, otpID
	case domain.AsEmployer:
		ev.Role, ev.Method, ev.SignerID, ev.CredentialID = domain.SignerEmployer, domain.SignAPIKey, p.ID, p.CredentialID
	case domain.AsStaff, domain.AsAdmin:
		switch sg.Role {
		case domain.SignerWorker:
			ev.SignerID = ct.WorkerID
		case domain.SignerEmployer:
			ev.SignerID = ct.EmployerID
		default:
			return ev, domain.Invalid("role", "请说明是哪一方的手写签名：worker（零工）或 employer（用工方）")
		}
		ev.Role, ev.Method, ev.CredentialID = sg.Role, domain.SignStaffWitness, p.ID
	default:
		return ev, domain.Unauthorized("")
	}
	return ev, nil
}

// Amendment is a change of a contract's terms and why.
type Amendment struct {
	StartDate string         `json:"start_date"`
	EndDate   string         `json:"end_date"`
	WageFen   int64          `json:"wage_fen"`
	Shifts    []domain.Shift `json:"shifts"`
	Reason    string         `json:"reason"`
}

// Amend makes a new version of a contract (the employer or station staff), with a new number that
// references this one; it needs both signatures again, and this one stays in force until then. The
// worker is told by SMS.
func (s *Service) Amend(ctx context.Context, p domain.Principal, contractID int64, am Amendment) (domain.Contract, error) {
	ct, err := s.visibleContract(ctx, p, contractID)
	if err != nil {
		return domain.Contract{}, err
	}
	if p.Kind == domain.AsWorker {
		return domain.Contract{}, domain.Forbidden("变更合约请联系用工方或零工驿站")
	}
	a, err := am.check(ct)
	if err != nil {
		return domain.Contract{}, err
	}
	next, err := s.store.AmendContract(ctx, ct.ID, a, p, p.IP, s.buildTerms)
	if err != nil {
		return domain.Contract{}, err
	}
	s.textWorker(ctx, next.WorkerID, domain.SMS{Kind: domain.SMSContractChanged, Subject: next.ID,
		Params: map[string]string{"number": ct.Number, "next": next.Number}})
	return next, nil
}

func (am Amendment) check(ct domain.Contract) (domain.Amendment, error) {
	reason, err := domain.CleanText("reason", am.Reason, 200)
	if err != nil {
		return domain.Amendment{}, err
	}
	if reason == "" {
		return domain.Amendment{}, domain.Invalid("reason", "请写明变更原因")
	}
	a := domain.Amendment{Reason: reason, WageFen: am.WageFen, Shifts: am.Shifts}
	if am.StartDate != "" {
		if a.StartDate, err = domain.ParseDate("start_date", am.StartDate); err != nil {
			return a, err
		}
	}
	if am.EndDate != "" {
		if a.EndDate, err = domain.ParseDate("end_date", am.EndDate); err != nil {
			return a, err
		}
	}
	start, end := ct.StartDate, ct.EndDate
	if a.StartDate != "" {
		start = a.StartDate
	}
	if a.EndDate != "" {
		end = a.EndDate
	}
	if end < start {
		return a, domain.Invalid("end_date", "结束日期不能早于开始日期")
	}
	if am.WageFen < 0 || am.WageFen > 10_000_000 {
		return a, domain.Invalid("wage_fen", "工钱金额不合理")
	}
	if a.StartDate == "" && a.EndDate == "" && a.WageFen == 0 && len(a.Shifts) == 0 {
		return a, domain.Invalid("end_date", "没有要变更的内容")
	}
	return a, nil
}

// VerifyURL is the public check page of a contract, printed as its QR code: the number and its check
// code (numbers are sequential; without the code printed on the paper nobody can look one up).
func (s *Service) VerifyURL(number string) string {
	return s.opts.PublicURL + "/verify/" + number + "?code=" + s.CheckCode(number)
}

// CheckCode is the contract's check code (10 characters of base32, 50 bits), printed beside its number.
func (s *Service) CheckCode(number string) string {
	return domain.ContractCheckCode(s.keys.checkCode, number)
}

// ContractDoc assembles what a contract's PDF prints: terms, signatures with the signers' names (and the
// witnessing staff member's), the verify link, and the ledger when it has lines.
func (s *Service) ContractDoc(ctx context.Context, p domain.Principal, contractID int64) (contracts.ContractDoc, error) {
	rec, err := s.Contract(ctx, p, contractID)
	if err != nil {
		return contracts.ContractDoc{}, err
	}
	return s.contractDoc(ctx, rec)
}

func (s *Service) contractDoc(ctx context.Context, rec ContractRecord) (contracts.ContractDoc, error) {
	witnesses := map[int64]string{}
	for _, sg := range rec.Signatures {
		if sg.Method == domain.SignStaffWitness {
			witnesses[sg.CredentialID] = s.witnessName(ctx, sg)
		}
	}
	// The cover is printed from the gig's current declaration, beside (not inside) the frozen terms:
	// see contracts.ContractDoc.Cover.
	cover, err := s.store.JobCover(ctx, rec.Contract.JobID)
	if err != nil {
		return contracts.ContractDoc{}, err
	}
	lines, bal, err := s.store.Ledger(ctx, rec.Contract.ID)
	if err != nil {
		return contracts.ContractDoc{}, err
	}
	doc := s.buildContractDoc(rec, witnesses, cover, lines, bal)
	if doc.Ending, err = s.EndingNote(ctx, rec.Contract.ID); err != nil {
		return contracts.ContractDoc{}, err
	}
	return doc, nil
}

// buildContractDoc assembles a contract's printed form from what was read for it: the witnessing staff
// members' names by account id, the gig's cover, the ledger lines and balance.
func (s *Service) buildContractDoc(rec ContractRecord, witnesses map[int64]string, cover domain.Cover, lines []domain.LedgerLine, bal domain.Balance) contracts.ContractDoc {
	ct, terms := rec.Contract, rec.Terms
	doc := contracts.ContractDoc{Terms: terms, TermsHash: ct.TermsHash, Status: ct.Status, VerifyURL: s.VerifyURL(ct.Number),
		CheckCode: s.CheckCode(ct.Number)}
	for _, sg := range rec.Signatures {
		cs := contracts.Signature{Role: sg.Role, Method: sg.Method, SignedAt: sg.SignedAt, TermsHash: sg.TermsHash,
			Signer: terms.Worker.Name}
		if sg.Role == domain.SignerEmployer {
			cs.Signer = terms.Employer.Name
		}
		if sg.Method == domain.SignStaffWitness {
			cs.Witness = witnesses[sg.CredentialID]
		}
		doc.Signatures = append(doc.Signatures, cs)
	}
	doc.Cover = domain.CoverContractText(cover, ct.StartDate, ct.EndDate)
	if len(lines) > 0 {
		l := LedgerForPDF(lines, bal, s.clock.Now())
		doc.Ledger = &l
	}
	return doc
}

// witnessName is the display name of the staff member who witnessed a handwritten signature ("" when
// the account cannot be read).
func (s *Service) witnessName(ctx context.Context, sg domain.SignatureEvent) string {
	if st, err := s.store.StaffByID(ctx, sg.CredentialID); err == nil {
		return st.DisplayName
	}
	return ""
}

// Witnesses maps each witnessed signature's role to the witnessing staff member's name.
func (s *Service) Witnesses(ctx context.Context, rec ContractRecord) map[domain.SignerRole]string {
	out := map[domain.SignerRole]string{}
	for _, sg := range rec.Signatures {
		if sg.Method == domain.SignStaffWitness {
			out[sg.Role] = s.witnessName(ctx, sg)
		}
	}
	return out
}

// StationContractDocs are the contracts a station issued on one day, oldest first, as their PDFs print
// them, for the morning's batch printing (staff of that station, admins). However many contracts there
// are (up to the list's 500), the data is read in a fixed number of queries: the day's list, the
// contracts with their anchors and signatures, the gigs' covers, the ledgers, the witnesses' names.
func (s *Service) StationContractDocs(ctx context.Context, p domain.Principal, st domain.Station, day domain.Date) ([]contracts.ContractDoc, error) {
	list, err := s.StationContracts(ctx, p, st.ID, day)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, domain.NotFound(fmt.Sprintf("%s 当天签发的合约", day))
	}
	ids := make([]int64, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		ids = append(ids, list[i].ID)
	}
	cts, sigs, err := s.store.ContractsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	recs := make([]ContractRecord, len(cts))
	var jobIDs, staffIDs []int64
	for i, ct := range cts {
		if recs[i], err = s.contractRecord(p, ct, sigs[ct.ID]); err != nil {
			return nil, err
		}
		jobIDs = append(jobIDs, ct.JobID)
		for _, sg := range recs[i].Signatures {
			if sg.Method == domain.SignStaffWitness {
				staffIDs = append(staffIDs, sg.CredentialID)
			}
		}
	}
	covers, err := s.store.JobCovers(ctx, jobIDs)
	if err != nil {
		return nil, err
	}
	lines, bals, err := s.store.Ledgers(ctx, ids)
	if err != nil {
		return nil, err
	}
	witnesses, err := s.store.StaffNames(ctx, staffIDs)
	if err != nil {
		return nil, err
	}
	endings, err := s.store.EndingsOfContracts(ctx, ids)
	if err != nil {
		return nil, err
	}
	docs := make([]contracts.ContractDoc, len(recs))
	for i, rec := range recs {
		docs[i] = s.buildContractDoc(rec, witnesses, covers[rec.Contract.JobID], lines[rec.Contract.ID], bals[rec.Contract.ID])
		docs[i].Ending = endingNote(endings[rec.Contract.ID])
	}
	return docs, nil
}

// LedgerForPDF converts ledger lines and their balance to what the contracts package prints.
func LedgerForPDF(lines []domain.LedgerLine, bal domain.Balance, asOf time.Time) contracts.Ledger {
	l := contracts.Ledger{Totals: contracts.LedgerTotals{EarnedFen: bal.EarnedFen, PaidFen: bal.PaidFen, OutstandingFen: bal.OutstandingFen}, AsOf: asOf}
	for _, e := range lines {
		state := contracts.Pending
		note := e.Note
		if e.Reference != "" {
			note = "凭证 " + e.Reference + " " + note
		}
		if e.Response != nil {
			switch e.Response.Response {
			case "confirm":
				state = contracts.Confirmed
			case "dispute":
				state = contracts.Disputed
				note += " 异议：" + e.Response.Reason
				if e.Response.Resolution != "" {
					note += "（已处理：" + e.Response.Resolution + "）"
				}
			}
		}
		l.Lines = append(l.Lines, contracts.LedgerLine{Date: e.WorkDate, Kind: e.Kind, QuantityMilli: e.QuantityMilli, Unit: e.Unit,
			AmountFen: e.AmountFen, Method: e.Method, State: state, Note: note})
	}
	return l
}

// Verification is what anyone who scans a contract's QR code learns: whether the record is intact, its
// status, the parties with masked names, the period, the signed wage and the amounts settled so far (so a
// printout with an altered wage or period disagrees with the screen), and who signed when. Nothing more.
type Verification struct {
	Number     string                `json:"number"`
	Version    int                   `json:"version"`
	Status     domain.ContractStatus `json:"status"`
	StatusText string                `json:"status_text"`
	Intact     bool                  `json:"intact"`
	Problems   []string              `json:"problems"`
	TermsHash  string                `json:"terms_hash"`
	Employer   string                `json:"employer"`
	Worker     string                `json:"worker"`
	Work       string                `json:"work"`
	Start      domain.Date           `json:"start"`
	End        domain.Date           `json:"end"`
	Station    string                `json:"station"`
	// The wage as signed: WageFen per WageUnit, paid as Settlement says.
	WageFen        int64             `json:"wage_fen"`
	WageUnit       domain.WageUnit   `json:"wage_unit"`
	WageText       string            `json:"wage_text"` // e.g. "180 元/天"
	Settlement     domain.Settlement `json:"settlement"`
	SettlementText string            `json:"settlement_text"`
	// The ledger as it stands: earned, paid and still owed, in fen.
	EarnedFen      int64               `json:"earned_fen"`
	PaidFen        int64               `json:"paid_fen"`
	OutstandingFen int64               `json:"outstanding_fen"`
	Signatures     []VerifiedSignature `json:"signatures"`
}

// VerifiedSignature is a signature as the public check shows it.
type VerifiedSignature struct {
	Role     domain.SignerRole `json:"role"`
	Method   domain.SignMethod `json:"method"`
	Signer   string            `json:"signer"`
	SignedAt time.Time         `json:"signed_at"`
	Shown    string            `json:"-"` // the time in Asia/Shanghai, for the page
}

// Verify is the public check of a contract by its number and check code. A wrong or missing code
// answers exactly as an unknown number does (not_found), so the sequential numbers cannot be walked.
func (s *Service) Verify(ctx context.Context, number, code string) (Verification, error) {
	if !contracts.ValidNumber(number) || !domain.CheckCodeMatches(s.keys.checkCode, number, code) {
		return Verification{}, domain.NotFound("合约（请核对编号和核验码）")
	}
	v, err := s.store.VerifyContract(ctx, number)
	if err != nil {
		return Verification{}, err
	}
	out := Verification{Number: v.Contract.Number, Version: v.Contract.Version, Status: v.Contract.Status,
		StatusText: v.Contract.Status.Label(), Intact: v.Intact, Problems: v.Problems, TermsHash: v.Contract.TermsHash,
		Start: v.Contract.StartDate, End: v.Contract.EndDate, Signatures: []VerifiedSignature{}}
	// The terms are shown only as far as they can be read: tampered terms may not even parse. What is
	// shown is what was signed, not the contract's columns (which verification compares with it).
	if t, err := contracts.ParseTerms([]byte(v.TermsJSON)); err == nil {
		out.Employer, out.Worker, out.Work = maskPartyName(t.Employer), domain.MaskName(t.Worker.Name), t.Work.Title
		out.Start, out.End, out.Station = t.Period.Start, t.Period.End, t.Station.Name
		out.WageFen, out.WageUnit, out.Settlement = t.Wage.AmountFen, t.Wage.Unit, t.Settlement.Method
		out.WageText = domain.FormatYuan(t.Wage.AmountFen) + " 元/" + t.Wage.Unit.Label()
		out.SettlementText = t.Settlement.Method.Label()
	}
	_, bal, err := s.store.Ledger(ctx, v.Contract.ID)
	if err != nil {
		return Verification{}, err
	}
	out.EarnedFen, out.PaidFen, out.OutstandingFen = bal.EarnedFen, bal.PaidFen, bal.OutstandingFen
	for _, sg := range v.Signatures {
		name := out.Worker
		if sg.Role == domain.SignerEmployer {
			name = out.Employer
		}
		out.Signatures = append(out.Signatures, VerifiedSignature{Role: sg.Role, Method: sg.Method, Signer: name,
			SignedAt: sg.SignedAt.UTC(), Shown: sg.SignedAt.In(domain.Shanghai).Format("2006-01-02 15:04")})
	}
	return out, nil
}

// maskPartyName masks an individual employer's name; a company's name is public anyway.
func maskPartyName(e contracts.EmployerParty) string {
	if e.Kind == domain.EmployerCompany {
		return e.Name
	}
	return domain.MaskName(e.Name)
}
