package app

import (
	"context"

	"lingong/domain"
	"lingong/matching"
)

// The matching engine as users meet it: the job library's search, a worker's recommendations, a gig's
// candidates.

// Search answers a library query from the index (open gigs with places left only). The first search of
// a new day expires the gigs past their end date first, so a gig is never listed after its last day.
func (s *Service) Search(ctx context.Context, q matching.SearchQuery) matching.SearchResult {
	if err := s.expireOnNewDay(ctx); err != nil {
		// A failed sweep must not take the library down: the ticker retries, and the gig pages expire
		// overdue gigs on read.
		s.log.WarnContext(ctx, "expiry sweep before search failed", "err", err)
	}
	if s.index == nil {
		return matching.SearchResult{Page: max(q.Page, 1), PerPage: q.PerPage}
	}
	if q.Today == "" {
		q.Today = s.clock.Today() // the time words of the query (明天, 周末, 寒假) count from today in 中卫
	}
	return s.index.SearchJobs(q)
}

// Recommendations are the gigs that suit a worker, best first, with the near misses, and which of them
// the worker has a live application for (pending or accepted).
type Recommendations struct {
	matching.JobMatches
	Applied map[int64]bool
}

// Recommend ranks the open gigs for a worker as they are in the database now (the worker need not be in
// the index): the best limit gigs passing every hard filter, and up to 10 near misses saying what is
// missing. The worker themself, or the staff of their station, may ask.
func (s *Service) Recommend(ctx context.Context, p domain.Principal, workerID int64, limit int) (domain.Worker, Recommendations, error) {
	// One round trip for the worker and their live applications (every worker's phone asks this), or
	// none when the worker asks for themself and has not changed since this process last read them.
	var version int64
	if p.Kind == domain.AsWorker && p.ID == workerID {
		version = p.WorkerVersion
	}
	w, applied, err := s.store.WorkerWithLiveApplications(ctx, workerID, version)
	if err != nil {
		return domain.Worker{}, Recommendations{}, err
	}
	if err := domain.CanSeeWorker(p, w); err != nil {
		return domain.Worker{}, Recommendations{}, err
	}
	out := Recommendations{Applied: applied}
	if s.index == nil {
		return w, out, nil
	}
	out.JobMatches = s.index.MatchJobsForWorker(w, s.clock.Today(), limit)
	return w, out, nil
}

// Candidates ranks the active workers for a gig, best first, each with reasons, plus up to 10 near
// misses, for whoever may manage the gig. A worker's name (family name only) and phone (138****8000)
// are masked for everyone but admins and the staff of the station the worker registered at, the people
// allowed to handle a worker's personal data; masked reports whether worker id was masked.
func (s *Service) Candidates(ctx context.Context, p domain.Principal, jobID int64, limit int) (matching.WorkerMatches, map[int64]bool, error) {
	j, err := s.ManagedJob(ctx, p, jobID)
	if err != nil {
		return matching.WorkerMatches{}, nil, err
	}
	return s.candidatesFor(p, j, limit)
}

// CandidatesForJob is Candidates for a gig the caller has loaded and may manage.
func (s *Service) candidatesFor(p domain.Principal, j domain.Job, limit int) (matching.WorkerMatches, map[int64]bool, error) {
	masked := map[int64]bool{}
	if s.index == nil {
		return matching.WorkerMatches{}, masked, nil
	}
	res := s.index.MatchWorkersForJob(j, s.clock.Today(), limit)
	mask := func(ms []matching.WorkerMatch) {
		for i := range ms {
			m := &ms[i]
			if domain.CanSeeWorker(p, domain.Worker{ID: m.ID, StationID: m.StationID}) != nil {
				m.Name, m.Phone, masked[m.ID] = domain.MaskName(m.Name), domain.MaskPhone(m.Phone), true
			}
		}
	}
	mask(res.Items)
	mask(res.NearMisses)
	return res, masked, nil
}
