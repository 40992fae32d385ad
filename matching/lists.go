package matching

import (
	"cmp"
	"math"
	"slices"
	"sync/atomic"

	"lingong/domain"
)

// postings is an inverted list of slot<<12 | 12 bits of payload, sorted by slot. Text lists carry the
// term frequency (4 bits) and the gig's length code (8 bits), so search and matching score a gig without
// loading it; skill lists carry 1, the list of all gigs 0. A shard holds up to a million slots.
type postings []uint32

const (
	payloadBits = 12
	maxSlot     = 1<<(32-payloadBits) - 1
)

func textPayload(tf uint32, lenCode uint8) uint16 { return uint16(tf)<<8 | uint16(lenCode) }

func (p postings) slot(i int) uint32    { return p[i] >> payloadBits }
func (p postings) payload(i int) uint32 { return p[i] & (1<<payloadBits - 1) }

// search returns the position of the first entry with a slot >= slot, starting at from; it gallops,
// since the callers walk slots in ascending order and usually find the next one close by.
func (p postings) search(from int, slot uint32) int {
	key := slot << payloadBits
	if from >= len(p) || p[from] >= key {
		return from
	}
	step := 1
	hi := from + 1
	for hi < len(p) && p[hi] < key {
		from = hi
		step *= 2
		hi = from + step
	}
	hi = min(hi, len(p))
	i, _ := slices.BinarySearch(p[from:hi], key)
	return from + i
}

// find returns the position of the first entry with a slot >= slot, for an update, whose slot lies
// anywhere in the list. Slots are dense and spread evenly over a long list, so the position is guessed
// from the slot's share of the last one and searched for by galloping out from there: a binary search
// of a cold list of a thousand gigs takes some eight cache misses, and an update searches about a
// hundred lists, which was the larger part of its time.
func (p postings) find(slot uint32) int {
	n := len(p)
	if n < 64 {
		i, _ := slices.BinarySearch(p, slot<<payloadBits)
		return i
	}
	key := slot << payloadBits
	last := uint64(p[n-1]>>payloadBits) + 1
	g := int(min(uint64(slot)*uint64(n)/last, uint64(n-1)))
	// Bracket the answer in (lo, hi]: p[lo] < key <= p[hi], with lo = -1 and hi = n standing for the ends.
	lo, hi := g-1, g
	if p[g] < key {
		lo, hi = g, g+1
		for step := 1; hi < n && p[hi] < key; step *= 2 {
			lo, hi = hi, min(hi+step, n)
		}
	} else {
		for step := 1; lo >= 0 && p[lo] >= key; step *= 2 {
			hi, lo = lo, max(lo-step, -1)
		}
	}
	i, _ := slices.BinarySearch(p[lo+1:hi], key)
	return lo + 1 + i
}

func (p postings) insert(slot uint32, payload uint16) postings {
	if slot > maxSlot {
		panic("matching: a shard outgrew its slots; raise numShards")
	}
	v := slot<<payloadBits | uint32(payload)
	if n := len(p); n == 0 || p.slot(n-1) < slot { // the common case while building: slots ascend
		return append(p, v)
	}
	i := p.find(slot)
	if i < len(p) && p.slot(i) == slot {
		p[i] = v
		return p
	}
	return slices.Insert(p, i, v)
}

func (p postings) remove(slot uint32) postings {
	i := p.find(slot)
	if i < len(p) && p.slot(i) == slot {
		return slices.Delete(p, i, i+1)
	}
	return p
}

// A matching list's entry carries, beside the slot, what the matching loops need to reject most
// candidates without loading the document (a cache miss each, which dominated the time): the place,
// dates, certificates and pay; for a gig its fine cell, for a worker the near-miss distance, reliability
// and a sketch of his words. The floats only ever serve conservative bounds; every decision is then
// taken on the document. A gig's entry is 32 bytes, half a cache line, since walks read them by the
// thousand.
type entryBase struct {
	slot     uint32
	lat, lng float32
	pay      float32 // gig: day's pay in yuan; worker: expected day's pay in yuan; -1 unknown
	from, to int32   // gig: start and end day; worker: available from, to
	certs    uint32  // gig: required certificates; worker: held ones (a certSet; compileTaxonomy checks it fits)
}

