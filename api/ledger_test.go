package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
)

// settled is an active contract of the settlement tests: both parties signed it.
type settled struct {
	ID     int64
	Number string
	Worker registered
	Phone  string
	EmpID  int64
	Key    string
}

// jobFrom inserts an open gig of the employer's with the given wage terms, running from start to end
// (dates may be past: the tests record work done), with one shift so a worker can hold a morning and an
// evening gig at once.
func (env *testEnv) jobFrom(empID int64, station string, unit domain.WageUnit, wageFen int64, settle domain.Settlement, start, end domain.Date, shift string) int64 {
	env.t.Helper()
	st, err := env.store.StationByCode(env.t.Context(), station)
	if err != nil {
		env.t.Fatal(err)
	}
	from, to, _ := strings.Cut(shift, "-")
	now := env.clock.Now()
	var id int64
	piece := ""
	if unit == domain.PerPiece {
		piece = "斤"
	}
	if err := env.db.QueryRow(`INSERT INTO jobs (employer_id, station_id, title, description, headcount, wage_fen, wage_unit,
		piece_unit, settlement, district, town, address, lat, lng, start_date, end_date, shifts, daily_hours, status, approved_at,
		created_at, updated_at)
		VALUES ($1, $2, '枸杞采摘（按斤计）', '摘枸杞，过秤计价', 10, $3, $4, $10, $5, '中宁县', '新堡镇', '新堡镇枸杞基地',
		37.455, 105.74, $6, $7, $8, 6, 'open', $9, $9, $9) RETURNING id`,
		empID, st.ID, wageFen, string(unit), string(settle), string(start), string(end),
		fmt.Sprintf(`[{"start":%q,"end":%q}]`, from, to), now, piece).Scan(&id); err != nil {
		env.t.Fatal(err)
	}
	return id
}

// signedOn makes the worker's contract on the gig and signs it from both sides through the API.
func (env *testEnv) signedOn(job int64, w registered, phone, key string) settled {
	env.t.Helper()
	var applied struct{ Application domain.Application }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), w.Token, nil, 201, &applied)
	var acc struct{ Contract domain.Contract }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", applied.Application.ID), key, nil, 201, &acc)
	code := env.confirmCode(w.Token, phone)
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", acc.Contract.ID), w.Token, map[string]string{"code": code}, 200, nil)
	var got contractAnswer
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", acc.Contract.ID), key, nil, 200, &got)
	if got.Contract.Status != domain.ContractActive {
		env.t.Fatalf("contract not active: %+v", got.Contract)
	}
	return settled{ID: acc.Contract.ID, Number: acc.Contract.Number, Worker: w, Phone: phone, Key: key}
}

// pieceContract is the picker: 1.80 元 a 斤, daily pay, started three days ago, at ZN-S03.
func (env *testEnv) pieceContract(phone string) settled {
	env.t.Helper()
	w := env.register(phone, nil)
	empID, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
	today := domain.DateOf(env.clock.Now())
	job := env.jobFrom(empID, "ZN-S03", domain.PerPiece, 180, domain.SettleDaily, today.AddDays(-3), today.AddDays(20), "05:00-11:00")
	s := env.signedOn(job, w, phone, key)
	s.EmpID = empID
	return s
}

// ledgerOf reads a contract's ledger as the token's holder.
func (env *testEnv) ledgerOf(id int64, token string) ledgerResponse {
	env.t.Helper()
	var l ledgerResponse
	env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d/ledger", id), token, nil, 200, &l)
	return l
}

// assertIntegerAmounts walks a JSON document and fails on any *_fen value that is not an integer
// literal: money never passes through a float.
func assertIntegerAmounts(t *testing.T, body []byte) int {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	seen := 0
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				walk(k, y)
			}
		case []any:
			for _, y := range x {
				walk(key, y)
			}
		case json.Number:
			if strings.HasSuffix(key, "_fen") {
				seen++
				if strings.ContainsAny(x.String(), ".eE") {
					t.Errorf("%s = %s is not an integer number of fen", key, x)
				}
			}
		}
	}
	walk("", v)
	return seen
}

