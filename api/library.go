package api

import (
	"context"

	"lingong/domain"
)

// jobIndex is the matching engine's in-memory index of open gigs, as far as the gig routes keep it
// current. The database is the source of truth; the index follows it after each commit.
type jobIndex interface {
	UpsertJob(j domain.Job)
	RemoveJob(id int64)
}

// jobChanged brings the library up to date with a gig that has just been committed: a gig that is open
// with places left is (re)indexed, any other leaves. Every gig write of the api ends here, after its
// transaction, so this is also the one place to publish changes to other processes later (the matching
// issue's LISTEN/NOTIFY feed). It must not be called inside a transaction: a rolled-back gig would stay
// searchable.
func (s *Server) jobChanged(j domain.Job) {
	if s.index == nil || j.ID == 0 {
		return
	}
	if j.Listed() {
		s.index.UpsertJob(j)
		return
	}
	s.index.RemoveJob(j.ID)
}

// ExpireJobs expires every gig whose end date has passed (store.ExpireJobs) and takes them out of the
// library. serve calls it on a ticker; reads call it when they meet an overdue gig, so a gig is never
// shown as open after its last day even between ticks.
func (s *Server) ExpireJobs(ctx context.Context) error {
	ids, err := s.store.ExpireJobs(ctx, s.clock.Today())
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.jobChanged(domain.Job{ID: id, Status: domain.JobExpired})
	}
	if len(ids) > 0 {
		s.log.InfoContext(ctx, "expired gigs past their end date", "count", len(ids))
	}
	return nil
}
