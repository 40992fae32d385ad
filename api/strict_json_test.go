package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Issue 18 item 8: a key written twice or in another case than the API's is refused (Go's decoder would
// take the last one, case-insensitively: {"headcount":5,"HeadCount":499} made a gig for 499), and so are
// a lone UTF-16 surrogate and the invisible characters that change how a title or a name is shown.
func TestStrictJSONKeysAndInvisibleCharacters(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		_, key := env.employerWithKey("马建军枸杞园", "ZN-S03")
		job := func(change func(m map[string]any)) string {
			soon := func(m map[string]any) { // the harness runs on today's date
				m["start_date"], m["end_date"] = time.Now().AddDate(0, 0, 2).Format("2006-01-02"), time.Now().AddDate(0, 0, 30).Format("2006-01-02")
				if change != nil {
					change(m)
				}
			}
			b, _ := json.Marshal(jobBody(soon))
			return string(b)
		}
		withRaw := func(raw string) string { // the gig with raw members spliced in before the closing brace
			b := job(func(m map[string]any) { delete(m, "headcount") })
			return strings.TrimSuffix(b, "}") + "," + raw + "}"
		}
		jobsBefore := env.count("jobs")
		for _, tc := range []struct {
			name, body, field, msg string
		}{
			{"headcount then HeadCount", withRaw(`"headcount":5,"HeadCount":499`), "HeadCount", "大小写"},
			{"HeadCount alone", withRaw(`"HeadCount":499`), "HeadCount", "应为“headcount”"},
			{"headcount twice", withRaw(`"headcount":5,"headcount":499`), "headcount", "两次"},
			{"a nested key twice", job(nil)[:1] + `"shifts":[{"start":"05:00","start":"06:00","end":"11:00"}],` + job(func(m map[string]any) { delete(m, "shifts") })[1:], "start", "两次"},
			{"lone surrogate in the title", job(func(m map[string]any) { m["title"] = "PLACEHOLDER" }), "title", "无法识别"},
			{"right-to-left override in the title", job(func(m map[string]any) { m["title"] = "摘枸杞 日结\u202e元003" }), "title", "岗位标题"},
			{"zero-width space in the title", job(func(m map[string]any) { m["title"] = "摘\u200b枸杞" }), "title", "看不见"},
			{"BOM in the address", job(func(m map[string]any) { m["address"] = "\ufeff新堡镇" }), "address", "地址"},
			{"isolate in the description", job(func(m map[string]any) { m["description"] = "摘枸杞\u2066按斤\u2069" }), "description", "岗位说明"},
		} {
			body := strings.Replace(tc.body, "PLACEHOLDER", `\ud800摘枸杞`, 1)
			code, b, _ := env.do("POST", "/api/v1/jobs", key, body)
			e := apiError(t, b)
			if code != 400 || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("%s: %d %+v, want 400 on %q saying %q", tc.name, code, e, tc.field, tc.msg)
			}
		}
		if n := env.count("jobs"); n != jobsBefore {
			t.Errorf("jobs %d -> %d: a refused body made a gig", jobsBefore, n)
		}
		// The same gig with its keys as documented is posted.
		env.mustJSON("POST", "/api/v1/jobs", key, job(nil), 201, nil)

		// Names: a worker's and an employer's.
		reg := registration("13700005678", env.sendCode("13700005678"))
		reg["name"] = "马\u200d桂兰"
		code, b, _ := env.do("POST", "/api/v1/workers", "", reg)
		if e := apiError(t, b); code != 400 || e.Field != "name" || !strings.Contains(e.Message, "姓名") || !strings.Contains(e.Message, "看不见") {
			t.Errorf("worker name with a zero-width joiner: %d %+v", code, e)
		}
		code, b, _ = env.do("POST", "/api/v1/employers", env.admin, map[string]any{"kind": "individual", "name": "杞源\u202e合作社",
			"contact_name": "马建军", "contact_phone": "13912345678", "station_code": "ZN-S03"})
		if e := apiError(t, b); code != 400 || e.Field != "name" || !strings.Contains(e.Message, "名称") {
			t.Errorf("employer name with a bidi override: %d %+v", code, e)
		}
	})
}