// Work, payments and corrections through the API: the amount of work comes from the signed wage with
// exact decimals, every JSON amount is an integer, bad input changes nothing, and only the parties and
// the station see the ledger.
func TestLedgerEntriesThroughTheAPI(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346001")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		today := string(domain.DateOf(env.clock.Now()))

		// 37.53 斤 at 1.80 元: 67.554 元 rounds to 67.55 (a float would have read 37.529999…).
		var work domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, `{"kind":"work","date":"`+today+`","quantity":37.53,"note":"上午"}`, 201, &work)
		if work.AmountFen != 6755 || work.QuantityMilli != 37530 || work.Unit != domain.PerPiece || work.DueDate != domain.Date(today) {
			t.Errorf("work entry %+v; want 6755 fen for 37.53 斤", work)
		}
		staff, _ := env.createStaff("zn-settle", "ZN-S03")
		var pay domain.LedgerEntry
		env.mustJSON("POST", path, staff, map[string]any{"kind": "payment", "amount_fen": 5000, "method": "wechat", "reference": "4200001234"}, 201, &pay)
		var corr domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "correction", "corrects_id": work.ID, "quantity": -0.53, "note": "秤皮没扣"}, 201, &corr)
		if corr.AmountFen != -95 || corr.QuantityMilli != -530 {
			t.Errorf("correction %+v; want -0.53 斤 = -95 fen", corr)
		}

		code, body, _ := env.do("GET", path, ct.Worker.Token, nil)
		if code != 200 {
			t.Fatalf("worker reads the ledger: %d", code)
		}
		if n := assertIntegerAmounts(t, body); n < 8 {
			t.Errorf("only %d amounts checked", n)
		}
		if !strings.Contains(string(body), `"quantity":37.53`) || !strings.Contains(string(body), `"quantity":-0.53`) {
			t.Errorf("quantities not exact in %s", body)
		}
		l := env.ledgerOf(ct.ID, ct.Worker.Token)
		want := domain.Balance{EarnedFen: 6660, PaidFen: 5000, OutstandingFen: 1660}
		if l.Balance != want || len(l.Entries) != 3 {
			t.Errorf("balance %+v (%d entries), want %+v", l.Balance, len(l.Entries), want)
		}

		// Bad input: 4xx with the field named, and nothing written.
		before := env.count("ledger_entries")
		for _, tc := range []struct {
			name, body, field string
		}{
			{"fractional fen", `{"kind":"payment","amount_fen":12.5,"method":"cash"}`, "amount_fen"},
			{"amount as exponent", `{"kind":"payment","amount_fen":1e3,"method":"cash"}`, "amount_fen"},
			{"typed amount on work", `{"kind":"work","date":"` + today + `","quantity":1,"amount_fen":99999}`, "amount_fen"},
			{"quantity as a string", `{"kind":"work","date":"` + today + `","quantity":"12.5"}`, "quantity"},
			{"four decimals", `{"kind":"work","date":"` + today + `","quantity":1.2345}`, "quantity"},
			{"quantity exponent", `{"kind":"work","date":"` + today + `","quantity":1e2}`, "quantity"},
			{"zero quantity", `{"kind":"work","date":"` + today + `","quantity":0}`, "quantity"},
			{"future work", `{"kind":"work","date":"` + string(domain.Date(today).AddDays(1)) + `","quantity":1}`, "date"},
			{"bad date", `{"kind":"work","date":"2026-02-30","quantity":1}`, "date"},
			{"no kind", `{"amount_fen":100,"method":"cash"}`, "kind"},
			{"unknown kind", `{"kind":"bonus","amount_fen":100}`, "kind"},
			{"unknown method", `{"kind":"payment","amount_fen":100,"method":"bitcoin"}`, "method"},
			{"date on a payment", `{"kind":"payment","amount_fen":100,"method":"cash","date":"` + today + `"}`, "date"},
			{"mass assignment", `{"kind":"payment","amount_fen":100,"method":"cash","status":"confirmed"}`, "status"},
			{"worker_id", `{"kind":"payment","amount_fen":100,"method":"cash","worker_id":1}`, "worker_id"},
			{"correction without reason", fmt.Sprintf(`{"kind":"correction","corrects_id":%d,"amount_fen":-1}`, work.ID), "note"},
			{"correction of a correction", fmt.Sprintf(`{"kind":"correction","corrects_id":%d,"amount_fen":-1,"note":"x"}`, corr.ID), "corrects_id"},
			{"correcting another contract", `{"kind":"correction","corrects_id":999999,"amount_fen":-1,"note":"x"}`, "corrects_id"},
			{"quantity on a payment's correction", fmt.Sprintf(`{"kind":"correction","corrects_id":%d,"quantity":1,"note":"x"}`, pay.ID), "quantity"},
			{"invalid UTF-8", "{\"kind\":\"work\",\"note\":\"\xff\"}", "body"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, b, _ := env.do("POST", path, ct.Key, tc.body)
				if code != 400 || apiError(t, b).Field != tc.field {
					t.Errorf("%d %s; want 400 on %s", code, b, tc.field)
				}
			})
		}
		if n := env.count("ledger_entries"); n != before {
			t.Errorf("bad requests wrote %d entries", n-before)
		}

		// Who may see and write.
		other := env.register("13812346002", nil)
		otherEmp, otherKey := env.employerWithKey("另一家", "ZN-S03")
		_ = otherEmp
		staffB, _ := env.createStaff("hy-settle", "HY-M1")
		for _, tc := range []struct {
			method, token string
			want          int
		}{
			{"GET", other.Token, 404}, {"GET", otherKey, 404}, {"GET", staffB, 403}, {"GET", "", 401},
			{"POST", ct.Worker.Token, 403}, {"POST", otherKey, 404}, {"POST", staffB, 403},
		} {
			var body any
			if tc.method == "POST" {
				body = map[string]any{"kind": "payment", "amount_fen": 100, "method": "cash"}
			}
			if code, b, _ := env.do(tc.method, path, tc.token, body); code != tc.want {
				t.Errorf("%s as %.12s: %d, want %d: %s", tc.method, tc.token, code, tc.want, b)
			}
		}
		for _, p := range []string{path + ".pdf", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID)} {
			if code, _, _ := env.do("GET", p, other.Token, nil); code != 404 {
				t.Errorf("another worker prints %s: %d", p, code)
			}
		}
		assertNoIDNumberInBodies(t, env)
	})
}

