package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

var admin = domain.Principal{Kind: domain.AsAdmin, ID: 1}

// newEmployer registers a company at the station and returns it with its first key's secret.
func newEmployer(t *testing.T, s *store.Store, stationCode string, n int) (domain.Employer, string) {
	t.Helper()
	ctx := context.Background()
	st, err := s.StationByCode(ctx, stationCode)
	if err != nil {
		t.Fatal(err)
	}
	first := fmt.Sprintf("91640500MA%07d", 1000000+n)
	e := domain.Employer{Kind: domain.EmployerCompany, Name: fmt.Sprintf("测试枸杞合作社%d", n),
		CreditCode: first + string(domain.CreditCodeCheck(first)), ContactName: "王建国", ContactPhone: "13812345678",
		StationID: st.ID}
	emp, key, err := s.CreateEmployer(ctx, e, admin, "127.0.0.1")
	if err != nil {
		t.Fatalf("create employer: %v", err)
	}
	return emp, key.Secret
}

// newJob is a valid gig of the employer at its station, starting on today.
func newJob(emp domain.Employer, today domain.Date) domain.Job {
	return domain.Job{EmployerID: emp.ID, StationID: emp.StationID, Title: "中宁枸杞园急招摘果工20名 日结",
		Description: "摘枸杞", Skills: []string{"枸杞采摘"}, RequiredCerts: []string{}, Headcount: 3,
		WageFen: 18000, WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇",
		Lat: 37.491, Lng: 105.685, StartDate: today, EndDate: today.AddDays(2), DailyHours: 8, Shifts: []domain.Shift{}}
}

func TestEmployersAndAPIKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		emp, secret := newEmployer(t, s, "ZN-S03", 1)
		if emp.ID == 0 || emp.StationCode != "ZN-S03" || emp.Status != domain.EmployerActive {
			t.Fatalf("employer %+v", emp)
		}
		p, err := s.Authenticate(ctx, secret)
		if err != nil || p.Kind != domain.AsEmployer || p.ID != emp.ID {
			t.Fatalf("first key: %+v %v", p, err)
		}
		// The same credit code twice is a conflict, and nothing of the second attempt is left behind.
		dup := domain.Employer{Kind: domain.EmployerCompany, Name: "重复", CreditCode: emp.CreditCode, ContactName: "李四",
			ContactPhone: "13912345678", StationID: emp.StationID}
		if _, _, err := s.CreateEmployer(ctx, dup, admin, ""); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("duplicate credit code: %v", err)
		}

		second, err := s.CreateAPIKey(ctx, emp.ID, admin, "")
		if err != nil {
			t.Fatal(err)
		}
		keys, err := s.APIKeys(ctx, emp.ID)
		if err != nil || len(keys) != 2 {
			t.Fatalf("keys %v %v", keys, err)
		}
		for _, k := range keys {
			if len(k.Prefix) != 10 || !strings.HasPrefix(k.Prefix, store.APIKeyPrefix) || strings.HasPrefix(secret, k.Prefix) == strings.HasPrefix(second.Secret, k.Prefix) {
				t.Errorf("prefix %q does not tell the keys apart", k.Prefix)
			}
		}

		// Rotation: the old secret is dead the moment the call returns; the new one works.
		rotated, err := s.RotateAPIKey(ctx, emp.ID, keys[1].ID, admin, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, secret); !domain.IsCode(err, domain.CodeUnauthorized) {
			t.Errorf("rotated-out key: %v, want unauthorized", err)
		}
		if p, err := s.Authenticate(ctx, rotated.Secret); err != nil || p.ID != emp.ID {
			t.Errorf("rotated-in key: %v", err)
		}
		if _, err := s.RotateAPIKey(ctx, emp.ID, keys[1].ID, admin, ""); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("rotating a revoked key: %v", err)
		}

		// Revocation answers 401 at once.
		if _, err := s.RevokeAPIKey(ctx, emp.ID, second.Key.ID, admin, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, second.Secret); !domain.IsCode(err, domain.CodeUnauthorized) {
			t.Errorf("revoked key: %v", err)
		}

		// Another employer's key is not found, not revocable.
		other, _ := newEmployer(t, s, "SPT-S01", 2)
		if _, err := s.RevokeAPIKey(ctx, other.ID, rotated.Key.ID, admin, ""); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("revoking another employer's key: %v", err)
		}

		// At most five active keys.
		for i := 0; i < domain.MaxActiveAPIKeys-1; i++ {
			if _, err := s.CreateAPIKey(ctx, emp.ID, admin, ""); err != nil {
				t.Fatalf("key %d: %v", i, err)
			}
		}
		if _, err := s.CreateAPIKey(ctx, emp.ID, admin, ""); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("sixth active key: %v", err)
		}
		events, _ := s.AuditEvents(ctx, "employer", emp.ID)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		want := "employer.create apikey.create apikey.create apikey.rotate apikey.create apikey.revoke"
		if got := strings.Join(actions[:6], " "); got != want {
			t.Errorf("audit %q, want %q", got, want)
		}
	})
}

func TestJobLifecycleIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		emp, _ := newEmployer(t, s, "ZN-S03", 1)
		owner := domain.Principal{Kind: domain.AsEmployer, ID: emp.ID}
		staff := domain.Principal{Kind: domain.AsAdmin, ID: 1}
		today := domain.DateOf(time.Now())
		j, err := s.CreateJob(ctx, newJob(emp, today), owner, "")
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != domain.JobPendingReview || j.StationCode != "ZN-S03" || j.EmployerName != emp.Name || len(j.Skills) != 1 {
			t.Fatalf("created %+v", j)
		}
		j, err = s.ReviewJob(ctx, j.ID, true, "", staff, "")
		if err != nil || j.Status != domain.JobOpen || j.ApprovedAt == nil || j.ReviewedBy != 1 {
			t.Fatalf("approve: %+v %v", j, err)
		}
		if _, err := s.ReviewJob(ctx, j.ID, true, "", staff, ""); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("second review: %v", err)
		}
		open, _ := s.OpenJobs(ctx)
		if len(open) != 1 {
			t.Errorf("open jobs %d", len(open))
		}
		before, after, err := s.UpdateJob(ctx, j.ID, owner, "", func(j *domain.Job) error { j.WageFen = 20000; return nil })
		if err != nil || before.Status != domain.JobOpen || after.Status != domain.JobPendingReview || after.WageFen != 20000 || after.ApprovedAt != nil {
			t.Fatalf("edit: before %s after %+v %v", before.Status, after, err)
		}
		boom := domain.Invalid("title", "x")
		if _, _, err := s.UpdateJob(ctx, j.ID, owner, "", func(j *domain.Job) error { j.WageFen = 1; return boom }); !errors.Is(err, boom) {
			t.Errorf("edit error not passed through: %v", err)
		}
		if got, _ := s.JobByID(ctx, j.ID); got.WageFen != 20000 {
			t.Errorf("a failed edit changed the gig: %d", got.WageFen)
		}
		j, err = s.ReviewJob(ctx, j.ID, false, "工钱写错了", staff, "")
		if err != nil || j.Status != domain.JobRejected || j.RejectReason != "工钱写错了" {
			t.Fatalf("reject: %+v %v", j, err)
		}
		if _, after, err = s.UpdateJob(ctx, j.ID, owner, "", func(j *domain.Job) error { return nil }); err != nil || after.Status != domain.JobPendingReview || after.RejectReason != "" {
			t.Fatalf("resubmit: %+v %v", after, err)
		}
		if j, err = s.CloseJob(ctx, j.ID, "不招了", owner, ""); err != nil || j.Status != domain.JobClosed {
			t.Fatalf("close: %+v %v", j, err)
		}
		if _, err := s.CloseJob(ctx, j.ID, "", owner, ""); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("close twice: %v", err)
		}
		if _, _, err := s.UpdateJob(ctx, j.ID, owner, "", func(*domain.Job) error { return nil }); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("edit a closed gig: %v", err)
		}
		events, _ := s.AuditEvents(ctx, "job", j.ID)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if got, want := strings.Join(actions, " "), "job.create job.approve job.edit job.reject job.edit job.close"; got != want {
			t.Errorf("audit %q, want %q", got, want)
		}
		if p, err := s.VerifyAuditChain(ctx); err != nil || len(p) != 0 {
			t.Errorf("audit chain: %v %v", p, err)
		}

		list, total, err := s.Jobs(ctx, domain.JobFilter{EmployerID: emp.ID, Page: 1, PerPage: 10})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("employer's list: %d %d %v", total, len(list), err)
		}
		list, total, _ = s.Jobs(ctx, domain.JobFilter{StationID: emp.StationID, Statuses: []domain.JobStatus{domain.JobPendingReview}, Page: 1, PerPage: 10})
		if total != 0 || len(list) != 0 {
			t.Errorf("review queue of a closed gig: %d", total)
		}
	})
}

