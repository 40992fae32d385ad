package v1

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Attendance at the site (issue 21): the gig's daily site poster.

// sitePoster is GET /api/v1/jobs/{id}/site-poster.pdf?date=: the A4 poster whose QR checks workers in
// on that day (default today), for the gig's employer and its station's staff.
func (s *API) sitePoster(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var day domain.Date
	if v := c.Query("date"); v != "" {
		if day, err = domain.ParseDate("date", v); err != nil {
			s.fail(c, err)
			return
		}
	}
	ctx := c.Request.Context()
	doc, err := s.app.SitePoster(ctx, kit.Principal(c), id, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.SitePoster(ctx, doc)
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, fmt.Sprintf("site-%d-%s.pdf", id, doc.Day), "private, no-store")
}

// employerReviewRequest is the body of POST /api/v1/ledger/{id}/employer-review.
type employerReviewRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// employerReview is POST /api/v1/ledger/{id}/employer-review: the employer confirms or disputes a day's
// work line written from attendance, within the confirm window.
func (s *API) employerReview(c *gin.Context) {
	var req employerReviewRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "台账记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.app.ReviewAttendanceLine(c.Request.Context(), kit.Principal(c), id, req.Decision, req.Reason); err != nil {
		s.fail(c, err)
		return
	}
	review := domain.ReviewConfirmed
	if req.Decision == "dispute" {
		review = domain.ReviewDisputed
	}
	c.JSON(http.StatusOK, gin.H{"entry_id": id, "employer_review": review})
}

// scanRequest is the body of POST /api/v1/attendance/scan.
type scanRequest struct {
	// Card is what the scanner read from the worker card (its URL or token); station staff may type the
	// worker number instead (an employer may not: app.RecordByCard).
	Card string `json:"card"`
	// Kind is "in" (签到) or "out" (签退).
	Kind string `json:"kind"`
	// ContractID picks the contract when the worker has several today.
	ContractID int64 `json:"contract_id"`
}

// attendanceScan is POST /api/v1/attendance/scan: the employer's recorder (its API key) or station staff
// record a worker's check-in or check-out by the worker's card. 201 with the new event, 200 with the
// one recorded before (a second scan records nothing).
func (s *API) attendanceScan(c *gin.Context) {
	var req scanRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ev, created, err := s.app.RecordByCard(c.Request.Context(), kit.Principal(c), req.Card, domain.AttendanceKind(req.Kind), req.ContractID)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, ev)
}

// jobAttendance is GET /api/v1/jobs/{id}/attendance?date=: who attended the gig that day (default
// today), one item per contract, for the gig's employer and its station's staff.
func (s *API) jobAttendance(c *gin.Context) {
	id, day, err := s.jobAndDay(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	days, err := s.app.JobAttendance(c.Request.Context(), kit.Principal(c), id, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	if days == nil {
		days = []domain.AttendanceDay{}
	}
	c.JSON(http.StatusOK, gin.H{"date": day, "items": days})
}

// clockRequest is the body of POST /api/v1/jobs/{id}/attendance: one punch of the employer's own
// time clock.
type clockRequest struct {
	ContractID int64  `json:"contract_id"`
	Kind       string `json:"kind"`
	// At is when the clock recorded it (RFC 3339); now when absent. Older than a few minutes it is
	// flagged as submitted late, and it must lie within the offline window.
	At string `json:"at"`
}

// jobAttendanceClock is POST /api/v1/jobs/{id}/attendance: the employer's own time clock posts a
// check-in or check-out (marked as the employer's record). 201 new, 200 recorded before.
func (s *API) jobAttendanceClock(c *gin.Context) {
	var req clockRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	in := domain.AttendanceInput{ContractID: req.ContractID, Kind: domain.AttendanceKind(req.Kind), Source: domain.ByEmployerClock}
	if req.At != "" {
		at, err := time.Parse(time.RFC3339, req.At)
		if err != nil {
			s.fail(c, domain.Invalid("at", "时间格式应为 RFC 3339，例如 2026-05-10T07:02:00+08:00"))
			return
		}
		in.DeviceAt = &at
	}
	ev, created, err := s.app.RecordClockPunch(c.Request.Context(), kit.Principal(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, ev)
}

// jobAttendancePDF is GET /api/v1/jobs/{id}/attendance.pdf?date=: the day's 考勤表 to print.
func (s *API) jobAttendancePDF(c *gin.Context) {
	id, day, err := s.jobAndDay(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	doc, err := s.app.AttendanceSheet(ctx, kit.Principal(c), id, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.AttendanceSheet(ctx, doc)
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, fmt.Sprintf("attendance-%d-%s.pdf", id, day), "private, no-store")
}

// clockAnswerRequest is the body of POST /api/v1/attendance/{id}/answer.
type clockAnswerRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// answerClockRecord is POST /api/v1/attendance/{id}/answer: the worker confirms or disputes a record of
// the employer's own time clock on their contract.
func (s *API) answerClockRecord(c *gin.Context) {
	var req clockAnswerRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "考勤机记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.app.AnswerClockRecord(c.Request.Context(), kit.Principal(c), id, req.Decision, req.Reason); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"event_id": id, "worker_answer": req.Decision})
}

// jobAndDay reads the {id} of a job and the day its daily records are asked for (?date=, default today
// in Asia/Shanghai).
func (s *API) jobAndDay(c *gin.Context) (int64, domain.Date, error) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		return 0, "", err
	}
	day := s.today()
	if v := c.Query("date"); v != "" {
		if day, err = domain.ParseDate("date", v); err != nil {
			return 0, "", err
		}
	}
	return id, day, nil
}
