package api

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 22 item 3: the worker sees the cover of their working days on /me and in the contract PDF: a
// covered day names insurer and policy; an exempted day and a day after the policy lapses are told as
// "没有意外保险 … 请先和用工方或驿站确认" before the worker goes. A renewed policy shows on the same
// contract's PDF without changing its signed terms hash.
func TestWorkerSeesTheCoverOfTheirDays(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		today := domain.DateOf(env.clock.Now())
		md := func(d domain.Date) string { return fmt.Sprintf("%d月%d日", d.Start().Month(), d.Start().Day()) }
		empID, key := env.employerWithKey("中宁县杞乡合作社", "ZN-S03")
		staff, _ := env.createStaff("zn-cover", "ZN-S03")
		declare := func(job int64, validTo domain.Date) {
			body := coverBody(string(validTo))
			body["valid_from"] = string(today.AddDays(-1))
			env.mustJSON("PUT", fmt.Sprintf("/api/v1/jobs/%d/cover", job), key, body, 200, nil)
			env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/cover/check", job), staff, nil, 200, nil)
		}
		worker := func(phone string, job int64) (settled, *browser) {
			w := env.register(phone, nil)
			ct := env.signedOn(job, w, phone, key)
			b := env.browser()
			b.post("/login/otp", url.Values{"phone": {phone}})
			if status, _, _ := b.post("/login/verify", url.Values{"code": {env.lastCode(phone)}}); status != 303 {
				t.Fatalf("login %s: %d", phone, status)
			}
			return ct, b
		}
		coverLines := regexp.MustCompile(`<li id="cover-[^"]*" class="[a-z]+"[^>]*><b>([^<]*)</b>`)
		meCover := func(b *browser) []string {
			status, _, body := b.get("/me")
			if status != 200 {
				t.Fatalf("/me: %d", status)
			}
			var out []string
			for _, m := range coverLines.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		pdfOf := func(ct settled) string {
			code, pdf, _ := env.do("GET", fmt.Sprintf("/api/v1/contracts/%d/pdf", ct.ID), ct.Worker.Token, nil)
			if code != 200 {
				t.Fatalf("contract pdf: %d", code)
			}
			return strings.Join(strings.Fields(pdfText(t, pdf)), "")
		}
		label := "中国人寿财险中卫支公司 · PICC-2026-0001"

		// A covered gig: today and tomorrow are insured, named by insurer and policy.
		covered := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(2), "07:00-12:00")
		declare(covered, today.AddDays(30))
		ct, b := worker("13812349001", covered)
		want := []string{"今天有意外保险（" + label + "）", "明天（" + md(today.AddDays(1)) + "）有意外保险（" + label + "）"}
		if got := meCover(b); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("covered /me: %q, want %q", got, want)
		}
		text := pdfOf(ct)
		for _, w := range []string{"意外保险：", "保险公司中国人寿财险中卫支公司", "保单号PICC-2026-0001", "每人保额500000元",
			"有效期" + string(today.AddDays(-1)) + "至" + string(today.AddDays(30))} {
			if !strings.Contains(text, w) {
				t.Errorf("covered contract PDF lacks %q:\n%s", w, text)
			}
		}

		// An exempted gig (approved at review with a reason): the worker is told before going.
		exempt := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(2), "07:00-12:00")
		if _, err := env.db.Exec(`UPDATE jobs SET status = 'pending_review', approved_at = NULL WHERE id = $1`, exempt); err != nil {
			t.Fatal(err)
		}
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", exempt), staff,
			map[string]any{"decision": "approve", "cover_exemption": "村集体义务劳动，镇政府统一投保"}, 200, nil)
		ct, b = worker("13812349002", exempt)
		got := meCover(b)
		if len(got) != 2 || got[0] != "今天没有意外保险（已登记豁免：村集体义务劳动，镇政府统一投保），请先和用工方或驿站确认" ||
			!strings.HasPrefix(got[1], "明天（"+md(today.AddDays(1))+"）没有意外保险") {
			t.Errorf("exempt /me: %q", got)
		}
		if text := pdfOf(ct); !strings.Contains(text, "无意外保险（已登记豁免：村集体义务劳动，镇政府统一投保）") {
			t.Errorf("exempt contract PDF lacks the exemption:\n%s", text)
		}

		// A policy that ends today on a gig that runs four days: today is insured, tomorrow is not.
		lapsed := env.jobFrom(empID, "ZN-S03", domain.PerDay, 20000, domain.SettleDaily, today, today.AddDays(3), "07:00-12:00")
		declare(lapsed, today)
		ct, b = worker("13812349003", lapsed)
		want = []string{"今天有意外保险（" + label + "）",
			"明天（" + md(today.AddDays(1)) + "）没有意外保险（保单 " + md(today) + " 已到期），请先和用工方或驿站确认"}
		if got := meCover(b); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("lapsed /me: %q, want %q", got, want)
		}
		text = pdfOf(ct)
		if !strings.Contains(text, string(today.AddDays(1))+"起的工作日没有意外保险") {
			t.Errorf("lapsed contract PDF does not say the days after the policy are uninsured:\n%s", text)
		}
		var hash string
		if err := env.db.QueryRow(`SELECT terms_hash FROM contracts WHERE id = $1`, ct.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}

		// The employer renews the policy: tomorrow is insured, the same contract's PDF shows the new
		// dates and still prints (and matches) the hash both parties signed.
		declare(lapsed, today.AddDays(30))
		if got := meCover(b); len(got) != 2 || got[1] != "明天（"+md(today.AddDays(1))+"）有意外保险（"+label+"）" {
			t.Errorf("renewed /me: %q", got)
		}
		text = pdfOf(ct)
		if !strings.Contains(text, "至"+string(today.AddDays(30))) || strings.Contains(text, "起的工作日没有意外保险") || !strings.Contains(text, hash[:16]) {
			t.Errorf("renewed contract PDF: want the new dates and the signed hash %s:\n%s", hash, text)
		}
		var after string
		if err := env.db.QueryRow(`SELECT terms_hash FROM contracts WHERE id = $1`, ct.ID).Scan(&after); err != nil || after != hash {
			t.Errorf("renewing the policy changed the contract's terms hash: %s -> %s (%v)", hash, after, err)
		}
	})
}
