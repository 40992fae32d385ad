package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// runMainIfAsked lets the exit-status tests run this test binary as the lingong command: with
// LINGONG_RUN_MAIN=1 it is main(), whose exit status is the command's (TestMain calls it first).
func runMainIfAsked() {
	if os.Getenv("LINGONG_RUN_MAIN") == "1" {
		os.Args = append([]string{"lingong"}, strings.Fields(os.Getenv("LINGONG_RUN_ARGS"))...)
		main()
		os.Exit(0)
	}
}

// lingongCommand runs `lingong args...` as its own process with env, and returns its exit status and
// output.
func lingongCommand(t *testing.T, env map[string]string, args string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "LINGONG_RUN_MAIN=1", "LINGONG_RUN_ARGS="+args, "LINGONG_LOG_LEVEL=error")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatalf("lingong %s: %v", args, err)
	return 0, ""
}

// Issue 18 item 5: `lingong audit verify` checks the whole audit chain, every contract and every ledger,
// and exits non-zero on any break, naming what broke. Each attack of the issue is made straight in the
// database, on its own contract, and the command (a real process, its exit status) names each.
func TestAuditVerifyCommandNamesEachAttack(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_SECRET_KEY": string(storetest.TestKey)}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			s := storetest.Open(t, e, nil)
			ctx := context.Background()
			var cs []domain.Contract
			var emp domain.Employer
			for i := range 4 {
				var c domain.Contract
				c, emp = signedContract(t, s, i)
				cs = append(cs, c)
			}
			status, out := lingongCommand(t, env, "audit verify")
			if status != 0 || !strings.Contains(out, "记录完整") || !strings.Contains(out, "核验了 4 份合约、8 条台账记录") {
				t.Fatalf("before any attack: exit %d\n%s", status, out)
			}

			db := storetest.SQL(t, e)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec("UPDATE contracts SET wage_fen = wage_fen * 2 WHERE id = $1", cs[0].ID)
			var other int64
			if err := db.QueryRow("SELECT worker_id FROM contracts WHERE id = $1", cs[2].ID).Scan(&other); err != nil {
				t.Fatal(err)
			}
			exec("UPDATE contracts SET worker_id = $1 WHERE id = $2", other, cs[1].ID)
			now := time.Now().UTC()
			exec(`INSERT INTO ledger_entries (contract_id, kind, work_date, amount_fen, method, paid_at, recorded_by_kind, recorded_by_id, created_at)
				VALUES ($1, 'payment', $2, 88800, 'cash', $3, 'employer', $4, $3)`, cs[2].ID, string(domain.DateOf(now)), now, emp.ID)
			var terms string
			if err := db.QueryRow("SELECT terms_json FROM contracts WHERE id = $1", cs[3].ID).Scan(&terms); err != nil {
				t.Fatal(err)
			}
			forged := strings.Replace(terms, `"amount_fen":15000`, `"amount_fen":30000`, 1)
			sum := sha256.Sum256([]byte(forged))
			exec("UPDATE contracts SET terms_json = $1, terms_hash = $2, wage_fen = 30000 WHERE id = $3", forged, hex.EncodeToString(sum[:]), cs[3].ID)
			rehashAuditWithSHA256(t, db, cs[3], hex.EncodeToString(sum[:]))

			status, out = lingongCommand(t, env, "audit verify")
			if status != 1 {
				t.Errorf("after the attacks: exit %d, want 1\n%s", status, out)
			}
			for _, want := range []string{
				"合约 " + cs[0].Number + "：合约的工钱与签署的条款不符：条款为 150 元，记录为 300 元",
				"合约 " + cs[1].Number + "：合约的零工与建立时记录的不一致",
				"合约 " + cs[2].Number + "：台账记录",
				"888 元）没有对应的审计记录：绕过程序直接写入了数据库",
				"的内容被改动",
				"合约 " + cs[3].Number + "：建立合约的审计记录",
				"problem(s) found",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the command's output lacks %q:\n%s", want, out)
				}
			}
			// The check is kept, with the head, for the console.
			checks, err := s.EvidenceChecks(ctx, 5)
			if err != nil || len(checks) != 2 || checks[0].Intact || !checks[1].Intact || checks[0].HeadHash == "" {
				t.Errorf("recorded checks: %+v %v", checks, err)
			}
		})
	}
}