// 50 concurrent identical POSTs with one Idempotency-Key make one entry and 50 identical answers; 100
// concurrent different POSTs lose none.
func TestLedgerPostsUnderConcurrency(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346011")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		body := map[string]any{"kind": "payment", "amount_fen": 12345, "method": "cash", "reference": "现金 第 1 次"}
		var mu sync.Mutex
		answers := map[string]int{}
		statuses := map[int]int{}
		var wg sync.WaitGroup
		start := time.Now()
		for i := 0; i < 50; i++ {
			wg.Go(func() {
				code, b, _ := env.do("POST", path, ct.Key, body, "Idempotency-Key", "pay-2026-05-10-001")
				mu.Lock()
				statuses[code]++
				answers[string(b)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		t.Logf("%s: 50 concurrent identical POSTs answered in %v", env.engine.Name, time.Since(start).Round(time.Millisecond))
		if statuses[201] != 50 || len(answers) != 1 {
			t.Fatalf("statuses %v, %d distinct bodies; want 50×201 with one body", statuses, len(answers))
		}
		if n := len(env.ledgerOf(ct.ID, ct.Key).Entries); n != 1 {
			t.Errorf("%d entries, want 1", n)
		}
		// One SMS for the payment made, none for the 49 replays.
		var out listResponse[domain.SMSMessage]
		env.mustJSON("GET", "/api/v1/admin/sms-outbox?per_page=100&phone="+ct.Phone, env.admin, nil, 200, &out)
		paySMS := 0
		for _, m := range out.Items {
			if strings.Contains(m.Body, "123.45 元") {
				paySMS++
			}
		}
		if paySMS != 1 {
			t.Errorf("%d SMS for the idempotent payment, want 1", paySMS)
		}
		// The same key with another body is refused.
		body["amount_fen"] = 54321
		if code, b, _ := env.do("POST", path, ct.Key, body, "Idempotency-Key", "pay-2026-05-10-001"); code != 422 {
			t.Errorf("reused key, other body: %d %s", code, b)
		}

		statuses = map[int]int{}
		start = time.Now()
		for i := 0; i < 100; i++ {
			wg.Go(func() {
				code, _, _ := env.do("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 100 + i, "method": "wechat"},
					"Idempotency-Key", fmt.Sprintf("k-%d", i))
				mu.Lock()
				statuses[code]++
				mu.Unlock()
			})
		}
		wg.Wait()
		t.Logf("%s: 100 concurrent different POSTs answered in %v", env.engine.Name, time.Since(start).Round(time.Millisecond))
		l := env.ledgerOf(ct.ID, ct.Key)
		var sum int64
		for i := 0; i < 100; i++ {
			sum += int64(100 + i)
		}
		if statuses[201] != 100 || len(l.Entries) != 101 || l.Balance.PaidFen != 12345+sum {
			t.Errorf("statuses %v, %d entries, paid %d; want 100×201, 101 entries, %d", statuses, len(l.Entries), l.Balance.PaidFen, 12345+sum)
		}
	})
}

// The worker confirms a payment and disputes a line with SMS codes; another worker cannot touch them
// (404); the dispute reaches the issuing station's queue, where staff resolve it with a correction.
func TestWorkerAnswersAndTheStationResolves(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346021")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		today := string(domain.DateOf(env.clock.Now()))
		var work, pay1, pay2 domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "work", "date": today, "quantity": 40}, 201, &work)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 5000, "method": "cash"}, 201, &pay1)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 2200, "method": "alipay"}, 201, &pay2)

		// Worker B, with a valid code of their own, gets 404 on A's payment, and keeps the code.
		b := env.register("13812346022", nil)
		bCode := env.confirmCode(b.Token, "13812346022")
		if code, body, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", pay1.ID), b.Token, map[string]string{"code": bCode}); code != 404 {
			t.Errorf("worker B confirms A's payment: %d %s", code, body)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", pay1.ID), b.Token, map[string]string{"code": bCode, "reason": "x"}); code != 404 {
			t.Errorf("worker B disputes A's payment: %d", code)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", pay1.ID), ct.Key, map[string]string{"code": "123456"}); code != 403 {
			t.Errorf("an employer confirming: %d", code)
		}

		// A confirms the first payment; a wrong code first.
		aCode := env.confirmCode(ct.Worker.Token, ct.Phone)
		if code, body, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", pay1.ID), ct.Worker.Token, map[string]string{"code": wrongCode(aCode)}); code != 400 || apiError(t, body).Field != "code" {
			t.Errorf("wrong code: %d %s", code, body)
		}
		var line domain.LedgerLine
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", pay1.ID), ct.Worker.Token, map[string]string{"code": aCode}, 200, &line)
		if line.Response == nil || line.Response.Response != "confirm" {
			t.Errorf("after confirming: %+v", line)
		}
		// The code is used up; a second answer to the same line is a conflict.
		again := env.confirmCode(ct.Worker.Token, ct.Phone)
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", pay1.ID), ct.Worker.Token, map[string]string{"code": again, "reason": "少了"}); code != 409 {
			t.Errorf("answering twice: %d", code)
		}
		// Work lines cannot be "confirmed as received", only disputed.
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/confirm", work.ID), ct.Worker.Token, map[string]string{"code": again}); code != 400 {
			t.Errorf("confirming a work line: %d", code)
		}
		if code, b, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", work.ID), ct.Worker.Token, map[string]string{"code": again}); code != 400 || apiError(t, b).Field != "reason" {
			t.Errorf("dispute without reason: %d %s", code, b)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", work.ID), ct.Worker.Token, map[string]string{"code": again, "reason": "实际 45 斤，少记 5 斤"}, 200, &line)
		third := env.confirmCode(ct.Worker.Token, ct.Phone)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", pay2.ID), ct.Worker.Token, map[string]string{"code": third, "reason": "没收到支付宝"}, 200, nil)

		l := env.ledgerOf(ct.ID, ct.Key)
		if l.Balance.ConfirmedFen != 5000 || l.Balance.DisputedFen != 7200+2200 {
			t.Errorf("balance %+v; want 5000 confirmed, 9400 disputed", l.Balance)
		}

		// The issuing station's queue; another station's staff see none of it and may not resolve.
		staff, _ := env.createStaff("zn-disputes", "ZN-S03")
		staffB, _ := env.createStaff("hy-disputes", "HY-M1")
		var q listResponse[domain.Dispute]
		env.mustJSON("GET", "/api/v1/disputes", staff, nil, 200, &q)
		if q.Total != 2 || q.Items[0].EntryID != work.ID || q.Items[0].Reason != "实际 45 斤，少记 5 斤" {
			t.Fatalf("queue %+v", q.Items)
		}
		env.mustJSON("GET", "/api/v1/disputes", staffB, nil, 200, &q)
		if q.Total != 0 {
			t.Errorf("another station sees %d disputes", q.Total)
		}
		if code, _, _ := env.do("GET", "/api/v1/disputes?station=ZN-S03", staffB, nil); code != 403 {
			t.Errorf("another station asks for ZN-S03's queue: %d", code)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/resolve", work.ID), staffB, map[string]any{"resolution": "x"}); code != 403 {
			t.Errorf("another station resolves: %d", code)
		}
		if code, b, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/resolve", work.ID), staff, map[string]any{"resolution": "复秤", "correction": map[string]any{"amount_fen": 0}}); code != 400 {
			t.Errorf("empty correction: %d %s", code, b)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/resolve", work.ID), staff,
			map[string]any{"resolution": "复秤 45 斤属实，补记 5 斤", "correction": map[string]any{"quantity": 5}}, 200, &line)
		if line.Response == nil || line.Response.ResolvedAt == nil {
			t.Errorf("resolved line %+v", line)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/ledger/%d/resolve", work.ID), staff, map[string]any{"resolution": "again"}); code != 409 {
			t.Errorf("resolving twice: %d", code)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/resolve", pay2.ID), staff, map[string]any{"resolution": "用工方出示了支付宝转账记录"}, 200, nil)
		l = env.ledgerOf(ct.ID, ct.Worker.Token)
		if l.Balance.EarnedFen != 8100 || l.Balance.DisputedFen != 0 || len(l.Entries) != 4 {
			t.Errorf("after resolution %+v (%d entries); want 45 斤 = 8100 earned", l.Balance, len(l.Entries))
		}
		env.mustJSON("GET", "/api/v1/disputes?open=false", staff, nil, 200, &q)
		if q.Total != 2 {
			t.Errorf("history %d", q.Total)
		}
		var notes []domain.Notification
		notes, _ = env.store.Notifications(t.Context(), domain.RecipientWorker, ct.Worker.Worker.ID, 10)
		resolved := 0
		for _, n := range notes {
			if n.Kind == "ledger_resolved" {
				resolved++
			}
		}
		if resolved != 2 {
			t.Errorf("worker told of %d resolutions, want 2", resolved)
		}
	})
}

