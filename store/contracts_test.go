package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// testTerms is a stand-in terms builder (the real one lives in contracts): canonical enough for the
// store's tests, which only need frozen bytes and their hash.
func testTerms(p domain.ContractParties) ([]byte, string, error) {
	// The money, unit, settlement and period sit where the real terms put them: the store checks the
	// contract's columns against them on every use.
	b, err := json.Marshal(map[string]any{"number": p.Number, "version": p.Version, "job": p.Job.Title,
		"wage": map[string]any{"amount_fen": p.Job.WageFen, "unit": p.Job.WageUnit}, "settlement": map[string]any{"method": p.Job.Settlement},
		"worker": p.Worker.Name, "employer": p.Employer.Name, "period": map[string]any{"start": p.Job.StartDate, "end": p.Job.EndDate},
		"previous": p.PreviousNumber})
	h := sha256.Sum256(b)
	return b, hex.EncodeToString(h[:]), err
}

// market is a small world for application tests: one station, one employer, gigs and workers on demand.
type market struct {
	t        *testing.T
	s        *store.Store
	station  domain.Station
	employer domain.Employer
	phones   atomic.Int64
}

func newMarket(t *testing.T, s *store.Store) *market {
	ctx := context.Background()
	st, err := s.StationByCode(ctx, "ZN-M1")
	if err != nil {
		t.Fatal(err)
	}
	e := domain.Employer{Kind: domain.EmployerIndividual, Name: "王建国", ContactName: "王建国", ContactPhone: "13900000001", StationID: st.ID}
	if err := s.InsertEmployer(ctx, &e); err != nil {
		t.Fatal(err)
	}
	m := &market{t: t, s: s, station: st, employer: e}
	m.phones.Store(13812340000)
	return m
}

func (m *market) job(headcount int, start, end domain.Date, shifts ...domain.Shift) domain.Job {
	m.t.Helper()
	j := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "枸杞园急招摘果工", Headcount: headcount,
		WageFen: 15000, WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇",
		StartDate: start, EndDate: end, Shifts: shifts, DailyHours: 8, Status: domain.JobOpen}
	if err := m.s.InsertJob(context.Background(), &j); err != nil {
		m.t.Fatal(err)
	}
	return j
}

func (m *market) worker() domain.Worker {
	m.t.Helper()
	w := domain.Worker{Phone: fmt.Sprint(m.phones.Add(1)), Name: "马福海", District: "中宁县", Town: "宁安镇", StationID: m.station.ID,
		Skills: []string{"枸杞采摘"}, Certs: []string{}}
	if err := m.s.InsertWorker(context.Background(), &w, ""); err != nil {
		m.t.Fatal(err)
	}
	return w
}

var (
	employerOf = func(e domain.Employer) domain.Principal { return domain.Principal{Kind: domain.AsEmployer, ID: e.ID} }
	workerP    = func(w domain.Worker) domain.Principal { return domain.Principal{Kind: domain.AsWorker, ID: w.ID} }
)

// 200 concurrent accepts on a gig with 5 places: exactly 5 accepted, every other attempt a clean
// conflict, never an error, never a sixth.
func TestConcurrentAcceptsNeverExceedHeadcount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		job := m.job(5, "2027-06-01", "2027-06-03")
		var apps []domain.Application
		for i := 0; i < 200; i++ {
			w := m.worker()
			a, created, err := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
			if err != nil || !created {
				t.Fatalf("apply: %v %v", created, err)
			}
			apps = append(apps, a)
		}
		var accepted, full atomic.Int32
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Add(1)
			go func(a domain.Application) {
				defer wg.Done()
				_, err := s.AcceptApplication(ctx, a.ID, employerOf(m.employer), "", testTerms)
				switch {
				case err == nil:
					accepted.Add(1)
				case domain.IsCode(err, domain.CodeConflict):
					full.Add(1)
				default:
					t.Errorf("accept %d: %v", a.ID, err)
				}
			}(a)
		}
		wg.Wait()
		if accepted.Load() != 5 || full.Load() != 195 {
			t.Fatalf("accepted %d, conflicts %d; want 5 and 195", accepted.Load(), full.Load())
		}
		j, _ := s.JobByID(ctx, job.ID)
		if j.Filled != 5 || j.Status != domain.JobFilled {
			t.Errorf("gig filled %d status %s", j.Filled, j.Status)
		}
		views, _ := s.ApplicationsForJob(ctx, job.ID)
		n := 0
		numbers := map[string]bool{}
		for _, v := range views {
			if v.Status == domain.AppAccepted {
				n++
				if v.ContractNumber == "" || numbers[v.ContractNumber] {
					t.Errorf("accepted application %d has contract number %q (duplicate or missing)", v.ID, v.ContractNumber)
				}
				numbers[v.ContractNumber] = true
			}
		}
		if n != 5 {
			t.Errorf("%d accepted applications in the database", n)
		}
	})
}

