package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
	"lingong/matching"
)

// jobIndex is the matching engine's in-memory index of open gigs, as the library uses it, and of the
// active workers (matchIndex, matches.go). The database
// is the source of truth; the index follows it after each commit (jobChanged).
type jobIndex interface {
	matchIndex
	UpsertJob(j domain.Job)
	RemoveJob(id int64)
	SearchJobs(q matching.SearchQuery) matching.SearchResult
}

// jobChanged brings the library up to date with a gig that has just been committed: a gig that is open
// with places left is (re)indexed, any other leaves. Every gig write of the api ends here, after its
// transaction; the writes of other processes arrive through ApplyChange. It must not be called inside a
// transaction: a rolled-back gig would stay searchable.
//
// What is applied is the gig as the database holds it when jobChanged runs, re-read under the gig's
// lock, not j: two writers of one gig (two requests, or a request and another process's change) may
// reach here in either order, and the later must never put back the older state (syncJob). j is applied
// only if the re-read fails.
func (s *Server) jobChanged(j domain.Job) {
	if s.index == nil || j.ID == 0 {
		return
	}
	s.syncJob(context.Background(), j.ID, &j)
}

// expiry remembers the last day the expiry sweep ran, so the library can sweep once after midnight
// without waiting for serve's ticker.
type expiry struct {
	mu      sync.Mutex
	lastDay domain.Date
}

// ExpireJobs expires every gig whose end date has passed (store.ExpireJobs) and takes them out of the
// library. serve calls it on a ticker; reads call it when they meet an overdue gig, and the library on
// its first search of a new day, so a gig is never listed after its last day, even between ticks.
func (s *Server) ExpireJobs(ctx context.Context) error {
	today := s.clock.Today()
	ids, err := s.store.ExpireJobs(ctx, today)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.jobChanged(domain.Job{ID: id, Status: domain.JobExpired})
	}
	if len(ids) > 0 {
		s.log.InfoContext(ctx, "expired gigs past their end date", "count", len(ids))
	}
	s.expiry.mu.Lock()
	if today > s.expiry.lastDay {
		s.expiry.lastDay = today
	}
	s.expiry.mu.Unlock()
	return nil
}

// expireOnNewDay runs the expiry sweep if none has run today. Concurrent searches at midnight wait for
// the one sweep instead of each running their own.
func (s *Server) expireOnNewDay(ctx context.Context) error {
	today := s.clock.Today()
	s.expiry.mu.Lock()
	done := s.expiry.lastDay >= today
	s.expiry.mu.Unlock()
	if done {
		return nil
	}
	s.sweepMu.Lock()
	defer s.sweepMu.Unlock()
	s.expiry.mu.Lock()
	done = s.expiry.lastDay >= today
	s.expiry.mu.Unlock()
	if done {
		return nil
	}
	return s.ExpireJobs(ctx)
}

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

// searchLibrary answers a library query from the index: the api-side search function that the
// benchmark measures and the pages share.
func (s *Server) searchLibrary(ctx context.Context, q matching.SearchQuery) (listResponse[libraryHit], error) {
	if err := s.expireOnNewDay(ctx); err != nil {
		// A failed sweep must not take the library down: the ticker retries, and the gig pages expire
		// overdue gigs on read.
		s.log.WarnContext(ctx, "expiry sweep before search failed", "err", err)
	}
	out := listResponse[libraryHit]{Items: []libraryHit{}, Page: max(q.Page, 1), PerPage: q.PerPage}
	if s.index == nil {
		return out, nil
	}
	res := s.index.SearchJobs(q)
	out.Total, out.Page, out.PerPage = res.Total, res.Page, res.PerPage
	out.Items = make([]libraryHit, 0, len(res.Items))
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
			return q, domain.Invalidf("station", "没有编号为“%s”的站点", truncate(code, 16))
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
	return "", domain.Invalidf("skill", "没有“%s”这个技能，请从技能列表中选择", truncate(name, 20))
}

// stationCache holds the station list (25 rows that change only with a release), so filters and pages
// need no query per request.
type stationCache struct {
	mu      sync.Mutex
	loaded  time.Time
	byCode  map[string]domain.Station
	byID    map[int64]domain.Station
	ordered []domain.Station
}

// stations returns the cached stations, reloading them every minute.
func (s *Server) stations(ctx context.Context) (map[string]domain.Station, map[int64]domain.Station, []domain.Station, error) {
	s.stationCache.mu.Lock()
	defer s.stationCache.mu.Unlock()
	if s.stationCache.byCode == nil || time.Since(s.stationCache.loaded) > time.Minute {
		list, err := s.store.Stations(ctx)
		if err != nil {
			if s.stationCache.byCode != nil {
				return s.stationCache.byCode, s.stationCache.byID, s.stationCache.ordered, nil
			}
			return nil, nil, nil, err
		}
		byCode, byID := make(map[string]domain.Station, len(list)), make(map[int64]domain.Station, len(list))
		for _, st := range list {
			byCode[st.Code], byID[st.ID] = st, st
		}
		s.stationCache.byCode, s.stationCache.byID, s.stationCache.ordered, s.stationCache.loaded = byCode, byID, list, time.Now()
	}
	return s.stationCache.byCode, s.stationCache.byID, s.stationCache.ordered, nil
}

func (s *Server) stationExists(ctx context.Context, code string) bool {
	byCode, _, _, err := s.stations(ctx)
	if err != nil {
		_, err := s.store.StationByCode(ctx, code)
		return err == nil
	}
	_, ok := byCode[code]
	return ok
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