var smsAmount = regexp.MustCompile(`(\d+(?:\.\d+)?) 斤 × ([\d.]+) 元/斤 = ([\d.]+) 元。今天累计 ([\d.]+) 斤，([\d.]+) 元`)

// Weigh tickets: scan the card (its URL, or the worker number), type the weight, the line is written at
// once and the picker gets an SMS with weight, rate, amount and the day's running total. Several
// piece-rate contracts make the caller choose; an employer without a contract learns nothing.
func TestWeighTickets(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346031")
		var me workerView
		env.mustJSON("GET", "/api/v1/workers/me", ct.Worker.Token, nil, 200, &me)

		var t1, t2 weighTicket
		env.mustJSON("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.CardURL, "weight_jin": 12.5}, 201, &t1)
		if t1.Entry.AmountFen != 2250 || t1.ContractID != ct.ID || t1.RateFen != 180 || t1.DayTickets != 1 || t1.DayWeightJin != 12500 || t1.WorkerNo != me.No {
			t.Errorf("first ticket %+v", t1)
		}
		code, b, h := env.do("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.No, "weight_jin": 30.25, "note": "下午"}, "Idempotency-Key", "scale-3-0001")
		if code != 201 || json.Unmarshal(b, &t2) != nil {
			t.Fatalf("second ticket: %d %s", code, b)
		}
		if t2.Entry.AmountFen != 5445 || t2.DayTickets != 2 || t2.DayWeightJin != 42750 || t2.DayAmountFen != 2250+5445 {
			t.Errorf("second ticket %+v", t2)
		}
		assertIntegerAmounts(t, b)
		// A retry of the same ticket (the recorder's signal dropped) writes and texts nothing new.
		code, b2, h := env.do("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.No, "weight_jin": 30.25, "note": "下午"}, "Idempotency-Key", "scale-3-0001")
		if code != 201 || !bytes.Equal(b, b2) || h.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d replayed=%q", code, h.Get("Idempotent-Replayed"))
		}

		var out listResponse[domain.SMSMessage]
		env.mustJSON("GET", "/api/v1/admin/sms-outbox?per_page=100&phone="+ct.Phone, env.admin, nil, 200, &out)
		var tickets []string
		for _, m := range out.Items {
			if strings.Contains(m.Body, "过秤") {
				tickets = append(tickets, m.Body)
			}
		}
		if len(tickets) != 2 {
			t.Fatalf("%d ticket SMS, want 2: %q", len(tickets), tickets)
		}
		// Newest first: the second ticket.
		if m := smsAmount.FindStringSubmatch(tickets[0]); m == nil || m[1] != "30.25" || m[2] != "1.80" || m[3] != "54.45" || m[4] != "42.75" || m[5] != "76.95" {
			t.Errorf("ticket SMS %q", tickets[0])
		}
		if !strings.Contains(tickets[0], ct.Number) || !strings.Contains(tickets[0], "第2次") {
			t.Errorf("ticket SMS lacks the contract or the count: %q", tickets[0])
		}

		// Each ticket is its own line, which the picker can dispute on its own.
		code2 := env.confirmCode(ct.Worker.Token, ct.Phone)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/ledger/%d/dispute", t1.Entry.ID), ct.Worker.Token, map[string]string{"code": code2, "reason": "应为 13 斤"}, 200, nil)
		l := env.ledgerOf(ct.ID, ct.Worker.Token)
		if l.Balance.DisputedFen != 2250 || l.Balance.EarnedFen != 7695 {
			t.Errorf("balance %+v", l.Balance)
		}

		// A second piece-rate contract with the same employer (evening picking): the caller must choose.
		today := domain.DateOf(env.clock.Now())
		evening := env.jobFrom(ct.EmpID, "ZN-S03", domain.PerPiece, 200, domain.SettleDaily, today.AddDays(-1), today.AddDays(5), "15:00-19:00")
		second := env.signedOn(evening, ct.Worker, ct.Phone, ct.Key)
		code, b, _ = env.do("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.No, "weight_jin": 10})
		if e := apiError(t, b); code != 409 || e.Field != "contract_id" || !strings.Contains(e.Message, ct.Number) || !strings.Contains(e.Message, second.Number) {
			t.Errorf("ambiguous ticket: %d %s", code, b)
		}
		var t3 weighTicket
		env.mustJSON("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.No, "weight_jin": 10, "contract_id": second.ID}, 201, &t3)
		if t3.ContractID != second.ID || t3.Entry.AmountFen != 2000 || t3.DayTickets != 1 {
			t.Errorf("chosen contract %+v", t3)
		}

		// Station staff weigh too; staff of another station and other employers find no contract.
		staff, _ := env.createStaff("zn-weigh", "ZN-S03")
		env.mustJSON("POST", "/api/v1/weigh-tickets", staff, map[string]any{"card": me.No, "weight_jin": 1, "contract_id": ct.ID}, 201, nil)
		staffB, _ := env.createStaff("hy-weigh", "HY-M1")
		_, otherKey := env.employerWithKey("别家合作社", "ZN-S03")
		for name, token := range map[string]string{"staff of another station": staffB, "another employer": otherKey} {
			if code, b, _ := env.do("POST", "/api/v1/weigh-tickets", token, map[string]any{"card": me.No, "weight_jin": 1}); code != 404 || apiError(t, b).Field != "card" {
				t.Errorf("%s: %d %s", name, code, b)
			}
		}
		if code, b, _ := env.do("POST", "/api/v1/weigh-tickets", otherKey, map[string]any{"card": "LG99999999", "weight_jin": 1}); code != 404 || !strings.Contains(apiError(t, b).Message, "有效合约") {
			t.Errorf("unknown worker number for an employer: %d %s", code, b)
		}
		for _, tc := range []struct{ body, field string }{
			{`{"card":"` + me.No + `","weight_jin":-1}`, "weight_jin"},
			{`{"card":"` + me.No + `","weight_jin":"12"}`, "weight_jin"},
			{`{"card":"` + me.No + `","weight_jin":1.0001}`, "weight_jin"},
			{`{"card":"","weight_jin":1}`, "card"},
			{`{"card":"` + me.No + `","weight_jin":1,"amount_fen":1}`, "amount_fen"},
		} {
			if code, b, _ := env.do("POST", "/api/v1/weigh-tickets", ct.Key, tc.body); code != 400 || apiError(t, b).Field != tc.field {
				t.Errorf("%s: %d %s", tc.body, code, b)
			}
		}
		if code, _, _ := env.do("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": testPublicURL + "/c/forged-token", "weight_jin": 1}); code != 404 {
			t.Errorf("forged card: %d", code)
		}
		if code, _, _ := env.do("POST", "/api/v1/weigh-tickets", ct.Worker.Token, map[string]any{"card": me.No, "weight_jin": 1}); code != 403 {
			t.Errorf("a worker weighing: %d", code)
		}
		assertNoIDNumberInBodies(t, env)
	})
}

// The totals as printed: pdftotext may interleave them with the table's columns, so each is found alone.
var printedTotals = []*regexp.Regexp{
	regexp.MustCompile(`应得\s*(-?[\d.]+)\s*元`), regexp.MustCompile(`已付\s*(-?[\d.]+)\s*元`), regexp.MustCompile(`未付\s*(-?[\d.]+)\s*元`),
}

// The printed totals (the contract PDF's 结算记录 and the standalone ledger PDF) are the API's balance.
func TestPrintedTotalsEqualTheAPIBalance(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346041")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		today := domain.DateOf(env.clock.Now())
		var first domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "work", "date": string(today.AddDays(-2)), "quantity": 88.8}, 201, &first)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "work", "date": string(today.AddDays(-1)), "quantity": 101.35}, 201, nil)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 15984, "method": "bank", "reference": "6228****0001"}, 201, nil)
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "correction", "corrects_id": first.ID, "amount_fen": -100, "note": "扣秤皮"}, 201, nil)
		bal := env.ledgerOf(ct.ID, ct.Worker.Token).Balance
		if bal.EarnedFen != 15984+18243-100 {
			t.Fatalf("balance %+v", bal)
		}
		for _, p := range []string{path + ".pdf", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID)} {
			code, pdf, _ := env.do("GET", p, ct.Worker.Token, nil)
			if code != 200 || !isPDF(pdf) {
				t.Fatalf("%s: %d", p, code)
			}
			text := pdfText(t, pdf)
			want := []string{domain.FormatYuan(bal.EarnedFen), domain.FormatYuan(bal.PaidFen), domain.FormatYuan(bal.OutstandingFen)}
			for i, re := range printedTotals {
				all := re.FindAllStringSubmatch(text, -1)
				if len(all) != 1 || all[0][1] != want[i] {
					t.Errorf("%s: printed %v for %s, API balance %s", p, all, re, want[i])
				}
			}
			if !strings.Contains(text, "结算记录") || !strings.Contains(text, "有异议") && !strings.Contains(text, "待确认") {
				t.Errorf("%s lacks the settlement record's words", p)
			}
		}
	})
}