func TestApplyTwiceMakesOneApplication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		job := m.job(3, "2027-06-01", "2027-06-01")
		w := m.worker()
		var wg sync.WaitGroup
		var created atomic.Int32
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, c, err := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
				if err != nil {
					t.Error(err)
				}
				if c {
					created.Add(1)
				}
			}()
		}
		wg.Wait()
		views, _ := s.ApplicationsForWorker(ctx, w.ID)
		if len(views) != 1 || created.Load() != 1 {
			t.Errorf("%d applications, %d reported created; want 1 and 1", len(views), created.Load())
		}
	})
}

func TestWorkerCannotHoldOverlappingJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		w := m.worker()
		morning := []domain.Shift{{Start: "05:00", End: "11:00"}}
		evening := []domain.Shift{{Start: "17:00", End: "20:00"}}
		a := m.job(2, "2027-07-01", "2027-07-05", morning...)
		b := m.job(2, "2027-07-03", "2027-07-04", morning...) // same days, same hours
		c := m.job(2, "2027-07-03", "2027-07-04", evening...) // same days, other hours
		accept := func(j domain.Job) error {
			app, _, err := s.Apply(ctx, j.ID, w.ID, domain.OriginApplied, workerP(w), "")
			if err != nil {
				return err
			}
			_, err = s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
			return err
		}
		if err := accept(a); err != nil {
			t.Fatal(err)
		}
		if err := accept(b); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("overlapping gig accepted: %v", err)
		}
		if err := accept(c); err != nil {
			t.Errorf("gig in the evening of the same days refused: %v", err)
		}
	})
}

func TestOtherEmployersAndStationsCannotAct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		job := m.job(2, "2027-06-01", "2027-06-01")
		w := m.worker()
		app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
		other := domain.Employer{Kind: domain.EmployerIndividual, Name: "李秀兰", ContactName: "李秀兰", ContactPhone: "13900000002", StationID: m.station.ID}
		s.InsertEmployer(ctx, &other)
		if _, err := s.AcceptApplication(ctx, app.ID, employerOf(other), "", testTerms); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("another employer: %v, want not_found", err)
		}
		otherStation, _ := s.StationByCode(ctx, "HY-M1")
		staffB := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: otherStation.ID}
		if _, err := s.AcceptApplication(ctx, app.ID, staffB, "", testTerms); !domain.IsCode(err, domain.CodeForbidden) {
			t.Errorf("staff of another station: %v, want forbidden", err)
		}
		if _, err := s.AcceptApplication(ctx, app.ID, workerP(w), "", testTerms); !domain.IsCode(err, domain.CodeForbidden) {
			t.Errorf("worker accepting self: %v, want forbidden", err)
		}
		staffA := domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: m.station.ID}
		if _, err := s.AcceptApplication(ctx, app.ID, staffA, "", testTerms); err != nil {
			t.Errorf("staff of the gig's station: %v", err)
		}
	})
}

