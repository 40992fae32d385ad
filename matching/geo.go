package matching

import (
	"math"

	"lingong/domain"
)

// Distances: the matching loops first compare a fast flat-earth approximation against bounds (see approx
// in lists.go); the distance that decides the hard filter, and that people read, is domain.DistanceKm
// itself, so the filter and the number shown never disagree.

// point is a place.
type point struct{ lat, lng float64 }

func pointOf(lat, lng float64) point { return point{lat, lng} }

// validPoint reports whether a place has coordinates (0,0 means "not given": it is in the Gulf of Guinea,
// not in Zhongwei).
func validPoint(lat, lng float64) bool {
	return !(lat == 0 && lng == 0) && !math.IsNaN(lat) && !math.IsNaN(lng) && math.Abs(lat) <= 90 && math.Abs(lng) <= 180
}

// placeOf returns the coordinates of a place, falling back to its town's seat (then its district's) when
// none were given, as the store does for gigs without coordinates.
func placeOf(lat, lng float64, district, town string) (float64, float64, bool) {
	if validPoint(lat, lng) {
		return lat, lng, true
	}
	if t, ok := domain.FindTown(district, town); ok {
		return t.Lat, t.Lng, true
	}
	for _, t := range domain.Towns {
		if t.District == district {
			return t.Lat, t.Lng, true
		}
	}
	return 0, 0, false
}
