package reliability

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// crashRounds is how many times TestCrashSafety kills the server. Issue 9 asks for 20; it is the
// default, so CI runs the full proof.
var crashRounds = flag.Int("crash.rounds", 20, "kill -9 rounds in TestCrashSafety")

// ack is a write the server acknowledged with 2xx.
type ack struct {
	kind     string // "worker" or "payment"
	key      string // phone, or payment reference
	contract int64
	amount   int64
}

type ackCount struct{ workers, payments int }

// countAcks counts the acknowledged writes.
func countAcks(acks []ack) ackCount {
	var n ackCount
	for _, a := range acks {
		if a.kind == "worker" {
			n.workers++
		} else {
			n.payments++
		}
	}
	return n
}

// TestCrashSafety: while 100 concurrent writers register workers and post ledger payments, the server
// is killed with SIGKILL at a random moment and restarted, crash.rounds times. Afterwards every
// acknowledged write is present, nothing is half-written (a worker without skills, a ledger entry
// without its audit event), every ledger balance equals the sum of its entries, and the database
// passes its integrity check.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the real server repeatedly")
	}
	for _, d := range databases(t) {
		t.Run(d.engine, func(t *testing.T) {
			env := map[string]string{"LINGONG_ADMIN_PASSWORD": "crash-admin-password", "LINGONG_OTP_IP_PER_HOUR": "10000000",
				"LINGONG_OTP_PHONE_INTERVAL": "1ms", "LINGONG_SECRET_KEY": "crash-test-secret-key-0123456789abcdef"}
			for k, v := range d.env {
				env[k] = v
			}
			p := startProc(t, env)
			c := newClient(t, p.URL)
			admin := c.login("admin", "crash-admin-password")
			contracts, empKey := activeContracts(t, c, admin, 5)
			p.Stop()

			var mu sync.Mutex
			var acks []ack
			for round := 0; round < *crashRounds; round++ {
				p = startProc(t, env)
				c = newClient(t, p.URL)
				admin = c.login("admin", "crash-admin-password")
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for w := 0; w < 100; w++ {
					wg.Add(1)
					go func(w int) {
						defer wg.Done()
						for i := 0; ; i++ {
							select {
							case <-stop:
								return
							default:
							}
							if (w+i)%2 == 0 {
								if _, _, err := c.registerWorkerPhone(admin, "ZN-M1", func(phone string) {
									mu.Lock()
									acks = append(acks, ack{kind: "worker", key: phone})
									mu.Unlock()
								}); err != nil {
									return // the server is gone
								}
								continue
							}
							ct := contracts[(w+i)%len(contracts)]
							ref := fmt.Sprintf("r%d-w%d-i%d-%d", round, w, i, rand.Int64())
							amount := int64(100 + rand.IntN(5000))
							r := c.call("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct), empKey,
								map[string]any{"kind": "payment", "amount_fen": amount, "method": "wechat", "reference": ref},
								"Idempotency-Key", ref)
							if r.Err != nil {
								return
							}
							if r.Status == 201 {
								mu.Lock()
								acks = append(acks, ack{kind: "payment", key: ref, contract: ct, amount: amount})
								mu.Unlock()
							}
						}
					}(w)
				}
				// Kill at a random moment, but not before this round has had a few writes of each kind
				// acknowledged: on a machine whose cores are busy a round's first registration can take
				// longer than the random moment, and a test that acknowledged nothing proves nothing.
				counted := func() ackCount {
					mu.Lock()
					defer mu.Unlock()
					return countAcks(acks)
				}
				roundStart := counted()
				time.Sleep(time.Duration(300+rand.IntN(1500)) * time.Millisecond)
				for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					if now := counted(); now.workers-roundStart.workers >= 3 && now.payments-roundStart.payments >= 3 {
						break
					}
				}
				p.Kill()
				close(stop)
				wg.Wait()
			}
			// Restart once more and check everything.
			p = startProc(t, env)
			c = newClient(t, p.URL)
			db := d.open(t)
			var workers, payments int
			for _, a := range acks {
				switch a.kind {
				case "worker":
					workers++
					var skills int
					err := db.QueryRow("SELECT count(*) FROM worker_skills s JOIN workers w ON w.id = s.worker_id WHERE w.phone = $1", a.key).Scan(&skills)
					if err != nil || skills != 2 {
						t.Errorf("acknowledged registration of %s: %d skills (%v)", a.key, skills, err)
					}
				case "payment":
					payments++
					var amount int64
					if err := db.QueryRow("SELECT amount_fen FROM ledger_entries WHERE reference = $1", a.key).Scan(&amount); err != nil || amount != a.amount {
						t.Errorf("acknowledged payment %s: %d (%v), want %d", a.key, amount, err, a.amount)
					}
				}
			}
			if workers < 50 || payments < 50 {
				t.Errorf("too few writes were acknowledged to prove anything: %d registrations, %d payments", workers, payments)
			}
			// Nothing half-written.
			var orphans int
			db.QueryRow(`SELECT count(*) FROM workers w WHERE NOT EXISTS (SELECT 1 FROM worker_skills s WHERE s.worker_id = w.id)`).Scan(&orphans)
			if orphans != 0 {
				t.Errorf("%d workers without their skills", orphans)
			}
			db.QueryRow(`SELECT count(*) FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_events a
				WHERE a.entity_kind = 'contract' AND a.entity_id = e.contract_id AND a.action = 'ledger.' || e.kind)`).Scan(&orphans)
			if orphans != 0 {
				t.Errorf("%d ledger entries without their audit event", orphans)
			}
			// Balances equal the sum of the entries.
			for _, ct := range contracts {
				var sum int64
				db.QueryRow("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE contract_id = $1 AND kind = 'payment'", ct).Scan(&sum)
				var led struct {
					Balance struct {
						PaidFen int64 `json:"paid_fen"`
					} `json:"balance"`
				}
				c.must(200, "GET", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct), empKey, nil, &led)
				if led.Balance.PaidFen != sum {
					t.Errorf("contract %d: balance paid %d, entries sum %d", ct, led.Balance.PaidFen, sum)
				}
			}
			if problems := integrityProblems(t, d, db); len(problems) > 0 {
				t.Errorf("integrity after %d crashes: %v", *crashRounds, problems)
			}
			t.Logf("%s: %d kill -9 rounds, %d registrations and %d payments acknowledged, all present", d.engine, *crashRounds, workers, payments)
		})
	}
}

