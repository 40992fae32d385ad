package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// contractStore is what reading, signing, amending, printing and verifying contracts need.
type contractStore interface {
	ContractByID(ctx context.Context, id int64) (domain.Contract, []domain.SignatureEvent, error)
	ContractsFor(ctx context.Context, column string, id int64, day domain.Date) ([]domain.Contract, error)
	SignContract(ctx context.Context, contractID int64, ev domain.SignatureEvent, actor domain.Principal, ip string) (domain.Contract, error)
	AmendContract(ctx context.Context, contractID int64, a domain.Amendment, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error)
	VerifyContract(ctx context.Context, number string) (domain.ContractVerification, error)
	VerifyWorkerConfirmCode(ctx context.Context, workerID int64, code string) (int64, error)
	Ledger(ctx context.Context, contractID int64) ([]domain.LedgerLine, domain.Balance, error)
}

// canSeeContract is the object-level rule for a contract: its two parties and the staff of its
// station (admins everywhere). Staff of another station are forbidden; anyone else is told it does not
// exist.
func canSeeContract(p domain.Principal, c domain.Contract) error {
	switch {
	case p.Kind == domain.AsWorker && p.ID == c.WorkerID, p.Kind == domain.AsEmployer && p.ID == c.EmployerID:
		return nil
	case p.IsStaff() && p.CanManageStation(c.StationID):
		return nil
	case p.IsStaff():
		return domain.Forbidden("只能查看本站点签发的合约")
	}
	return domain.NotFound("合约")
}

// loadContract loads the :id contract and checks the caller may see it.
func (s *Server) loadContract(c *gin.Context) (domain.Contract, []domain.SignatureEvent, contracts.Terms, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.Contract{}, nil, contracts.Terms{}, err
	}
	ct, sigs, err := s.store.ContractByID(c.Request.Context(), id)
	if err != nil {
		return domain.Contract{}, nil, contracts.Terms{}, err
	}
	if err := canSeeContract(principal(c), ct); err != nil {
		return domain.Contract{}, nil, contracts.Terms{}, err
	}
	terms, err := contracts.ParseTerms([]byte(ct.TermsJSON))
	if err != nil {
		return domain.Contract{}, nil, contracts.Terms{}, domain.Internal(fmt.Errorf("contract %d terms: %w", id, err))
	}
	return ct, sigs, terms, nil
}

// contractResponse is a contract as its parties and station staff read it: the record, its frozen
// terms, who signed, and what is still to sign.
type contractResponse struct {
	Contract   domain.Contract         `json:"contract"`
	Terms      contracts.Terms         `json:"terms"`
	Signatures []domain.SignatureEvent `json:"signatures"`
	Awaiting   []domain.SignerRole     `json:"awaiting"`
	PDFURL     string                  `json:"pdf_url"`
	VerifyURL  string                  `json:"verify_url"`
}

func (s *Server) contractResponse(ct domain.Contract, sigs []domain.SignatureEvent, terms contracts.Terms) contractResponse {
	signed := map[domain.SignerRole]bool{}
	for _, sg := range sigs {
		signed[sg.Role] = true
	}
	var awaiting []domain.SignerRole
	if ct.Status == domain.ContractDraft {
		for _, r := range []domain.SignerRole{domain.SignerWorker, domain.SignerEmployer} {
			if !signed[r] {
				awaiting = append(awaiting, r)
			}
		}
	}
	if sigs == nil {
		sigs = []domain.SignatureEvent{}
	}
	return contractResponse{Contract: ct, Terms: terms, Signatures: sigs, Awaiting: nonNilRoles(awaiting),
		PDFURL: fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), VerifyURL: s.verifyURL(ct.Number)}
}

func nonNilRoles(r []domain.SignerRole) []domain.SignerRole {
	if r == nil {
		return []domain.SignerRole{}
	}
	return r
}

func (s *Server) verifyURL(number string) string { return s.opts.PublicURL + "/verify/" + number }