type jobEntry struct {
	entryBase
	group uint32 // the fine cell (see fineCell), which groups a list
}

type workerEntry struct {
	entryBase
	reach float32   // the near-miss distance in km
	rel   float32   // reliability, rounded up
	sig   signature // the terms of the self description (see signature)
}

func (e entryBase) cell() int { return cellOf(float64(e.lat), float64(e.lng)) }

// rank is the entry's place in its list, best pay first: for a gig its pay, for a worker minus the
// expectation (sign -1); +Inf when unknown.
func (e entryBase) rank(sign float32) float32 {
	if e.pay < 0 {
		return float32(math.Inf(1))
	}
	return sign * e.pay
}

// signature is a 128-bit sketch of a set of terms: bit sigBit(id) is set for each term id. Two sets can
// only share a term where their signatures share a bit, so summing, over the shared bits, what the gig's
// terms on each bit contribute bounds the text score of a pair from above without loading the worker.
type signature [2]uint64

func sigBit(id uint32) uint32 { return (id * 0x9E3779B1) >> 25 }

func (s *signature) add(id uint32) {
	b := sigBit(id)
	s[b/64] |= 1 << (b % 64)
}

func signatureOf(ids []uint32) signature {
	var s signature
	for _, id := range ids {
		s.add(id)
	}
	return s
}

// A matching list is sorted by rank, highest first, then by slot: the best-paid gigs (the workers asking
// least) first, so that a walk can leave a list as soon as the pay of the rest cannot make up for the bar
// (the wage score grows with the pay and falls with the expectation).
//
// A gig list is first grouped by fine cell and by the certificates its gigs require, and each group
// sorted so. A cell of the lists is 22 km across, while the gigs a worker is offered often lie within a
// few kilometres: the walk tests each group against the distance of its fine cell, and leaves the group
// as soon as that distance or the pay of the rest falls short of the bar. Without the groups, a worker
// who takes any job read every general gig of his cell one by one to keep the few next door. For a
// worker who lacks a group's certificates each of its gigs is at best a near miss, which must also beat
// the near misses kept: a 厨师 without 健康证 leaves such a group of 餐饮 gigs at its first entry.
type entryList[E listEntry[E]] []E

// listEntry is jobEntry or workerEntry: its cell, and its order in a list.
type listEntry[E any] interface {
	cell() int
	compare(E) int
}

func (x jobEntry) compare(e jobEntry) int {
	if x.group != e.group {
		return cmp.Compare(x.group, e.group)
	}
	if x.certs != e.certs {
		return cmp.Compare(x.certs, e.certs)
	}
	if c := cmp.Compare(e.rank(1), x.rank(1)); c != 0 {
		return c
	}
	return cmp.Compare(x.slot, e.slot)
}

func (x workerEntry) compare(e workerEntry) int {
	if c := cmp.Compare(e.rank(-1), x.rank(-1)); c != 0 {
		return c
	}
	return cmp.Compare(x.slot, e.slot)
}

func compareEntries[E listEntry[E]](x, e E) int { return x.compare(e) }

// insert adds e; the list must not hold its slot (remove the old entry first).
func (l entryList[E]) insert(e E) entryList[E] {
	if n := len(l); n == 0 || l[n-1].compare(e) < 0 {
		return append(l, e)
	}
	i, _ := slices.BinarySearchFunc(l, e, compareEntries[E])
	return slices.Insert(l, i, e)
}

// remove drops the entry equal to e in its order (group, certificates, rank and slot).
func (l entryList[E]) remove(e E) entryList[E] {
	i, found := slices.BinarySearchFunc(l, e, compareEntries[E])
	if !found {
		return l
	}
	return slices.Delete(l, i, i+1)
}

func (g *jobDoc) entry(slot uint32) jobEntry {
	e := jobEntry{entryBase{slot: slot, lat: float32(g.pt.lat), lng: float32(g.pt.lng), pay: -1, from: g.start, to: g.end,
		certs: uint32(g.certs)}, fineCell(g.pt.lat, g.pt.lng)}
	if g.dailyOK {
		e.pay = float32(g.daily) / 100
	}
	return e
}

