package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
	"lingong/matching"
)

// libraryHit is one gig of a library search: the index's summary with the labels a phone shows.
type libraryHit struct {
	matching.JobHit
	WageLabel       string `json:"wage_label"`
	SettlementLabel string `json:"settlement_label"`
}

// searchJobs is GET /api/v1/jobs: the job library. Only open gigs with places left; q is Chinese keyword
// search (CJK bigrams, synonyms from the skill taxonomy), filtered by skill, district, station, date and
// wage_min (fen per working day), sorted by relevance then newest, paged (per_page ≤ 100).
func (s *Server) searchJobs(c *gin.Context) {
	q, err := s.libraryQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.searchLibrary(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	streamJSON(c, http.StatusOK, res)
}

// searchLibrary answers a library query (app.Service.Search) with the labels a phone shows: the
// api-side search function that the benchmark measures and the pages share.
func (s *Server) searchLibrary(ctx context.Context, q matching.SearchQuery) (listResponse[libraryHit], error) {
	res := s.app.Search(ctx, q)
	out := listResponse[libraryHit]{Items: make([]libraryHit, 0, len(res.Items)), Total: res.Total, Page: res.Page, PerPage: res.PerPage}
	for _, h := range res.Items {
		out.Items = append(out.Items, libraryHit{JobHit: h, WageLabel: domain.FormatWage(h.WageFen, h.WageUnit),
			SettlementLabel: h.Settlement.Label()})
	}
	return out, nil
}

// maxLibraryWageFen bounds wage_min: no working day pays 10 万元.
const maxLibraryWageFen = 10_000_000

// libraryQuery reads and checks the library's query parameters; a bad one is an invalid error naming it.
func (s *Server) libraryQuery(c *gin.Context) (matching.SearchQuery, error) {
	var q matching.SearchQuery
	var err error
	if q.Q, err = textParam(c, "q", 50); err != nil {
		return q, err
	}
	if skill := c.Query("skill"); skill != "" {
		if q.Skill, err = canonicalSkill(skill); err != nil {
			return q, err
		}
	}
	if d := c.Query("district"); d != "" {
		if !domain.IsDistrict(d) {
			return q, domain.Invalid("district", "区县应为 沙坡头区、中宁县 或 海原县")
		}
		q.District = d
	}
	if code := c.Query("station"); code != "" {
		if !s.stationExists(c.Request.Context(), code) {
			return q, domain.Invalidf("station", "没有编号为“%s”的站点", domain.TruncateRunes(code, 16))
		}
		q.StationCode = code
	}
	if d := c.Query("date"); d != "" {
		if q.Date, err = domain.ParseDate("date", d); err != nil {
			return q, err
		}
	}
	wage, err := intParam(c, "wage_min", 0, 0, maxLibraryWageFen)
	if err != nil {
		return q, err
	}
	q.WageMinFen = int64(wage)
	if q.Page, q.PerPage, err = pageParams(c); err != nil {
		return q, err
	}
	return q, nil
}

// canonicalSkill accepts a skill's canonical name or one of its synonyms (装卸 → 搬运).
func canonicalSkill(name string) (string, error) {
	if _, ok := domain.SkillByName(name); ok {
		return name, nil
	}
	for _, sk := range domain.Skills {
		for _, syn := range sk.Synonyms {
			if syn == name {
				return sk.Name, nil
			}
		}
	}
	return "", domain.Invalidf("skill", "没有“%s”这个技能，请从技能列表中选择", domain.TruncateRunes(name, 20))
}

// stationExists reports whether a station has that code.
func (s *Server) stationExists(ctx context.Context, code string) bool {
	_, err := s.app.StationByCode(ctx, code)
	return err == nil
}
