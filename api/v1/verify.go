package v1

import (
	"lingong/app"
	"net/http"

	"github.com/gin-gonic/gin"
)

// verifyContract is GET /api/v1/verify/{number}: the public check, as JSON.
func (s *API) verifyContract(c *gin.Context) {
	v, err := s.app.Verify(c.Request.Context(), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// verification is the answer of the public check.
type verification = app.Verification
