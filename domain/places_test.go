package domain

import "testing"

// A shared position is kept only to the ~100 m grid, and only inside 中卫.
func TestSharedPositionIsCoarsenedAndBounded(t *testing.T) {
	g, err := ValidateLocation("location", GeoPoint{Lat: 37.4914999, Lng: 105.6857001})
	if err != nil || g != (GeoPoint{Lat: 37.491, Lng: 105.686}) {
		t.Errorf("coarsened to %+v (%v), want 37.491,105.686", g, err)
	}
	for _, bad := range []GeoPoint{{39.904, 116.407}, {0, 0}, {37.5, 200}} {
		if _, err := ValidateLocation("location", bad); err == nil || AsError(err).Field != "location" {
			t.Errorf("%+v accepted (%v)", bad, err)
		}
	}
	if len(Towns) != 40 {
		t.Errorf("%d towns, want the 40 镇 and 乡 of 640500", len(Towns))
	}
	for _, tw := range Towns {
		if len(tw.Code) != 9 || tw.Code[:6] != map[string]string{"沙坡头区": "640502", "中宁县": "640521", "海原县": "640522"}[tw.District] {
			t.Errorf("%s %s has code %q", tw.District, tw.Name, tw.Code)
		}
	}
}
