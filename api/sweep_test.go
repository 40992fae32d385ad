package api

import (
	"lingong/api/kit"
	"regexp"
	"strings"
	"testing"
)

// Issue 9 items 5 and 8, on top of the authorization matrix (authz_matrix_test.go), whose six columns
// are anonymous, the worker (A), the employer (A), staff here, staff there and admin. Two more callers
// join here: another worker (B) and another employer (B), who own none of the matrix's records. Every
// row of the matrix whose route names a record ({id}, {code}, {number}, {token}) and is not public is
// replayed as B, against A's record: B never gets a 2xx or a redirect into the record. Then every
// response body of both sweeps is scanned: no unmasked resident ID number anywhere, and no caller sees
// the phone number of someone they have no business with.

var (
	phonePattern = regexp.MustCompile(`1[3-9]\d{9}`)
)

// accessOf maps "METHOD /path" to the route's access level, from the one route table.
func (s *Server) accessOf() map[string]kit.Access {
	m := map[string]kit.Access{}
	for _, r := range s.routes() {
		m[r.Method+" "+r.Path] = r.Access
	}
	return m
}

// anyoneMayAct are routes on a record that any worker or employer may use: applying to any open gig
// (through the API or the gig's page).
var anyoneMayAct = map[string]bool{"POST /api/v1/jobs/:id/applications": true, "POST /jobs/:id/apply": true}

func TestOtherWorkersAndEmployersCannotReachARecord(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		workerB := env.register("13600008888", func(m map[string]any) { m["id_number"] = withIDCheck("64052219700101123") })
		_, keyB, _ := f.newEmployer()
		access := env.server.accessOf()
		// Bodies B received, to scan for A's data afterwards.
		var received []string
		checked := 0
		for _, row := range authzRows() {
			if !strings.Contains(row.route, ":") || access[row.method+" "+row.route] == kit.Public || anyoneMayAct[row.method+" "+row.route] {
				continue
			}
			for _, b := range []struct {
				as    caller
				token string
				name  string
			}{{asWorker, workerB.Token, "worker B"}, {asEmployer, keyB, "employer B"}} {
				saved := f.tokens[b.as]
				f.tokens[b.as] = b.token
				r := row
				r.freshLogin = false // B's own credential, never A's
				status, path := f.call(r, b.as)
				f.tokens[b.as] = saved
				checked++
				if status < 400 && status != toLogin {
					t.Errorf("%s reached A's record: %s %s = %d", b.name, row.method, path, status)
				}
				env.bodies.mu.Lock()
				received = append(received, string(env.bodies.bodies[len(env.bodies.bodies)-1]))
				env.bodies.mu.Unlock()
			}
		}
		if checked < 60 {
			t.Errorf("only %d object-level requests checked", checked)
		}
		// B learnt nothing personal about A.
		for _, body := range received {
			if strings.Contains(body, f.worker.Worker.Phone) {
				t.Errorf("another worker or employer was shown worker A's phone: %.200s", body)
			}
		}
		// And no body of either sweep, to anyone, carried a resident ID number in clear.
		assertNoIDNumberInBodies(t, env)
		t.Logf("object-level sweep: %d requests by another worker and another employer against A's records", checked)
	})
}

// Across the matrix's requests, a caller sees a registered worker's full phone number only if it is
// their own, or the worker is the other party of the caller's signed contract (staff of the worker's
// station and admins are not swept here: they may see it). Anonymous visitors and staff of another
// station see none.
func TestPhonesAreShownOnlyToThoseWhoMayReachThePerson(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		env.register("13600007777", nil) // a worker of station here with no contract with anyone
		seen := 0
		for _, row := range authzRows() {
			for _, who := range []caller{anonymous, asWorker, asEmployer, staffThere} {
				f.call(row, who)
				// Only the caller's own answer (the last body): setting up a row's record logs the
				// admin's answers too.
				env.bodies.mu.Lock()
				bodies := [][]byte{env.bodies.bodies[len(env.bodies.bodies)-1]}
				env.bodies.mu.Unlock()
				for _, b := range bodies {
					for _, p := range phonePattern.FindAllString(string(b), -1) {
						seen++
						if mayKnowPhone(env, f, who, p) {
							continue
						}
						t.Errorf("%s saw worker phone %s in %s %s", callerNames[who], p, row.method, row.route)
					}
				}
			}
		}
		t.Logf("%d full phone numbers in the swept responses, each checked", seen)
	})
}

// mayKnowPhone: the number is no registered worker's (an office or an employer's published contact),
// or it is the caller's own, or the caller has a contract with that worker (from the accepted draft on:
// the frozen terms name both parties with their phones so they can reach each other), or the caller is
// staff of the station the worker registered at.
func mayKnowPhone(env *testEnv, f *authzFixture, who caller, phone string) bool {
	var workerID int64
	var station string
	if err := env.db.QueryRow("SELECT w.id, s.code FROM workers w JOIN stations s ON s.id = w.station_id WHERE w.phone = $1", phone).
		Scan(&workerID, &station); err != nil {
		return true // not a worker's
	}
	switch who {
	case asWorker:
		return workerID == f.worker.Worker.ID
	case asEmployer:
		var n int
		env.db.QueryRow(`SELECT count(*) FROM contracts WHERE worker_id = $1 AND employer_id = $2 AND status <> 'terminated'`,
			workerID, f.employerID).Scan(&n)
		return n > 0
	case staffThere:
		return station == "SPT-S01"
	}
	return false
}
