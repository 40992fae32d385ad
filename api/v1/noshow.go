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
	var req noShowDecisionRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "缺勤记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	ns, err := s.app.DecideNoShow(c.Request.Context(), kit.Principal(c), id, req.Decision, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ns)
}

// contestNoShow is POST /api/v1/no-shows/{id}/contest: the issuing station's decision on the worker's
// in-person contest of a confirmed no-show ({decision: uphold|reject, reason}).
func (s *API) contestNoShow(c *gin.Context) {
	var req noShowDecisionRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "缺勤记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	ns, err := s.app.ContestNoShow(c.Request.Context(), kit.Principal(c), id, req.Decision, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ns)
}

// cancelRequest is the body of POST /api/v1/contracts/{id}/cancel and /withdraw.
type cancelRequest struct {
	Reason string `json:"reason"`
}

// cancelContract is POST /api/v1/contracts/{id}/cancel: the employer (or the issuing station for it)
// cancels a contract before its first day; within the notice window it owes the cancellation amount.
func (s *API) cancelContract(c *gin.Context) { s.cancelAs(c, s.app.CancelContract) }

// withdrawFromContract is POST /api/v1/contracts/{id}/withdraw: the worker withdraws before the first
// day; within the notice window it counts as a no-show.
func (s *API) withdrawFromContract(c *gin.Context) { s.cancelAs(c, s.app.WithdrawFromContract) }

func (s *API) cancelAs(c *gin.Context, do func(context.Context, domain.Principal, int64, string) (domain.Cancellation, error)) {
	var req cancelRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "合约")
	if err != nil {
		s.fail(c, err)
		return
	}
	cn, err := do(c.Request.Context(), kit.Principal(c), id, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cn)
}

// endEarlyRequest is the body of POST /api/v1/contracts/{id}/end-early.
type endEarlyRequest struct {
	LastDay string `json:"last_day"`
	Reason  string `json:"reason"`
}

// endContractEarly is POST /api/v1/contracts/{id}/end-early: the employer, the worker or the issuing
// station ends a started contract early, lastDay being its last working day (docs/attendance.md).
func (s *API) endContractEarly(c *gin.Context) {
	var req endEarlyRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "合约")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.app.EndContractEarly(c.Request.Context(), kit.Principal(c), id, req.LastDay, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}
