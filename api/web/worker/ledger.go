package worker

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// The worker's side of the ledger on the phone pages: /me sums up each contract's pay, the contract
// page lists its lines, and a payment is confirmed (or any line disputed) with an SMS code the way the
// contract was signed: send the code, type it, done.

// meLedger is one contract's pay on /me.
type meLedger struct {
	Contract domain.Contract
	Balance  domain.Balance
	Lines    int
	ToAnswer int // payments waiting for the worker's confirmation
}

// myLedgers sums up the ledgers of the worker's contracts that have any lines, newest contract first.
func (s *Pages) myLedgers(ctx context.Context, p domain.Principal, contracts []meContract) ([]meLedger, error) {
	var out []meLedger
	for _, ct := range contracts {
		if ct.Status == domain.ContractDraft {
			continue
		}
		_, lines, bal, err := s.App.Ledger(ctx, p, ct.ID)
		if err != nil {
			return nil, err
		}
		if len(lines) == 0 {
			continue
		}
		l := meLedger{Contract: ct.Contract, Balance: bal, Lines: len(lines)}
		for _, line := range lines {
			if line.Kind == domain.LedgerPayment && line.Response == nil {
				l.ToAnswer++
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// meLedgerConfirm is POST /me/ledger/{id}/confirm: the worker confirms receiving a payment (form code,
// csrf).
func (s *Pages) meLedgerConfirm(c *gin.Context) { s.meLedgerAnswer(c, "confirm") }

// meLedgerDispute is POST /me/ledger/{id}/dispute: the worker disputes a line (form code, reason, csrf).
func (s *Pages) meLedgerDispute(c *gin.Context) { s.meLedgerAnswer(c, "dispute") }

func (s *Pages) meLedgerAnswer(c *gin.Context, response string) {
	p := kit.Principal(c)
	id, err := kit.PathID(c, "id", "台账记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	line, err := s.App.AnswerLedgerEntry(c.Request.Context(), p, id, app.LedgerAnswer{Response: response, Code: c.PostForm("code"), Reason: c.PostForm("reason")})
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable || e.Code == domain.CodeNotFound {
			s.Fail(c, err)
			return
		}
		// Show the contract page again with the message beside the line the worker was answering.
		entry, _, lerr := s.App.LedgerEntry(c.Request.Context(), p, id)
		if lerr != nil {
			s.Fail(c, lerr)
			return
		}
		c.Params = append(c.Params[:0], gin.Param{Key: "id", Value: fmt.Sprint(entry.ContractID)})
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field, v.LedgerEntry = e.Message, e.Field, id })
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/me/contracts/%d?answered=%s#ledger-%d", line.ContractID, response, line.ID))
}
