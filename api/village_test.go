package api

import (
	"net/url"
	"strings"
	"testing"
)

// A worker can say which village (or community) of the town they live in: the places list offers each
// town's villages from the published 区划代码 list, the API and the profile page take a village of the
// chosen town (by its name or its short name) and refuse one of another town naming the field, a new
// town without a village drops the old village, and "" removes it.
func TestAWorkerChoosesAVillageOfTheirTown(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		var places struct {
			Districts []struct {
				Name  string
				Towns []struct {
					Name     string
					Code     string
					Villages []struct{ Code, Name string }
				}
			}
		}
		if code := e.call("GET", "/api/v1/places", "", nil, &places); code != 200 || len(places.Districts) != 3 {
			t.Fatalf("GET /api/v1/places: %d, %d districts", code, len(places.Districts))
		}
		found := false
		for _, d := range places.Districts {
			for _, town := range d.Towns {
				for _, v := range town.Villages {
					found = found || (d.Name == "中宁县" && town.Name == "新堡镇" && v.Name == "刘庄村" && strings.HasPrefix(v.Code, town.Code))
				}
			}
		}
		if !found {
			t.Error("the places list does not offer 中宁县 新堡镇 刘庄村")
		}

		w := e.worker("ZN-S03", func(m map[string]any) { m["village"] = "刘庄" })
		var me workerView
		if e.call("GET", "/api/v1/workers/me", w.Token, nil, &me); me.Village != "刘庄村" || me.Town != "新堡镇" {
			t.Fatalf("registered with 刘庄: village %q in %s", me.Village, me.Town)
		}
		// A village of another town, on registration and on a change: 400 on village, nothing saved.
		body := map[string]any{"phone": workerPhones(), "name": "马建国", "station_code": "ZN-S03", "skills": []string{"枸杞采摘"},
			"district": "中宁县", "town": "宁安镇", "village": "刘庄村", "expected_wage_fen": 15000}
		if r := e.do("POST", "/api/v1/workers", e.admin, body); r.Code != 400 || r.err().Field != "village" || !strings.Contains(r.err().Message, "宁安镇没有") {
			t.Errorf("registering with a village of another town: %d %+v", r.Code, r.err())
		}
		if r := e.do("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"village": "杞苑社区"}); r.Code != 400 || r.err().Field != "village" {
			t.Errorf("changing to a community of 宁安镇 while in 新堡镇: %d %+v", r.Code, r.err())
		}
		if e.call("GET", "/api/v1/workers/me", w.Token, nil, &me); me.Village != "刘庄村" {
			t.Errorf("a refused change moved the village to %q", me.Village)
		}
		// Moving to another town with its village; then to a town without saying the village drops it.
		e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"town": "宁安镇", "village": "杞苑"}, &me)
		if me.Town != "宁安镇" || me.Village != "杞苑社区" {
			t.Errorf("moved to 宁安镇 杞苑: %s %q", me.Town, me.Village)
		}
		e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"name": "马建军"}, &me)
		if me.Village != "杞苑社区" {
			t.Errorf("a name change dropped the village: %q", me.Village)
		}
		e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"town": "石空镇"}, &me)
		if me.Town != "石空镇" || me.Village != "" {
			t.Errorf("moved to 石空镇 without a village: %s %q, want the old village dropped", me.Town, me.Village)
		}

		// The profile page suggests the chosen town's villages and shows a wrong one next to its field.
		e.call("PATCH", "/api/v1/workers/me", w.Token, map[string]any{"town": "新堡镇", "village": "刘庄村"}, &me)
		page := e.do("GET", "/me/edit", w.Token, nil).Body.String()
		for _, want := range []string{`name="village"`, `value="刘庄村"`, `<datalist id="village-list">`, `<option value="刘庄村">`, "/static/villages.js"} {
			if !strings.Contains(page, want) {
				t.Errorf("the edit page lacks %q", want)
			}
		}
		if strings.Contains(page, `<option value="杞苑社区">`) {
			t.Error("the edit page suggests the villages of another town")
		}
		csrf := csrfField.FindStringSubmatch(page)
		if csrf == nil {
			t.Fatal("no CSRF token on the edit page")
		}
		form := url.Values{"csrf_token": {csrf[1]}, "name": {"马建国"}, "skills": {"枸杞采摘"}, "place": {"中宁县/新堡镇"},
			"village": {"杞苑社区"}, "wage": {"150"}, "wage_unit": {"day"}, "max_commute_km": {"20"}, "available_from": {"2026-05-10"}}
		r := e.do("POST", "/me/edit", w.Token, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		if r.Code == 303 || !strings.Contains(r.Body.String(), `id="village-error"`) || !strings.Contains(r.Body.String(), "新堡镇没有") {
			t.Errorf("the page took a village of another town: %d", r.Code)
		}
		form.Set("village", "")
		if r := e.do("POST", "/me/edit", w.Token, form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); r.Code != 303 {
			t.Fatalf("clearing the village on the page: %d", r.Code)
		}
		if e.call("GET", "/api/v1/workers/me", w.Token, nil, &me); me.Village != "" {
			t.Errorf("the village is still %q after clearing it", me.Village)
		}
	})
}
