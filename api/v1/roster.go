package v1

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
	"lingong/domain"
)

// The daily insured roster (投保名单, issue 22 item 3).

// roster is GET /api/v1/admin/roster?date=YYYY-MM-DD&format=json|csv|pdf: the admin reads a date's
// roster (default: tomorrow's). Every read is audited.
func (s *API) roster(c *gin.Context) {
	ctx, p := c.Request.Context(), kit.Principal(c)
	day := s.today().AddDays(1)
	if q := c.Query("date"); q != "" {
		d, err := domain.ParseDate("date", q)
		if err != nil {
			s.fail(c, err)
			return
		}
		day = d
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" && format != "pdf" {
		s.fail(c, domain.Invalid("format", "format 应为 json、csv 或 pdf"))
		return
	}
	r, err := s.app.Roster(ctx, p, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "roster-" + string(day)
	switch format {
	case "pdf":
		pdf, err := s.pdf.Roster(ctx, contracts.RosterDoc{Roster: r, Title: "中卫市零工意外险投保名单"})
		if err != nil {
			s.fail(c, kit.PDFError(err))
			return
		}
		kit.SendPDF(c, pdf, name+".pdf", "private, no-store")
	case "csv":
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
		c.Header("Cache-Control", "private, no-store")
		c.Data(http.StatusOK, "text/csv; charset=utf-8", contracts.RosterCSV(r))
	default:
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, r)
	}
}