// Sign from both sides, then tamper with each kind of record: verification notices every one.
func TestSigningActivatesAndVerificationDetectsTampering(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := storetest.Open(t, e, nil)
			ctx := context.Background()
			m := newMarket(t, s)
			job := m.job(2, "2027-06-01", "2027-06-02")
			w := m.worker()
			app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
			c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(c.Number, "ZW-") || len(c.Number) != len("ZW-202611-000001") || c.Status != domain.ContractDraft {
				t.Fatalf("contract %+v", c)
			}
			// A signature over other terms is refused.
			bad := domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignSMS, SignerID: w.ID, CredentialID: 7, TermsHash: strings.Repeat("0", 64)}
			if _, err := s.SignContract(ctx, c.ID, bad, workerP(w), ""); !domain.IsCode(err, domain.CodeConflict) {
				t.Errorf("signature over other terms: %v", err)
			}
			// The worker signs with a real confirmation code, which the signature uses up.
			code, err := s.IssueOTP(ctx, w.Phone, domain.OTPConfirm, "10.0.0.8", domain.DefaultOTPLimits, nil)
			if err != nil {
				t.Fatal(err)
			}
			otpID, err := s.VerifyWorkerConfirmCode(ctx, w.ID, code.Code)
			if err != nil {
				t.Fatal(err)
			}
			ws := domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignSMS, SignerID: w.ID, CredentialID: otpID, TermsHash: c.TermsHash, IP: "10.0.0.8", UserAgent: "Android"}
			if c, err = s.SignContract(ctx, c.ID, ws, workerP(w), "10.0.0.8"); err != nil || c.Status != domain.ContractDraft {
				t.Fatalf("worker signs: %v %v", c.Status, err)
			}
			if _, err := s.SignContract(ctx, c.ID, ws, workerP(w), ""); !domain.IsCode(err, domain.CodeConflict) {
				t.Errorf("second worker signature: %v", err)
			}
			if _, err := s.VerifyWorkerConfirmCode(ctx, w.ID, code.Code); !domain.IsCode(err, domain.CodeInvalid) {
				t.Errorf("the signing code still verifies: %v", err)
			}
			es := domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID, CredentialID: 3, TermsHash: c.TermsHash}
			if c, err = s.SignContract(ctx, c.ID, es, employerOf(m.employer), ""); err != nil || c.Status != domain.ContractActive {
				t.Fatalf("employer signs: %v %v", c.Status, err)
			}
			v, err := s.VerifyContract(ctx, c.Number)
			if err != nil || !v.Intact || len(v.Signatures) != 2 {
				t.Fatalf("intact contract verified as %+v %v", v.Problems, err)
			}

			db := s.SQL()
			check := func(what string) {
				t.Helper()
				v, err := s.VerifyContract(ctx, c.Number)
				if err != nil {
					t.Fatal(err)
				}
				if v.Intact || len(v.Problems) == 0 {
					t.Errorf("%s: not detected", what)
				}
			}
			restoreTerms := c.TermsJSON
			mustExec(t, db, "UPDATE contracts SET terms_json = replace(terms_json, '15000', '16000') WHERE id = $1", c.ID)
			check("changed wage in the stored terms")
			mustExec(t, db, "UPDATE contracts SET terms_json = $1 WHERE id = $2", restoreTerms, c.ID)
			if v, _ := s.VerifyContract(ctx, c.Number); !v.Intact {
				t.Fatalf("restored terms still reported: %v", v.Problems)
			}
			mustExec(t, db, "UPDATE contract_signatures SET ip = '10.0.0.9' WHERE contract_id = $1 AND role = 'worker'", c.ID)
			check("edited signature row")
			mustExec(t, db, "UPDATE contract_signatures SET ip = '10.0.0.8' WHERE contract_id = $1 AND role = 'worker'", c.ID)
			var auditID int64
			db.QueryRow("SELECT id FROM audit_events WHERE entity_kind = 'contract' AND entity_id = $1 AND action = 'contract.sign' ORDER BY id LIMIT 1", c.ID).Scan(&auditID)
			mustExec(t, db, "DELETE FROM audit_events WHERE id = $1", auditID)
			check("deleted audit row")
		})
	}
}

func TestWithdrawBeforeSigningGivesThePlaceBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		job := m.job(1, "2027-06-01", "2027-06-01")
		w := m.worker()
		app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
		c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
		if err != nil {
			t.Fatal(err)
		}
		if j, _ := s.JobByID(ctx, job.ID); j.Status != domain.JobFilled {
			t.Fatalf("gig with its one place taken is %s", j.Status)
		}
		other := m.worker()
		if _, err := s.WithdrawApplication(ctx, app.ID, workerP(other), ""); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("another worker withdrawing: %v", err)
		}
		if _, err := s.WithdrawApplication(ctx, app.ID, workerP(w), ""); err != nil {
			t.Fatal(err)
		}
		j, _ := s.JobByID(ctx, job.ID)
		cc, _, _ := s.ContractByID(ctx, c.ID)
		if j.Filled != 0 || j.Status != domain.JobOpen || cc.Status != domain.ContractTerminated {
			t.Errorf("after withdrawal: filled %d, gig %s, contract %s", j.Filled, j.Status, cc.Status)
		}
	})
}

func TestAmendmentIsANewVersionThatSupersedesOnlyWhenSigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := newMarket(t, s)
		job := m.job(1, "2027-06-01", "2027-06-05")
		w := m.worker()
		app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
		c1, _ := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
		sign := func(c domain.Contract) domain.Contract {
			t.Helper()
			s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID, CredentialID: 1, TermsHash: c.TermsHash}, workerP(w), "")
			out, err := s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID, TermsHash: c.TermsHash}, employerOf(m.employer), "")
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		c1 = sign(c1)
		c2, err := s.AmendContract(ctx, c1.ID, domain.Amendment{EndDate: "2027-06-08", Reason: "延长三天"}, employerOf(m.employer), "", testTerms)
		if err != nil {
			t.Fatal(err)
		}
		if c2.Version != 2 || c2.PreviousID != c1.ID || c2.Number == c1.Number || c2.TermsHash == c1.TermsHash || !strings.Contains(c2.TermsJSON, "2027-06-08") {
			t.Fatalf("amendment %+v", c2)
		}
		if old, _, _ := s.ContractByID(ctx, c1.ID); old.Status != domain.ContractActive || old.TermsHash != c1.TermsHash {
			t.Errorf("old version changed before the amendment was signed: %s", old.Status)
		}
		sign(c2)
		if old, _, _ := s.ContractByID(ctx, c1.ID); old.Status != domain.ContractTerminated {
			t.Errorf("old version after the amendment was signed: %s", old.Status)
		}
		for _, n := range []string{c1.Number, c2.Number} {
			if v, _ := s.VerifyContract(ctx, n); !v.Intact {
				t.Errorf("%s: %v", n, v.Problems)
			}
		}
	})
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