// An overdue daily-pay record raises exactly one alert however often the sweep runs (injected clock),
// to the station's list, the console and the employer; past 3 days it holds back the employer's next
// gig, naming the arrears; paying clears it.
func TestOverdueDailyPayThroughTheAPI(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		w := env.register("13812346051", nil)
		empID, key := env.employerWithKey("沙坡头区兴旺建筑劳务", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(30), "07:00-17:00")
		ct := env.signedOn(job, w, "13812346051", key)
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		env.mustJSON("POST", path, key, map[string]any{"kind": "work", "date": string(today), "quantity": 1}, 201, nil)
		ctx := t.Context()
		if r, _, _ := env.store.SweepArrears(ctx, 0); r != 0 {
			t.Errorf("raised on the work day itself")
		}
		env.clock.Advance(24 * time.Hour)
		// Sessions age with the clock; log in afresh on the new day.
		staff, _ := env.createStaff("zn-arrears", "ZN-S03")
		admin := env.login("admin", "admin-test-password")
		for i := 0; i < 3; i++ {
			if _, _, err := env.store.SweepArrears(ctx, 0); err != nil {
				t.Fatal(err)
			}
		}
		var list listResponse[domain.ArrearsAlert]
		env.mustJSON("GET", "/api/v1/arrears", staff, nil, 200, &list)
		if list.Total != 1 || list.Items[0].AmountFen != 20000 || list.Items[0].ContractNumber != ct.Number || list.Items[0].AgeDays != 1 {
			t.Fatalf("alerts %+v", list.Items)
		}
		code, body, _ := env.do("GET", "/api/v1/employer/arrears", key, nil)
		if code != 200 || !strings.Contains(string(body), ct.Number) {
			t.Errorf("employer's alerts: %d %s", code, body)
		}
		assertIntegerAmounts(t, body)
		_, otherKey := env.employerWithKey("别家", "ZN-S03")
		env.mustJSON("GET", "/api/v1/employer/arrears", otherKey, nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("another employer sees %d alerts", list.Total)
		}
		staffB, _ := env.createStaff("hy-arrears", "HY-M1")
		env.mustJSON("GET", "/api/v1/arrears", staffB, nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("another station sees %d alerts", list.Total)
		}
		env.mustJSON("GET", "/api/v1/arrears?station=ZN-S03", admin, nil, 200, &list)
		if list.Total != 1 {
			t.Errorf("admin's view of ZN-S03: %d", list.Total)
		}
		alertID := list.Items[0].ID

		// Four days late: the employer's next gig waits, and the refusal names the arrears.
		env.clock.Advance(3 * 24 * time.Hour)
		staff, staffB = env.login("zn-arrears", "staff-test-password"), env.login("hy-arrears", "staff-test-password")
		next := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today.AddDays(10), today.AddDays(12), "07:00-17:00")
		if _, err := env.db.Exec("UPDATE jobs SET status = 'pending_review', approved_at = NULL WHERE id = $1", next); err != nil {
			t.Fatal(err)
		}
		code, body, _ = env.do("POST", fmt.Sprintf("/api/v1/jobs/%d/review", next), staff, map[string]string{"decision": "approve"})
		if e := apiError(t, body); code != 409 || !strings.Contains(e.Message, ct.Number) || !strings.Contains(e.Message, "200 元") || !strings.Contains(e.Message, "逾期 4 天") {
			t.Errorf("approval with arrears: %d %s", code, body)
		}
		if code, _, _ := env.do("POST", fmt.Sprintf("/api/v1/arrears/%d/clear", alertID), staffB, nil); code != 403 {
			t.Errorf("another station clears: %d", code)
		}
		if code, _, _ := env.do("POST", "/api/v1/arrears/999999/clear", staff, nil); code != 404 {
			t.Errorf("unknown alert: %d", code)
		}

		// Paying clears the alert at the next sweep.
		env.mustJSON("POST", path, key, map[string]any{"kind": "payment", "amount_fen": 20000, "method": "cash"}, 201, nil)
		if _, cleared, _ := env.store.SweepArrears(ctx, 0); cleared != 1 {
			t.Errorf("cleared %d", cleared)
		}
		env.mustJSON("GET", "/api/v1/arrears", staff, nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("open alerts after paying: %+v", list.Items)
		}
		env.mustJSON("GET", "/api/v1/arrears?open=false", staff, nil, 200, &list)
		if list.Total != 1 || list.Items[0].ClearedAt == nil {
			t.Errorf("history %+v", list.Items)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", next), staff, map[string]string{"decision": "approve"}, 200, nil)
	})
}

