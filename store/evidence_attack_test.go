package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// Issue 18 item 5: tamper evidence covers money. Each attack is made as an insider with SQL would make
// it, straight in the database, on SQLite and PostgreSQL; each is refused on use and found by the whole
// verification that `lingong audit verify` and the daily sweep run (VerifyEvidence), which names the
// contract and what broke.

// moneyWorld is one signed contract (150 元 a day, 2027-06-01 to 06-03) with a day of work and a
// payment on its ledger, on a store whose clock stands at noon of 2027-06-02.
type moneyWorld struct {
	s             *store.Store
	m             *market
	c             domain.Contract
	worker, other domain.Worker
	payment       domain.LedgerEntry
}

func newMoneyWorld(t *testing.T, e storetest.Engine) *moneyWorld {
	t.Helper()
	noon := time.Date(2027, 6, 2, 4, 0, 0, 0, time.UTC)
	s := storetest.Open(t, e, func() time.Time { return noon })
	ctx := context.Background()
	m := newMarket(t, s)
	job := m.job(2, "2027-06-01", "2027-06-03")
	w, other := m.worker(), m.worker()
	app, _, err := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "10.1.2.4", testTerms)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []struct {
		sig domain.SignatureEvent
		p   domain.Principal
	}{
		{domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID, CredentialID: 1, TermsHash: c.TermsHash}, workerP(w)},
		{domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID, CredentialID: 9, TermsHash: c.TermsHash}, employerOf(m.employer)},
	} {
		if _, err := s.SignContract(ctx, c.ID, ev.sig, ev.p, ""); err != nil {
			t.Fatal(err)
		}
	}
	emp := employerOf(m.employer)
	if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-01", QuantityMilli: 1000}, emp, ""); err != nil {
		t.Fatal(err)
	}
	pay, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 15000, Method: domain.PayCash}, emp, "")
	if err != nil {
		t.Fatal(err)
	}
	world := &moneyWorld{s: s, m: m, c: c, worker: w, other: other, payment: pay}
	world.mustBeIntact(t)
	return world
}

func (w *moneyWorld) mustBeIntact(t *testing.T) {
	t.Helper()
	rep, err := w.s.VerifyEvidence(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact || rep.Contracts != 1 || rep.LedgerLines != 2 {
		t.Fatalf("before the attack: intact %v, %d contracts, %d lines, problems %q", rep.Intact, rep.Contracts, rep.LedgerLines, rep.Problems)
	}
}

func (w *moneyWorld) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := w.s.SQL().Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// mustFind runs the whole verification and insists on a finding about the contract that says want.
func (w *moneyWorld) mustFind(t *testing.T, want string) {
	t.Helper()
	rep, err := w.s.VerifyEvidence(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("verification (intact %v) does not report %q: %q", rep.Intact, want, rep.Problems)
}

func mustConflict(t *testing.T, what string, err error, says string) {
	t.Helper()
	if !domain.IsCode(err, domain.CodeConflict) || !strings.Contains(domain.AsError(err).Message, says) {
		t.Errorf("%s: %v; want a conflict saying %q", what, err, says)
	}
}

func TestEditedWageIsRefusedAndFound(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			ctx := context.Background()
			w.exec(t, "UPDATE contracts SET wage_fen = 30000 WHERE id = $1", w.c.ID)
			_, err := w.s.AppendLedger(ctx, w.c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-02", QuantityMilli: 1000}, employerOf(w.m.employer), "")
			mustConflict(t, "a work line at the edited wage", err, "工钱与签署的条款不符：条款为 150 元，记录为 300 元")
			lines, _, _ := w.s.Ledger(ctx, w.c.ID)
			if len(lines) != 2 {
				t.Errorf("the ledger has %d lines; the refused one was written", len(lines))
			}
			_, _, err = w.s.ContractByID(ctx, w.c.ID)
			mustConflict(t, "reading the contract", err, "可能被人改动")
			w.mustFind(t, "合约 "+w.c.Number+"：合约的工钱与签署的条款不符")
			v, err := w.s.VerifyContract(ctx, w.c.Number)
			if err != nil || v.Intact {
				t.Errorf("VerifyContract: %v, intact %v", err, v.Intact)
			}
			// The dates are computed from too.
			w.exec(t, "UPDATE contracts SET wage_fen = 15000, end_date = '2027-12-31' WHERE id = $1", w.c.ID)
			w.mustFind(t, "合约的期限与签署的条款不符")
		})
	}
}

