package matching

import (
	"math"
	"slices"

	"lingong/domain"
)

// Gigs are sharded by district first (the library's most common filter skips the other districts' shards
// whole), then by place: each district's area is cut into shardsPerGroup regions holding about as many
// gigs each, one shard a region. The fourth group holds gigs outside Zhongwei's three districts.
//
// By place, not by id: a worker's matching reads, shard by shard, the lists of the cells he can reach.
// Sharded by id, every shard of a district held a sixteenth of every cell's gigs, so a worker in a border
// town reaching two districts read each cell's lists, and each fine cell's group of a list, in all of
// their 48 shards, one or two cold cache lines every time, to drop almost all of them on distance or pay.
// Sharded by place, a cell's gigs lie in one or a few shards, their groups are read once, and the shards
// beyond what the kept results allow are dropped whole on their box.
const (
	districtGroups = 4
	shardsPerGroup = numShards / districtGroups
	regionLevels   = 4 // 1<<regionLevels == shardsPerGroup
)

func groupOf(district int8) int {
	g := int(district)
	if g < 0 || g >= districtGroups-1 {
		g = districtGroups - 1
	}
	return g
}

// regionTree cuts one group's area into shardsPerGroup regions: a k-d tree with regionLevels levels,
// stored as an implicit binary tree (node i has children 2i and 2i+1, the root is 1, the leaves are
// shardsPerGroup..2·shardsPerGroup-1). Each node splits its places at their median, on the axis along
// which they spread furthest; a place on the split goes right.
type regionTree struct {
	byLng [shardsPerGroup]bool    // by node: split on longitude rather than latitude
	split [shardsPerGroup]float64 // by node: the median; +Inf when the node had no places (all go left)
}

// region returns the leaf, 0..shardsPerGroup-1, of a place. A place without coordinates (NaN) goes left
// at every node, so to region 0.
func (t *regionTree) region(p point) int {
	i := 1
	for i < shardsPerGroup {
		v := p.lat
		if t.byLng[i] {
			v = p.lng
		}
		i *= 2
		if v >= t.split[i/2] {
			i++
		}
	}
	return i - shardsPerGroup
}

// newRegionTree makes the tree of a group's places.
func newRegionTree(pts []point) regionTree {
	var t regionTree
	var build func(node int, pts []point)
	build = func(node int, pts []point) {
		if node >= shardsPerGroup {
			return
		}
		if len(pts) == 0 {
			t.split[node] = math.Inf(1)
			build(2*node, nil)
			build(2*node+1, nil)
			return
		}
		b := emptyBox
		for _, p := range pts {
			b.add(p)
		}
		byLng := (b.maxLng-b.minLng)*kmPerLngDegree(b.minLat, b.maxLat) > (b.maxLat-b.minLat)*110.57
		key := func(p point) float64 {
			if byLng {
				return p.lng
			}
			return p.lat
		}
		slices.SortFunc(pts, func(a, b point) int { return cmpFloat(key(a), key(b)) })
		split := key(pts[len(pts)/2])
		left, _ := slices.BinarySearchFunc(pts, split, func(p point, v float64) int { return cmpFloat(key(p), v) })
		t.byLng[node], t.split[node] = byLng, split
		build(2*node, pts[:left])
		build(2*node+1, pts[left:])
	}
	build(1, pts)
	return t
}

// maxRegionSample bounds the places a group's tree is made from: medians of a few thousand evenly
// chosen gigs are as good as those of all of them, and Build must stay fast.
const maxRegionSample = 4096

// newRegions makes each group's tree from the places of the gigs (a deterministic sample of them) and the
// seats of the group's towns, so that an index built empty still cuts each district where gigs will be.
func newRegions(jobs []*jobDoc) [districtGroups]regionTree {
	var pts [districtGroups][]point
	for _, t := range domain.Towns {
		g := groupOf(districtIndex(t.District))
		pts[g] = append(pts[g], pointOf(t.Lat, t.Lng))
	}
	var n [districtGroups]int
	for _, g := range jobs {
		if g != nil {
			n[groupOf(g.district)]++
		}
	}
	var seen [districtGroups]int
	for _, g := range jobs {
		if g == nil {
			continue
		}
		grp := groupOf(g.district)
		// Every step-th gig of the group, step chosen so that at most maxRegionSample are taken.
		step := n[grp]/maxRegionSample + 1
		if seen[grp]%step == 0 {
			pts[grp] = append(pts[grp], g.pt)
		}
		seen[grp]++
	}
	var out [districtGroups]regionTree
	for g := range out {
		out[g] = newRegionTree(pts[g])
	}
	return out
}

// jobShardOf returns the shard of a gig: its district's group, then its place's region.
func (ix *Index) jobShardOf(g *jobDoc) int {
	grp := groupOf(g.district)
	return grp*shardsPerGroup + ix.regions[grp].region(g.pt)
}
