package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lingong/domain"
)

// The README's 枸杞 gig through the API, on SQLite and PostgreSQL: posted at 1.80 元 a 斤 with 0.06 h a
// 斤 and 10 h of shifts, it is shown as 1.80 元/斤, signed with half a day's pay of exactly 150 元
// (300 元 a day), and its printed contract and ledger say 元/斤 and 18.3 斤. A piece unit that is not
// one, or one on a day rate, is refused with its field and creates nothing.
func TestReadmeJobMoneyAndPieceUnitThroughTheAPI(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		_, key := env.employerWithKey("宁夏杞乡枸杞种植合作社", "ZN-S03")
		today := domain.DateOf(env.clock.Now())
		body := func(change func(m map[string]any)) map[string]any {
			return jobBody(func(m map[string]any) {
				m["piece_unit"] = "斤"
				m["start_date"], m["end_date"] = string(today), string(today.AddDays(29))
				if change != nil {
					change(m)
				}
			})
		}

		jobs := env.count("jobs")
		for name, change := range map[string]func(m map[string]any){
			"not a unit":            func(m map[string]any) { m["piece_unit"] = "吨吨" },
			"a piece unit by day":   func(m map[string]any) { m["wage_unit"], m["wage_fen"], m["expected_hours"] = "day", 30000, 0 },
			"a piece unit per hour": func(m map[string]any) { m["wage_unit"], m["wage_fen"], m["expected_hours"] = "hour", 3000, 0 },
		} {
			code, b, _ := env.do("POST", "/api/v1/jobs", key, body(change))
			if code != 400 || apiError(t, b).Field != "piece_unit" {
				t.Errorf("%s: %d %s; want 400 on piece_unit", name, code, b)
			}
		}
		if n := env.count("jobs"); n != jobs {
			t.Errorf("refused gigs left %d jobs behind", n-jobs)
		}

		var posted struct {
			ID        int64  `json:"id"`
			PieceUnit string `json:"piece_unit"`
			WageLabel string `json:"wage_label"`
		}
		env.mustJSON("POST", "/api/v1/jobs", key, body(nil), 201, &posted)
		if posted.PieceUnit != "斤" || posted.WageLabel != "1.80 元/斤" {
			t.Errorf("posted gig says %q, %q; want 斤 and 1.80 元/斤", posted.PieceUnit, posted.WageLabel)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", posted.ID), env.admin, map[string]string{"decision": "approve"}, 200, nil)

		const phone = "13812347001"
		w := env.register(phone, nil)
		ct := env.signedOn(posted.ID, w, phone, key)
		var got struct {
			Terms struct {
				Wage struct {
					AmountFen int64  `json:"amount_fen"`
					Unit      string `json:"unit"`
					PieceUnit string `json:"piece_unit"`
				} `json:"wage"`
				Cancellation struct {
					EmployerFeeFen int64 `json:"employer_fee_fen"`
				} `json:"cancellation"`
			} `json:"terms"`
		}
		env.mustJSON("GET", fmt.Sprintf("/api/v1/contracts/%d", ct.ID), w.Token, nil, 200, &got)
		if wg := got.Terms.Wage; wg.AmountFen != 180 || wg.Unit != "piece" || wg.PieceUnit != "斤" {
			t.Errorf("signed wage %+v; want 180 fen a 斤", wg)
		}
		if fee := got.Terms.Cancellation.EmployerFeeFen; fee != 15000 {
			t.Errorf("half a day's pay is %d fen; want 15000 (1.80 元 × 10 h ÷ 0.06 h ÷ 2)", fee)
		}

		// 18.3 斤 at 1.80 元 is 32.94 元.
		var work domain.LedgerEntry
		env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", ct.ID), key,
			`{"kind":"work","date":"`+string(today)+`","quantity":18.3}`, 201, &work)
		if work.AmountFen != 3294 {
			t.Errorf("18.3 斤 earned %d fen, want 3294", work.AmountFen)
		}
		for _, path := range []string{"/api/v1/contracts/%d/pdf", "/api/v1/contracts/%d/ledger.pdf"} {
			code, pdf, _ := env.do("GET", fmt.Sprintf(path, ct.ID), w.Token, nil)
			if code != 200 || !isPDF(pdf) {
				t.Errorf("%s: %d", path, code)
				continue
			}
			text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
			wants := []string{"1.80元/斤", "18.3斤", "32.94"}
			if strings.HasSuffix(path, "/pdf") {
				wants = append(wants, "半天工资150元")
			}
			for _, want := range wants {
				if !strings.Contains(text, want) {
					t.Errorf("%s lacks %q", path, want)
				}
			}
			if strings.Contains(text, "件(斤)") || strings.Contains(text, "件/斤") {
				t.Errorf("%s still says 件(斤) or 件/斤", path)
			}
		}

		// The worker's contract page says the same.
		b := env.browser()
		u, _ := url.Parse(env.http.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: w.Token, Path: "/"}})
		code, _, page := b.get(fmt.Sprintf("/me/contracts/%d", ct.ID))
		if code != 200 || !strings.Contains(page, "1.80 元/斤") || !strings.Contains(page, "18.3 斤") || strings.Contains(page, "件(斤)") {
			t.Errorf("the worker's contract page (%d) does not say 1.80 元/斤 and 18.3 斤", code)
		}
	})
}