func (w *workerDoc) entry(slot uint32) workerEntry {
	e := workerEntry{entryBase{slot: slot, lat: float32(w.pt.lat), lng: float32(w.pt.lng), pay: -1, from: w.from, to: w.to,
		certs: uint32(w.certs)}, float32(nearLimitKm(w.limit)), float32(w.rel) * (1 + 1e-6), signatureOf(w.terms)}
	if exp, ok := expectedDailyFen(w.sum.ExpectedWageFen, w.sum.ExpectedWageUnit, defaultDayMilli); ok && w.sum.ExpectedWageUnit != domain.PerHour {
		e.pay = float32(exp) / 100
	}
	return e
}

// Matching lists are split by cell: a grid of 0.2° of latitude by 0.25° of longitude (about 22 km by
// 22 km) over Zhongwei, plus one cell for every place outside it. A query walks the cells nearest first and
// stops at the first cell that is out of reach or whose best possible score cannot beat the results kept,
// so a worker in 海原县 never reads the lists of 沙坡头区's gigs unless he would travel that far.
const (
	cellLat0, cellLng0 = 36.0, 104.5
	cellDLat, cellDLng = 0.2, 0.25
	cellRows, cellCols = 10, 8
	numCells           = cellRows*cellCols + 1
	outsideCell        = numCells - 1
)

func cellOf(lat, lng float64) int {
	r, c := math.Floor((lat-cellLat0)/cellDLat), math.Floor((lng-cellLng0)/cellDLng)
	if r < 0 || r >= cellRows || c < 0 || c >= cellCols || math.IsNaN(r+c) {
		return outsideCell
	}
	return int(r)*cellCols + int(c)
}

// cellDist is a cell with a distance no place in it is closer than.
type cellDist struct {
	cell  int
	minKm float64
}

// cellOrders keeps cellsByDistance's answers for the places asked about most recently. Many workers are
// located at their town's seat (registration offers the town when the phone gives no coordinates), so a
// few dozen places ask again and again, and computing and sorting 81 bounds was a tenth of a typical
// query's time. Direct-mapped by place and lock-free; an answer is never changed once stored, and
// callers only read it.
var cellOrders [256]atomic.Pointer[cellOrder]

type cellOrder struct {
	p     point
	cells []cellDist
}

// cellsNearFirst is cellsByDistance, remembered (see cellOrders).
func cellsNearFirst(p point) []cellDist {
	h := (math.Float64bits(p.lat)*0x9E3779B97F4A7C15 ^ math.Float64bits(p.lng)) * 0xBF58476D1CE4E5B9
	slot := &cellOrders[h>>56]
	if o := slot.Load(); o != nil && o.p == p {
		return o.cells
	}
	cells := cellsByDistance(p)
	slot.Store(&cellOrder{p, cells})
	return cells
}

// cellsByDistance returns every cell with a lower bound of its distance from p, nearest first; the
// outside cell comes first with 0, since it may hold anything. From a place outside the grid the
// flat-earth bounds are not trusted: every cell gets 0.
func cellsByDistance(p point) []cellDist {
	out := make([]cellDist, 0, numCells)
	out = append(out, cellDist{outsideCell, 0})
	if cellOf(p.lat, p.lng) == outsideCell {
		for c := range outsideCell {
			out = append(out, cellDist{c, 0})
		}
		return out
	}
	for r := 0; r < cellRows; r++ {
		lat0 := cellLat0 + float64(r)*cellDLat
		kx := kmPerLngDegree(p.lat, lat0, lat0+cellDLat)
		for c := 0; c < cellCols; c++ {
			lng0 := cellLng0 + float64(c)*cellDLng
			out = append(out, cellDist{r*cellCols + c, rectMinKm(p, lat0, lat0+cellDLat, lng0, lng0+cellDLng, kx)})
		}
	}
	// Equal distances keep the cells' order: a total order, so an unstable sort (several times faster than
	// a stable one on 80 cells) gives what the stable one did.
	slices.SortFunc(out[1:], func(a, b cellDist) int {
		if c := cmpFloat(a.minKm, b.minKm); c != 0 {
			return c
		}
		return a.cell - b.cell
	})
	return out
}

// Fine cells split each cell into fineSplit × fineSplit, about 2.8 km across; they group the gig lists
// (see entryList). Every place outside the grid is in the one fine cell outsideFine.
const (
	fineSplit   = 8
	fineCols    = cellCols * fineSplit
	numFine     = cellRows * fineSplit * fineCols
	outsideFine = math.MaxUint32
)

