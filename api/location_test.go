package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"lingong/domain"
)

// A worker who lives far from the seat of a large rural town shares the phone's position: it is stored
// snapped to ~100 m, distances are measured from it (a gig 20 km from the town's seat but a few hundred
// metres from home is recommended, with the short distance shown), a position outside 中卫 is refused
// naming the field, choosing another town without sharing again goes back to the town's seat, and
// forget_location drops it.
func TestSharedLocationIsCoarsenedAndUsedForDistance(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		nearHome := domain.GeoPoint{Lat: 37.56149, Lng: 105.56781} // by 石空镇, though the worker picked 新堡镇
		located := e.worker("ZN-S03", func(m map[string]any) {
			m["max_commute_km"] = 5
			m["location"] = map[string]float64{"lat": nearHome.Lat, "lng": nearHome.Lng}
		})
		byTown := e.worker("ZN-S03", func(m map[string]any) { m["max_commute_km"] = 5 })

		var me workerView
		e.call("GET", "/api/v1/workers/me", located.Token, nil, &me)
		if me.Located != domain.LocatedGPS || me.Lat != 37.561 || me.Lng != 105.568 || me.Town != "新堡镇" {
			t.Fatalf("stored place %s %v,%v (%s); want gps 37.561,105.568 in 新堡镇", me.Located, me.Lat, me.Lng, me.Town)
		}

		emp := e.newEmployer("ZN-S03")
		job := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["town"], m["address"] = "石空镇", "石空镇枸杞基地" }))
		e.approveAndPush(e.staffA, job.ID)
		matchOf := func(token string) *jobMatchView {
			var out jobMatchList
			if code := e.call("GET", "/api/v1/workers/me/matches", token, nil, &out); code != 200 {
				t.Fatalf("matches: %d", code)
			}
			for i := range out.Items {
				if out.Items[i].Job.ID == job.ID {
					return &out.Items[i]
				}
			}
			return nil
		}
		if m := matchOf(located.Token); m == nil || m.DistanceKm > 2 {
			t.Errorf("the located worker's match of the gig next door: %+v, want it within 2 km", m)
		}
		if m := matchOf(byTown.Token); m != nil {
			t.Errorf("the worker placed at 新堡镇's seat (about 20 km away, 5 km allowed) was matched: %+v", m)
		}

		// Outside 中卫: 400 naming location, and nothing changes.
		for _, bad := range []string{`{"location":{"lat":39.904,"lng":116.407}}`, `{"location":{"lat":0,"lng":0}}`} {
			if r := e.do("PATCH", "/api/v1/workers/me", located.Token, bad); r.Code != 400 || r.err().Field != "location" {
				t.Errorf("%s: %d %+v, want 400 on location", bad, r.Code, r.err())
			}
		}
		e.call("GET", "/api/v1/workers/me", located.Token, nil, &me)
		if me.Located != domain.LocatedGPS || me.Lat != 37.561 {
			t.Errorf("a refused location changed the place: %s %v,%v", me.Located, me.Lat, me.Lng)
		}

		// Another change of the profile keeps the position; another town without sharing again drops it.
		e.call("PATCH", "/api/v1/workers/me", located.Token, map[string]any{"name": "马建军"}, &me)
		if me.Located != domain.LocatedGPS || me.Lat != 37.561 || me.Lng != 105.568 {
			t.Errorf("a name change moved the worker: %s %v,%v", me.Located, me.Lat, me.Lng)
		}
		e.call("PATCH", "/api/v1/workers/me", located.Token, map[string]any{"town": "宁安镇"}, &me)
		seat, _ := domain.FindTown("中宁县", "宁安镇")
		if me.Located != domain.LocatedTown || me.Lat != seat.Lat || me.Lng != seat.Lng {
			t.Errorf("after choosing 宁安镇: %s %v,%v, want the town's seat %v,%v", me.Located, me.Lat, me.Lng, seat.Lat, seat.Lng)
		}
		e.call("PATCH", "/api/v1/workers/me", located.Token, map[string]any{"location": map[string]float64{"lat": 37.49123, "lng": 105.69999}}, &me)
		if me.Located != domain.LocatedGPS || me.Lat != 37.491 || me.Lng != 105.7 {
			t.Errorf("shared again: %s %v,%v", me.Located, me.Lat, me.Lng)
		}
		e.call("PATCH", "/api/v1/workers/me", located.Token, map[string]any{"forget_location": true}, &me)
		if me.Located != domain.LocatedTown || me.Lat != seat.Lat {
			t.Errorf("after forget_location: %s %v,%v", me.Located, me.Lat, me.Lng)
		}

		// The employer's candidate list never carries the worker's coordinates.
		r := e.do("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates", job.ID), emp.Key, nil)
		if r.Code != 200 || containsAny(r.Body.String(), `"lat"`, "37.561") {
			t.Errorf("candidates: %d, carries coordinates: %s", r.Code, r.Body)
		}
	})
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// The profile page: the location box is in the page but hidden until static/location.js finds a phone
// that can locate itself (without script the town picker is the whole form); a consented position is
// saved snapped and the page then says distances use it; consent without a position is said next to
// the box and saves nothing; "不再用手机位置" goes back to the town.
func TestProfilePageSharesAndForgetsTheLocation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.worker("ZN-S03", nil)
		page := e.do("GET", "/me/edit", w.Token, nil).Body.String()
		for _, want := range []string{`<fieldset id="location-box" hidden>`, `name="share_location"`, `/static/location.js`} {
			if !strings.Contains(page, want) {
				t.Errorf("the edit page lacks %q", want)
			}
		}
		if strings.Contains(page, `id="located"`) {
			t.Error("the edit page says a shared position is used before any was shared")
		}
		if r := e.do("GET", "/static/location.js", "", nil); r.Code != 200 || !strings.Contains(r.Body.String(), "getCurrentPosition") {
			t.Errorf("/static/location.js: %d", r.Code)
		}
		csrf := csrfField.FindStringSubmatch(page)
		if csrf == nil {
			t.Fatal("no CSRF token on the edit page")
		}
		form := url.Values{"csrf_token": {csrf[1]}, "name": {"马建国"}, "skills": {"枸杞采摘"}, "certs": {"健康证"}, "place": {"中宁县/新堡镇"},
			"wage": {"150"}, "wage_unit": {"day"}, "max_commute_km": {"20"}, "available_from": {"2026-05-10"}, "share_location": {"1"}}
		post := func() response {
			return e.do("POST", "/me/edit", w.Token, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		}
		me := func() workerView {
			var v workerView
			e.call("GET", "/api/v1/workers/me", w.Token, nil, &v)
			return v
		}
		if r := post(); r.Code == 303 || !strings.Contains(r.Body.String(), "没有取到手机的位置") || me().Located != domain.LocatedTown {
			t.Errorf("consent without a position: %d, located %s", r.Code, me().Located)
		}
		form.Set("loc_lat", "37.46012")
		form.Set("loc_lng", "105.75077")
		if r := post(); r.Code != 303 {
			t.Fatalf("sharing the position: %d %s", r.Code, r.Body)
		}
		if v := me(); v.Located != domain.LocatedGPS || v.Lat != 37.46 || v.Lng != 105.751 {
			t.Errorf("saved %s %v,%v, want gps 37.46,105.751", v.Located, v.Lat, v.Lng)
		}
		if page := e.do("GET", "/me/edit", w.Token, nil).Body.String(); !strings.Contains(page, "距离现在按您分享的手机位置算") {
			t.Error("the edit page does not say the shared position is used")
		}
		form.Del("share_location")
		form.Del("loc_lat")
		form.Del("loc_lng")
		post()
		if v := me(); v.Located != domain.LocatedGPS || v.Lat != 37.46 {
			t.Errorf("saving the form again without sharing moved the worker: %s %v,%v", v.Located, v.Lat, v.Lng)
		}
		form.Set("forget_location", "1")
		if r := post(); r.Code != 303 || me().Located != domain.LocatedTown {
			t.Errorf("不再用手机位置: %d, located %s", r.Code, me().Located)
		}
	})
}
