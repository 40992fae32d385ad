package v1

import (
	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
	"lingong/domain"
)

// myCardPDF is GET /api/v1/workers/me/card.pdf: the worker's printable card (ID-1 size, with the
// personal QR code).
func (s *API) myCardPDF(c *gin.Context) {
	p := kit.Principal(c)
	w, err := s.app.Worker(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendCardPDF(c, w)
}

// cardPDFForStaff is GET /api/v1/workers/{id}/card.pdf: the same card, printed at the worker's station
// (a worker registered without a smartphone gets it at once).
func (s *API) cardPDFForStaff(c *gin.Context) {
	w, err := s.workerParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendCardPDF(c, w)
}

func (s *API) sendCardPDF(c *gin.Context, w domain.Worker) {
	ctx := c.Request.Context()
	st, err := s.app.StationByID(ctx, w.StationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Card(ctx, contracts.CardDoc{WorkerName: w.Name, WorkerNo: w.No, StationName: st.Name,
		QRPayload: s.app.CardURL(w), IssuedOn: s.today()})
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, w.No+"-card.pdf", "private, no-store")
}
