package matching

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// wageBound is the best wage score a pay can earn against an expectation, both day's pay in yuan from
// the entries (-1 unknown), with a margin for the float32 rounding.
func wageBound(pay, expected float32) float64 {
	if pay < 0 || expected <= 0 {
		return 1 // unknown here: the document may still know better (an hourly expectation)
	}
	return math.Max(0, math.Min(1, 0.5+(float64(pay)/float64(expected)-1)*1.25+0.01))
}

func isInf32(f float32) bool { return math.IsInf(float64(f), 1) }

// distanceCut turns the score to beat into a distance: a candidate whose best without distance is rest
// cannot reach threshold unless its distance score does, that is unless it lies within
// 10·(1/x − 1) km for x = (threshold − rest)/WeightDistance. It returns that limit as a squared
// approximate distance (with approx's slack, and a hair more for the float32), so one comparison rejects
// most candidates before any division.
func distanceCut(threshold, rest float64) float32 {
	x := (threshold - rest) / WeightDistance
	switch {
	case x <= 0:
		return float32(math.Inf(1))
	case x > 1:
		return -1
	}
	r := float32((10*(1/x-1)*approxSlack + approxPad) * (1 + 1e-6))
	return r * r
}

// walkLimit is the distance beyond which no cell can hold a candidate: the reach, or less when the bar
// to beat needs a distance score that only nearer places earn (rest is the best a candidate earns
// beside distance). Outside the grid cell distances are not bounds, so nothing is cut.
func walkLimit(inGrid bool, reachKm, bar, rest float64) float64 {
	if !inGrid {
		return math.Inf(1)
	}
	x := (bar - rest) / WeightDistance
	switch {
	case x <= 0:
		return reachKm
	case x > 1:
		return -1
	}
	return min(reachKm, 10*(1/x-1))
}

// listTest remembers the inputs of the last list-level test that passed, so a run of entries with the
// same pay (and, in a gig list, the same certificates) is tested once: had the test failed, the walk would
// have left the list or the group.
type listTest struct {
	pay          float32
	certs        uint32
	bar, km, txt float64
	rel          relation
	valid        bool
}

// changed reports whether the test must run again, and records the inputs as those of a passing test
// (a caller whose test fails clears valid).
func (l *listTest) changed(pay float32, certs uint32, bar, km float64, rel relation, txt float64) bool {
	if l.valid && l.pay == pay && l.certs == certs && l.bar == bar && l.km == km && l.rel == rel && l.txt == txt {
		return false
	}
	*l = listTest{pay, certs, bar, km, txt, rel, true}
	return true
}

// textNeed is the raw text score a candidate needs to reach the bar, given everything else at its best:
// restOf(rel, km) is the score without text of a gig of that relation no nearer than km, with full
// marks for pay. The answer for the last inputs is kept, since a walk asks with the same ones for every
// gig of a group.
type textNeed struct {
	restOf   func(rel relation, km float64) float64
	rel      relation
	km, bar  float64
	need     float64
	computed bool
}

// raw returns the need, lowered by a hair so that a gig the full bound would keep is never cut here.
func (t *textNeed) raw(rel relation, km, bar float64) float64 {
	if t.computed && t.rel == rel && t.km == km && t.bar == bar {
		return t.need
	}
	t.rel, t.km, t.bar, t.computed = rel, km, bar, true
	x := (bar - t.restOf(rel, km)) / WeightText // the squashed text needed
	switch {
	case x <= 0 || math.IsNaN(x):
		t.need = math.Inf(-1)
	case x >= 1:
		t.need = math.Inf(1)
	default:
		t.need = textHalf*x/(1-x)*(1-1e-9) - 1e-12 // squashText's inverse
	}
	return t.need
}

// tier is one pass of the matching: the lists of some concepts, the best relation they can give, and the
// test that drops a document already met on an earlier list. The free tier has no lists: it finds the
// documents a free tag relates by their words (see freeTierForWorker, freeTierForJob).
type tier struct {
	rel      relation
	concepts []int
	dup      func(concepts skillSet, cats catSet, k int) bool
	free     bool
}

