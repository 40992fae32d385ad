package api

import (
	"lingong/app"
	"net/http"

	"github.com/gin-gonic/gin"
)

// verifyContract is GET /api/v1/verify/{number}: the public check, as JSON.
func (s *Server) verifyContract(c *gin.Context) {
	v, err := s.app.Verify(c.Request.Context(), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// verifyPage is /verify/{number}: the same check as a page, for whoever scanned the printed QR code.
func (s *Server) verifyPage(c *gin.Context) {
	v, err := s.app.Verify(c.Request.Context(), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "verify", "合约核验 "+v.Number, v)
}

// verification is the answer of the public check.
type verification = app.Verification