func TestEditedWorkerDoesNotHandTheContractOver(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			ctx := context.Background()
			w.exec(t, "UPDATE contracts SET worker_id = $1 WHERE id = $2", w.other.ID, w.c.ID)
			_, _, err := w.s.ContractByID(ctx, w.c.ID)
			mustConflict(t, "reading the contract", err, "可能被人改动")
			list, err := w.s.ContractsFor(ctx, "worker_id", w.other.ID, "")
			if err != nil || len(list) != 0 {
				t.Errorf("the other worker's list: %v %v; want empty", list, err)
			}
			err = w.s.RespondToLedgerEntry(ctx, w.payment.ID, w.other.ID, "confirm", "", 0, "")
			mustConflict(t, "the other worker confirms the payment", err, "可能被人改动")
			w.mustFind(t, fmt.Sprintf("合约 %s：合约的零工与建立时记录的不一致：记录被改动（建立时为 %d，现在为 %d）", w.c.Number, w.worker.ID, w.other.ID))
			// The employer, likewise.
			w.exec(t, "UPDATE contracts SET worker_id = $1, employer_id = employer_id WHERE id = $2", w.worker.ID, w.c.ID)
			w.mustBeIntact(t)
		})
	}
}

func TestPaymentInsertedIntoTheLedgerIsFound(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			var head string
			if err := w.s.SQL().QueryRow("SELECT line_hash FROM ledger_entries WHERE contract_id = $1 ORDER BY id DESC LIMIT 1", w.c.ID).Scan(&head); err != nil {
				t.Fatal(err)
			}
			forged := sha256.Sum256([]byte("a forged line"))
			now := time.Date(2027, 6, 2, 5, 0, 0, 0, time.UTC)
			// One inserted by someone who knows the chain's columns (links to the head, a made-up hash),
			// one by someone who does not (columns left at their defaults).
			w.exec(t, `INSERT INTO ledger_entries (contract_id, kind, work_date, amount_fen, method, paid_at, recorded_by_kind, recorded_by_id, created_at, prev_hash, line_hash)
				VALUES ($1, 'payment', '2027-06-02', 30000, 'cash', $2, 'employer', $3, $2, $4, $5)`, w.c.ID, now, w.m.employer.ID, head, hex.EncodeToString(forged[:]))
			w.mustFind(t, "没有对应的审计记录：绕过程序直接写入了数据库")
			w.mustFind(t, "300 元）被改动，或不是经本系统写入的")
			w.exec(t, `INSERT INTO ledger_entries (contract_id, kind, work_date, amount_fen, method, paid_at, recorded_by_kind, recorded_by_id, created_at)
				VALUES ($1, 'payment', '2027-06-02', 20000, 'wechat', $2, 'employer', $3, $2)`, w.c.ID, now, w.m.employer.ID)
			w.mustFind(t, "200 元）与前一条接不上")
		})
	}
}

func TestRewrittenAuditChainIsFound(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			ctx := context.Background()
			// The full attack of the issue: the wage doubled in the terms, the terms hash recomputed,
			// the creating audit event made to record the new hash, every later event re-hashed with
			// plain SHA-256 so the chain links up.
			var terms string
			if err := w.s.SQL().QueryRow("SELECT terms_json FROM contracts WHERE id = $1", w.c.ID).Scan(&terms); err != nil {
				t.Fatal(err)
			}
			forged := strings.Replace(terms, `"amount_fen":15000`, `"amount_fen":30000`, 1)
			sum := sha256.Sum256([]byte(forged))
			newHash := hex.EncodeToString(sum[:])
			w.exec(t, "UPDATE contracts SET terms_json = $1, terms_hash = $2, wage_fen = 30000 WHERE id = $3", forged, newHash, w.c.ID)
			w.exec(t, "UPDATE contract_signatures SET terms_hash = $1 WHERE contract_id = $2", newHash, w.c.ID)
			var created int64
			if err := w.s.SQL().QueryRow("SELECT id FROM audit_events WHERE entity_kind = 'contract' AND entity_id = $1 AND action = 'contract.create'", w.c.ID).Scan(&created); err != nil {
				t.Fatal(err)
			}
			if err := w.s.RewriteAuditChain(ctx, created, func(d string) string { return strings.ReplaceAll(d, w.c.TermsHash, newHash) }, nil); err != nil {
				t.Fatal(err)
			}
			chain, err := w.s.VerifyAuditChain(ctx)
			if err != nil || len(chain) == 0 {
				t.Errorf("the audit chain re-hashed with SHA-256 passes: %v %v", chain, err)
			}
			w.mustFind(t, fmt.Sprintf("审计记录 %d 的内容被改动", created))
			w.mustFind(t, "合约 "+w.c.Number+"：建立合约的审计记录")
			_, err = w.s.AppendLedger(ctx, w.c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-02", QuantityMilli: 1000}, employerOf(w.m.employer), "")
			mustConflict(t, "a work line after the rewrite", err, "可能被人改动")
		})
	}
}

