package v1

import (
	"context"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// Weigh tickets (过秤单) for piece-rate harvest work: at the field scale a recorder (the employer's, or
// station staff) scans the picker's card, types the weight, and the ticket becomes a work line of the
// picker's piece-rate contract at once; the picker gets an SMS with the weight, the rate, the amount and
// the day's running total, and can dispute the ticket on its own.

// weighTicketRequest is the body of POST /api/v1/weigh-tickets.
type weighTicketRequest struct {
	// Card is what the scanner read from the worker card (its URL or token), or the worker number.
	Card string `json:"card"`
	// WeightJin is the weight in 斤, a JSON number with at most three decimals.
	WeightJin *jsonWeight `json:"weight_jin"`
	// Date is the day picked (YYYY-MM-DD); today when absent.
	Date string `json:"date"`
	// ContractID picks the contract when the worker has more than one piece-rate contract open to the
	// caller; without it such a ticket is a conflict that lists them.
	ContractID *int64 `json:"contract_id"`
	Note       string `json:"note"`
}

// input is the request as the use case takes it.
func (r weighTicketRequest) input() app.WeighIn {
	in := app.WeighIn{Card: r.Card, Date: domain.Date(r.Date), Note: r.Note}
	if r.WeightJin != nil {
		in.Weight = domain.Milli(*r.WeightJin)
	}
	if r.ContractID != nil {
		in.ContractID = *r.ContractID
		if in.ContractID == 0 {
			in.ContractID = -1 // sent, but no contract: refused by the use case
		}
	}
	return in
}

// postWeighTicket is POST /api/v1/weigh-tickets (an employer's API key, or station staff): write a weigh
// ticket as a work line and text the picker. Honours Idempotency-Key (a recorder on a weak signal
// retries without weighing twice); a replay sends no second SMS. 201 with the ticket.
func (s *API) postWeighTicket(c *gin.Context) {
	body, err := kit.ReadBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req weighTicketRequest
	if err := kit.DecodeJSONBytes(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	s.idem.Respond(c, body, func(ctx context.Context) (int, any, error) {
		t, err := s.app.Weigh(ctx, p, req.input())
		if err != nil {
			return 0, nil, err
		}
		return kit.Created, t, nil
	})
}

// weighTicket is the answer to a weigh ticket: the ledger line written and what the picker was told.
type weighTicket = app.WeighTicket
