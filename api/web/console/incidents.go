package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Incidents (出险登记, issue 22 item 4): the station records an accident against a contract, sees its
// incidents, moves each claim forward and prints the evidence pack (the API's PDF route).

type consoleIncidentsData struct {
	Incidents []domain.Incident
	Status    string
	Statuses  []domain.IncidentStatus
	Today     domain.Date
	Idem      string
	Form      map[string]string
	Error     string
	Field     string
	// MoveID is the incident whose status form failed, with MoveError.
	MoveID    int64
	MoveError string
}

var incidentFields = []string{"contract_number", "occurred_on", "occurred_time", "place", "what", "injuries", "witnesses"}

// consoleIncidents is GET /console/incidents[?status=]: the record form and the station's incidents
// (every station's for admins), newest first.
func (s *Console) consoleIncidents(c *gin.Context) {
	s.showIncidents(c, http.StatusOK, func(*consoleIncidentsData) {})
}

func (s *Console) showIncidents(c *gin.Context, status int, fill func(*consoleIncidentsData)) {
	d := consoleIncidentsData{Status: c.Query("status"), Statuses: domain.IncidentStatuses, Today: s.Today(), Idem: kit.NewToken(),
		Form: map[string]string{}}
	list, err := s.App.Incidents(c.Request.Context(), kit.Principal(c), 0, domain.IncidentStatus(d.Status))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Incidents = list
	fill(&d)
	s.renderConsole(c, status, "console_incidents", "出险登记", "incidents", d)
}

// consoleRecordIncident is POST /console/incidents: the record form, by the contract's number.
func (s *Console) consoleRecordIncident(c *gin.Context) {
	form := map[string]string{}
	for _, k := range incidentFields {
		form[k] = c.PostForm(k)
	}
	p := kit.Principal(c)
	_, _, err := s.idem.Form(c, func(ctx context.Context) (any, error) {
		number := strings.ToUpper(strings.TrimSpace(domain.FoldWidth(form["contract_number"])))
		if number == "" {
			return nil, domain.Invalid("contract_number", "请填写合同编号")
		}
		rec, err := s.App.ContractByNumber(ctx, p, number)
		if err != nil {
			if domain.IsCode(err, domain.CodeNotFound) || domain.IsCode(err, domain.CodeForbidden) {
				return nil, domain.Invalid("contract_number", "找不到本站点的这份合约，请核对合同编号")
			}
			return nil, err
		}
		return s.App.RecordIncident(ctx, p, domain.IncidentInput{ContractID: rec.Contract.ID, OccurredOn: domain.Date(strings.TrimSpace(form["occurred_on"])),
			OccurredTime: form["occurred_time"], Place: form["place"], What: form["what"], Injuries: form["injuries"], Witnesses: form["witnesses"]})
	})
	if err == nil {
		s.Flash(c, "ok", "已登记出险。下一步：向保险公司报案后，把状态改为“已报案理赔”")
		c.Redirect(http.StatusSeeOther, "/console/incidents")
		return
	}
	if !kit.StaysOnForm(err) && !domain.IsCode(err, domain.CodeNotFound) {
		s.Fail(c, err)
		return
	}
	e := domain.AsError(err)
	field := e.Field
	if field == "contract_id" {
		field = "contract_number"
	}
	s.showIncidents(c, kit.CodeStatus(e.Code), func(d *consoleIncidentsData) { d.Error, d.Field, d.Form = e.Message, field, form })
}

// consoleMoveIncident is POST /console/incidents/{id}/status: the claim's next step.
func (s *Console) consoleMoveIncident(c *gin.Context) {
	id, err := kit.PathID(c, "id", "出险记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	m := domain.IncidentMove{Status: domain.IncidentStatus(c.PostForm("status")), On: domain.Date(strings.TrimSpace(c.PostForm("on"))),
		InsurerReference: c.PostForm("insurer_reference"), Note: c.PostForm("note")}
	if v := strings.TrimSpace(c.PostForm("paid")); v != "" {
		if m.PaidFen, err = domain.ParseYuan("paid_fen", v); err != nil {
			s.showIncidents(c, http.StatusBadRequest, func(d *consoleIncidentsData) { d.MoveID, d.MoveError = id, domain.AsError(err).Message })
			return
		}
	}
	inc, err := s.App.MoveIncident(c.Request.Context(), kit.Principal(c), id, m)
	if err != nil {
		if !kit.StaysOnForm(err) {
			s.Fail(c, err)
			return
		}
		e := domain.AsError(err)
		s.showIncidents(c, kit.CodeStatus(e.Code), func(d *consoleIncidentsData) { d.MoveID, d.MoveError = id, e.Message })
		return
	}
	s.Flash(c, "ok", "出险记录 "+inc.ContractNumber+" 已改为“"+inc.Status.Label()+"”")
	c.Redirect(http.StatusSeeOther, "/console/incidents#incident-"+strconv.FormatInt(id, 10))
}