func TestExpiryFollowsTheClock(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			var now atomic.Value
			now.Store(time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)) // 10:00 in 中卫
			clock := domain.Clock(func() time.Time { return now.Load().(time.Time) })
			s := storetest.Open(t, e, clock)
			ctx := context.Background()
			emp, _ := newEmployer(t, s, "ZN-S03", 1)
			owner := domain.Principal{Kind: domain.AsEmployer, ID: emp.ID}
			open, _ := s.CreateJob(ctx, newJob(emp, clock.Today()), owner, "")
			s.ReviewJob(ctx, open.ID, true, "", admin, "")
			pending, _ := s.CreateJob(ctx, newJob(emp, clock.Today()), owner, "")
			later := newJob(emp, clock.Today())
			later.EndDate = clock.Today().AddDays(10)
			later, _ = s.CreateJob(ctx, later, owner, "")

			// The last day (2026-05-12) is still a working day, up to midnight in Asia/Shanghai.
			now.Store(time.Date(2026, 5, 12, 15, 59, 0, 0, time.UTC))
			if ids, err := s.ExpireJobs(ctx, clock.Today()); err != nil || len(ids) != 0 {
				t.Fatalf("on the last day: %v %v", ids, err)
			}
			now.Store(time.Date(2026, 5, 12, 16, 0, 0, 0, time.UTC)) // 2026-05-13 00:00 in 中卫
			ids, err := s.ExpireJobs(ctx, clock.Today())
			if err != nil || fmt.Sprint(ids) != fmt.Sprint([]int64{open.ID, pending.ID}) {
				t.Fatalf("after the last day: %v %v, want [%d %d]", ids, err, open.ID, pending.ID)
			}
			if ids, _ := s.ExpireJobs(ctx, clock.Today()); len(ids) != 0 {
				t.Errorf("second sweep expired %v again", ids)
			}
			if j, _ := s.JobByID(ctx, later.ID); j.Status != domain.JobPendingReview {
				t.Errorf("a gig with days left expired: %s", j.Status)
			}
			events, _ := s.AuditEvents(ctx, "job", open.ID)
			if last := events[len(events)-1]; last.Action != "job.expire" || last.ActorKind != "anonymous" && last.ActorKind != "system" {
				t.Errorf("expiry audit %+v", last)
			}
			// An overdue gig cannot be approved.
			stale, _ := s.CreateJob(ctx, newJob(emp, clock.Today()), owner, "")
			now.Store(time.Date(2026, 5, 20, 2, 0, 0, 0, time.UTC))
			if _, err := s.ReviewJob(ctx, stale.ID, true, "", admin, ""); !domain.IsCode(err, domain.CodeConflict) {
				t.Errorf("approving an overdue gig: %v", err)
			}
		})
	}
}

// Twenty identical requests at once, the way a client's retries pile up on a slow network: exactly one
// runs; all twenty get its response.
func TestIdempotentRunsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		emp, _ := newEmployer(t, s, "ZN-S03", 1)
		owner := domain.Principal{Kind: domain.AsEmployer, ID: emp.ID}
		var ran atomic.Int32
		run := func(ctx context.Context) (int, []byte, error) {
			ran.Add(1)
			j, err := s.CreateJob(ctx, newJob(emp, domain.DateOf(time.Now())), owner, "")
			if err != nil {
				return 0, nil, err
			}
			return 201, []byte(fmt.Sprintf(`{"id":%d}`, j.ID)), nil
		}
		var wg sync.WaitGroup
		bodies := make([]string, 20)
		replays := atomic.Int32{}
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, body, replayed, err := s.Idempotent(ctx, "employer:1", "key-1", "hash-a", run)
				if err != nil || status != 201 {
					t.Errorf("request %d: %d %v", i, status, err)
				}
				if replayed {
					replays.Add(1)
				}
				bodies[i] = string(body)
			}()
		}
		wg.Wait()
		_, total, _ := s.Jobs(ctx, domain.JobFilter{EmployerID: emp.ID, Page: 1, PerPage: 50})
		if ran.Load() != 1 || total != 1 || replays.Load() != 19 {
			t.Fatalf("ran %d times, %d gigs, %d replays; want 1, 1, 19", ran.Load(), total, replays.Load())
		}
		for _, b := range bodies {
			if b != bodies[0] {
				t.Fatalf("responses differ: %q vs %q", b, bodies[0])
			}
		}
		// Same key, other request: 422; the same key in another scope is another key.
		if _, _, _, err := s.Idempotent(ctx, "employer:1", "key-1", "hash-b", run); !domain.IsCode(err, domain.CodeIdempotencyMismatch) {
			t.Errorf("other body: %v", err)
		}
		if _, _, replayed, err := s.Idempotent(ctx, "employer:2", "key-1", "hash-b", run); err != nil || replayed {
			t.Errorf("other scope: replayed=%v %v", replayed, err)
		}
		// A failed attempt records nothing: the retry runs.
		fail := func(context.Context) (int, []byte, error) { return 0, nil, domain.Invalid("title", "x") }
		if _, _, _, err := s.Idempotent(ctx, "employer:1", "key-2", "h", fail); !domain.IsCode(err, domain.CodeInvalid) {
			t.Fatalf("failing op: %v", err)
		}
		if _, _, replayed, err := s.Idempotent(ctx, "employer:1", "key-2", "h", run); err != nil || replayed {
			t.Errorf("retry after failure: replayed=%v %v", replayed, err)
		}
		// Cleanup removes keys older than the cutoff only.
		if n, err := s.DeleteIdempotencyKeys(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("cleanup of fresh keys: %d %v", n, err)
		}
		if n, err := s.DeleteIdempotencyKeys(ctx, time.Now().Add(time.Hour)); err != nil || n != 3 {
			t.Errorf("cleanup of all keys: %d %v", n, err)
		}
	})
}
