package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
)

// searchJobs is GET /api/v1/jobs: the job library. Only open gigs with places left; q is Chinese keyword
// search (CJK bigrams, synonyms from the skill taxonomy), filtered by skill, district, station, date and
// wage_min (fen per working day), sorted by relevance then newest, paged (per_page ≤ 100).
func (s *API) searchJobs(c *gin.Context) {
	q, err := kit.LibraryQuery(c, s.app)
	if err != nil {
		s.fail(c, err)
		return
	}
	kit.WriteLibrary(c, http.StatusOK, kit.Search(c.Request.Context(), s.app, q))
}
