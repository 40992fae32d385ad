package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
	"lingong/matching"
)

// Rankings are top-N lists, not pages: limit says how many (1..maxMatches), and the list shape's page
// is always 1.
const (
	defaultMatches = 20
	maxMatches     = 100
)

// jobSummaryView is a gig in a match list: the index's summary with the labels a phone shows.
type jobSummaryView struct {
	matching.JobSummary
	WageLabel       string `json:"wage_label"`
	SettlementLabel string `json:"settlement_label"`
}

// jobMatchView is one gig recommended to a worker: the gig, how well it fits (score 0..100), why in
// Chinese, for a near miss what is missing, and whether the worker has applied already.
type jobMatchView struct {
	Job        jobSummaryView `json:"job"`
	DistanceKm float64        `json:"distance_km"`
	Score      float64        `json:"score"`
	Reasons    []string       `json:"reasons"`
	Missing    []string       `json:"missing,omitempty"`
	Applied    bool           `json:"applied"`
}

// jobMatchList is the answer of GET /api/v1/workers/me/matches.
type jobMatchList struct {
	listResponse[jobMatchView]
	NearMisses []jobMatchView `json:"near_misses"`
}

// matchesFor ranks the open gigs for a worker (app.Service.Recommend) with the labels a phone shows.
// The api handler, the /me page and the console share it.
func (s *Server) matchesFor(ctx context.Context, p domain.Principal, workerID int64, limit int) (domain.Worker, jobMatchList, error) {
	out := jobMatchList{listResponse: listResponse[jobMatchView]{Items: []jobMatchView{}, Page: 1, PerPage: limit},
		NearMisses: []jobMatchView{}}
	w, rec, err := s.app.Recommend(ctx, p, workerID, limit)
	if err != nil {
		return w, out, err
	}
	view := func(m matching.JobMatch) jobMatchView {
		return jobMatchView{Job: jobSummaryView{JobSummary: m.JobSummary, WageLabel: domain.FormatWage(m.WageFen, m.WageUnit),
			SettlementLabel: m.Settlement.Label()}, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons,
			Missing: m.Missing, Applied: rec.Applied[m.ID]}
	}
	for _, m := range rec.Items {
		out.Items = append(out.Items, view(m))
	}
	for _, m := range rec.NearMisses {
		out.NearMisses = append(out.NearMisses, view(m))
	}
	out.Total = len(out.Items)
	return w, out, nil
}

// myMatches is GET /api/v1/workers/me/matches?limit=: the gigs that suit the logged-in worker, best
// first, each with its reasons in Chinese, and the near misses with what is missing (需要电工证, 距离约
// 38 公里，超出您填写的 30 公里).
func (s *Server) myMatches(c *gin.Context) {
	limit, err := intParam(c, "limit", defaultMatches, 1, maxMatches)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	_, out, err := s.matchesFor(c.Request.Context(), p, p.ID, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// candidateWorker is a worker in a candidate list, as the viewer may see them: the name (family name
// only) and phone (138****8000) are masked for everyone but admins and the staff of the station the
// worker registered at, the people DESIGN.md lets handle a worker's personal data.
type candidateWorker struct {
	matching.WorkerSummary
	Masked            bool   `json:"masked"`
	ExpectedWageLabel string `json:"expected_wage_label"`
}

// candidateView is one worker proposed for a gig.
type candidateView struct {
	Worker     candidateWorker `json:"worker"`
	DistanceKm float64         `json:"distance_km"`
	Score      float64         `json:"score"`
	Reasons    []string        `json:"reasons"`
	Missing    []string        `json:"missing,omitempty"`
}

// candidateListView is the answer of GET /api/v1/jobs/{id}/candidates.
type candidateListView struct {
	listResponse[candidateView]
	NearMisses []candidateView `json:"near_misses"`
}

// candidateList renders ranked candidates (app.Service.Candidates: masked where the viewer may not see
// the worker). The api handler and the console share it.
func candidateList(res matching.WorkerMatches, masked map[int64]bool, limit int) candidateListView {
	out := candidateListView{listResponse: listResponse[candidateView]{Items: []candidateView{}, Page: 1, PerPage: limit},
		NearMisses: []candidateView{}}
	view := func(m matching.WorkerMatch) candidateView {
		w := candidateWorker{WorkerSummary: m.WorkerSummary, Masked: masked[m.ID],
			ExpectedWageLabel: domain.FormatWage(m.ExpectedWageFen, m.ExpectedWageUnit)}
		return candidateView{Worker: w, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons, Missing: m.Missing}
	}
	for _, m := range res.Items {
		out.Items = append(out.Items, view(m))
	}
	for _, m := range res.NearMisses {
		out.NearMisses = append(out.NearMisses, view(m))
	}
	out.Total = len(out.Items)
	return out
}

// jobCandidates is GET /api/v1/jobs/{id}/candidates?limit=: the workers who suit a gig, best first, with
// reasons, for the gig's employer, the staff of its station and admins (another employer: not found;
// staff of another station: forbidden). Names and phones are masked as candidateWorker says.
func (s *Server) jobCandidates(c *gin.Context) {
	limit, err := intParam(c, "limit", defaultMatches, 1, maxMatches)
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := pathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	res, masked, err := s.app.Candidates(c.Request.Context(), principal(c), id, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, candidateList(res, masked, limit))
}

// myNotifications is GET /api/v1/workers/me/notifications: the worker's inbox, newest first, paged
// (recommended gigs, applications, contracts, pay).
func (s *Server) myNotifications(c *gin.Context) {
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.app.Notifications(c.Request.Context(), principal(c), page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.Notification]{Items: items, Total: total, Page: page, PerPage: perPage})
}
