package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// myMatches is GET /api/v1/workers/me/matches?limit=: the gigs that suit the logged-in worker, best
// first, each with its reasons in Chinese, and the near misses with what is missing (需要电工证, 距离约
// 38 公里，超出您填写的 30 公里).
func (s *API) myMatches(c *gin.Context) {
	limit, err := kit.IntParam(c, "limit", kit.DefaultMatches, 1, kit.MaxMatches)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	_, out, err := kit.Recommend(c.Request.Context(), s.app, p, p.ID, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	kit.WriteMatches(c, http.StatusOK, out)
}

// jobCandidates is GET /api/v1/jobs/{id}/candidates?limit=: the workers who suit a gig, best first, with
// reasons, for the gig's employer, the staff of its station and admins (another employer: not found;
// staff of another station: forbidden). Names and phones are masked as candidateWorker says.
func (s *API) jobCandidates(c *gin.Context) {
	limit, err := kit.IntParam(c, "limit", kit.DefaultMatches, 1, kit.MaxMatches)
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := kit.Candidates(c.Request.Context(), s.app, kit.Principal(c), id, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// myNotifications is GET /api/v1/workers/me/notifications: the worker's inbox, newest first, paged
// (recommended gigs, applications, contracts, pay).
func (s *API) myNotifications(c *gin.Context) {
	page, perPage, err := kit.PageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.app.Notifications(c.Request.Context(), kit.Principal(c), page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.Notification]{Items: items, Total: total, Page: page, PerPage: perPage})
}