// getContract is GET /api/v1/contracts/{id}.
func (s *Server) getContract(c *gin.Context) {
	ct, sigs, terms, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.contractResponse(ct, sigs, terms))
}

// signRequest is the body of POST /api/v1/contracts/{id}/sign. A worker sends the SMS code (from POST
// /api/v1/workers/me/otp); an employer's API key is its signature and sends nothing; station staff record
// a handwritten signature they witnessed, saying whose (role). terms_hash, when given, must be the hash
// the signer was shown: a party never signs terms that changed under them.
type signRequest struct {
	Code      string `json:"code"`
	Role      string `json:"role"`
	TermsHash string `json:"terms_hash"`
}

// signContract is POST /api/v1/contracts/{id}/sign. Both signatures make the contract active.
func (s *Server) signContract(c *gin.Context) {
	var req signRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	ct, _, _, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	ev, err := s.signatureEvent(c.Request.Context(), p, ct, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	ev.IP, ev.UserAgent = c.ClientIP(), c.Request.UserAgent()
	if req.TermsHash != "" && req.TermsHash != ct.TermsHash {
		s.fail(c, domain.Conflict("合约条款已更新，请重新查看后再确认"))
		return
	}
	if _, err := s.store.SignContract(c.Request.Context(), ct.ID, ev, p, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	ct, sigs, terms, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.contractResponse(ct, sigs, terms))
}

// signatureEvent says who signs and how, from the caller: the worker with a verified SMS code, the
// employer with its API key, or staff witnessing a party's handwritten signature.
func (s *Server) signatureEvent(ctx context.Context, p domain.Principal, ct domain.Contract, req signRequest) (domain.SignatureEvent, error) {
	ev := domain.SignatureEvent{TermsHash: ct.TermsHash}
	switch p.Kind {
	case domain.AsWorker:
		if req.Code == "" {
			return ev, domain.Invalid("code", "请输入短信验证码确认合约")
		}
		otpID, err := s.store.VerifyWorkerConfirmCode(ctx, p.ID, req.Code)
		if err != nil {
			return ev, err
		}
		ev.Role, ev.Method, ev.SignerID, ev.CredentialID = domain.SignerWorker, domain.SignSMS, p.ID, otpID
	case domain.AsEmployer:
		ev.Role, ev.Method, ev.SignerID, ev.CredentialID = domain.SignerEmployer, domain.SignAPIKey, p.ID, p.CredentialID
	case domain.AsStaff, domain.AsAdmin:
		switch domain.SignerRole(req.Role) {
		case domain.SignerWorker:
			ev.SignerID = ct.WorkerID
		case domain.SignerEmployer:
			ev.SignerID = ct.EmployerID
		default:
			return ev, domain.Invalid("role", "请说明是哪一方的手写签名：worker（零工）或 employer（用工方）")
		}
		ev.Role, ev.Method, ev.CredentialID = domain.SignerRole(req.Role), domain.SignStaffWitness, p.ID
	default:
		return ev, domain.Unauthorized("")
	}
	return ev, nil
}

// confirmCodeRequest is the empty body of POST /api/v1/workers/me/otp.
type confirmCodeRequest struct{}

// sendConfirmCode is POST /api/v1/workers/me/otp: an SMS code to the logged-in worker's own phone, for
// signing a contract or confirming a payment. The same limits as login codes apply.
func (s *Server) sendConfirmCode(c *gin.Context) {
	if c.Request.ContentLength != 0 {
		var req confirmCodeRequest
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	w, err := s.store.WorkerByID(c.Request.Context(), principal(c).ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.sendWorkerConfirmCode(c, w); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, otpResponse{SentTo: domain.MaskPhone(w.Phone), ExpiresInSeconds: int(domain.OTPTTL / time.Second),
		ResendAfterSeconds: int(s.opts.OTPLimits.PhoneInterval / time.Second)})
}

// sendWorkerConfirmCode texts a confirmation code to the worker's own phone; a code the sender refused
// is deleted, so it neither works nor counts against the limits.
func (s *Server) sendWorkerConfirmCode(c *gin.Context, w domain.Worker) error {
	ctx := c.Request.Context()
	code, err := s.store.IssueOTP(ctx, w.Phone, domain.OTPConfirm, c.ClientIP(), s.opts.OTPLimits)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("【中卫零工】确认码 %s，%d 分钟内有效，用于确认合约或收款。请勿告诉他人。", code.Code, int(domain.OTPTTL/time.Minute))
	if err := s.sms.Send(ctx, w.Phone, body, "otp"); err != nil {
		if cerr := s.store.CancelOTP(context.WithoutCancel(ctx), code.ID); cerr != nil {
			s.log.WarnContext(ctx, "could not delete an unsent code", "err", cerr)
		}
		return domain.Unavailable(err)
	}
	return nil
}

// amendRequest is the body of POST /api/v1/contracts/{id}/amend: the terms that change, and why.
type amendRequest struct {
	StartDate string         `json:"start_date"`
	EndDate   string         `json:"end_date"`
	WageFen   int64          `json:"wage_fen"`
	Shifts    []domain.Shift `json:"shifts"`
	Reason    string         `json:"reason"`
}

// amendContract is POST /api/v1/contracts/{id}/amend (employer or staff): a new version with a new
// number that references this one and needs both signatures again; this one stays in force until then.
func (s *Server) amendContract(c *gin.Context) {
	var req amendRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ct, _, _, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if principal(c).Kind == domain.AsWorker {
		s.fail(c, domain.Forbidden("变更合约请联系用工方或零工驿站"))
		return
	}
	a, err := amendmentFrom(req, ct)
	if err != nil {
		s.fail(c, err)
		return
	}
	next, err := s.store.AmendContract(c.Request.Context(), ct.ID, a, principal(c), c.ClientIP(), buildTerms)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.notifyWorkerBySMS(c.Request.Context(), next.WorkerID, fmt.Sprintf("【中卫零工】合约 %s 有变更（新合约 %s），请查看并确认。", ct.Number, next.Number))
	c.JSON(http.StatusCreated, gin.H{"contract": next})
}

func amendmentFrom(req amendRequest, ct domain.Contract) (domain.Amendment, error) {
	reason, err := domain.CleanText("reason", req.Reason, 200)
	if err != nil {
		return domain.Amendment{}, err
	}
	if reason == "" {
		return domain.Amendment{}, domain.Invalid("reason", "请写明变更原因")
	}
	a := domain.Amendment{Reason: reason, WageFen: req.WageFen, Shifts: req.Shifts}
	if req.StartDate != "" {
		if a.StartDate, err = domain.ParseDate("start_date", req.StartDate); err != nil {
			return a, err
		}
	}
	if req.EndDate != "" {
		if a.EndDate, err = domain.ParseDate("end_date", req.EndDate); err != nil {
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
	if req.WageFen < 0 || req.WageFen > 10_000_000 {
		return a, domain.Invalid("wage_fen", "工钱金额不合理")
	}
	if a.StartDate == "" && a.EndDate == "" && a.WageFen == 0 && len(a.Shifts) == 0 {
		return a, domain.Invalid("end_date", "没有要变更的内容")
	}
	return a, nil
}

// contractPDF is GET /api/v1/contracts/{id}/pdf: the printable contract with its signatures and, once
// anything is recorded, its settlement record (结算记录).
func (s *Server) contractPDF(c *gin.Context) {
	ct, sigs, terms, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	doc, err := s.contractDoc(c.Request.Context(), ct, sigs, terms)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Contract(c.Request.Context(), doc)
	if err != nil {
		s.fail(c, pdfError(err))
		return
	}
	sendPDF(c, pdf, ct.Number+".pdf", "private, no-store")
}

// contractDoc assembles what the contract PDF prints: terms, signatures with the signers' names (and
// the witnessing staff member's), the verify link, and the ledger when it has lines.
func (s *Server) contractDoc(ctx context.Context, ct domain.Contract, sigs []domain.SignatureEvent, terms contracts.Terms) (contracts.ContractDoc, error) {
	doc := contracts.ContractDoc{Terms: terms, TermsHash: ct.TermsHash, Status: ct.Status, VerifyURL: s.verifyURL(ct.Number)}
	for _, sg := range sigs {
		cs := contracts.Signature{Role: sg.Role, Method: sg.Method, SignedAt: sg.SignedAt, TermsHash: sg.TermsHash,
			Signer: terms.Worker.Name}
		if sg.Role == domain.SignerEmployer {
			cs.Signer = terms.Employer.Name
		}
		if sg.Method == domain.SignStaffWitness {
			if st, err := s.store.StaffByID(ctx, sg.CredentialID); err == nil {
				cs.Witness = st.DisplayName
			}
		}
		doc.Signatures = append(doc.Signatures, cs)
	}
	lines, bal, err := s.store.Ledger(ctx, ct.ID)
	if err != nil {
		return doc, err
	}
	if len(lines) > 0 {
		l := ledgerForPDF(lines, bal, s.clock.Now())
		doc.Ledger = &l
	}
	return doc, nil
}

// ledgerForPDF converts ledger lines and their balance to what the contracts package prints.
func ledgerForPDF(lines []domain.LedgerLine, bal domain.Balance, asOf time.Time) contracts.Ledger {
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

// myContracts is GET /api/v1/workers/me/contracts; employerContracts is GET /api/v1/employer/contracts.
func (s *Server) myContracts(c *gin.Context) { s.listContracts(c, "worker_id", principal(c).ID) }

func (s *Server) employerContracts(c *gin.Context) {
	s.listContracts(c, "employer_id", principal(c).ID)
}

func (s *Server) listContracts(c *gin.Context, column string, id int64) {
	list, err := s.store.ContractsFor(c.Request.Context(), column, id, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.Contract]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// stationContractsPDF is GET /api/v1/stations/{code}/contracts.pdf?date=YYYY-MM-DD: every contract the
// station issued that day (default today) in one PDF, for the morning's printing. Staff of that station
// and admins only.
func (s *Server) stationContractsPDF(c *gin.Context) {
	ctx := c.Request.Context()
	st, err := s.store.StationByCode(ctx, c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !principal(c).CanManageStation(st.ID) {
		s.fail(c, domain.Forbidden("只能打印本站点的合约"))
		return
	}
	day := s.clock.Today()
	if v := c.Query("date"); v != "" {
		if day, err = domain.ParseDate("date", v); err != nil {
			s.fail(c, err)
			return
		}
	}
	pdf, err := s.stationBatchPDF(ctx, st, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendPDF(c, pdf, fmt.Sprintf("%s-%s-contracts.pdf", st.Code, day), "private, no-store")
}

// stationBatchPDF renders the contracts a station issued on one day, oldest first.
func (s *Server) stationBatchPDF(ctx context.Context, st domain.Station, day domain.Date) ([]byte, error) {
	list, err := s.store.ContractsFor(ctx, "station_id", st.ID, day)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, domain.NotFound(fmt.Sprintf("%s 当天签发的合约", day))
	}
	docs := make([]contracts.ContractDoc, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		ct, sigs, err := s.store.ContractByID(ctx, list[i].ID)
		if err != nil {
			return nil, err
		}
		terms, err := contracts.ParseTerms([]byte(ct.TermsJSON))
		if err != nil {
			return nil, domain.Internal(err)
		}
		doc, err := s.contractDoc(ctx, ct, sigs, terms)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	pdf, err := s.pdf.Contracts(ctx, docs)
	if err != nil {
		return nil, pdfError(err)
	}
	return pdf, nil
}
