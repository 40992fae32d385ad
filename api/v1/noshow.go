package v1

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// No-shows (issue 21 item 5): the absences the sweep marked, and the employer's answer to each.

// jobNoShows is GET /api/v1/jobs/{id}/no-shows?date=: the gig's marked absences on a day (default
// today), for its employer and its station's staff.
func (s *API) jobNoShows(c *gin.Context) {
	id, day, err := s.jobAndDay(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.app.JobNoShows(c.Request.Context(), kit.Principal(c), id, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	if items == nil {
		items = []domain.NoShow{}
	}
	c.JSON(http.StatusOK, gin.H{"date": day, "items": items})
}

// noShowDecisionRequest is the body of POST /api/v1/no-shows/{id}/decision.
type noShowDecisionRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// decideNoShow is POST /api/v1/no-shows/{id}/decision: the employer (or the station) confirms a marked
// absence, which counts in the worker's record, or corrects it with a reason.
func (s *API) decideNoShow(c *gin.Context) {
	actOnID(s, c, "缺勤记录", func(ctx context.Context, p domain.Principal, id int64, req noShowDecisionRequest) (domain.NoShow, error) {
		return s.app.DecideNoShow(ctx, p, id, req.Decision, req.Reason)
	})
}

// contestNoShow is POST /api/v1/no-shows/{id}/contest: the issuing station's decision on the worker's
// contest of a confirmed no-show, at the desk or online ({decision: uphold|reject, reason}).
func (s *API) contestNoShow(c *gin.Context) {
	actOnID(s, c, "缺勤记录", func(ctx context.Context, p domain.Principal, id int64, req noShowDecisionRequest) (domain.NoShow, error) {
		return s.app.ContestNoShow(ctx, p, id, req.Decision, req.Reason)
	})
}

// myNoShows is GET /api/v1/workers/me/no-shows: the calling worker's no-shows in any state, newest first.
func (s *API) myNoShows(c *gin.Context) {
	items, err := s.app.MyNoShows(c.Request.Context(), kit.Principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if items == nil {
		items = []domain.NoShow{}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// requestNoShowContest is POST /api/v1/workers/me/no-shows/{id}/contest ({reason}): the worker contests
// one of their confirmed no-shows online; the issuing station decides it and the worker is texted.
func (s *API) requestNoShowContest(c *gin.Context) {
	actOnID(s, c, "缺勤记录", func(ctx context.Context, p domain.Principal, id int64, req cancelRequest) (domain.NoShow, error) {
		return s.app.RequestNoShowContest(ctx, p, id, req.Reason)
	})
}

// cancelRequest is the body of POST /api/v1/contracts/{id}/cancel and /withdraw, and of a worker's
// contest of a no-show: a reason.
type cancelRequest struct {
	Reason string `json:"reason"`
}

// cancelContract is POST /api/v1/contracts/{id}/cancel: the employer (or the issuing station for it)
// cancels a contract before its first day; within the notice window it owes the cancellation amount.
func (s *API) cancelContract(c *gin.Context) {
	actOnID(s, c, "合约", func(ctx context.Context, p domain.Principal, id int64, req cancelRequest) (domain.Cancellation, error) {
		return s.app.CancelContract(ctx, p, id, req.Reason)
	})
}

// withdrawFromContract is POST /api/v1/contracts/{id}/withdraw: the worker withdraws before the first
// day; within the notice window it counts as a confirmed no-show.
func (s *API) withdrawFromContract(c *gin.Context) {
	actOnID(s, c, "合约", func(ctx context.Context, p domain.Principal, id int64, req cancelRequest) (domain.Cancellation, error) {
		return s.app.WithdrawFromContract(ctx, p, id, req.Reason)
	})
}

// endEarlyRequest is the body of POST /api/v1/contracts/{id}/end-early.
type endEarlyRequest struct {
	LastDay string `json:"last_day"`
	Reason  string `json:"reason"`
}

// endContractEarly is POST /api/v1/contracts/{id}/end-early: the employer, the worker or the issuing
// station ends a started contract early, lastDay being its last working day (docs/attendance.md).
func (s *API) endContractEarly(c *gin.Context) {
	actOnID(s, c, "合约", func(ctx context.Context, p domain.Principal, id int64, req endEarlyRequest) (domain.ContractEnding, error) {
		return s.app.EndContractEarly(ctx, p, id, req.LastDay, req.Reason)
	})
}

// actOnID is the shape of a use case on one record named in the path: decode the JSON body, read the
// id (entity names it in the error), run the use case as the caller, answer 200 with its result.
func actOnID[Req, Res any](s *API, c *gin.Context, entity string, do func(context.Context, domain.Principal, int64, Req) (Res, error)) {
	var req Req
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", entity)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := do(c.Request.Context(), kit.Principal(c), id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
