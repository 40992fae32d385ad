package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/insurer"
	"lingong/store/storetest"
)

// fakeInsurer is a local insurer API that fails, is slow and answers twice on purpose, and keeps one
// roster per Idempotency-Key, as a real one must.
type fakeInsurer struct {
	mu       sync.Mutex
	script   []string // what to do with the next requests: "fail", "slow", "ok"
	requests int
	rosters  map[string][]byte // key -> the CSV first received
	receipts map[string]string
	badSigs  int
}

func (f *fakeInsurer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Header.Get("Idempotency-Key")
	ts, _ := strconv.ParseInt(r.Header.Get("X-Lingong-Timestamp"), 10, 64)
	f.mu.Lock()
	f.requests++
	if r.Header.Get("X-Lingong-Key") != "zw-lingong" || r.Header.Get("X-Lingong-Signature") != insurer.Sign("insurer-secret", ts, key, body) {
		f.badSigs++
		f.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	step := "ok"
	if len(f.script) > 0 {
		step, f.script = f.script[0], f.script[1:]
	}
	if step == "fail" {
		f.mu.Unlock()
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	// Store once per key; a second delivery of the same key gets the first receipt (it answers twice).
	if _, seen := f.rosters[key]; !seen {
		f.rosters[key] = body
		f.receipts[key] = fmt.Sprintf("PICC-R-%d", len(f.receipts)+1)
	}
	receipt := f.receipts[key]
	f.mu.Unlock()
	if step == "slow" {
		time.Sleep(300 * time.Millisecond) // past the client's timeout: the answer is lost on the way
	}
	fmt.Fprintf(w, `{"receipt":%q}`, receipt)
}

// Issue 22 item 3: the roster goes to the insurer through the HTTP driver, which fails, times out and is
// answered twice: one roster and one receipt per batch, late additions in a batch of their own, nobody lost.
func TestRosterReachesAFlakyInsurerOnce(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		fake := &fakeInsurer{rosters: map[string][]byte{}, receipts: map[string]string{}, script: []string{"fail", "fail"}}
		srv := httptest.NewServer(fake)
		defer srv.Close()
		driver := insurer.HTTP{URL: srv.URL, KeyID: "zw-lingong", Secret: "insurer-secret", Timeout: 100 * time.Millisecond, Attempts: 2, Backoff: time.Millisecond}
		svc := app.New(app.Options{SecretKey: storetest.TestKey}, app.Deps{Store: env.store, Clock: env.clock.Now, Insurer: driver})

		today := domain.DateOf(env.clock.Now())
		tomorrow := today.AddDays(1)
		empID, key := env.employerWithKey("中宁县保险测试合作社", "ZN-S03")
		ids := []string{withIDCheck("64052119800101123"), withIDCheck("64052219850202234"), withIDCheck("64052219900303345")}
		sign := func(i int) {
			phone := fmt.Sprintf("1381234900%d", i)
			w := env.register(phone, func(m map[string]any) { m["id_number"] = ids[i] })
			job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(5), "07:00-12:00")
			env.signedOn(job, w, phone, key)
		}
		sign(0)
		sign(1)

		// The insurer is down: the batch is made, the failure recorded, nothing marked sent.
		b, ok, err := svc.SubmitRoster(t.Context(), tomorrow)
		if err == nil || !ok || b.Batch != 1 {
			t.Fatalf("submit to a down insurer: %+v %v %v", b, ok, err)
		}
		batches, _ := env.store.RosterBatches(t.Context(), tomorrow)
		if len(batches) != 1 || batches[0].Status != "pending" || batches[0].Attempts != 1 || batches[0].LastError == "" {
			t.Fatalf("after the failure: %+v", batches)
		}
		// Next run: the answer is lost to a timeout once, then the retry is answered with the same receipt.
		fake.mu.Lock()
		fake.script = []string{"slow", "ok"}
		fake.mu.Unlock()
		b, ok, err = svc.SubmitRoster(t.Context(), tomorrow)
		if err != nil || !ok || b.Status != "sent" || b.ReceiptRef != "PICC-R-1" || b.Key != batches[0].Key {
			t.Fatalf("resubmit: %+v %v %v", b, ok, err)
		}
		// Nothing new: nothing sent.
		before := fake.requests
		if _, ok, err := svc.SubmitRoster(t.Context(), tomorrow); ok || err != nil || fake.requests != before {
			t.Fatalf("a run with nobody new sent something: %v %v", ok, err)
		}
		// A late addition goes in a batch of its own.
		sign(2)
		b, ok, err = svc.SubmitRoster(t.Context(), tomorrow)
		if err != nil || !ok || b.Batch != 2 || len(b.ContractIDs) != 1 || b.ReceiptRef != "PICC-R-2" {
			t.Fatalf("late addition: %+v %v %v", b, ok, err)
		}

		if len(fake.rosters) != 2 || fake.badSigs != 0 {
			t.Fatalf("the insurer holds %d rosters (%d bad signatures), want 2", len(fake.rosters), fake.badSigs)
		}
		var all []byte
		for _, csv := range fake.rosters {
			all = append(all, csv...)
		}
		for _, id := range ids {
			if bytes.Count(all, []byte(id)) != 1 {
				t.Errorf("ID %s is in the insurer's rosters %d times, want once", id, bytes.Count(all, []byte(id)))
			}
		}
		batches, _ = env.store.RosterBatches(t.Context(), tomorrow)
		if len(batches) != 2 || batches[0].ReceiptRef != "PICC-R-1" || batches[1].ReceiptRef != "PICC-R-2" || batches[0].Status != "sent" {
			t.Fatalf("stored batches: %+v", batches)
		}
	})
}

// The default driver writes the roster to a directory: mode 0600, encrypted (no ID number in clear),
// and the operator's key opens it back to the CSV.
func TestRosterDirectoryIsSealed(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		dir := filepath.Join(t.TempDir(), "rosters")
		svc := app.New(app.Options{SecretKey: storetest.TestKey}, app.Deps{Store: env.store, Clock: env.clock.Now,
			Insurer: insurer.Directory{Dir: dir, Seal: env.store.SealRosterFile}})
		today := domain.DateOf(env.clock.Now())
		empID, key := env.employerWithKey("海原县保险测试", "ZN-S03")
		id := withIDCheck("64052219850202234")
		w := env.register("13812349101", func(m map[string]any) { m["id_number"] = id })
		env.signedOn(env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(3), "07:00-12:00"), w, "13812349101", key)
		b, ok, err := svc.SubmitRoster(t.Context(), today.AddDays(1))
		if err != nil || !ok || b.Status != "sent" {
			t.Fatalf("submit: %+v %v %v", b, ok, err)
		}
		path := filepath.Join(dir, b.ReceiptRef)
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("roster file: %v %v", st, err)
		}
		sealed, _ := os.ReadFile(path)
		if bytes.Contains(sealed, []byte(id)) || bytes.Contains(sealed, []byte("身份证号")) {
			t.Fatal("the roster file holds the ID number in clear")
		}
		plain, err := env.store.OpenRosterFile(sealed)
		if err != nil || !strings.Contains(string(plain), id) {
			t.Fatalf("open the roster file: %v %q", err, plain)
		}
	})
}