// tiersOf returns the passes for a query side with these tags, skills, related trades, categories and
// general flag: the skills it tagged (exact at best), then the skills it only read (synonym at best),
// then free tags when it has any, then the related trades, then other skills of the same categories,
// then general work. A document whose relation is better than its tier's was met in an earlier tier
// (each tier finds every document of its relation), and the matching loops drop it.
//
// The read skills come after all the tagged ones so that their tier can claim synonym as its best: an
// exact pair needs a tag both sides share, and a document sharing one of the query side's tags sits in
// that tag's list, met in the first tier, and is dropped as met when a read skill's list holds it too.
// (With one pass in skill order, a worker tagged 厨师 who wrote "干过十年工地" bounded every 建筑小工 gig
// as if it could be exact, loaded hundreds of them and scored each a synonym, below the bar.)
func tiersOf(tagged, concepts, related skillSet, cats catSet, general, free bool) []tier {
	var skills []int
	var prefix []skillSet // prefix[k]: the skills before the k-th
	var acc skillSet
	add := func(i int) {
		skills = append(skills, i)
		prefix = append(prefix, acc)
		acc.add(i)
	}
	tagged.and(concepts).each(add)
	nTagged := len(skills)
	concepts.andNot(tagged).each(add)
	var out []tier
	if nTagged > 0 {
		out = append(out, tier{rel: relExact, concepts: skills[:nTagged], dup: func(s skillSet, _ catSet, k int) bool { return s.meets(prefix[k]) }})
	}
	if nTagged < len(skills) {
		out = append(out, tier{rel: relSynonym, concepts: skills[nTagged:], dup: func(s skillSet, _ catSet, k int) bool {
			return s.meets(prefix[nTagged+k])
		}})
	}
	if free {
		out = append(out, tier{rel: relFree, free: true})
	}
	related = related.andNot(concepts)
	if !related.empty() {
		var relIDs []int
		var relPrefix []skillSet
		var racc skillSet
		related.each(func(i int) {
			relIDs = append(relIDs, i)
			relPrefix = append(relPrefix, racc)
			racc.add(i)
		})
		out = append(out, tier{rel: relRelated, concepts: relIDs, dup: func(s skillSet, _ catSet, k int) bool {
			return s.meets(concepts) || s.meets(relPrefix[k])
		}})
	}
	var catIDs []int
	var catPrefix []catSet
	var cacc catSet
	for b := uint64(cats); b != 0; b &= b - 1 {
		i := trailingZeros(b)
		catIDs = append(catIDs, conceptOfCat(i))
		catPrefix = append(catPrefix, cacc)
		cacc |= 1 << i
	}
	catRel := relCategory // its best: relCategoryGeneral needs both sides general
	if general {
		catRel = relCategoryGeneral
	}
	out = append(out, tier{rel: catRel, concepts: catIDs, dup: func(s skillSet, c catSet, k int) bool {
		return s.meets(concepts) || s.meets(related) || c&catPrefix[k] != 0
	}})
	if general {
		out = append(out, tier{rel: relGeneral, concepts: []int{conceptGeneral()}, dup: func(s skillSet, c catSet, _ int) bool {
			return s.meets(concepts) || s.meets(related) || c&cats != 0
		}})
	}
	return out
}

func (w *workerDoc) tiers() []tier {
	return tiersOf(w.tagged, w.concepts, w.related, w.cats, w.general, len(w.free()) > 0)
}

// tiers of a gig's query for workers: its related tier holds the workers whose trades can also do the
// gig's (relatedBy), and its free tier the workers with free tags (see freeTierForJob).
func (g *jobDoc) tiers(anyFree bool) []tier {
	var by skillSet
	g.concepts.each(func(i int) { by = by.or(tax.relatedBy[i]) })
	return tiersOf(g.tagged, g.concepts, by, g.cats, g.general, anyFree)
}

// Matching visits candidates tier by tier: first the documents that share one of the query side's skills
// (tagged or read: exact and synonym pairs), then those of the same categories, then general work. Before
// each lower tier the best score it could reach (its level plus full marks for everything else) is compared
// with the current n-th result; when it cannot beat it, the tier is skipped. Within a tier, a candidate's
// score without text is computed first and text (the costly part) only when the whole could still enter.
// Both shortcuts only skip what cannot tie or beat the kept results, so the result is the exact top n.
//
// Near misses: the best min(n, 10) pairs that fail only by certificates or by a little distance and would
// otherwise have ranked among the results (score at least the n-th result's, or any score when there are
// fewer than n results). Defined so, they are exact too: whatever the shortcuts skip scores below the
// n-th result.

// inParallel runs a matching in up to parts parts on the cores, each part taking shards from the query's
// shardQueue until none is left, then merges what the parts kept. Each part keeps the exact best of its
// shards by the same order, so the merge is the exact best of all; each part prunes against its own,
// lower, bar, which only costs it some work. The point is latency: one query's candidates are scored on
// several cores.
func inParallel[T any](parts int, f func() (top, near *topK[T])) (top, near *topK[T]) {
	parts = min(parts, runtime.GOMAXPROCS(0), maxParts)
	if parts <= 1 {
		return f()
	}
	tops, nears := make([]*topK[T], parts), make([]*topK[T], parts)
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tops[p], nears[p] = f()
		}()
	}
	tops[0], nears[0] = f()
	wg.Wait()
	for p := 1; p < parts; p++ {
		for _, x := range tops[p].items {
			tops[0].push(x)
		}
		for _, x := range nears[p].items {
			nears[0].push(x)
		}
	}
	return tops[0], nears[0]
}

