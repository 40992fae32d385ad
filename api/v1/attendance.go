package v1

import (
	"fmt"
	"net/http"

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