// The monthly 工资支付台账: CSV in UTF-8 with a BOM and the columns of Art. 15, masked ID numbers for
// staff and in the PDF, the full number only in an admin's CSV with id=full, which is audited.
func TestMonthlyPayrollExport(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		id := withIDCheck("64052119800101123")
		w := env.register("13812346061", func(m map[string]any) { m["id_number"] = id })
		empID, key := env.employerWithKey("中宁县杞香源枸杞合作社", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		job := env.jobFrom(empID, "ZN-S03", domain.PerPiece, 180, domain.SettleDaily, today.AddDays(-2), today.AddDays(20), "05:00-11:00")
		ct := env.signedOn(job, w, "13812346061", key)
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		env.mustJSON("POST", path, key, map[string]any{"kind": "work", "date": string(today), "quantity": 100}, 201, nil)
		env.mustJSON("POST", path, key, map[string]any{"kind": "payment", "amount_fen": 10000, "method": "wechat"}, 201, nil)
		month := today.Start().Format("2006-01")
		staff, _ := env.createStaff("zn-payroll", "ZN-S03")

		code, csv, h := env.do("GET", "/api/v1/stations/ZN-S03/payroll?format=csv&month="+month, staff, nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(csv, []byte("\uFEFF")) {
			t.Fatalf("CSV: %d %s", code, h)
		}
		text := string(csv)
		for _, want := range []string{"姓名,身份证号,用工单位,合同编号", "工作天数", "应发工资（元）", "扣除（元）", "实发工资（元）", "本期已付（元）", "本人确认",
			"马建国", domain.MaskIDNumber(id), ct.Number, "180.00", "100.00", "80.00", "合计"} {
			if !strings.Contains(text, want) {
				t.Errorf("CSV lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, id) {
			t.Error("staff's CSV shows the full ID number")
		}
		if code, _, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?format=csv&id=full&month="+month, staff, nil); code != 403 {
			t.Errorf("staff asks for full IDs: %d", code)
		}
		staffB, _ := env.createStaff("hy-payroll", "HY-M1")
		if code, _, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?month="+month, staffB, nil); code != 403 {
			t.Errorf("another station's staff: %d", code)
		}
		if code, _, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?month=2026-13", staff, nil); code != 400 {
			t.Errorf("bad month: %d", code)
		}
		if code, _, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?format=pdf&id=full&month="+month, env.admin, nil); code != 400 {
			t.Errorf("full IDs in a PDF: %d", code)
		}
		code, pdf, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?format=pdf&month="+month, env.admin, nil)
		if code != 200 || !isPDF(pdf) {
			t.Fatalf("PDF: %d", code)
		}
		ptext := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		if strings.Contains(ptext, id) || !strings.Contains(ptext, domain.MaskIDNumber(id)) || !strings.Contains(ptext, "工资支付台账") || !strings.Contains(ptext, ct.Number) {
			t.Errorf("payroll PDF text: %s", ptext)
		}
		assertNoIDNumberInBodies(t, env) // everything so far; the admin's export below carries the number on purpose

		before := countAudit(t, env, "payroll.export_id_numbers")
		code, full, _ := env.do("GET", "/api/v1/stations/ZN-S03/payroll?format=csv&id=full&month="+month, env.admin, nil)
		if code != 200 || !strings.Contains(string(full), "\t"+id) {
			t.Errorf("admin's full CSV: %d %s", code, full)
		}
		if n := countAudit(t, env, "payroll.export_id_numbers"); n != before+1 {
			t.Errorf("%d export events, want %d", n, before+1)
		}
	})
}