// sharedBar is the score a candidate must reach, shared by the parts of one query: the highest n-th score
// any part has kept. The final n-th score is at least that, so pruning against it loses nothing.
type sharedBar struct{ bits atomic.Uint64 }

func (s *sharedBar) raise(v float64) {
	for {
		old := s.bits.Load()
		if old != 0 && math.Float64frombits(old) >= v || s.bits.CompareAndSwap(old, math.Float64bits(v)) {
			return
		}
	}
}

// bar returns the bar for a part whose own n-th score is own (-Inf until it has n): the higher of the
// two.
func (s *sharedBar) bar(own float64) float64 {
	if old := s.bits.Load(); old != 0 {
		return max(own, math.Float64frombits(old))
	}
	return own
}

// judgeBatch is how many passing candidates wait to have their documents loaded together (see
// workerWalk.judge).
const judgeBatch = 8

// maxParts bounds the goroutines one matching query uses.
const maxParts = 4

// Splitting a query pays only when it runs much longer than an idle core takes to start on its part. On
// the 2-core VM of the benchmarks a goroutine handed to the idle core did not start within 100 µs
// (BenchmarkIdleCoreStart: p50 101 µs, that is when its starter stopped to wait), while a worker's query
// takes some 110 µs at the median: split, its median was a third slower and its p99 no better
// (-benchtime 10000x, three runs each: p50 147–184 against 109–116 µs, p99 471–488 against 396–435 µs).
// A gig's query for workers, 600–700 µs, keeps its parts.
const (
	workerQueryParts = 1
	jobQueryParts    = maxParts
)

// scratch accumulates per-slot text scores for one shard at a time.
type scratch struct {
	slots []uint32 // candidates of a free tier
	acc   []float64
	lists []termList // the worker's terms found in the shard
	fine  fineDistances
}

// termList is a query term with its postings in one shard.
type termList struct {
	qterm
	postings postings
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) { scratchPool.Put(s) }

// reset returns n zeroed slots. Clearing them all (a shard holds some 1,600 gigs: 13 KB, a few hundred
// cycles) costs less than noting, posting by posting, which slots a pass touched.
func (s *scratch) reset(n int) []float64 {
	if len(s.acc) < n {
		s.acc = make([]float64, n+n/4)
	}
	clear(s.acc[:n])
	return s.acc[:n]
}

// pendingDoc is a gig or worker waiting for its document to be loaded (see workerWalk.judge):
// its slot, the position of its list among the tier's, and (a gig's) text score.
type pendingDoc struct {
	slot uint32
	k    int
	raw  float64
}

// maxNearMisses bounds the near-miss lists.
const maxNearMisses = 10

// shardQueue hands out one query's shards, one at a time, to the parts scoring them: a part that starts
// late (the second core of this machine can take 0.1–0.2 ms to wake) takes only what is left.
type shardQueue struct {
	order []int
	next  atomic.Int32
}

func (q *shardQueue) take() (int, bool) {
	i := int(q.next.Add(1) - 1)
	if i >= len(q.order) {
		return 0, false
	}
	return q.order[i], true
}

// jobShardsNearFirst queues the gig shards nearest p first. Gigs are sharded by district and place, so
// the shards around the worker's home, whose gigs set a high bar early, are scored before the far ones,
// which that bar then mostly cuts.
func (ix *Index) jobShardsNearFirst(p point) *shardQueue {
	var km [numShards]float64
	q := &shardQueue{order: make([]int, numShards)}
	for s := range ix.jobBoxes {
		b := ix.jobBoxes[s].load()
		km[s] = b.minKm(p)
		q.order[s] = s
	}
	slices.SortFunc(q.order, func(a, b int) int { // equal distances in shard order, as cellsByDistance
		if c := cmpFloat(km[a], km[b]); c != 0 {
			return c
		}
		return a - b
	})
	return q
}

func (ix *Index) eachJobShard(q *shardQueue, f func(*jobShard)) {
	for s, ok := q.take(); ok; s, ok = q.take() {
		sh := &ix.jobs[s]
		sh.mu.RLock()
		f(sh)
		sh.mu.RUnlock()
	}
}

func (ix *Index) workerShards() *shardQueue {
	q := &shardQueue{order: make([]int, len(ix.workers))}
	for s := range q.order {
		q.order[s] = s
	}
	return q
}

func (ix *Index) eachWorkerShard(q *shardQueue, f func(*workerShard)) {
	for s, ok := q.take(); ok; s, ok = q.take() {
		sh := &ix.workers[s]
		sh.mu.RLock()
		f(sh)
		sh.mu.RUnlock()
	}
}