// fineIndex numbers the fine cells densely: outsideFine becomes numFine.
func fineIndex(fine uint32) int { return int(min(fine, numFine)) }

func fineCell(lat, lng float64) uint32 {
	r := math.Floor((lat - cellLat0) / (cellDLat / fineSplit))
	c := math.Floor((lng - cellLng0) / (cellDLng / fineSplit))
	if r < 0 || r >= cellRows*fineSplit || c < 0 || c >= fineCols || math.IsNaN(r+c) {
		return outsideFine
	}
	return uint32(r)*fineCols + uint32(c)
}

// rectMinKm is a distance from p that no place in the rectangle of latitudes minLat..maxLat and longitudes
// minLng..maxLng is closer than: the flat-earth distance, taking kx km per degree of longitude (which must
// be the shortest at any latitude involved, see kmPerLngDegree), less approx's slack. Shard boxes, cells
// and fine cells are all bounded so.
func rectMinKm(p point, minLat, maxLat, minLng, maxLng, kx float64) float64 {
	dlat := math.Max(0, math.Max(minLat-p.lat, p.lat-maxLat))
	dlng := math.Max(0, math.Max(minLng-p.lng, p.lng-maxLng))
	return math.Max(0, (math.Hypot(dlat*110.57, dlng*kx)-approxPad)/approxSlack)
}

// kmPerLngDegree is the length of a degree of longitude at the highest of the latitudes (in absolute
// value), the shortest among them: using it keeps a flat-earth distance a lower bound.
func kmPerLngDegree(lats ...float64) float64 {
	top := 0.0
	for _, l := range lats {
		top = max(top, math.Abs(l))
	}
	return 111.32 * math.Cos(top*math.Pi/180)
}

// fineDistances gives, for one query point, a distance that no place of a fine cell is closer than (0
// outside the grid). A walk asks it for every group it meets, the same fine cells again and again across
// shards, concepts and tiers, so each answer is kept; it takes the degree of longitude at the grid's
// northern edge, the shortest anywhere in it, instead of one per fine cell.
type fineDistances struct {
	p      point
	inGrid bool
	kx     float64
	memo   []float64 // by fineIndex: the distance plus 1, 0 when not yet computed
	known  []int
}

// reset prepares d for the query point p.
func (d *fineDistances) reset(p point) {
	for _, i := range d.known {
		d.memo[i] = 0
	}
	d.known = d.known[:0]
	if d.memo == nil {
		d.memo = make([]float64, numFine+1)
	}
	d.p, d.inGrid = p, cellOf(p.lat, p.lng) != outsideCell
	d.kx = kmPerLngDegree(p.lat, cellLat0+cellRows*cellDLat) // the grid's northern edge: right for every fine cell
}

