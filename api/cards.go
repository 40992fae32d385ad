package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// myCardPDF is GET /api/v1/workers/me/card.pdf: the worker's printable card (ID-1 size, with the
// personal QR code).
func (s *Server) myCardPDF(c *gin.Context) {
	p := principal(c)
	w, err := s.app.Worker(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendCardPDF(c, w)
}

// cardPDFForStaff is GET /api/v1/workers/{id}/card.pdf: the same card, printed at the worker's station
// (a worker registered without a smartphone gets it at once).
func (s *Server) cardPDFForStaff(c *gin.Context) {
	w, err := s.workerParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendCardPDF(c, w)
}

func (s *Server) sendCardPDF(c *gin.Context, w domain.Worker) {
	ctx := c.Request.Context()
	st, err := s.app.StationByID(ctx, w.StationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Card(ctx, contracts.CardDoc{WorkerName: w.Name, WorkerNo: w.No, StationName: st.Name,
		QRPayload: s.app.CardURL(w), IssuedOn: s.clock.Today()})
	if err != nil {
		s.fail(c, pdfError(err))
		return
	}
	sendPDF(c, pdf, w.No+"-card.pdf", "private, no-store")
}

// sendPDF answers a PDF, shown in the browser (inline) with a file name for saving.
func sendPDF(c *gin.Context, pdf []byte, filename, cacheControl string) {
	c.Header("Content-Disposition", fmt.Sprintf("inline; filename=%q", filename))
	c.Header("Cache-Control", cacheControl)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// pdfError classifies a rendering failure: a request that gave up while waiting for a rendering slot is
// unavailable (retry), anything else internal.
func pdfError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return domain.Unavailable(err)
	}
	return domain.Internal(err)
}

// qrDataURI is a QR code (level High) of content as a PNG data: URI, to inline in a page: on a weak
// network the card shows with the page, without a second request.
func qrDataURI(content string, size int) (template.URL, error) {
	png, err := contracts.QRPNG(content, size)
	if err != nil {
		return "", err
	}
	// template.URL: the data: scheme is ours and the content is our own PNG, safe to put in src.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}
