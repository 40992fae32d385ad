package v1

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// loadContract loads the :id contract for a caller who may see it.
func (s *API) loadContract(c *gin.Context) (app.ContractRecord, error) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		return app.ContractRecord{}, err
	}
	return s.app.Contract(c.Request.Context(), kit.Principal(c), id)
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
	CheckCode  string                  `json:"check_code"` // printed beside the number; /verify needs it
}

func (s *API) contractResponse(rec app.ContractRecord) contractResponse {
	return contractResponse{Contract: rec.Contract, Terms: rec.Terms, Signatures: rec.Signatures, Awaiting: rec.Awaiting(),
		PDFURL: fmt.Sprintf("/api/v1/contracts/%d/pdf", rec.Contract.ID), VerifyURL: s.app.VerifyURL(rec.Contract.Number),
		CheckCode: s.app.CheckCode(rec.Contract.Number)}
}

// getContract is GET /api/v1/contracts/{id}.
func (s *API) getContract(c *gin.Context) {
	rec, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.contractResponse(rec))
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
func (s *API) signContract(c *gin.Context) {
	var req signRequest
	if c.Request.ContentLength != 0 {
		if err := kit.DecodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.app.Sign(c.Request.Context(), kit.Principal(c), id,
		app.Signing{Code: req.Code, Role: domain.SignerRole(req.Role), TermsHash: req.TermsHash})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.contractResponse(rec))
}

// confirmCodeRequest is the empty body of POST /api/v1/workers/me/otp.
type confirmCodeRequest struct{}

// sendConfirmCode is POST /api/v1/workers/me/otp: an SMS code to the logged-in worker's own phone, for
// signing a contract or confirming a payment. The same limits as login codes apply.
func (s *API) sendConfirmCode(c *gin.Context) {
	if c.Request.ContentLength != 0 {
		var req confirmCodeRequest
		if err := kit.DecodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	sent, err := s.app.SendConfirmCode(c.Request.Context(), kit.Principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, sent)
}

// amendContract is POST /api/v1/contracts/{id}/amend (employer or staff; app.Service.Amend): a new
// version with a new number that references this one and needs both signatures again.
func (s *API) amendContract(c *gin.Context) {
	var req app.Amendment
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	next, err := s.app.Amend(c.Request.Context(), kit.Principal(c), id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"contract": next})
}

// contractPDF is GET /api/v1/contracts/{id}/pdf: the printable contract with its signatures and, once
// anything is recorded, its settlement record (结算记录).
func (s *API) contractPDF(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	doc, err := s.app.ContractDoc(ctx, kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Contract(ctx, doc)
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, doc.Terms.Number+".pdf", "private, no-store")
}

// myContracts is GET /api/v1/workers/me/contracts; employerContracts is GET /api/v1/employer/contracts.
func (s *API) myContracts(c *gin.Context) { s.listContracts(c) }

func (s *API) employerContracts(c *gin.Context) { s.listContracts(c) }

func (s *API) listContracts(c *gin.Context) {
	list, err := s.app.ContractsOf(c.Request.Context(), kit.Principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.Contract]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// stationContractsPDF is GET /api/v1/stations/{code}/contracts.pdf?date=YYYY-MM-DD: every contract the
// station issued that day (default today) in one PDF, for the morning's printing. Staff of that station
// and admins only.
func (s *API) stationContractsPDF(c *gin.Context) {
	ctx := c.Request.Context()
	st, err := s.app.StationByCode(ctx, c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !kit.Principal(c).CanManageStation(st.ID) {
		s.fail(c, domain.Forbidden("只能打印本站点的合约"))
		return
	}
	day := s.today()
	if v := c.Query("date"); v != "" {
		if day, err = domain.ParseDate("date", v); err != nil {
			s.fail(c, err)
			return
		}
	}
	docs, err := s.app.StationContractDocs(ctx, kit.Principal(c), st, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Streamed: a batch of 100 contracts goes out page by page, never held whole (docs/performance.md).
	// Every contract is checked before the first byte, so a refusal is still a JSON or page error.
	w := kit.NewPDFStream(c, fmt.Sprintf("%s-%s-contracts.pdf", st.Code, day), "private, no-store")
	if err := s.pdf.ContractsTo(ctx, w, docs); err != nil {
		if !w.Started() {
			s.fail(c, kit.PDFError(err))
			return
		}
		// The status is sent: the client gets a truncated PDF, which no reader opens. Log the cause,
		// unless it is the client that hung up.
		if !kit.ClientGone(c) {
			s.funnel.Log.WarnContext(ctx, "batch PDF cut short", "route", c.FullPath(), "err", err)
		}
		c.Abort()
	}
}