func countAudit(t *testing.T, env *testEnv, action string) int {
	t.Helper()
	var n int
	if err := env.db.QueryRow("SELECT count(*) FROM audit_events WHERE action = $1", action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The worker's phone pages: /me sums up the pay, the contract page lists the lines, and a payment is
// confirmed or a ticket disputed with a code, as the contract was signed.
func TestWorkerSettlesOnThePages(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		ct := env.pieceContract("13812346071")
		path := fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID)
		var ticket weighTicket
		var me workerView
		env.mustJSON("GET", "/api/v1/workers/me", ct.Worker.Token, nil, 200, &me)
		env.mustJSON("POST", "/api/v1/weigh-tickets", ct.Key, map[string]any{"card": me.No, "weight_jin": 50}, 201, &ticket)
		var pay domain.LedgerEntry
		env.mustJSON("POST", path, ct.Key, map[string]any{"kind": "payment", "amount_fen": 9000, "method": "wechat"}, 201, &pay)

		b := env.browser()
		u, _ := url.Parse(env.http.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: ct.Worker.Token, Path: "/"}})
		code, _, page := b.get("/me")
		if code != 200 || !strings.Contains(page, `id="my-ledger"`) || !strings.Contains(page, "有 1 笔付款等您确认") || !strings.Contains(page, "90 元") {
			t.Fatalf("/me ledger block: %d", code)
		}
		cpage := fmt.Sprintf("/me/contracts/%d", ct.ID)
		code, _, page = b.get(cpage)
		if code != 200 || !strings.Contains(page, fmt.Sprintf(`id="ledger-%d"`, pay.ID)) || !strings.Contains(page, "确认收到 90 元") || !strings.Contains(page, "50 斤") {
			t.Fatalf("contract page ledger: %d", code)
		}
		csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)[1]
		if code, loc, _ := b.post(cpage+"/code", url.Values{"csrf_token": {csrf}}); code != 303 || !strings.Contains(loc, "sent=") {
			t.Fatalf("send code: %d %s", code, loc)
		}
		sms := env.lastCode(ct.Phone)
		code, _, page = b.post(fmt.Sprintf("/me/ledger/%d/confirm", pay.ID), url.Values{"csrf_token": {csrf}, "code": {wrongCode(sms)}})
		if code != 400 || !strings.Contains(page, `id="ledger-error"`) || !strings.Contains(page, "验证码不正确") {
			t.Errorf("wrong code on the page: %d", code)
		}
		code, loc, _ := b.post(fmt.Sprintf("/me/ledger/%d/confirm", pay.ID), url.Values{"csrf_token": {csrf}, "code": {sms}})
		if code != 303 || !strings.Contains(loc, "answered=confirm") {
			t.Fatalf("confirm: %d %s", code, loc)
		}
		b.post(cpage+"/code", url.Values{"csrf_token": {csrf}})
		sms = env.lastCode(ct.Phone)
		code, loc, _ = b.post(fmt.Sprintf("/me/ledger/%d/dispute", ticket.Entry.ID), url.Values{"csrf_token": {csrf}, "code": {sms}, "reason": {"我称的是 52 斤"}})
		if code != 303 || !strings.Contains(loc, "answered=dispute") {
			t.Fatalf("dispute: %d %s", code, loc)
		}
		_, _, page = b.get(cpage + "?answered=dispute")
		if !strings.Contains(page, "已确认收到") || !strings.Contains(page, "有异议，驿站处理中") || !strings.Contains(page, "异议已提交") {
			t.Errorf("the page after answering does not show both answers")
		}
		if code, _, _ := b.post(fmt.Sprintf("/me/ledger/%d/confirm", pay.ID), url.Values{"csrf_token": {"forged"}, "code": {"123456"}}); code != 403 {
			t.Errorf("forged csrf: %d", code)
		}
		// Another worker's page session cannot answer this line.
		other := env.register("13812346072", nil)
		ob := env.browser()
		ob.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: other.Token, Path: "/"}})
		_, _, opage := ob.get("/me")
		ocsrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(opage)[1]
		if code, _, _ := ob.post(fmt.Sprintf("/me/ledger/%d/dispute", pay.ID), url.Values{"csrf_token": {ocsrf}, "code": {"123456"}, "reason": {"x"}}); code != 404 {
			t.Errorf("another worker's form: %d", code)
		}
		l := env.ledgerOf(ct.ID, ct.Key)
		if l.Balance.ConfirmedFen != 9000 || l.Balance.DisputedFen != 9000 {
			t.Errorf("balance after the pages %+v", l.Balance)
		}
	})
}

// login logs a console user in again (sessions expire as a test moves the clock).
func (env *testEnv) login(username, password string) string {
	env.t.Helper()
	var out struct{ Token string }
	env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, 200, &out)
	return out.Token
}
