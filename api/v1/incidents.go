package v1

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Incidents (出险登记, issue 22 item 4).

// incidentRequest is the body of POST /api/v1/incidents.
type incidentRequest struct {
	ContractID   int64       `json:"contract_id"`
	OccurredOn   domain.Date `json:"occurred_on"`
	OccurredTime string      `json:"occurred_time"`
	Place        string      `json:"place"`
	What         string      `json:"what"`
	Injuries     string      `json:"injuries"`
	Witnesses    string      `json:"witnesses"`
}

// recordIncident is POST /api/v1/incidents: staff of the contract's station record an accident.
func (s *API) recordIncident(c *gin.Context) {
	var req incidentRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	inc, err := s.app.RecordIncident(c.Request.Context(), kit.Principal(c), domain.IncidentInput{ContractID: req.ContractID,
		OccurredOn: req.OccurredOn, OccurredTime: req.OccurredTime, Place: req.Place, What: req.What, Injuries: req.Injuries, Witnesses: req.Witnesses})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, inc)
}

// listIncidents is GET /api/v1/incidents?status=&station=: the station's incidents (staff), all or one
// station's (admins), the employer's own (employers, without ID numbers).
func (s *API) listIncidents(c *gin.Context) {
	ctx, p := c.Request.Context(), kit.Principal(c)
	var station int64
	if code := c.Query("station"); code != "" {
		if !p.IsStaff() {
			s.fail(c, domain.Invalid("station", "只有工作人员能按站点查看"))
			return
		}
		id, err := s.app.StationScope(ctx, p, "station", code)
		if err != nil {
			s.fail(c, err)
			return
		}
		station = id
	}
	list, err := s.app.Incidents(ctx, p, station, domain.IncidentStatus(c.Query("status")))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.Incident]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// getIncident is GET /api/v1/incidents/{id}.
func (s *API) getIncident(c *gin.Context) {
	id, err := kit.PathID(c, "id", "出险记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	inc, err := s.app.Incident(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inc)
}

// incidentStatusRequest is the body of POST /api/v1/incidents/{id}/status.
type incidentStatusRequest struct {
	Status           string      `json:"status"`
	On               domain.Date `json:"on"`
	PaidFen          int64       `json:"paid_fen"`
	InsurerReference string      `json:"insurer_reference"`
	Note             string      `json:"note"`
}

// moveIncident is POST /api/v1/incidents/{id}/status: the claim's next step (staff of the station).
func (s *API) moveIncident(c *gin.Context) {
	var req incidentStatusRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "出险记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	inc, err := s.app.MoveIncident(c.Request.Context(), kit.Principal(c), id, domain.IncidentMove{Status: domain.IncidentStatus(req.Status),
		On: req.On, PaidFen: req.PaidFen, InsurerReference: req.InsurerReference, Note: req.Note})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inc)
}

// incidentPack is GET /api/v1/incidents/{id}/pack.pdf: the evidence pack for the insurer and 人社
// (staff of the station, admins; every read audited).
func (s *API) incidentPack(c *gin.Context) {
	id, err := kit.PathID(c, "id", "出险记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	pack, err := s.app.IncidentPack(ctx, kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.IncidentPack(ctx, pack)
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, fmt.Sprintf("incident-%d.pdf", id), "private, no-store")
}
