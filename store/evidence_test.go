package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store/storetest"
)

// mutable is one stored value of a contract's evidence a mutation can hit: a column of a row.
type mutable struct {
	table, column, kind string // kind: text, int or time
	id                  int64
}

// Contract evidence (issue 9 item 10): 1,000 random single-byte mutations of the stored terms, the
// signature rows and the contract's audit rows are all detected by verification. Each mutation is
// made directly in the database (as an insider with SQL would), verified, and undone.
func TestEveryByteOfTheEvidenceIsGuarded(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := storetest.Open(t, e, nil)
			ctx := context.Background()
			m := newMarket(t, s)
			job := m.job(2, "2027-06-01", "2027-06-03")
			w := m.worker()
			app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "10.1.2.3")
			c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "10.1.2.4", testTerms)
			if err != nil {
				t.Fatal(err)
			}
			s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID,
				CredentialID: 1, TermsHash: c.TermsHash, IP: "10.1.2.5", UserAgent: "Mozilla/5.0 (Linux; Android 9)"}, workerP(w), "10.1.2.5")
			s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID,
				CredentialID: 9, TermsHash: c.TermsHash, IP: "10.1.2.6", UserAgent: "curl/8.0"}, employerOf(m.employer), "10.1.2.6")
			if v, _ := s.VerifyContract(ctx, c.Number); !v.Intact {
				t.Fatalf("fresh contract not intact: %v", v.Problems)
			}
			db := s.SQL()
			targets := []mutable{{"contracts", "terms_json", "text", c.ID}, {"contracts", "terms_hash", "text", c.ID}}
			for _, col := range []struct{ name, kind string }{{"role", "text"}, {"method", "text"}, {"signer_id", "int"},
				{"credential_id", "int"}, {"terms_hash", "text"}, {"ip", "text"}, {"user_agent", "text"}, {"signed_at", "time"}, {"contract_id", "int"}} {
				for _, id := range idsOf(t, db, "SELECT id FROM contract_signatures WHERE contract_id = $1", c.ID) {
					targets = append(targets, mutable{"contract_signatures", col.name, col.kind, id})
				}
			}
			for _, col := range []struct{ name, kind string }{{"actor_kind", "text"}, {"actor_id", "int"}, {"action", "text"},
				{"entity_kind", "text"}, {"entity_id", "int"}, {"detail", "text"}, {"ip", "text"}, {"prev_hash", "text"},
				{"hash", "text"}, {"created_at", "time"}} {
				for _, id := range idsOf(t, db, "SELECT id FROM audit_events WHERE entity_kind = 'contract' AND entity_id = $1", c.ID) {
					targets = append(targets, mutable{"audit_events", col.name, col.kind, id})
				}
			}
			rng := rand.New(rand.NewPCG(9, uint64(len(e.Name))))
			detected, tried := 0, 0
			for tried < 1000 {
				tg := targets[rng.IntN(len(targets))]
				restore, ok := mutate(t, db, tg, rng)
				if !ok {
					continue // the database refused the value (a CHECK, a foreign key): not a stored mutation
				}
				tried++
				v, err := s.VerifyContract(ctx, c.Number)
				switch {
				case domain.IsCode(err, domain.CodeNotFound):
					detected++ // the number itself was altered away: the record is gone, not passed as intact
				case err != nil:
					t.Fatalf("verify after mutating %s.%s: %v", tg.table, tg.column, err)
				case !v.Intact:
					detected++
				default:
					t.Errorf("undetected: %s.%s of row %d", tg.table, tg.column, tg.id)
				}
				restore()
			}
			if v, _ := s.VerifyContract(ctx, c.Number); !v.Intact {
				t.Fatalf("not intact after undoing every mutation: %v", v.Problems)
			}
			if detected != tried {
				t.Errorf("%d of %d mutations detected", detected, tried)
			}
			t.Logf("%s: %d of %d single-byte mutations detected", e.Name, detected, tried)
		})
	}
}

func idsOf(t *testing.T, db *sql.DB, q string, args ...any) []int64 {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

// mutate changes one byte of the value (text: an ASCII byte to another printable ASCII byte; int: one
// decimal digit; time: one digit of its seconds or microseconds) and returns how to undo it.
func mutate(t *testing.T, db *sql.DB, m mutable, rng *rand.Rand) (restore func(), ok bool) {
	t.Helper()
	sel := fmt.Sprintf("SELECT %s FROM %s WHERE id = $1", m.column, m.table)
	upd := fmt.Sprintf("UPDATE %s SET %s = $1 WHERE id = $2", m.table, m.column)
	switch m.kind {
	case "text":
		var old string
		if err := db.QueryRow(sel, m.id).Scan(&old); err != nil || old == "" {
			return nil, false
		}
		b := []byte(old)
		var ascii []int
		for i, c := range b {
			if c < 0x80 {
				ascii = append(ascii, i)
			}
		}
		if len(ascii) == 0 {
			return nil, false
		}
		i := ascii[rng.IntN(len(ascii))]
		nb := byte(0x21 + rng.IntN(0x7e-0x21))
		for nb == b[i] {
			nb = byte(0x21 + rng.IntN(0x7e-0x21))
		}
		b[i] = nb
		if _, err := db.Exec(upd, string(b), m.id); err != nil {
			return nil, false
		}
		return func() { mustExec(t, db, upd, old, m.id) }, true
	case "int":
		var old int64
		if err := db.QueryRow(sel, m.id).Scan(&old); err != nil {
			return nil, false
		}
		digits := []byte(strconv.FormatInt(old, 10))
		i := rng.IntN(len(digits))
		d := byte('0' + rng.IntN(10))
		for d == digits[i] {
			d = byte('0' + rng.IntN(10))
		}
		digits[i] = d
		nv, _ := strconv.ParseInt(string(digits), 10, 64)
		if _, err := db.Exec(upd, nv, m.id); err != nil {
			return nil, false
		}
		return func() { mustExec(t, db, upd, old, m.id) }, true
	default: // time
		var old time.Time
		if err := db.QueryRow(sel, m.id).Scan(&old); err != nil {
			return nil, false
		}
		shift := []time.Duration{time.Second, 10 * time.Second, time.Microsecond, 100 * time.Microsecond}[rng.IntN(4)]
		if _, err := db.Exec(upd, old.Add(shift).UTC(), m.id); err != nil {
			return nil, false
		}
		return func() { mustExec(t, db, upd, old.UTC(), m.id) }, true
	}
}
