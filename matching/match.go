package matching

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"lingong/domain"
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
// test that drops a document already met on an earlier list.
type tier struct {
	rel      relation
	concepts []int
	dup      func(concepts skillSet, cats catSet, k int) bool
}

// tiersOf returns the passes for a query side with these tags, skills, categories and general flag:
// the skills it tagged (exact at best), then the skills it only read (synonym at best), then other
// skills of the same categories, then general work.
//
// The read skills come after all the tagged ones so that their tier can claim synonym as its best: an
// exact pair needs a tag both sides share, and a document sharing one of the query side's tags sits in
// that tag's list, met in the first tier, and is dropped as met when a read skill's list holds it too.
// (With one pass in skill order, a worker tagged 厨师 who wrote "干过十年工地" bounded every 建筑小工 gig
// as if it could be exact, loaded hundreds of them and scored each a synonym, below the bar.)
func tiersOf(tagged, concepts skillSet, cats catSet, general bool) []tier {
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
	var out []tier
	if nTagged > 0 {
		out = append(out, tier{relExact, skills[:nTagged], func(s skillSet, _ catSet, k int) bool { return !s.and(prefix[k]).empty() }})
	}
	if nTagged < len(skills) {
		out = append(out, tier{relSynonym, skills[nTagged:], func(s skillSet, _ catSet, k int) bool {
			return !s.and(prefix[nTagged+k]).empty()
		}})
	}
	out = append(out, tier{catRel, catIDs, func(s skillSet, c catSet, k int) bool {
		return !s.and(concepts).empty() || c&catPrefix[k] != 0
	}})
	if general {
		out = append(out, tier{relGeneral, []int{conceptGeneral()}, func(s skillSet, c catSet, _ int) bool {
			return !s.and(concepts).empty() || c&cats != 0
		}})
	}
	return out
}

func (w *workerDoc) tiers() []tier { return tiersOf(w.tagged, w.concepts, w.cats, w.general) }
func (g *gigDoc) tiers() []tier    { return tiersOf(g.tagged, g.concepts, g.cats, g.general) }

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

// keep puts a pair that passed the hard filters (ok) among the results, or one that failed them only
// narrowly among the near misses. When the results change, the bar shared by the query's parts and the
// part's distance cut (recut) follow them.
func keep[T any](top, near *topK[T], ok bool, cand T, score func(*T) float64, shared *sharedBar, recut func()) {
	if !ok {
		near.push(cand)
		return
	}
	top.push(cand)
	if top.full() {
		shared.raise(score(top.worst()))
	}
	recut()
}

// judgeBatch is how many passing candidates wait to have their documents loaded together (see judge
// in MatchJobsForWorker).
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
	gigQueryParts    = maxParts
)

