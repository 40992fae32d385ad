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

// matchIndex is the matching engine's side of the index: active workers, and the rankings in both
// directions (recommendations for a worker, candidates for a gig, pushes).
type matchIndex interface {
	UpsertWorker(w domain.Worker)
	RemoveWorker(id int64)
	MatchJobsForWorker(w domain.Worker, today domain.Date, n int) matching.JobMatches
	MatchWorkersForJob(j domain.Job, today domain.Date, n int) matching.WorkerMatches
}

// matchStore is what recommendations, candidate lists, pushes and the inbox need.
type matchStore interface {
	RecordPushes(ctx context.Context, jobID int64, day domain.Date, candidates []domain.Push, want, dailyLimit int) ([]domain.Push, error)
	NotificationsPage(ctx context.Context, recipientKind string, recipientID int64, page, perPage int) ([]domain.Notification, int, error)
}

// workerChanged brings the matching up to date with a worker who has just been committed (registered,
// profile or availability changed, card revoked, status changed): an active worker is (re)indexed, an
// inactive one leaves. Every worker write of the api ends here, after its transaction, as every gig
// write ends in jobChanged, and like it applies the worker as the database holds it (syncWorker).
func (s *Server) workerChanged(w domain.Worker) {
	if s.index == nil || w.ID == 0 {
		return
	}
	s.syncWorker(context.Background(), w.ID, &w)
}

// ApplyChange brings the index up to date with a row that any process sharing the database has
// changed (the PostgreSQL change feed, store.WatchChanges): the row is read again, so whatever the
// change was, the index ends with what the database holds. table is "jobs" or "workers"; others are
// ignored. A row that no longer exists leaves the index. On a store error nothing is applied and the
// error is returned, for the caller to retry or log.
func (s *Server) ApplyChange(ctx context.Context, table string, id int64) error {
	if s.index == nil {
		return nil
	}
	switch table {
	case "jobs":
		return s.syncJob(ctx, id, nil)
	case "workers":
		return s.syncWorker(ctx, id, nil)
	}
	return nil
}

// Keeping the index in step with the database.
//
// Every apply re-reads the record and applies what it read, and the applies of one record are
// serialised (indexSync): each apply then starts after the one before it finished, so it reads a state
// at least as new, and the last apply, which starts after the last commit, leaves the index with the
// record's latest state, whatever order the writers and the change feed arrive in. Applying the object a
// writer holds instead would let a slow request put back a gig that a faster one (here or in another
// process) had just filled. Comparing updated_at would not do: it is written by each process's own
// clock. The price is one read by primary key per write, after the commit.

// indexStripes is how many locks the records are spread over: writes of different records rarely wait
// for each other.
const indexStripes = 64

// indexSync serialises the re-read-and-apply of each gig and each worker.
type indexSync struct {
	jobs, workers [indexStripes]sync.Mutex
}

// syncJob applies gig id as the store holds it now. When the read fails, fallback (a state just
// committed) is applied if given; otherwise nothing is, and the error is returned.
func (s *Server) syncJob(ctx context.Context, id int64, fallback *domain.Job) error {
	mu := &s.indexSync.jobs[uint64(id)%indexStripes]
	mu.Lock()
	defer mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	j, err := s.store.JobByID(ctx, id)
	switch {
	case domain.IsCode(err, domain.CodeNotFound):
		s.index.RemoveJob(id)
		return nil
	case err != nil && fallback == nil:
		return err
	case err != nil:
		s.log.WarnContext(ctx, "could not re-read a gig for the index; applying the committed state", "job_id", id, "err", err)
		j = *fallback
	}
	if j.Listed() {
		s.index.UpsertJob(j)
	} else {
		s.index.RemoveJob(id)
	}
	return nil
}