// registerWorkerPhone registers a fresh worker and calls acked with its phone if the server said 201.
func (c *client) registerWorkerPhone(admin, station string, acked func(phone string)) (string, []reply, error) {
	phone := newPhone()
	r1 := c.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone})
	if r1.Err != nil {
		return "", nil, r1.Err
	}
	code, err := c.lastCode(admin, phone)
	if err != nil {
		return "", nil, err
	}
	r2 := c.call("POST", "/api/v1/workers", "", registration(phone, code, station))
	if r2.Err != nil {
		return "", nil, r2.Err
	}
	if r2.Status == 201 {
		acked(phone)
	}
	return phone, []reply{r1, r2}, nil
}

// activeContracts sets up n signed, active contracts of one employer on a fresh gig and returns their
// ids and the employer's key.
func activeContracts(t *testing.T, c *client, admin string, n int) ([]int64, string) {
	t.Helper()
	_, key := c.newEmployer(admin, "ZN-M1")
	jobID := c.openJob(admin, key, n, 30)
	var ids []int64
	for i := 0; i < n; i++ {
		token, _, err := c.registerWorker(admin, "ZN-M1")
		if err != nil {
			t.Fatal(err)
		}
		var applied struct {
			Application struct{ ID int64 } `json:"application"`
		}
		c.must(201, "POST", fmt.Sprintf("/api/v1/jobs/%d/applications", jobID), token, nil, &applied)
		var acc struct {
			Contract struct{ ID int64 } `json:"contract"`
		}
		c.must(201, "POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, &acc)
		id := acc.Contract.ID
		c.must(200, "POST", fmt.Sprintf("/api/v1/contracts/%d/sign", id), admin, map[string]string{"role": "worker"}, nil)
		c.must(200, "POST", fmt.Sprintf("/api/v1/contracts/%d/sign", id), key, nil, nil)
		ids = append(ids, id)
	}
	return ids, key
}
