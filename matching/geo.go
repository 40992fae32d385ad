package matching

import (
	"math"

	"lingong/domain"
)

// Distances are tested millions of times per second in the matching loops, so every place also keeps its
// point on the unit sphere. The straight-line chord between two such points is a monotone function of the
// haversine distance (d = 2R·asin(chord/2)), so comparing squared chords against a precomputed limit is
// exact and costs six multiplications instead of four trigonometric calls. The distance shown and scored
// is then computed with domain.DistanceKm itself, so the filter and the number people read never disagree.

const earthRadiusKm = 6371.0

// point is a place: its coordinates, and its position on the unit sphere.
type point struct{ x, y, z, lat, lng float64 }

func pointOf(lat, lng float64) point {
	la, ln := lat*math.Pi/180, lng*math.Pi/180
	return point{math.Cos(la) * math.Cos(ln), math.Cos(la) * math.Sin(ln), math.Sin(la), lat, lng}
}

func (p point) chord2(q point) float64 {
	dx, dy, dz := p.x-q.x, p.y-q.y, p.z-q.z
	return dx*dx + dy*dy + dz*dz
}

// chord2Limit is the squared chord of a great-circle distance of km, widened by a hair so that rounding
// never rejects a pair the haversine formula accepts; the exact test follows with domain.DistanceKm.
func chord2Limit(km float64) float64 {
	if km <= 0 {
		return 0
	}
	if km >= math.Pi*earthRadiusKm {
		return 4.0001
	}
	c := 2 * math.Sin(km/(2*earthRadiusKm))
	return c * c * (1 + 1e-9)
}

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
