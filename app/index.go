package app

import (
	"context"
	"sync"
	"time"

	"lingong/domain"
	"lingong/matching"
)

// Index is the matching engine's in-memory index of open gigs and active workers (matching.Index). The
// database is the source of truth; the index follows it after each commit.
type Index interface {
	UpsertJob(j domain.Job)
	RemoveJob(id int64)
	UpsertWorker(w domain.Worker)
	RemoveWorker(id int64)
	SearchJobs(q matching.SearchQuery) matching.SearchResult
	MatchJobsForWorker(w domain.Worker, today domain.Date, n int) matching.JobMatches
	MatchWorkersForJob(j domain.Job, today domain.Date, n int) matching.WorkerMatches
}

// jobChanged brings the library up to date with a gig whose change has committed (or is committing:
// under Once it waits for the commit): a gig that is open with places left is (re)indexed, any other
// leaves. Every gig write ends here; the writes of other processes arrive through ApplyChange.
//
// What is applied is the gig as the database holds it when the effect runs, re-read under the gig's
// lock, not j: two writers of one gig (two requests, or a request and another process's change) may
// reach here in either order, and the later must never put back the older state (syncJob). j is applied
// only if the re-read fails.
func (s *Service) jobChanged(ctx context.Context, j domain.Job) {
	if s.index == nil || j.ID == 0 {
		return
	}
	s.afterCommit(ctx, func(ctx context.Context) { s.syncJob(ctx, j.ID, &j) })
}

// jobIDChanged is jobChanged for a gig known by its id only (an acceptance filled one of its places, a
// withdrawal freed one).
func (s *Service) jobIDChanged(ctx context.Context, id int64) {
	if s.index == nil || id == 0 {
		return
	}
	s.afterCommit(ctx, func(ctx context.Context) {
		if err := s.syncJob(ctx, id, nil); err != nil {
			s.log.WarnContext(ctx, "could not refresh a gig in the library", "job_id", id, "err", err)
		}
	})
}

// workerChanged is jobChanged for a worker (registered, profile changed, card revoked): an active
// worker is (re)indexed, an inactive one leaves.
func (s *Service) workerChanged(ctx context.Context, w domain.Worker) {
	if s.index == nil || w.ID == 0 {
		return
	}
	s.afterCommit(ctx, func(ctx context.Context) { s.syncWorker(ctx, w.ID, &w) })
}

// ApplyChange brings the index up to date with a row that any process sharing the database has
// changed (the PostgreSQL change feed, store.WatchChanges): the row is read again, so whatever the
// change was, the index ends with what the database holds. table is "jobs" or "workers"; others are
// ignored. A row that no longer exists leaves the index. On a store error nothing is applied and the
// error is returned, for the caller to retry or log.
func (s *Service) ApplyChange(ctx context.Context, table string, id int64) error {
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
func (s *Service) syncJob(ctx context.Context, id int64, fallback *domain.Job) error {
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
func (s *Service) syncWorker(ctx context.Context, id int64, fallback *domain.Worker) error {
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

// expiry remembers the last day the expiry sweep ran, so the library can sweep once after midnight
// without waiting for serve's ticker.
type expiry struct {
	mu      sync.Mutex
	lastDay domain.Date
}

// ExpireJobs expires every gig whose end date has passed (store.ExpireJobs) and takes them out of the
// library. serve calls it on a ticker; reads call it when they meet an overdue gig, and the library on
// its first search of a new day, so a gig is never listed after its last day, even between ticks.
func (s *Service) ExpireJobs(ctx context.Context) error {
	today := s.clock.Today()
	ids, err := s.store.ExpireJobs(ctx, today)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.jobChanged(ctx, domain.Job{ID: id, Status: domain.JobExpired})
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
func (s *Service) expireOnNewDay(ctx context.Context) error {
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

// stationCache holds the station list (25 rows that change only with a release), so filters and pages
// need no query per request.
type stationCache struct {
	mu      sync.Mutex
	loaded  time.Time
	byCode  map[string]domain.Station
	byID    map[int64]domain.Station
	ordered []domain.Station
}

// Stations returns every station, in the order the store lists them, from a cache reloaded every minute
// (a failed reload keeps the last list).
func (s *Service) Stations(ctx context.Context) ([]domain.Station, error) {
	_, _, list, err := s.stationIndex(ctx)
	return list, err
}

// StationByCode returns the station with that code (not_found when none).
func (s *Service) StationByCode(ctx context.Context, code string) (domain.Station, error) {
	byCode, _, _, err := s.stationIndex(ctx)
	if err != nil {
		return s.store.StationByCode(ctx, code)
	}
	st, ok := byCode[code]
	if !ok {
		return domain.Station{}, domain.NotFound("站点")
	}
	return st, nil
}

// StationByID returns the station with that id (not_found when none).
func (s *Service) StationByID(ctx context.Context, id int64) (domain.Station, error) {
	_, byID, _, err := s.stationIndex(ctx)
	if err != nil {
		return s.store.StationByID(ctx, id)
	}
	st, ok := byID[id]
	if !ok {
		return domain.Station{}, domain.NotFound("站点")
	}
	return st, nil
}

func (s *Service) stationIndex(ctx context.Context) (map[string]domain.Station, map[int64]domain.Station, []domain.Station, error) {
	c := &s.stations
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byCode == nil || time.Since(c.loaded) > time.Minute {
		list, err := s.store.Stations(ctx)
		if err != nil {
			if c.byCode != nil {
				return c.byCode, c.byID, c.ordered, nil
			}
			return nil, nil, nil, err
		}
		byCode, byID := make(map[string]domain.Station, len(list)), make(map[int64]domain.Station, len(list))
		for _, st := range list {
			byCode[st.Code], byID[st.ID] = st, st
		}
		c.byCode, c.byID, c.ordered, c.loaded = byCode, byID, list, time.Now()
	}
	return c.byCode, c.byID, c.ordered, nil
}

// StationField resolves a station code given in a request; an unknown code is invalid, naming field.
func (s *Service) StationField(ctx context.Context, field, code string) (domain.Station, error) {
	if code == "" {
		return domain.Station{}, domain.Invalid(field, "请填写站点编号，例如 ZN-S03")
	}
	if len(code) > 16 {
		return domain.Station{}, domain.Invalid(field, "没有这个站点编号")
	}
	st, err := s.StationByCode(ctx, code)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Station{}, domain.Invalidf(field, "没有编号为“%s”的站点", code)
	}
	return st, err
}
