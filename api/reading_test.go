package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// The library says how it read the words, in the API and on /jobs; the taxonomy is public.
func TestSearchSaysHowTheQueryWasRead(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		emp := e.newEmployer("ZN-S03")
		e.approve(e.staffA, e.postJob(emp.Key, jobBody()).ID)
		q := url.QueryEscape("找活 中宁 摘枸杞 日结")
		var res struct {
			Total   int `json:"total"`
			Reading struct {
				Summary  string   `json:"summary"`
				District string   `json:"district"`
				Ignored  []string `json:"ignored"`
				Prefer   []string `json:"prefer"`
			} `json:"reading"`
		}
		if code := e.call("GET", "/api/v1/jobs?q="+q, "", nil, &res); code != 200 || res.Total != 1 {
			t.Fatalf("search: %d %+v", code, res)
		}
		r := res.Reading
		if r.District != "中宁县" || !strings.Contains(r.Summary, "中宁县") || !strings.Contains(r.Summary, "日结") ||
			len(r.Ignored) == 0 || r.Ignored[0] != "找活" || len(r.Prefer) == 0 {
			t.Errorf("reading %+v", r)
		}
		page := e.do("GET", "/jobs?q="+q, "", nil).Body.String()
		if !strings.Contains(page, `id="query-reading"`) || !strings.Contains(page, r.Summary) {
			t.Errorf("/jobs does not show the reading %q", r.Summary)
		}
		if page := e.do("GET", "/jobs", "", nil).Body.String(); strings.Contains(page, `id="query-reading"`) {
			t.Errorf("/jobs without words shows a reading")
		}
	})
}

func TestSkillsListTheTaxonomy(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.do("GET", "/api/v1/skills", "", nil)
		var tax struct {
			Categories []struct {
				Name   string
				Skills []struct {
					Name     string
					Synonyms []string
					Slang    []string
					Related  []string
				}
			}
			Certificates []struct {
				Name    string
				Implies []string
			}
		}
		if err := json.Unmarshal(r.Body.Bytes(), &tax); r.Code != 200 || err != nil || len(tax.Categories) == 0 {
			t.Fatalf("%d %v", r.Code, err)
		}
		found := map[string]bool{}
		for _, c := range tax.Categories {
			for _, s := range c.Skills {
				if s.Name == "枸杞采摘" && c.Name == "农业采摘" && len(s.Synonyms) > 0 && len(s.Slang) > 0 {
					found["skill"] = true
				}
			}
		}
		for _, c := range tax.Certificates {
			if c.Name == "A2驾照" && strings.Contains(strings.Join(c.Implies, ","), "B2驾照") {
				found["cert"] = true
			}
		}
		if !found["skill"] || !found["cert"] {
			t.Errorf("the taxonomy lacks 枸杞采摘 with its words, or A2 implying B2: %v", found)
		}
	})
}