// scratch accumulates per-slot text scores for one shard at a time.
type scratch struct {
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

// pendingDoc is a gig or worker waiting for its document to be loaded (see judge in MatchJobsForWorker):
// its slot, the position of its list among the tier's, and (a gig's) text score.
type pendingDoc struct {
	slot uint32
	k    int
	raw  float64
}

// maxNearMisses bounds the near-miss lists.
const maxNearMisses = 10

// jobCand is a scored gig while the search runs.
type jobCand struct {
	score float64
	g     *gigDoc
	pc    pairCheck
	rel   relation
}

func betterJobCand(a, b jobCand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.g.created != b.g.created {
		return a.g.created > b.g.created
	}
	return a.g.sum.ID > b.g.sum.ID
}

// MatchJobsForWorker returns the best n open gigs for the worker on the day today (Asia/Shanghai), best
// first, and up to min(n, 10) near misses (see "Near misses" above). Every item passes the hard filters:
// the worker holds every certificate the gig requires (tagged or required in its text), the gig has not
// ended before today and runs on a day the worker is available, it has places left, and it lies within
// the worker's commute limit (a limit of 0 means 30 km). A gig must also relate to the worker's skills (see WeightSkill); a worker who
// named no skill, or said "啥活都干", is offered general labour. Equal scores are ordered newest first, then
// by id, so equal input gives equal output. The worker need not be in the index.
func (ix *Index) MatchJobsForWorker(w domain.Worker, today domain.Date, n int) JobMatches {
	out := JobMatches{Items: []JobMatch{}, NearMisses: []JobMatch{}}
	if n <= 0 {
		return out
	}
	var a analyzer
	wd := a.newWorkerDoc(&ix.dict, &w, false)
	day, ok := dayNumber(today)
	if !ok {
		day = minDay
	}
	c := ix.corpus()
	// Terms no gig contains cannot score: leave them out of the text pass.
	var terms []qterm
	for _, id := range wd.terms {
		if df := ix.df.get(id); df > 0 {
			terms = append(terms, qterm{id, c.idf(df)})
		}
	}

	termShards := make([]uint64, len(terms)) // by term: the gig shards holding it
	for i, t := range terms {
		termShards[i] = ix.gigTerms.get(t.id)
	}
	here := approxFrom(wd.pt)
	inGrid := cellOf(wd.pt.lat, wd.pt.lng) != outsideCell
	reachKm := nearLimitKm(wd.limit)
	reach := prefilterKm2(reachKm)
	useApprox := inGrid && !isInf32(reach)
	expDay := float32(-1)
	if (wd.sum.ExpectedWageUnit == domain.PerDay || wd.sum.ExpectedWageUnit == "") && wd.sum.ExpectedWageFen > 0 {
		expDay = float32(wd.sum.ExpectedWageFen) / 100
	}
	bound := func(rel relation, lowerKm, wage, text float64) float64 {
		return WeightSkill*rel.level() + WeightDistance*distanceScore(lowerKm) + WeightWage*wage +
			WeightText*text + WeightReliability*wd.rel
	}
	cells := cellsNearFirst(wd.pt)
	tiers := wd.tiers()
	var shared sharedBar
	queue := ix.gigShardsNearFirst(wd.pt)
	top, near := inParallel(workerQueryParts, func() (top, near *topK[jobCand]) {
		top = newTopK(n, betterJobCand)
		near = newTopK(min(n, maxNearMisses), betterJobCand)
		bar := func() float64 {
			if top.full() {
				return shared.bar(top.worst().score)
			}
			return shared.bar(math.Inf(-1))
		}
		sc := getScratch()
		defer putScratch(sc)
		sc.fine.reset(wd.pt)
		// cut is the squared approximate distance beyond which nothing in the current tier can enter the
		// top, rest the best a candidate of that tier can earn beside distance; see distanceCut.
		cut, rest := float32(math.Inf(1)), 0.0
		recut := func() {
			if b := bar(); useApprox && !math.IsInf(b, -1) {
				cut = distanceCut(b, rest)
			}
		}
		// The text pass of a shard (see scoreText) runs only once a gig of the shard gets past every test
		// that needs no text score: in most far shards none does. Until then shardText bounds the shard's
		// text from the worker's terms alone, and every bound made with it is looser, never wrong.
		shardText := 0.0 // the best text score in the current shard, squashed
		textDone := false
		var curRel relation // the tier being walked
		tierRest := func(rel relation) float64 {
			return WeightSkill*rel.level() + WeightWage + WeightText*shardText + WeightReliability*wd.rel
		}
		// scoreText computes the text score of every gig of the shard that shares a term with the worker,
		// term by term in the worker's order: the same sum textScore makes, known before any gig is
		// loaded.
		scoreText := func(sh *gigShard) {
			lists := sc.lists[:0]
			for _, t := range terms {
				if p := sh.text.get(t.id); p != nil {
					lists = append(lists, termList{t, *p})
				}
			}
			sc.lists = lists
			acc := sc.reset(len(sh.docs))
			maxRaw := 0.0
			for _, l := range sc.lists {
				for _, v := range l.postings {
					a := acc[v>>payloadBits] + termScore(l.idf, v>>8&0xF, c.norms[uint8(v)])
					acc[v>>payloadBits] = a
					if a > maxRaw { // every term adds: a gig's last sum is its largest
						maxRaw = a
					}
				}
			}
			shardText, textDone = squashText(maxRaw), true
			rest = tierRest(curRel)
			recut()
		}
		// offer applies the remaining hard filters to a gig and keeps it, with its score, if it passes:
		// in the results, or among the near misses.
		offer := func(g *gigDoc, rel relation, raw float64) {
			if !datesFit(wd, g, day) {
				return
			}
			pc := check(wd, g, rel)
			if !pc.ok && !pc.near {
				return
			}
			cand := jobCand{partialScore(rel, pc.km, wageScore(wd, g), wd.rel) + WeightText*squashText(raw), g, pc, rel}
			keep(top, near, pc.ok, cand, func(c *jobCand) float64 { return c.score }, &shared, recut)
		}
		// The gigs of a list that pass every test made on their entries wait in pending, judgeBatch at a time,
		// for judge to load their documents together: the load of a gig's document was the costliest
		// line of a query, and one at a time each cache miss waited for the judgement of the gig before.
		// Meanwhile the bar does not rise, so a few more gigs may pass than otherwise, never fewer.
		pending := make([]pendingDoc, 0, judgeBatch)
		judge := func(sh *gigShard, t *tier) {
			var docs [judgeBatch]*gigDoc
			var dup [judgeBatch]bool
			for i, p := range pending {
				docs[i] = sh.docs[p.slot]
			}
			for i, p := range pending {
				dup[i] = t.dup(docs[i].concepts, docs[i].cats, p.k) // met on an earlier list of the tier
			}
			for i, p := range pending {
				if !dup[i] {
					offer(docs[i], relate(wd, docs[i]), p.raw)
				}
			}
			pending = pending[:0]
		}
		var seen listTest
		textCut := textNeed{restOf: func(rel relation, km float64) float64 { return bound(rel, km, 1, 0) }}
		// textFloor is the text score a gig of relation rel no nearer than km needs to reach the bar, once
		// the shard's text is scored (-Inf before). consider tests a group's first gig against it; eachGroup
		// the others, without calling consider.
		textFloor := func(rel relation, km float64) float64 {
			if !textDone {
				return math.Inf(-1)
			}
			return textCut.raw(rel, km, bar())
		}
		consider := func(sh *gigShard, e *gigEntry, t *tier, k int, minKm float64) (restOut bool) {
			tier := t.rel
			// Pays repeat (150, 160 元...): the list's test is computed again only when something in it moved.
			// A group of gigs requiring a certificate the worker lacks can only give near misses.
			b := bar() // it rises only when offer keeps a gig, the last step here
			if seen.changed(e.pay, e.certs, b, minKm, tier, shardText) {
				lb := bound(tier, minKm, wageBound(e.pay, expDay), shardText)
				if lb < b || certSet(e.certs)&^wd.certs != 0 && (tier < relCategory || near.full() && lb < near.worst().score) {
					seen.valid = false
					return true // and the rest of this group, which pays less
				}
			}
			// Once the shard's text is scored, most gigs of a list that passed on the shard's best text are
			// left on their own: a load and a comparison, with full marks for pay.
			if floor := textFloor(tier, minKm); floor > math.Inf(-1) && sc.acc[e.slot] < floor {
				return false
			}
			km2 := here.km2(e.lat, e.lng)
			if useApprox && (km2 > reach || km2 > cut) || !wd.hasPlace {
				return false
			}
			// Dates and certificates are in the entry, so most failures cost no load. A gig that lacks a
			// certificate, or is surely beyond the commute, can only be a near miss, which the near list's
			// own bar then judges too.
			if e.to < day || max(e.from, day, wd.from) > min(e.to, wd.to) {
				return false
			}
			lower := 0.0
			if useApprox {
				lower = lowerKm(km2)
			}
			nearOnly := certSet(e.certs)&^wd.certs != 0 || lower > wd.limit
			if nearOnly && tier < relCategory {
				return false
			}
			if !textDone {
				if ub := bound(tier, lower, wageBound(e.pay, expDay), shardText); ub < b || nearOnly && near.full() && ub < near.worst().score {
					return false
				}
				scoreText(sh)
			}
			raw := sc.acc[e.slot]
			if ub := bound(tier, lower, wageBound(e.pay, expDay), squashText(raw)); ub < b || nearOnly && near.full() && ub < near.worst().score {
				return false
			}
			if pending = append(pending, pendingDoc{e.slot, k, raw}); len(pending) == cap(pending) {
				judge(sh, t)
			}
			return false
		}
		ix.eachGigShard(queue, func(sh *gigShard) {
			box := ix.gigBoxes[sh.num].load()
			boxKm := box.minKm(wd.pt)
			if boxKm > reachKm {
				return // every gig of this shard is out of reach
			}
			// Before reading any posting: could the shard's best gig beat the bar, at the shard's
			// distance and with every term of the worker at its most? (The shard's lists are looked up
			// only if its text is scored; termShards says where the terms are.)
			ceil := 0.0
			for i, t := range terms {
				if termShards[i]&(1<<sh.num) != 0 {
					ceil += t.idf * (bm25K1 + 1) // termScore's limit as the term frequency grows
				}
			}
			shardText, textDone = squashText(ceil*(1+1e-9)+1e-12), false
			if bound(tiers[0].rel, boxKm, 1, shardText) < bar() {
				return
			}
			for _, t := range tiers {
				stop := func() float64 { return walkLimit(inGrid, reachKm, bar(), tierRest(t.rel)) }
				if bound(t.rel, 0, 1, shardText) < bar() {
					break // this tier, and the lower ones, cannot beat what is kept
				}
				curRel, cut, rest = t.rel, float32(math.Inf(1)), tierRest(t.rel)
				recut()
				textNeeded := func(km float64) ([]float64, float64) { return sc.acc, textFloor(t.rel, km) }
				sh.walk(t.concepts, cells, stop, func(l entryList[gigEntry], k int, minKm float64) {
					eachGroup(l, minKm, &sc.fine, textNeeded, func(e *gigEntry, km float64) bool { return consider(sh, e, &t, k, km) })
					judge(sh, &t)
				})
			}
		})
		return top, near
	})

	items, nears := top.sorted(), near.sorted()
	for i, cand := range nears {
		if top.full() && cand.score < top.worst().score {
			nears = nears[:i] // see "Near misses" above
			break
		}
	}
	// The results' gigs were all read during the walk, which has read much else since: their ids are
	// loaded first, together, so that the cache misses overlap instead of each waiting its turn in
	// jobMatch. A gig that moved to another region during the query may have been kept from both its
	// shards; its better version stands.
	ids := make([]int64, 0, len(items)+len(nears))
	for _, cand := range items {
		ids = append(ids, cand.g.sum.ID)
	}
	for _, cand := range nears {
		ids = append(ids, cand.g.sum.ID)
	}
	quotes := ix.quotableTerms(terms)
	out.Items = make([]JobMatch, 0, len(items)) // a match is some 400 bytes: no regrowing
	out.NearMisses = make([]JobMatch, 0, len(nears))
	for i, cand := range append(items, nears...) {
		if slices.Contains(ids[:i], ids[i]) {
			continue
		}
		if i < len(items) {
			out.Items = append(out.Items, jobMatch(wd, cand, quotes, c))
		} else {
			out.NearMisses = append(out.NearMisses, jobMatch(wd, cand, quotes, c))
		}
	}
	return out
}

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

// gigShardsNearFirst queues the gig shards nearest p first. Gigs are sharded by district and place, so
// the shards around the worker's home, whose gigs set a high bar early, are scored before the far ones,
// which that bar then mostly cuts.
func (ix *Index) gigShardsNearFirst(p point) *shardQueue {
	var km [numShards]float64
	q := &shardQueue{order: make([]int, numShards)}
	for s := range ix.gigBoxes {
		b := ix.gigBoxes[s].load()
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

func (ix *Index) eachGigShard(q *shardQueue, f func(*gigShard)) {
	for s, ok := q.take(); ok; s, ok = q.take() {
		sh := &ix.gigs[s]
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

func jobMatch(wd *workerDoc, cand jobCand, quotes []quotable, c corpus) JobMatch {
	m := JobMatch{JobSummary: cand.g.summary(), DistanceKm: cand.pc.km, Score: cand.score}
	words := func() []string { return matchedTerms(cand.g, quotes, c) }
	m.Reasons, m.Missing = explain(wd, cand.g, cand.rel, cand.pc, words, false)
	return m
}

// workerCand is a scored worker while the search runs.
type workerCand struct {
	score float64
	w     *workerDoc
	pc    pairCheck
	rel   relation
}

func betterWorkerCand(a, b workerCand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.w.sum.ID < b.w.sum.ID
}

// MatchWorkersForJob returns the best n active workers for the gig on the day today, best first, and up
// to min(n, 10) near misses, under the same hard filters and the same score as MatchJobsForWorker (a pair
// scores the same in both directions). Equal scores are ordered by worker id. The gig need not be in the
// index (at approval it may not be yet) and its status is not checked; a gig with no place left, or one
// that has ended, gets no one. Push rules (daily caps, opt-outs, never twice) are the caller's.
func (ix *Index) MatchWorkersForJob(j domain.Job, today domain.Date, n int) WorkerMatches {
	out := WorkerMatches{Items: []WorkerMatch{}, NearMisses: []WorkerMatch{}}
	if n <= 0 || j.Remaining() <= 0 {
		return out
	}
	var a analyzer
	g := a.newGigDoc(&ix.dict, &j, false)
	day, ok := dayNumber(today)
	if !ok {
		day = minDay
	}
	if g.end < day {
		return out
	}
	c := ix.corpus()
	// Each of the gig's terms contributes the same to every worker whose description has it.
	contrib := map[uint32]float64{}
	var gterms []scoredTerm
	norm := c.norm(g.lenCode)
	for _, t := range g.terms {
		id := t >> 8
		if ix.wdf.get(id) == 0 {
			continue // no worker wrote it: it cannot score
		}
		v := termScore(c.idf(ix.df.get(id)), t&0xF, norm)
		contrib[id] = v
		gterms = append(gterms, scoredTerm{id, v})
	}
	// The gig's terms, as a bitset over term ids, let most of a worker's terms be dismissed without a
	// map lookup.
	var inGig []uint64
	for _, t := range gterms {
		if int(t.id/64) >= len(inGig) {
			inGig = append(inGig, make([]uint64, int(t.id/64)+1-len(inGig))...)
		}
		inGig[t.id/64] |= 1 << (t.id % 64)
	}
	there := approxFrom(g.pt)
	inGrid := cellOf(g.pt.lat, g.pt.lng) != outsideCell
	reachKm := ix.workerReach()
	payDay := float32(-1)
	if g.dailyOK {
		payDay = float32(g.daily) / 100
	}
	bound := func(rel relation, lowerKm, wage, text float64, reliability float32) float64 {
		return WeightSkill*rel.level() + WeightDistance*distanceScore(lowerKm) + WeightWage*wage +
			WeightText*text + WeightReliability*float64(reliability)
	}
	// What the gig's terms contribute, summed by signature bit: the text bound of a worker is the sum
	// over the bits its signature shares with the gig's.
	var bitSum [128]float64
	var gigSig signature
	textMax := 0.0
	for _, t := range gterms {
		bitSum[sigBit(t.id)] += t.score
		gigSig.add(t.id)
		textMax += t.score
	}
	textUB := func(sig signature) float64 {
		raw := 0.0
		for w := range sig {
			for b := sig[w] & gigSig[w]; b != 0; b &= b - 1 {
				raw += bitSum[w*64+trailingZeros(b)]
			}
		}
		// Sums in another order can differ in the last bit from the score's: a hair of slack.
		return squashText(raw*(1+1e-9) + 1e-12)
	}
	maxText := squashText(textMax*(1+1e-9) + 1e-12)
	cells := cellsNearFirst(g.pt)
	tiers := g.tiers()
	var shared sharedBar
	queue := ix.workerShards()
	top, near := inParallel(gigQueryParts, func() (top, near *topK[workerCand]) {
		top = newTopK(n, betterWorkerCand)
		near = newTopK(min(n, maxNearMisses), betterWorkerCand)
		bar := func() float64 {
			if top.full() {
				return shared.bar(top.worst().score)
			}
			return shared.bar(math.Inf(-1))
		}
		cut, rest := float32(math.Inf(1)), 0.0
		recut := func() {
			if b := bar(); inGrid && !math.IsInf(b, -1) {
				cut = distanceCut(b, rest)
			}
		}
		// As in MatchJobsForWorker, the workers that pass every test made on their entries are judged a
		// few at a time: their documents, then their term lists, are loaded in loops of their own.
		pending := make([]pendingDoc, 0, judgeBatch)
		judge := func(sh *workerShard, t *tier) {
			var docs [judgeBatch]*workerDoc
			var out [judgeBatch]bool
			var raws [judgeBatch]float64
			for i, p := range pending {
				docs[i] = sh.docs[p.slot]
			}
			for i, p := range pending {
				out[i] = t.dup(docs[i].concepts, docs[i].cats, p.k) || !datesFit(docs[i], g, day)
			}
			for i := range pending {
				if out[i] {
					continue
				}
				for _, id := range docs[i].terms {
					if int(id/64) < len(inGig) && inGig[id/64]&(1<<(id%64)) != 0 {
						raws[i] += contrib[id]
					}
				}
			}
			for i := range pending {
				wd := docs[i]
				if out[i] {
					continue
				}
				rel := relate(wd, g)
				pc := check(wd, g, rel)
				if !pc.ok && !pc.near {
					continue
				}
				cand := workerCand{partialScore(rel, pc.km, wageScore(wd, g), wd.rel) + WeightText*squashText(raws[i]), wd, pc, rel}
				keep(top, near, pc.ok, cand, func(c *workerCand) float64 { return c.score }, &shared, recut)
			}
			pending = pending[:0]
		}
		var seen listTest
		consider := func(sh *workerShard, e *workerEntry, t *tier, k int, minKm float64) (restOut bool) {
			tier := t.rel
			b := bar() // it rises only when a worker is kept, the last step here
			if seen.changed(e.pay, 0, b, minKm, tier, maxText) && bound(tier, minKm, wageBound(payDay, e.pay), maxText, 1) < b {
				seen.valid = false
				return true // and the rest of this list, which asks more
			}
			km2 := there.km2(e.lat, e.lng)
			useApprox := inGrid && e.reach <= 300
			if r := e.reach*approxSlack + approxPad; useApprox && (km2 > r*r || km2 > cut) || !g.hasPlace {
				return false
			}
			if g.end < day || max(g.start, day, e.from) > min(g.end, e.to) {
				return false
			}
			lower := 0.0
			if useApprox {
				lower = lowerKm(km2)
			}
			nearOnly := g.certs&^certSet(e.certs) != 0 || useApprox && lower > float64(e.reach)/1.5
			if nearOnly && tier < relCategory {
				return false
			}
			if ub := bound(tier, lower, wageBound(payDay, e.pay), textUB(e.sig), e.rel); ub < b || nearOnly && near.full() && ub < near.worst().score {
				return false
			}
			if pending = append(pending, pendingDoc{slot: e.slot, k: k}); len(pending) == cap(pending) {
				judge(sh, t)
			}
			return false
		}

		ix.eachWorkerShard(queue, func(sh *workerShard) {
			for _, t := range tiers {
				tierRest := WeightSkill*t.rel.level() + WeightWage + WeightText*maxText + WeightReliability
				stop := func() float64 { return walkLimit(inGrid, reachKm, bar(), tierRest) }
				if bound(t.rel, 0, 1, maxText, 1) < bar() {
					break
				}
				cut, rest = float32(math.Inf(1)), WeightSkill*t.rel.level()+WeightWage+WeightText*maxText+WeightReliability
				recut()
				sh.walk(t.concepts, cells, stop, func(l entryList[workerEntry], k int, minKm float64) {
					l.eachUntil(func(e *workerEntry) bool { return consider(sh, e, &t, k, minKm) })
					judge(sh, &t)
				})
			}
		})
		return top, near
	})

	out.Items = make([]WorkerMatch, 0, len(top.items))
	for _, cand := range top.sorted() {
		out.Items = append(out.Items, workerMatch(g, cand, contrib, ix))
	}
	out.NearMisses = make([]WorkerMatch, 0, len(near.items))
	for _, cand := range near.sorted() {
		if top.full() && cand.score < top.worst().score {
			break
		}
		out.NearMisses = append(out.NearMisses, workerMatch(g, cand, contrib, ix))
	}
	return out
}

func workerMatch(g *gigDoc, cand workerCand, contrib map[uint32]float64, ix *Index) WorkerMatch {
	m := WorkerMatch{WorkerSummary: cand.w.summary(), DistanceKm: cand.pc.km, Score: cand.score}
	words := func() []string {
		var shared []scoredTerm
		for _, id := range cand.w.terms {
			if v, ok := contrib[id]; ok {
				shared = append(shared, scoredTerm{id, v})
			}
		}
		return ix.termTexts(shared)
	}
	m.Reasons, m.Missing = explain(cand.w, g, cand.rel, cand.pc, words, true)
	return m
}
