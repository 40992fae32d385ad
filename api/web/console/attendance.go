package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// The station's attendance desk (/console/attendance, issue 21): staff scan a worker's card (or type
// the number) and record 签到 or 签退 on the worker's contract today issued at their station; the
// event says the station recorded it. Another station's contracts are refused.

// consoleAttendanceData is the attendance desk's form.
type consoleAttendanceData struct {
	Today domain.Date
}

// consoleAttendancePage is GET /console/attendance.
func (s *Console) consoleAttendancePage(c *gin.Context) {
	s.renderConsole(c, http.StatusOK, "console_attendance", "考勤代记", "attendance", consoleAttendanceData{Today: s.Today()})
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
