package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// idParam reads a positive integer path parameter. Anything else names no record: not_found, as if
// the id did not exist (a path is not a form field to correct).
func idParam(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &domain.Error{Code: domain.CodeNotFound, Message: "找不到该记录"}
	}
	return id, nil
}
