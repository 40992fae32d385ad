package console

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Offers and ID numbers at the station: staff record a worker's answer to an offer given in front of
// them (as witness), and settle what workers reported (offers they did not want) and ID numbers two
// workers claim, in person.

// reportsData is the page /console/reports.
type reportsData struct {
	Station   domain.Station
	Reports   []domain.OfferReport
	Conflicts []domain.IDConflict
}

// consoleReports is GET /console/reports: the reported offers and the ID number conflicts of the
// staff member's station (an admin: ?station=CODE, or every station), open ones first.
func (s *Console) consoleReports(c *gin.Context) {
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx, p := c.Request.Context(), kit.Principal(c)
	d := reportsData{Station: st}
	if d.Reports, err = s.App.OfferReports(ctx, p, st.ID); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Conflicts, err = s.App.IDConflicts(ctx, p, st.ID); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_reports", "举报与身份证号", "today", d)
}

// consoleHandleReport is POST /console/reports/{id}/handle (note): the report was dealt with.
func (s *Console) consoleHandleReport(c *gin.Context) {
	id, err := kit.PathID(c, "id", "举报")
	if err != nil {
		s.Fail(c, err)
		return
	}
	err = s.App.HandleOfferReport(c.Request.Context(), kit.Principal(c), id, c.PostForm("note"))
	if domain.IsCode(err, domain.CodeForbidden) || domain.IsCode(err, domain.CodeNotFound) {
		s.Fail(c, err)
		return
	}
	s.back(c, "/console/reports", err, "已标记为处理完毕")
}

// consoleResolveConflict is POST /console/id-conflicts/{id}/resolve (resolution claimant|holder),
// after staff saw the ID card(s).
func (s *Console) consoleResolveConflict(c *gin.Context) {
	id, err := kit.PathID(c, "id", "身份证号冲突")
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, err = s.App.ResolveIDConflict(c.Request.Context(), kit.Principal(c), id, c.PostForm("resolution"))
	if domain.IsCode(err, domain.CodeForbidden) || domain.IsCode(err, domain.CodeNotFound) {
		s.Fail(c, err)
		return
	}
	s.back(c, "/console/reports", err, "已处理，双方的资料已更新")
}

// consoleOfferAnswer is POST /console/offers/{id}/agree|refuse: the worker, at the desk of their
// station, answers an offer and staff record it as witness (the audit names them).
func (s *Console) consoleOfferAnswer(answer domain.OfferAnswer) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := kit.PathID(c, "id", "邀请")
		if err != nil {
			s.Fail(c, err)
			return
		}
		ctx, p := c.Request.Context(), kit.Principal(c)
		page := backTo(c, "/console/desk")
		var msg string
		if answer == domain.OfferAgree {
			var ct domain.Contract
			if ct, err = s.App.AgreeToOffer(ctx, p, id); err == nil {
				page = backTo(c, fmt.Sprintf("/console/workers/%d", ct.WorkerID))
				msg = fmt.Sprintf("已记录零工本人当面同意，合约 %s 已生成，可以打印后请双方签字", ct.Number)
			}
		} else {
			var a domain.Application
			if a, err = s.App.RefuseOffer(ctx, p, id); err == nil {
				page = backTo(c, fmt.Sprintf("/console/workers/%d", a.WorkerID))
				msg = "已记录零工本人当面谢绝"
			}
		}
		if domain.IsCode(err, domain.CodeForbidden) || domain.IsCode(err, domain.CodeNotFound) {
			s.Fail(c, err)
			return
		}
		s.back(c, page, err, msg)
	}
}

// consoleCorrectID is POST /console/workers/{id}/id-number (id_number): staff set the worker's ID
// number from the card in front of them; it is then verified.
func (s *Console) consoleCorrectID(c *gin.Context) {
	w, err := s.consoleWorkerParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, err = s.App.CorrectIDNumber(c.Request.Context(), kit.Principal(c), w.ID, c.PostForm("id_number"))
	s.back(c, fmt.Sprintf("/console/workers/%d", w.ID), err, "身份证号已核对证件并记录")
}