func (d *fineDistances) km(fine uint32) float64 {
	i := fineIndex(fine)
	if v := d.memo[i]; v != 0 {
		return v - 1
	}
	km := 0.0
	if d.inGrid && fine != outsideFine {
		const dLat, dLng = cellDLat / fineSplit, cellDLng / fineSplit
		lat0 := cellLat0 + float64(fine/fineCols)*dLat
		lng0 := cellLng0 + float64(fine%fineCols)*dLng
		km = rectMinKm(d.p, lat0, lat0+dLat, lng0, lng0+dLng, d.kx)
	}
	d.memo[i] = km + 1
	d.known = append(d.known, i)
	return km
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Concepts of the matching lists: the skills in domain order, then the categories, then general work.
func conceptOfCat(i int) int { return len(domain.Skills) + i }
func conceptGeneral() int    { return len(domain.Skills) + len(domain.SkillCategories) }

// conceptLists are a shard's lists by concept and cell, and (gigs only) by skill for the library.
type conceptLists[E listEntry[E]] struct {
	bulk  bool             // while Build fills the shard: append now, sort once in clip
	skill []postings       // by position in domain.Skills; gigs only, for the library's skill filter and synonyms
	geo   [][]entryList[E] // by concept, then cell; a concept's cells are made on first use
	// occupied marks, by concept, the cells whose list is not empty. A shard's gigs lie in one district,
	// a few of the 81 cells: the walk tests these bits, which fit in a few cache lines for all
	// concepts, instead of loading the header of every cell's list (a cache miss each), which was a
	// sixth of a slow worker query.
	occupied []cellMask
}

// cellMask is a set of cells.
type cellMask [(numCells + 63) / 64]uint64

func (m *cellMask) has(cell int) bool { return m[cell/64]&(1<<(cell%64)) != 0 }

func (m *cellMask) set(cell int, on bool) {
	if on {
		m[cell/64] |= 1 << (cell % 64)
	} else {
		m[cell/64] &^= 1 << (cell % 64)
	}
}

func newConceptLists[E listEntry[E]](withSkills bool) conceptLists[E] {
	c := conceptLists[E]{geo: make([][]entryList[E], conceptGeneral()+1), occupied: make([]cellMask, conceptGeneral()+1)}
	if withSkills {
		c.skill = make([]postings, len(domain.Skills))
	}
	return c
}

func (c *conceptLists[E]) change(e E, slot uint32, concepts skillSet, cats catSet, general, add bool) {
	cell := e.cell()
	put := func(k int) {
		if c.geo[k] == nil {
			c.geo[k] = make([]entryList[E], numCells)
		}
		switch {
		case add && c.bulk:
			c.geo[k][cell] = append(c.geo[k][cell], e)
		case add:
			c.geo[k][cell] = c.geo[k][cell].insert(e)
		default:
			c.geo[k][cell] = c.geo[k][cell].remove(e)
		}
		c.occupied[k].set(cell, len(c.geo[k][cell]) > 0)
	}
	concepts.each(func(i int) {
		put(i)
		if c.skill != nil {
			if add {
				c.skill[i] = c.skill[i].insert(slot, 1<<8) // "tf" 1
			} else {
				c.skill[i] = c.skill[i].remove(slot)
			}
		}
	})
	for b := uint64(cats); b != 0; b &= b - 1 {
		put(conceptOfCat(trailingZeros(b)))
	}
	if general {
		put(conceptGeneral())
	}
}

// clip ends a bulk fill: it sorts the matching lists and moves them into one array, cell by cell, so
// that the lists a walk reads for one cell lie side by side instead of wherever the allocator put each
// (and without each allocation's rounding). A list that grows later moves out on its own; the array
// lives until the last of its lists goes.
func (c *conceptLists[E]) clip() {
	for i := range c.skill {
		c.skill[i] = shrink(c.skill[i])
	}
	n := 0
	for _, cells := range c.geo {
		for i := range cells {
			if c.bulk {
				slices.SortFunc(cells[i], compareEntries[E])
			}
			n += len(cells[i])
		}
	}
	arena := make([]E, 0, n)
	for cell := range numCells {
		for _, cells := range c.geo {
			if cells == nil {
				continue
			}
			if l := cells[cell]; len(l) > 0 {
				arena = append(arena, l...)
				cells[cell] = arena[len(arena)-len(l) : len(arena) : len(arena)]
			} else {
				cells[cell] = nil
			}
		}
	}
	c.bulk = false
}

// walk calls list for the concepts' lists, cell by cell in the order given (nearest first), with the
// position in concepts of the list and the cell's distance bound. limit returns the distance beyond
// which no cell can hold anything useful; it only shrinks as results improve, so it is asked again only
// when a cell lies beyond the last answer, and every 16 cells read. Cells where none of the concepts has
// a list are passed over unread.
func (c *conceptLists[E]) walk(concepts []int, cells []cellDist, limit func() float64, list func(l entryList[E], k int, minKm float64)) {
	var some cellMask // the cells where at least one of the concepts has a list
	for _, concept := range concepts {
		for w := range some {
			some[w] |= c.occupied[concept][w]
		}
	}
	lim := limit()
	read := 0
	for _, cd := range cells {
		if !some.has(cd.cell) {
			continue
		}
		if read++; cd.minKm > lim || read%16 == 0 {
			if lim = limit(); cd.minKm > lim {
				return
			}
		}
		for k, concept := range concepts {
			if c.occupied[concept].has(cd.cell) {
				list(c.geo[concept][cd.cell], k, cd.minKm)
			}
		}
	}
}

// eachUntil calls f for the entries of a worker list until f says the rest of the list can be left:
// the entries that follow ask more, so once one cannot reach the bar on pay, none can.
func (l entryList[E]) eachUntil(f func(e *E) (rest bool)) {
	for i := range l {
		if f(&l[i]) {
			return
		}
	}
}

// eachGroup calls f for the entries of a gig list, group by group, with a distance no place of the
// group is closer than (its fine cell's, or the cell's minKm), until f says the rest of the group can
// be left: the entries that follow there pay less and lie as far, so once one cannot reach the bar on
// pay and distance, none can.
//
// text, when not nil, tells after each call of f the text scores by slot and the least score a gig of
// the group needs (-Inf when unknown): an entry below it is passed over without calling f. A worker
// whose words are common passed thousands of gigs a query to f only for f to reject them on their text.
func eachGroup(l entryList[jobEntry], minKm float64, fine *fineDistances, text func(km float64) (acc []float64, need float64),
	f func(e *jobEntry, km float64) (rest bool)) {
	for i := 0; i < len(l); {
		group, certs := l[i].group, l[i].certs
		km := max(minKm, fine.km(group))
		var acc []float64
		need := math.Inf(-1) // the group's first entry always goes to f, which may leave the whole group
		for ; i < len(l) && l[i].group == group && l[i].certs == certs; i++ {
			if need > math.Inf(-1) && acc[l[i].slot] < need {
				continue
			}
			if f(&l[i], km) {
				i = groupEnd(l, i)
				break
			}
			if text != nil {
				acc, need = text(km)
			}
		}
	}
}

// groupEnd returns the position after the last entry of the group (fine cell and certificates) of l[i].
// It gallops: gigs sharded by place put a town's gigs of one trade in one shard, so a group can hold
// hundreds of entries, and stepping over the rest of one read a cache line every two of them.
func groupEnd(l entryList[jobEntry], i int) int {
	group, certs := l[i].group, l[i].certs
	in := func(j int) bool { return l[j].group == group && l[j].certs == certs }
	lo, hi := i, i+1 // in(lo); the end is past lo
	for step := 1; hi < len(l) && in(hi); step *= 2 {
		lo, hi = hi, min(hi+step, len(l))
	}
	// The end lies in (lo, hi]: the first position after lo that is outside the group, or len(l).
	for lo+1 < hi {
		if mid := int(uint(lo+hi) >> 1); in(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// approxKm is a fast flat-earth distance, accurate to a fraction of a percent over a county. It only
// feeds bounds: lowerKm turns it into a distance the true one cannot be below.
type approx struct {
	lat, lng float32
	kx       float32 // km per degree of longitude at the query's latitude
}

func approxFrom(p point) approx {
	return approx{float32(p.lat), float32(p.lng), float32(111.32 * math.Cos(p.lat*math.Pi/180))}
}

func (a approx) km2(lat, lng float32) float32 {
	dy := (lat - a.lat) * 110.57
	dx := (lng - a.lng) * a.kx
	return dx*dx + dy*dy
}

// approx never exceeds the true distance times approxSlack plus approxPad: 5 %, far above the flat-earth
// error below 300 km (under 2 %), and 10 m for the float32 rounding of two places (under a metre). Beyond
// 300 km the bounds are not used at all (see prefilterKm2). TestApproxBound checks both.
//
// The pad was 1 km once; in a town, where the best gigs lie a kilometre or two away, that made every
// distance bound so loose that most gigs loaded as candidates then scored below the bar.
const (
	approxSlack = 1.05
	approxPad   = 0.01
)

// prefilterKm2 is the squared approximate distance a candidate may have and still be within limitKm;
// +Inf when the limit is too large for the approximation to be trusted.
func prefilterKm2(limitKm float64) float32 {
	if limitKm > 300 {
		return float32(math.Inf(1))
	}
	l := float32(limitKm*approxSlack + approxPad)
	return l * l
}

// lowerKm is a distance the true distance is certainly not below, from the squared approximation.
func lowerKm(km2 float32) float64 {
	return math.Max(0, (math.Sqrt(float64(km2))-approxPad)/approxSlack)
}

// shrink returns s in an array of its own length. Lists grow by doubling while Build fills them; copying
// each once at the end hands the slack (a quarter of the memory on average) back to the collector.
func shrink[S ~[]E, E any](s S) S {
	if cap(s) == len(s) {
		return s
	}
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
