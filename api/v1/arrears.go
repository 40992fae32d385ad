package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Arrears alerts (欠薪预警) and the dispute queue, for station staff (their station), admins (all, or one
// station with ?station=) and employers (their own alerts).

// openParam reads ?open=: true (the default: what still needs someone) or false (everything).
func openParam(c *gin.Context) (bool, error) {
	switch c.Query("open") {
	case "", "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, domain.Invalid("open", "open 应为 true（只看未处理的，默认）或 false（全部）")
}

// listArrears is GET /api/v1/arrears?open=&station=: arrears alerts, oldest due date first.
func (s *API) listArrears(c *gin.Context) {
	open, err := openParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	station, err := s.app.StationScope(ctx, kit.Principal(c), "station", c.Query("station"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerArrears(c, domain.ArrearsFilter{StationID: station, OpenOnly: open})
}

// employerArrears is GET /api/v1/employer/arrears?open=: the calling employer's own alerts.
func (s *API) employerArrears(c *gin.Context) {
	open, err := openParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerArrears(c, domain.ArrearsFilter{EmployerID: kit.Principal(c).ID, OpenOnly: open})
}

func (s *API) answerArrears(c *gin.Context, f domain.ArrearsFilter) {
	list, err := s.app.ArrearsAlerts(c.Request.Context(), kit.Principal(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.ArrearsAlert]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// clearArrears is POST /api/v1/arrears/{id}/clear (staff of the alert's station, admins): clear an alert
// by hand, e.g. after seeing proof of a payment made outside the platform. It lifts the hold on
// approving the employer's new gigs. Answers the alert.
func (s *API) clearArrears(c *gin.Context) {
	if err := kit.DecodeOptionalEmpty(c); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "欠薪预警")
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.app.ClearArrears(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

// listDisputes is GET /api/v1/disputes?open=&station=: workers' disputes of ledger lines, the station's
// queue, oldest first.
func (s *API) listDisputes(c *gin.Context) {
	open, err := openParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	station, err := s.app.StationScope(ctx, kit.Principal(c), "station", c.Query("station"))
	if err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.app.Disputes(ctx, kit.Principal(c), station, open)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.Dispute]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}