// syncWorker is syncJob for a worker.
func (s *Server) syncWorker(ctx context.Context, id int64, fallback *domain.Worker) error {
	mu := &s.indexSync.workers[uint64(id)%indexStripes]
	mu.Lock()
	defer mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	w, err := s.store.WorkerByID(ctx, id)
	switch {
	case domain.IsCode(err, domain.CodeNotFound):
		s.index.RemoveWorker(id)
		return nil
	case err != nil && fallback == nil:
		return err
	case err != nil:
		s.log.WarnContext(ctx, "could not re-read a worker for the index; applying the committed state", "worker_id", id, "err", err)
		w = *fallback
	}
	s.index.UpsertWorker(w) // an inactive worker leaves
	return nil
}

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

// matchesFor ranks the open gigs for a worker as they are in the database now (the worker need not be
// in the index): the best limit gigs passing every hard filter, and up to 10 near misses saying what
// is missing. Gigs the worker has a live application for (pending or accepted) are marked applied.
// The api handler and the /me page share it.
func (s *Server) matchesFor(ctx context.Context, w domain.Worker, limit int) (jobMatchList, error) {
	out := jobMatchList{listResponse: listResponse[jobMatchView]{Items: []jobMatchView{}, Page: 1, PerPage: limit},
		NearMisses: []jobMatchView{}}
	if s.index == nil {
		return out, nil
	}
	apps, err := s.store.ApplicationsForWorker(ctx, w.ID)
	if err != nil {
		return out, err
	}
	applied := map[int64]bool{}
	for _, a := range apps {
		if a.Status == domain.AppPending || a.Status == domain.AppAccepted {
			applied[a.JobID] = true
		}
	}
	view := func(m matching.JobMatch) jobMatchView {
		return jobMatchView{Job: jobSummaryView{JobSummary: m.JobSummary, WageLabel: domain.FormatWage(m.WageFen, m.WageUnit),
			SettlementLabel: m.Settlement.Label()}, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons,
			Missing: m.Missing, Applied: applied[m.ID]}
	}
	res := s.index.MatchJobsForWorker(w, s.clock.Today(), limit)
	for _, m := range res.Items {
		out.Items = append(out.Items, view(m))
	}
	for _, m := range res.NearMisses {
		out.NearMisses = append(out.NearMisses, view(m))
	}
	out.Total = len(out.Items)
	return out, nil
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
	ctx := c.Request.Context()
	w, err := s.store.WorkerByID(ctx, principal(c).ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.matchesFor(ctx, w, limit)
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

// candidateList is the answer of GET /api/v1/jobs/{id}/candidates.
type candidateList struct {
	listResponse[candidateView]
	NearMisses []candidateView `json:"near_misses"`
}

// candidatesFor ranks the active workers for a gig, best first, each with reasons, plus up to 10 near
// misses, with personal data masked for viewer (see candidateWorker). The caller has checked that the
// viewer may manage the gig (canManageJob). The api handler and the console share it.
func (s *Server) candidatesFor(viewer domain.Principal, j domain.Job, limit int) candidateList {
	out := candidateList{listResponse: listResponse[candidateView]{Items: []candidateView{}, Page: 1, PerPage: limit},
		NearMisses: []candidateView{}}
	if s.index == nil {
		return out
	}
	view := func(m matching.WorkerMatch) candidateView {
		w := candidateWorker{WorkerSummary: m.WorkerSummary,
			ExpectedWageLabel: domain.FormatWage(m.ExpectedWageFen, m.ExpectedWageUnit)}
		if canSeeWorker(viewer, domain.Worker{ID: m.ID, StationID: m.StationID}) != nil {
			w.Name, w.Phone, w.Masked = domain.MaskName(w.Name), domain.MaskPhone(w.Phone), true
		}
		return candidateView{Worker: w, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons, Missing: m.Missing}
	}
	res := s.index.MatchWorkersForJob(j, s.clock.Today(), limit)
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
	j, err := s.managedJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.candidatesFor(principal(c), j, limit))
}

// myNotifications is GET /api/v1/workers/me/notifications: the worker's inbox, newest first, paged
// (recommended gigs, applications, contracts, pay).
func (s *Server) myNotifications(c *gin.Context) {
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.store.NotificationsPage(c.Request.Context(), domain.RecipientWorker, principal(c).ID, page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.Notification]{Items: items, Total: total, Page: page, PerPage: perPage})
}