// signedContract makes the i-th employer, gig (150 元 a day from today), worker and contract, signed by
// both, with a day of work and a payment on its ledger, through the store's use cases.
func signedContract(t *testing.T, s *store.Store, i int) (domain.Contract, domain.Employer) {
	t.Helper()
	ctx := context.Background()
	admin := domain.Principal{Kind: domain.AsAdmin, ID: 1}
	st, err := s.StationByCode(ctx, "ZN-S03")
	if err != nil {
		t.Fatal(err)
	}
	emp, _, err := s.CreateEmployer(ctx, domain.Employer{Kind: domain.EmployerIndividual, Name: fmt.Sprintf("王建国%d", i), ContactName: "王建国",
		ContactPhone: fmt.Sprintf("1390000%04d", i), StationID: st.ID}, admin, "")
	if err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(time.Now())
	job, err := s.CreateJob(ctx, domain.Job{EmployerID: emp.ID, StationID: st.ID, Title: "枸杞园急招摘果工", Description: "摘枸杞", Headcount: 2,
		WageFen: 15000, WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "新堡镇", Address: "新堡镇枸杞基地",
		StartDate: today, EndDate: today.AddDays(10), DailyHours: 8, Skills: []string{"枸杞采摘"}, RequiredCerts: []string{}}, admin, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewJob(ctx, job.ID, true, "", admin, ""); err != nil {
		t.Fatal(err)
	}
	w, _, _, err := s.RegisterWorker(ctx, domain.Registration{Staff: admin, Worker: domain.Worker{Phone: fmt.Sprintf("1381234%04d", 7000+i), Name: "马福海",
		District: "中宁县", Town: "新堡镇", StationID: st.ID, StationCode: st.Code, Skills: []string{"枸杞采摘"}, Certs: []string{}}})
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := s.Apply(ctx, job.ID, w.ID, domain.OriginApplied, domain.Principal{Kind: domain.AsWorker, ID: w.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	ep := domain.Principal{Kind: domain.AsEmployer, ID: emp.ID}
	c, err := s.AcceptApplication(ctx, a.ID, ep, "", app.BuildTerms)
	if err != nil {
		t.Fatal(err)
	}
	for _, sg := range []struct {
		ev domain.SignatureEvent
		p  domain.Principal
	}{
		{domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID, CredentialID: 1, TermsHash: c.TermsHash}, admin},
		{domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: emp.ID, CredentialID: 1, TermsHash: c.TermsHash}, ep},
	} {
		if _, err := s.SignContract(ctx, c.ID, sg.ev, sg.p, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today, QuantityMilli: 1000}, ep, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 10000, Method: domain.PayWeChat}, ep, ""); err != nil {
		t.Fatal(err)
	}
	return c, emp
}

// rehashAuditWithSHA256 is the audit attack: the contract's creating event made to record the
// forged terms hash, and every event from there on re-hashed as the chain used to be hashed (plain
// SHA-256 over the length-prefixed fields), so that it links up again.
func rehashAuditWithSHA256(t *testing.T, db *sql.DB, c domain.Contract, newHash string) {
	t.Helper()
	var from int64
	if err := db.QueryRow("SELECT id FROM audit_events WHERE entity_kind = 'contract' AND entity_id = $1 AND action = 'contract.create'", c.ID).Scan(&from); err != nil {
		t.Fatal(err)
	}
	var prev string
	if err := db.QueryRow("SELECT hash FROM audit_events WHERE id < $1 ORDER BY id DESC LIMIT 1", from).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT id, city_code, actor_kind, actor_id, action, entity_kind, entity_id, detail, ip, created_at FROM audit_events WHERE id >= $1 ORDER BY id", from)
	if err != nil {
		t.Fatal(err)
	}
	type event struct {
		id, actorID, entityID                                 int64
		city, actorKind, action, entityKind, detail, ip, hash string
		at                                                    time.Time
	}
	var evs []event
	for rows.Next() {
		var e event
		if err := rows.Scan(&e.id, &e.city, &e.actorKind, &e.actorID, &e.action, &e.entityKind, &e.entityID, &e.detail, &e.ip, &e.at); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	for i, e := range evs {
		if i == 0 {
			e.detail = strings.ReplaceAll(e.detail, c.TermsHash, newHash)
		}
		h := sha256.New()
		for _, f := range []string{prev, e.city, e.actorKind, fmt.Sprint(e.actorID), e.action, e.entityKind, fmt.Sprint(e.entityID),
			e.detail, e.ip, e.at.UTC().Format(time.RFC3339Nano)} {
			fmt.Fprintf(h, "%d:%s;", len(f), f)
		}
		hash := hex.EncodeToString(h.Sum(nil))
		if _, err := db.Exec("UPDATE audit_events SET detail = $1, prev_hash = $2, hash = $3 WHERE id = $4", e.detail, prev, hash, e.id); err != nil {
			t.Fatal(err)
		}
		prev = hash
	}
}

// The daily sweep: the first call verifies and records; calls within the interval (a restart, the hourly
// tick) do not run it again; the first call a day later does.
func TestEvidenceSweepRunsOnceADay(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			now := time.Now().UTC()
			clock := func() time.Time { return now }
			s := storetest.Open(t, e, clock)
			service := app.New(app.Options{SecretKey: storetest.TestKey}, app.Deps{Store: s, Clock: clock})
			ctx := context.Background()
			checks := func() int {
				list, err := s.EvidenceChecks(ctx, 10)
				if err != nil {
					t.Fatal(err)
				}
				return len(list)
			}
			for i, step := range []struct {
				advance time.Duration
				want    int
			}{{0, 1}, {time.Hour, 1}, {23 * time.Hour, 2}, {time.Minute, 2}} {
				now = now.Add(step.advance)
				if err := sweepEvidence(ctx, service, 24*time.Hour, slog.New(slog.DiscardHandler)); err != nil {
					t.Fatal(err)
				}
				if got := checks(); got != step.want {
					t.Errorf("step %d: %d checks recorded, want %d", i, got, step.want)
				}
			}
		})
	}
}
