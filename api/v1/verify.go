package v1

import (
	"lingong/app"
	"net/http"

	"github.com/gin-gonic/gin"
)

// verifyContract is GET /api/v1/verify/{number}?code=…: the public check, as JSON. The check code is
// printed on the contract and carried by its QR code; without it (or with a wrong one) the answer is
// 404, as for a number that does not exist.
func (s *API) verifyContract(c *gin.Context) {
	v, err := s.app.Verify(c.Request.Context(), c.Param("number"), c.Query("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// verification is the answer of the public check.
type verification = app.Verification
