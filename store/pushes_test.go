package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

func pushesTo(ws ...domain.Worker) []domain.Push {
	out := make([]domain.Push, len(ws))
	for i, w := range ws {
		out[i] = domain.Push{WorkerID: w.ID, Title: "为你推荐：枸杞园急招摘果工", Body: "技能相符：枸杞采摘"}
	}
	return out
}

func pushedIDs(ps []domain.Push) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.WorkerID)
	}
	return out
}

// The rules of 精准推送 as the store enforces them: the best candidates first up to want, never the same
// gig twice (counting earlier approvals towards want), the daily limit, opt-outs, inactive workers and
// gigs that are no longer open skipped; each push lands with its inbox notification.
func TestRecordPushesKeepsTheRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		day := domain.Date("2027-05-31")
		a, b, c, d := m.worker(), m.worker(), m.worker(), m.worker()
		if _, err := s.SQL().Exec("UPDATE workers SET push_opt_out = TRUE WHERE id = $1", c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SQL().Exec("UPDATE workers SET status = 'inactive' WHERE id = $1", d.ID); err != nil {
			t.Fatal(err)
		}
		posted := m.job(1, "2027-06-01", "2027-06-02")

		got, err := s.RecordPushes(ctx, posted.ID, day, pushesTo(c, d, a, b), 1, 3)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{a.ID}, pushedIDs(got)); diff != "" {
			t.Errorf("first push (-want +got):\n%s", diff)
		}
		if len(got) == 1 && got[0].Phone != a.Phone {
			t.Errorf("push carries phone %q, want the worker's %q", got[0].Phone, a.Phone)
		}
		// Re-approval: a already knows, and counts towards want = 2, so only b is added; a is never told twice.
		got, err = s.RecordPushes(ctx, posted.ID, day, pushesTo(a, b), 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{b.ID}, pushedIDs(got)); diff != "" {
			t.Errorf("second push (-want +got):\n%s", diff)
		}
		got, _ = s.RecordPushes(ctx, posted.ID, day, pushesTo(a, b), 5, 3)
		if len(got) != 0 {
			t.Errorf("third push told %v again", pushedIDs(got))
		}
		inbox, err := s.Notifications(ctx, domain.RecipientWorker, a.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(inbox) != 1 || inbox[0].Kind != domain.NotificationJobPush || inbox[0].JobID != posted.ID {
			t.Errorf("a's inbox = %+v, want one job_push for posted %d", inbox, posted.ID)
		}
		for _, w := range []domain.Worker{c, d} {
			if inbox, _ := s.Notifications(ctx, domain.RecipientWorker, w.ID, 10); len(inbox) != 0 {
				t.Errorf("worker %d (opted out or inactive) got %+v", w.ID, inbox)
			}
		}

		// The daily limit: a has 1 push today; with a limit of 2 one more posted reaches a, the next does not,
		// and the day after a is back.
		g2, g3 := m.job(1, "2027-06-01", "2027-06-02"), m.job(1, "2027-06-01", "2027-06-02")
		if got, _ := s.RecordPushes(ctx, g2.ID, day, pushesTo(a), 1, 2); len(got) != 1 {
			t.Errorf("second posted of the day not pushed: %v", pushedIDs(got))
		}
		if got, _ := s.RecordPushes(ctx, g3.ID, day, pushesTo(a), 1, 2); len(got) != 0 {
			t.Errorf("third posted of the day pushed past the limit of 2")
		}
		if got, _ := s.RecordPushes(ctx, g3.ID, day.AddDays(1), pushesTo(a), 1, 2); len(got) != 1 {
			t.Errorf("the next day's push did not go out")
		}

		// A posted closed before its push runs is pushed to no one.
		closed := m.job(1, "2027-06-01", "2027-06-02")
		if _, err := s.CloseJob(ctx, closed.ID, "", domain.Principal{Kind: domain.AsAdmin, ID: 1}, ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.RecordPushes(ctx, closed.ID, day, pushesTo(b), 1, 3); len(got) != 0 {
			t.Errorf("a closed posted was pushed")
		}
	})
}

// Ten gigs pushed at once to the same twenty workers: nobody gets more than the daily limit, and
// nobody is told a gig twice (the counts are taken under the workers' row locks).
func TestConcurrentPushesHoldTheDailyLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		var ws []domain.Worker
		for range 20 {
			ws = append(ws, m.worker())
		}
		var jobs []domain.Job
		for range 10 {
			jobs = append(jobs, m.job(20, "2027-06-01", "2027-06-02"))
		}
		day := domain.Date("2027-05-31")
		var wg sync.WaitGroup
		for i, g := range jobs {
			// Different orders, as different gigs rank the workers differently.
			order := append([]domain.Worker(nil), ws[i%20:]...)
			order = append(order, ws[:i%20]...)
			wg.Go(func() {
				if _, err := s.RecordPushes(ctx, g.ID, day, pushesTo(order...), 20, 3); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, w := range ws {
			var n int
			if err := s.SQL().QueryRow("SELECT count(*) FROM job_pushes WHERE worker_id = $1 AND day = $2", w.ID, string(day)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 3 {
				t.Errorf("worker %d got %d pushes, want exactly the limit of 3", w.ID, n)
			}
			var notes int
			s.SQL().QueryRow("SELECT count(*) FROM notifications WHERE recipient_id = $1 AND kind = 'job_push'", w.ID).Scan(&notes)
			if notes != n {
				t.Errorf("worker %d: %d pushes but %d notifications", w.ID, n, notes)
			}
		}
	})
}
