package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// The wage guarantee (工资保证金, issue 22 item 2).

// getGuarantee is GET /api/v1/employers/{id}/guarantee: the employer's account (the employer itself and
// the staff).
func (s *API) getGuarantee(c *gin.Context) {
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.app.GuaranteeAccount(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

// guaranteeRequest is the body of POST /api/v1/employers/{id}/guarantee.
type guaranteeRequest struct {
	Kind          string      `json:"kind"` // deposit | repay | refund
	AmountFen     int64       `json:"amount_fen"`
	BankReference string      `json:"bank_reference"`
	ValueDate     domain.Date `json:"value_date"`
	Note          string      `json:"note"`
}

// recordGuarantee is POST /api/v1/employers/{id}/guarantee: staff record a line from a bank receipt.
func (s *API) recordGuarantee(c *gin.Context) {
	var req guaranteeRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.app.RecordGuarantee(c.Request.Context(), kit.Principal(c), id, domain.GuaranteeInput{Kind: domain.GuaranteeKind(req.Kind),
		AmountFen: req.AmountFen, BankReference: req.BankReference, ValueDate: req.ValueDate, Note: req.Note})
	if err != nil {
		s.fail(c, err)
		return
	}
	e.KindLabel = e.Kind.Label()
	c.JSON(http.StatusCreated, e)
}

// confirmGuarantee is POST /api/v1/guarantee/{id}/confirm: a second staff member (or an admin)
// confirms a deposit or repayment against its receipt.
func (s *API) confirmGuarantee(c *gin.Context) {
	id, err := kit.PathID(c, "id", "保证金记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.app.ConfirmGuarantee(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	e.KindLabel = e.Kind.Label()
	c.JSON(http.StatusCreated, e)
}

// jobGuarantee is GET /api/v1/jobs/{id}/guarantee: whether the gig needs a guarantee and has it.
func (s *API) jobGuarantee(c *gin.Context) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.app.GuaranteeNeed(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// advanceRequest is the body of POST /api/v1/arrears/{id}/advance.
type advanceRequest struct {
	AmountFen int64  `json:"amount_fen"`
	Note      string `json:"note"`
}

// advanceResponse is the payment made from the guarantee and the account after it.
type advanceResponse struct {
	Payment   domain.LedgerEntry      `json:"payment"`
	Guarantee domain.GuaranteeEntry   `json:"guarantee"`
	Account   domain.GuaranteeAccount `json:"account"`
}

// advanceWages is POST /api/v1/arrears/{id}/advance: the station pays the worker from the employer's
// guarantee (先行垫付).
func (s *API) advanceWages(c *gin.Context) {
	var req advanceRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "欠薪预警")
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.app.AdvanceWages(c.Request.Context(), kit.Principal(c), id, app.Advance{AmountFen: req.AmountFen, Note: req.Note})
	if err != nil {
		s.fail(c, err)
		return
	}
	r.Guarantee.KindLabel = r.Guarantee.Kind.Label()
	c.JSON(http.StatusCreated, advanceResponse{Payment: r.Payment, Guarantee: r.Guarantee, Account: r.Account})
}
