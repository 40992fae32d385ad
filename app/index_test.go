package app

import (
	"context"
	"testing"

	"lingong/domain"
)

// The index follows the database, not the objects writers hold: a stale copy of a gig (here one
// claiming the gig is full) cannot take an open gig out of the library, and a gig that the database
// holds as full leaves it whatever copy is handed in.
func TestTheIndexAppliesWhatTheDatabaseHolds(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *appEnv) {
		j := e.openJob(e.employer("ZN-S03"))
		if !e.listed(j.ID) {
			t.Fatal("an approved gig is not in the library")
		}
		stale := j
		stale.Filled = stale.Headcount
		e.svc.jobChanged(t.Context(), stale)
		if !e.listed(j.ID) {
			t.Error("a stale copy of the gig took it out of the library")
		}
		closed, err := e.svc.CloseJob(t.Context(), e.admin, j.ID, "人招够了")
		if err != nil || closed.Status != domain.JobClosed {
			t.Fatalf("close: %v %v", closed.Status, err)
		}
		e.svc.jobChanged(t.Context(), j) // the open copy from before the close
		if e.listed(j.ID) {
			t.Error("an open copy of a closed gig put it back in the library")
		}
	})
}

// Inside Once (an Idempotency-Key's transaction) the index is updated after the commit, and not at all
// when the transaction rolls back.
func TestEffectsWaitForTheCommit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *appEnv) {
		emp := e.employer("ZN-S03")
		j := e.openJob(emp)
		_, _, _, err := e.svc.Once(t.Context(), "employer:1", "k1", "h1", func(ctx context.Context) (int, []byte, error) {
			if _, err := e.svc.CloseJob(ctx, emp, j.ID, ""); err != nil {
				return 0, nil, err
			}
			if !e.listed(j.ID) {
				t.Error("the index changed before the commit")
			}
			return 0, nil, domain.Conflict("roll back")
		})
		if !domain.IsCode(err, domain.CodeConflict) {
			t.Fatalf("once: %v", err)
		}
		if got, _ := e.store.JobByID(t.Context(), j.ID); got.Status != domain.JobOpen || !e.listed(j.ID) {
			t.Errorf("after a rollback the gig is %s, listed %v", got.Status, e.listed(j.ID))
		}
		_, _, replayed, err := e.svc.Once(t.Context(), "employer:1", "k2", "h2", func(ctx context.Context) (int, []byte, error) {
			_, err := e.svc.CloseJob(ctx, emp, j.ID, "")
			return 200, []byte("{}"), err
		})
		if err != nil || replayed || e.listed(j.ID) {
			t.Errorf("after the commit: err %v replayed %v listed %v", err, replayed, e.listed(j.ID))
		}
	})
}
