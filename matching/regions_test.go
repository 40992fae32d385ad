package matching

import (
	"math"
	"math/rand/v2"
	"testing"

	"lingong/domain"
)

// The regions split a district's places into shardsPerGroup shards of equal size, so that no shard's
// lists grow long enough to slow its updates.
func TestRegionTreeBalancesPlaces(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]point, 10_000)
	for i := range pts {
		// A city and a spread of villages, as the gigs of a district lie.
		if i%3 == 0 {
			pts[i] = point{37.5 + rng.NormFloat64()*0.01, 105.2 + rng.NormFloat64()*0.01}
		} else {
			pts[i] = point{37.0 + rng.Float64()*0.6, 104.9 + rng.Float64()*0.5}
		}
	}
	tree := newRegionTree(append([]point(nil), pts...))
	var count [shardsPerGroup]int
	for _, p := range pts {
		count[tree.region(p)]++
	}
	for r, n := range count {
		if n < len(pts)/shardsPerGroup-1 || n > len(pts)/shardsPerGroup+1 {
			t.Fatalf("region %d holds %d of %d places, want %d±1: %v", r, n, len(pts), len(pts)/shardsPerGroup, count)
		}
	}
}

// Regions are places: nearby gigs share a shard. A region's places lie in a rectangle no other region's
// place is inside.
func TestRegionsAreDisjointRectangles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := make([]point, 2000)
	for i := range pts {
		pts[i] = point{36.9 + rng.Float64()*0.7, 105.0 + rng.Float64()*0.9}
	}
	tree := newRegionTree(append([]point(nil), pts...))
	boxes := make([]box, shardsPerGroup)
	for i := range boxes {
		boxes[i] = emptyBox
	}
	for _, p := range pts {
		boxes[tree.region(p)].add(p)
	}
	for _, p := range pts {
		r := tree.region(p)
		for o, b := range boxes {
			if o != r && p.lat > b.minLat && p.lat < b.maxLat && p.lng > b.minLng && p.lng < b.maxLng {
				t.Fatalf("place %v of region %d lies inside region %d's box %+v", p, r, o, b)
			}
		}
	}
}

// An index built empty (a new city, a test) already cuts each district at its towns: its towns spread
// evenly over its shards, one a shard while there are shards enough.
func TestEmptyIndexSeparatesTowns(t *testing.T) {
	ix := NewIndex()
	towns := map[int][]string{} // by shard
	perDistrict := map[string]int{}
	for _, town := range domain.Towns {
		perDistrict[town.District]++
		g := &jobDoc{district: districtIndex(town.District), pt: point{town.Lat, town.Lng}}
		s := ix.jobShardOf(g)
		if s/shardsPerGroup != groupOf(g.district) {
			t.Fatalf("%s %s went to shard %d, outside its district's group", town.District, town.Name, s)
		}
		towns[s] = append(towns[s], town.District+town.Name)
	}
	for s, names := range towns {
		n := perDistrict[domain.Districts[s/shardsPerGroup]]
		if most := (n + shardsPerGroup - 1) / shardsPerGroup; len(names) > most {
			t.Fatalf("shard %d holds %d of its district's %d towns (%v), want at most %d", s, len(names), n, names, most)
		}
	}
	// A place without coordinates still has a shard.
	if r := ix.regions[0].region(point{math.NaN(), math.NaN()}); r < 0 || r >= shardsPerGroup {
		t.Fatalf("NaN place went to region %d", r)
	}
}
