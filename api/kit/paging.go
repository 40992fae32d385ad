package kit

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// Paging of list responses: ?page= (from 1) and ?per_page= (1 to MaxPerPage, default DefaultPerPage).
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// PageParams reads page and per_page; a value that is not a whole number in range is an invalid error
// naming the parameter.
func PageParams(c *gin.Context) (page, perPage int, err error) {
	page, perPage = 1, DefaultPerPage
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return 0, 0, domain.Invalid("page", "页码应为从 1 开始的整数")
		}
		page = n
	}
	if v := c.Query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPerPage {
			return 0, 0, domain.Invalidf("per_page", "每页条数应为 1 到 %d 的整数", MaxPerPage)
		}
		perPage = n
	}
	return page, perPage, nil
}
