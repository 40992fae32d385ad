package store_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
	"lingong/test/testtool"
)

// testIDNumber is a valid resident ID number (沙坡头区, born 1970-01-01, male) that must never appear
// in clear in the database.
var testIDNumber = "64050219700101123" + string(domain.IDCheck("64050219700101123"))

func staffOf(t *testing.T, s *store.Store) domain.Principal {
	t.Helper()
	st, _ := s.StationByCode(context.Background(), "SPT-M1")
	return domain.Principal{Kind: domain.AsStaff, ID: 1, StationID: st.ID}
}

func TestRegisterWorker(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *fakeClock) {
		ctx := context.Background()
		const phone = "13912345678"
		reg := domain.Registration{Worker: testWorker(t, s, phone), IDNumber: testIDNumber, PhoneVerified: true, IP: "10.1.1.1"}
		w, sess, created, err := s.RegisterWorker(ctx, reg)
		if err != nil || !created {
			t.Fatalf("register: %v %v", created, err)
		}
		if w.No != "LG00000001" || w.StationCode != "SPT-M1" || w.IDNumberMasked != domain.MaskIDNumber(testIDNumber) ||
			w.BirthYear != 1970 || w.Gender != "male" || w.CardVersion != 1 {
			t.Errorf("registered worker %+v", w)
		}
		p, err := s.Authenticate(ctx, sess.Token)
		if err != nil || p.Kind != domain.AsWorker || p.ID != w.ID {
			t.Errorf("session of the new worker: %+v %v", p, err)
		}
		got, err := s.WorkerByID(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reg.Worker.Profile(), got.Profile()); diff != "" {
			t.Errorf("stored profile (-want +got):\n%s", diff)
		}
		events, _ := s.AuditEvents(ctx, "worker", w.ID)
		if len(events) != 1 || events[0].Action != "worker.register" || events[0].ActorKind != "worker" ||
			strings.Contains(events[0].Detail, phone) || strings.Contains(events[0].Detail, testIDNumber) {
			t.Errorf("audit events %+v", events)
		}

		// Registering again with the same phone logs in; nothing is duplicated or overwritten.
		again := reg
		again.Worker.Name = "别人"
		again.IDNumber = ""
		w2, sess2, created, err := s.RegisterWorker(ctx, again)
		if err != nil || created || w2.ID != w.ID || w2.Name != "马建国" || sess2.Token == "" || sess2.Token == sess.Token {
			t.Errorf("second registration: created=%v id=%d name=%q err=%v", created, w2.ID, w2.Name, err)
		}
		assertWorkerCount(t, s, 1)

		// The same ID number under another phone: staff registering are told on its field; a worker
		// registering themself is not (no oracle): registered, the number held as a claim for the station.
		other := domain.Registration{Worker: testWorker(t, s, "13912345679"), IDNumber: testIDNumber,
			Staff: domain.Principal{Kind: domain.AsAdmin, ID: 1}}
		_, _, _, err = s.RegisterWorker(ctx, other)
		wantCode(t, err, domain.CodeConflict, "id_number", "身份证号已经登记")
		assertWorkerCount(t, s, 1)
		other = domain.Registration{Worker: testWorker(t, s, "13912345679"), IDNumber: testIDNumber, PhoneVerified: true}
		claimant, _, created, err := s.RegisterWorker(ctx, other)
		if err != nil || !created || claimant.IDNumberMasked != domain.MaskIDNumber(testIDNumber) {
			t.Fatalf("self-registration with a held number: %+v %v", claimant, err)
		}
		if conflicts, err := s.IDConflicts(ctx, claimant.StationID); err != nil || len(conflicts) != 1 ||
			conflicts[0].WorkerID != claimant.ID || conflicts[0].HolderID != w.ID {
			t.Errorf("conflicts %+v %v", conflicts, err)
		}
		if holder, _ := s.WorkerByID(ctx, w.ID); holder.IDNumberMasked != domain.MaskIDNumber(testIDNumber) {
			t.Errorf("the holder lost the number: %+v", holder)
		}
		assertWorkerCount(t, s, 2)

		// Without any proof of the phone nothing is saved.
		_, _, _, err = s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13912345670")})
		wantCode(t, err, domain.CodeInvalid, "code", "验证码")
		assertWorkerCount(t, s, 2)
	})
}

func TestStaffAssistedRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		staff := staffOf(t, s)
		w, sess, created, err := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13700000001"), Staff: staff, IP: "10.2.2.2"})
		if err != nil || !created {
			t.Fatal(err)
		}
		if sess.Token != "" {
			t.Error("代登记 must not open a session for the worker")
		}
		if w.RegisteredBy != staff.ID {
			t.Errorf("registered_by %d, want staff %d", w.RegisteredBy, staff.ID)
		}
		events, _ := s.AuditEvents(ctx, "worker", w.ID)
		if len(events) != 1 || events[0].ActorKind != "staff" || events[0].ActorID != staff.ID || !strings.Contains(events[0].Detail, `"via":"staff"`) {
			t.Errorf("audit %+v", events)
		}
		// Staff registering a phone that is already registered are told so, with the worker number.
		_, _, _, err = s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13700000001"), Staff: staff})
		wantCode(t, err, domain.CodeConflict, "phone", w.No)
		assertWorkerCount(t, s, 1)
	})
}

// Twenty registrations of one phone at once: exactly one worker, and every request succeeds (the
// losers of the race are logged in).
func TestConcurrentRegistrationOfOnePhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		ids := make([]int64, 20)
		errs := make([]error, 20)
		for i := range ids {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				w, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13600000001"), PhoneVerified: true})
				ids[i], errs[i] = w.ID, err
			}(i)
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("request %d: id %d err %v", i, ids[i], errs[i])
			}
		}
		assertWorkerCount(t, s, 1)
	})
}

func TestUpdateWorkerAndRevokeCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13500000001"), PhoneVerified: true})
		if err != nil {
			t.Fatal(err)
		}
		self := domain.Principal{Kind: domain.AsWorker, ID: w.ID}
		p := w.Profile()
		p.Name = "马建军"
		p.Skills = []string{"保洁", "搬运"}
		id := testIDNumber
		got, err := s.UpdateWorker(ctx, self, "10.0.0.9", w.ID, p, &id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "马建军" || !cmp.Equal(got.Skills, []string{"保洁", "搬运"}) || got.IDNumberMasked == "" || got.BirthYear != 1970 {
			t.Errorf("updated %+v", got)
		}
		// Nothing changed: nothing written, no audit event.
		if _, err := s.UpdateWorker(ctx, self, "", w.ID, got.Profile(), nil); err != nil {
			t.Fatal(err)
		}
		events, _ := s.AuditEvents(ctx, "worker", w.ID)
		if len(events) != 3 || events[1].Action != "worker.id_number" || events[2].Action != "worker.update" ||
			events[2].Detail != `{"fields":["name","skills","id_number"]}` {
			t.Errorf("audit %+v", events)
		}
		// Another worker may not take the same ID number: the claim is recorded, the number stays.
		w2, _, _, _ := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13500000002"), PhoneVerified: true})
		claimed, err := s.UpdateWorker(ctx, domain.Principal{Kind: domain.AsWorker, ID: w2.ID}, "", w2.ID, w2.Profile(), &id)
		if err != nil || claimed.IDNumberMasked != got.IDNumberMasked {
			t.Errorf("a claim to a held number: %+v %v", claimed, err)
		}
		if holder, _ := s.WorkerByID(ctx, w.ID); holder.IDNumberMasked != got.IDNumberMasked {
			t.Errorf("the holder lost the number: %+v", holder)
		}
		if conflicts, _ := s.IDConflicts(ctx, 0); len(conflicts) != 1 || conflicts[0].WorkerID != w2.ID {
			t.Errorf("conflicts %+v", conflicts)
		}
		if _, err := s.UpdateWorker(ctx, self, "", 99999, p, nil); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("unknown worker: %v", err)
		}

		r, err := s.RevokeWorkerCard(ctx, self, "", w.ID)
		if err != nil || r.CardVersion != 2 {
			t.Errorf("revoke: version %d %v", r.CardVersion, err)
		}
		if _, err := s.RevokeWorkerCard(ctx, self, "", 99999); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("revoke unknown: %v", err)
		}
	})
}

func TestSMSOutboxPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			phone := "13800000001"
			if i%2 == 1 {
				phone = "13800000002"
			}
			if err := s.AppendSMS(ctx, &domain.SMSMessage{Phone: phone, Body: "第" + string(rune('0'+i)), Purpose: "otp"}); err != nil {
				t.Fatal(err)
			}
		}
		items, total, err := s.SMSOutbox(ctx, "", 1, 2)
		if err != nil || total != 5 || len(items) != 2 || items[0].Body != "第4" {
			t.Errorf("page 1: %+v %d %v", items, total, err)
		}
		items, total, _ = s.SMSOutbox(ctx, "13800000002", 1, 10)
		if total != 2 || len(items) != 2 || items[0].Body != "第3" {
			t.Errorf("one phone: %+v %d", items, total)
		}
		items, _, _ = s.SMSOutbox(ctx, "", 3, 2)
		if len(items) != 1 || items[0].Body != "第0" {
			t.Errorf("last page: %+v", items)
		}
	})
}

// The resident ID number is stored sealed: neither the SQLite files (database and WAL) nor a dump of
// the PostgreSQL schema contain it in clear, while the masked form is there.
func TestNoPlaintextIDNumberAtRest(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := storetest.Open(t, e, nil)
			ctx := context.Background()
			w, _, _, err := s.RegisterWorker(ctx, domain.Registration{Worker: testWorker(t, s, "13400000001"), IDNumber: testIDNumber, PhoneVerified: true})
			if err != nil {
				t.Fatal(err)
			}
			var dump []byte
			if e.Name == "sqlite" {
				s.Close()
				files, _ := filepath.Glob(filepath.Join(e.Dir, "lingong.db*"))
				for _, f := range files {
					b, err := os.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					dump = append(dump, b...)
				}
			} else {
				dump = pgDump(t, e.URL)
			}
			if bytes.Contains(dump, []byte(testIDNumber)) || bytes.Contains(dump, []byte(testIDNumber[:17])) {
				t.Fatalf("the %s database holds the ID number in clear", e.Name)
			}
			if !bytes.Contains(dump, []byte(w.IDNumberMasked)) || !bytes.Contains(dump, []byte(w.Phone)) {
				t.Fatalf("the %s dump does not hold the registration at all (%d bytes): the check proves nothing", e.Name, len(dump))
			}
		})
	}
}

// pgDump dumps the test schema named in the URL's search_path with pg_dump.
func pgDump(t *testing.T, rawURL string) []byte {
	t.Helper()
	bin := testtool.Require(t, "pg_dump")
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path") // not a libpq parameter
	u.RawQuery = q.Encode()
	out, err := exec.Command(bin, "--data-only", "--schema="+schema, u.String()).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}

func assertWorkerCount(t *testing.T, s *store.Store, want int) {
	t.Helper()
	var n int
	if err := s.SQL().QueryRow("SELECT count(*) FROM workers").Scan(&n); err != nil || n != want {
		t.Errorf("%d workers (%v), want %d", n, err, want)
	}
}
