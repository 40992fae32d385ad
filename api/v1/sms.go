package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// adminSMSOutbox is GET /api/v1/admin/sms-outbox: the messages the built-in driver "sent", newest first,
// paged (page, per_page), optionally for one phone (?phone=). Admins only: it holds live codes.
func (s *API) adminSMSOutbox(c *gin.Context) {
	page, perPage, err := kit.PageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	phone := c.Query("phone")
	if phone != "" {
		if phone, err = domain.NormalizePhone("phone", phone); err != nil {
			s.fail(c, err)
			return
		}
	}
	items, total, err := s.app.SMSOutbox(c.Request.Context(), kit.Principal(c), phone, page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.SMSMessage]{Items: items, Total: total, Page: page, PerPage: perPage})
}
