package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// The station's attendance desk (/console/attendance, issue 21): staff scan a worker's card (or type
// the number) and record 签到 or 签退 on the worker's contract today issued at their station; the
// event says the station recorded it. Another station's contracts are refused.

// consoleAttendanceData is the attendance desk's form, and the contest desk: a worker who came to contest
// a no-show (?worker=card or number) with their confirmed no-shows.
type consoleAttendanceData struct {
	Today   domain.Date
	Card    string
	Worker  domain.Worker
	NoShows []domain.NoShow
	Error   string
	// Waiting are the contests workers made online that the station has not decided yet.
	Waiting []domain.ContestWaiting
}

// consoleAttendancePage is GET /console/attendance[?worker=].
func (s *Console) consoleAttendancePage(c *gin.Context) {
	d := consoleAttendanceData{Today: s.Today(), Card: strings.TrimSpace(c.Query("worker"))}
	var err error
	if d.Waiting, err = s.App.ContestsWaiting(c.Request.Context(), kit.Principal(c)); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Card != "" {
		w, list, err := s.App.WorkerNoShows(c.Request.Context(), kit.Principal(c), d.Card)
		switch e := domain.AsError(err); {
		case err == nil:
			d.Worker, d.NoShows = w, list
		case e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable:
			s.Fail(c, err)
			return
		default:
			d.Error = e.Message
		}
	}
	s.renderConsole(c, http.StatusOK, "console_attendance", "考勤代记", "attendance", d)
}

// consoleContestPost is POST /console/no-shows/{id}/contest (decision, reason, worker, csrf): the
// station's decision on a worker's contest of a no-show, back to the worker's list.
func (s *Console) consoleContestPost(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	decision := c.PostForm("decision")
	_, err = s.App.ContestNoShow(c.Request.Context(), kit.Principal(c), id, decision, c.PostForm("reason"))
	ok := "已记录：申诉成立，这次缺勤不再计入爽约次数"
	if decision == "reject" {
		ok = "已记录：申诉不成立，缺勤维持"
	}
	s.back(c, "/console/attendance?worker="+url.QueryEscape(strings.TrimSpace(c.PostForm("worker")))+"#contest", err, ok)
}

// consoleCancelPost is POST /console/contracts/{id}/cancel (reason, confirm, csrf): the station cancels
// a contract for its employer before the first day.
func (s *Console) consoleCancelPost(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	err = domain.Invalid("confirm", "请勾选“确认取消”再提交")
	var cn domain.Cancellation
	if c.PostForm("confirm") == "1" {
		cn, err = s.App.CancelContract(c.Request.Context(), kit.Principal(c), id, c.PostForm("reason"))
	}
	ok := "合约已取消，离开工还有足够时间，用工方不需要支付误工补偿"
	if cn.FeeFen > 0 {
		ok = "合约已取消：离开工不足规定时间，误工补偿 " + domain.FormatYuan(cn.FeeFen) + " 元已记入台账，已短信告知零工"
	} else if cn.Late {
		ok = "合约已取消：离开工不足规定时间，但合约没有写明误工补偿金额，请调解确定"
	}
	s.back(c, "/console/contracts/"+strconv.FormatInt(id, 10), err, ok)
}

// consoleEndEarlyPost is POST /console/contracts/{id}/end-early (last_day, reason, confirm, csrf): the
// station records the early ending both sides agreed (a last day up to a week back).
func (s *Console) consoleEndEarlyPost(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	err = domain.Invalid("confirm", "请勾选“双方已同意”再提交")
	var e domain.ContractEnding
	if c.PostForm("confirm") == "1" {
		e, err = s.App.EndContractEarly(c.Request.Context(), kit.Principal(c), id, c.PostForm("last_day"), c.PostForm("reason"))
	}
	ok := "合约已提前结束，最后工作日 " + string(e.LastDay) + "，已短信告知双方"
	if e.VoidedNoShows > 0 {
		ok += fmt.Sprintf("；最后工作日之后的 %d 次缺勤不再计入", e.VoidedNoShows)
	}
	s.back(c, "/console/contracts/"+strconv.FormatInt(id, 10), err, ok)
}

// consoleAttendancePost is POST /console/attendance (card, kind, contract_id, csrf): record and come back
// with what was recorded.
func (s *Console) consoleAttendancePost(c *gin.Context) {
	kind := domain.AttendanceKind(c.PostForm("kind"))
	contractID, _ := strconv.ParseInt(strings.TrimSpace(c.PostForm("contract_id")), 10, 64)
	ev, created, err := s.App.RecordByCard(c.Request.Context(), kit.Principal(c), strings.TrimSpace(c.PostForm("card")), kind, contractID)
	ok := ""
	if err == nil {
		ok = fmt.Sprintf("已记%s %s（合约 %d）", ev.Kind.Label(), ev.Clock(), ev.ContractID)
		if !created {
			ok = fmt.Sprintf("今天已经%s过（%s），没有重复记", ev.Kind.Label(), ev.Clock())
		}
	}
	s.back(c, "/console/attendance", err, ok)
}