// Someone who stole the secret key can recompute the keyed chain; the head recorded by an earlier check
// (shown on the console, printed on the day's report) no longer matches.
func TestChainRewrittenWithTheKeyIsFoundAgainstAnEarlierHead(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			ctx := context.Background()
			rep, err := w.s.VerifyEvidence(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep.Source = "sweep"
			if err := w.s.RecordEvidenceCheck(ctx, rep); err != nil {
				t.Fatal(err)
			}
			var created int64
			if err := w.s.SQL().QueryRow("SELECT id FROM audit_events WHERE entity_kind = 'contract' AND entity_id = $1 AND action = 'contract.create'", w.c.ID).Scan(&created); err != nil {
				t.Fatal(err)
			}
			stolen := domain.DeriveKey(storetest.TestKey, domain.EvidenceKeyPurpose)
			if err := w.s.RewriteAuditChain(ctx, created, func(d string) string { return strings.Replace(d, "{", `{"reason":"rewritten",`, 1) }, stolen); err != nil {
				t.Fatal(err)
			}
			if chain, _ := w.s.VerifyAuditChain(ctx); len(chain) != 0 {
				t.Fatalf("with the key the chain itself verifies (%v): this test is about the recorded head", chain)
			}
			w.mustFind(t, fmt.Sprintf("审计链头 #%d 与以前核验时记下的 %s 不同：审计链被改写", rep.HeadID, rep.HeadHash))
			checks, err := w.s.EvidenceChecks(ctx, 5)
			if err != nil || len(checks) != 1 || checks[0].HeadHash != rep.HeadHash {
				t.Errorf("recorded checks %+v %v", checks, err)
			}
		})
	}
}

// The migration that keys the evidence: on a database made before (plain SHA-256 chain, ledger lines
// without their chain), it checks the old chain, keys it, chains the lines and seals each contract; the
// result verifies, and an attack after it is found. A database whose old chain is already broken is
// not keyed: the migration stops and says where.
func TestKeyingMigrationSealsAnOldDatabase(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := newMoneyWorld(t, e)
			ctx := context.Background()
			if err := w.s.MakeLegacy(ctx); err != nil {
				t.Fatal(err)
			}
			if rep, _ := w.s.VerifyEvidence(ctx); rep.Intact {
				t.Fatal("a legacy database verifies as keyed: MakeLegacy did nothing")
			}
			applied, err := w.s.Migrate(ctx)
			if err != nil || len(applied) != 2 {
				t.Fatalf("migrate: %v %v; want the Go migration and 00062", applied, err)
			}
			w.mustBeIntact(t)
			var seals, rekeys int
			w.s.SQL().QueryRow("SELECT count(*) FROM audit_events WHERE action = 'contract.seal' AND entity_id = $1", w.c.ID).Scan(&seals)
			w.s.SQL().QueryRow("SELECT count(*) FROM audit_events WHERE action = 'audit.rekey'").Scan(&rekeys)
			if seals != 1 || rekeys != 1 {
				t.Errorf("%d seals, %d rekey events; want 1 and 1", seals, rekeys)
			}
			if _, err := w.s.SQL().Exec("UPDATE ledger_entries SET amount_fen = 1 WHERE contract_id = $1", w.c.ID); err == nil {
				t.Error("the append-only trigger is not back after the migration")
			}
			w.exec(t, "UPDATE contracts SET worker_id = $1 WHERE id = $2", w.other.ID, w.c.ID)
			w.mustFind(t, "合约的零工与建立时记录的不一致")
		})
	}
}

// An old chain that is already broken stops the keying migration: keying it would launder the tampering.
func TestKeyingMigrationRefusesABrokenOldChain(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			w2 := newMoneyWorld(t, e)
			if err := w2.s.MakeLegacy(ctx); err != nil {
				t.Fatal(err)
			}
			w2.exec(t, "UPDATE audit_events SET ip = '10.6.6.6' WHERE id = (SELECT min(id) FROM audit_events WHERE entity_kind = 'contract')")
			if _, err := w2.s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "already broken") {
				t.Errorf("migrating a broken old chain: %v; want it refused", err)
			}
		})
	}
}

// A draft set to active in the database (no signatures) takes no ledger lines.
func TestDraftSetActiveTakesNoLedgerLines(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			noon := time.Date(2027, 6, 2, 4, 0, 0, 0, time.UTC)
			s := storetest.Open(t, e, func() time.Time { return noon })
			ctx := context.Background()
			m := newMarket(t, s)
			job := m.job(1, "2027-06-01", "2027-06-03")
			w := m.worker()
			app, _, _ := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, workerP(w), "")
			c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SQL().Exec("UPDATE contracts SET status = 'active' WHERE id = $1", c.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-01", QuantityMilli: 1000}, employerOf(m.employer), "")
			mustConflict(t, "a work line on an unsigned contract set active", err, "缺少一方的签署")
			rep, _ := s.VerifyEvidence(ctx)
			if rep.Intact {
				t.Error("verification passes a draft set active")
			}
		})
	}
}
