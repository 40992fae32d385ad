package matching

import (
	"math"
	"slices"

	"lingong/domain"
)

// A worker's query for gigs (为你推荐): MatchJobsForWorker prepares a workerQuery, walks the gig shards
// nearest first in one or more parts (a workerWalk each, see inParallel), and explains what was kept.

// jobCand is a scored gig while the search runs. Its score includes its band (see bandGap).
type jobCand struct {
	score float64
	g     *jobDoc
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
// first, and up to min(n, 10) near misses (see "Near misses" in match.go). Every item passes the hard
// filters: the worker holds every certificate the gig requires (tagged or required in its text, a
// licence counting for those it implies), the gig has not ended before today and runs on a day the
// worker is available, it has places left, and it lies within the worker's commute limit (a limit of 0
// means 30 km), measured from the worker's own coordinates when given, else the town's seat. A gig must
// also relate to the worker's skills (see WeightSkill): the worker's own and related trades come first,
// other trades of the same category after them (Fit says which); a worker who named no skill, or said
// "啥活都干", is offered general labour. Equal scores are ordered newest first, then by id, so equal input
// gives equal output. The worker need not be in the index.
func (ix *Index) MatchJobsForWorker(w domain.Worker, today domain.Date, n int) JobMatches {
	out := JobMatches{Items: []JobMatch{}, NearMisses: []JobMatch{}}
	if n <= 0 {
		return out
	}
	q := ix.newWorkerQuery(&w, today)
	top, near := inParallel(workerQueryParts, func() (top, near *topK[jobCand]) {
		wk := q.newWalk(n)
		defer putScratch(wk.sc)
		ix.eachJobShard(q.queue, wk.shard)
		return wk.top, wk.near
	})
	return q.results(top, near)
}

// workerQuery is what a worker's query computes once, before any shard is read.
type workerQuery struct {
	ix         *Index
	wd         *workerDoc
	day        int32
	c          corpus
	terms      []qterm  // the worker's terms that some gig has, with their idf
	termShards []uint64 // by term: the gig shards holding it
	here       approx
	inGrid     bool
	reachKm    float64 // no gig beyond is even a near miss
	reach      float32 // reachKm as prefilterKm2
	useApprox  bool
	expDay     float32 // the expected day's pay in yuan, -1 unknown
	cells      []cellDist
	tiers      []tier
	shared     sharedBar
	queue      *shardQueue
}

func (ix *Index) newWorkerQuery(w *domain.Worker, today domain.Date) *workerQuery {
	var a analyzer
	q := &workerQuery{ix: ix, wd: a.newWorkerDoc(&ix.dict, w, false), c: ix.corpus(), expDay: -1}
	wd := q.wd
	var ok bool
	if q.day, ok = dayNumber(today); !ok {
		q.day = minDay
	}
	// Terms no gig contains cannot score: leave them out of the text pass.
	for _, id := range wd.terms {
		if df := ix.df.get(id); df > 0 {
			q.terms = append(q.terms, qterm{id, q.c.idf(df)})
		}
	}
	q.termShards = make([]uint64, len(q.terms))
	for i, t := range q.terms {
		q.termShards[i] = ix.jobTerms.get(t.id)
	}
	q.here = approxFrom(wd.pt)
	q.inGrid = cellOf(wd.pt.lat, wd.pt.lng) != outsideCell
	q.reachKm = nearLimitKm(wd.limit)
	q.reach = prefilterKm2(q.reachKm)
	q.useApprox = q.inGrid && !isInf32(q.reach)
	if (wd.sum.ExpectedWageUnit == domain.PerDay || wd.sum.ExpectedWageUnit == "") && wd.sum.ExpectedWageFen > 0 {
		q.expDay = float32(wd.sum.ExpectedWageFen) / 100
	}
	q.cells = cellsNearFirst(wd.pt)
	q.tiers = wd.tiers()
	q.queue = ix.jobShardsNearFirst(wd.pt)
	return q
}

// bound is the best score a gig of relation rel can reach no nearer than lowerKm with the given wage and
// (squashed) text scores.
func (q *workerQuery) bound(rel relation, lowerKm, wage, text float64) float64 {
	return rel.points() + WeightDistance*distanceScore(lowerKm) + WeightWage*wage + WeightText*text + WeightReliability*q.wd.rel
}

// workerWalk is one part of a worker's query: its results and the state of its walk over the shards it
// takes.
type workerWalk struct {
	*workerQuery
	top, near *topK[jobCand]
	sc        *scratch
	// cut is the squared approximate distance beyond which nothing in the current tier can enter the
	// top, rest the best a candidate of that tier can earn beside distance; see distanceCut.
	cut  float32
	rest float64
	// The text pass of a shard (see scoreText) runs only once a gig of the shard gets past every test
	// that needs no text score: in most far shards none does. Until then shardText bounds the shard's
	// text from the worker's terms alone, and every bound made with it is looser, never wrong.
	shardText float64 // the best text score in the current shard, squashed
	textDone  bool
	curRel    relation // the tier being walked
	// The gigs of a list that pass every test made on their entries wait in pending, judgeBatch at a
	// time, for judge to load their documents together: the load of a gig's document was the costliest
	// line of a query, and one at a time each cache miss waited for the judgement of the gig before.
	// Meanwhile the bar does not rise, so a few more gigs may pass than otherwise, never fewer.
	pending []pendingDoc
	seen    listTest
	textCut textNeed
}

func (q *workerQuery) newWalk(n int) *workerWalk {
	wk := &workerWalk{workerQuery: q, top: newTopK(n, betterJobCand), near: newTopK(min(n, maxNearMisses), betterJobCand),
		sc: getScratch(), cut: float32(math.Inf(1)), pending: make([]pendingDoc, 0, judgeBatch)}
	wk.sc.fine.reset(q.wd.pt)
	wk.textCut = textNeed{restOf: func(rel relation, km float64) float64 { return q.bound(rel, km, 1, 0) }}
	return wk
}

// bar is the score a gig must reach to enter the results.
func (wk *workerWalk) bar() float64 {
	if wk.top.full() {
		return wk.shared.bar(wk.top.worst().score)
	}
	return wk.shared.bar(math.Inf(-1))
}

func (wk *workerWalk) recut() {
	if b := wk.bar(); wk.useApprox && !math.IsInf(b, -1) {
		wk.cut = distanceCut(b, wk.rest)
	}
}

func (wk *workerWalk) tierRest(rel relation) float64 {
	return rel.points() + WeightWage + WeightText*wk.shardText + WeightReliability*wk.wd.rel
}

// scoreText computes the text score of every gig of the shard that shares a term with the worker,
// term by term in the worker's order: the same sum textScore makes, known before any gig is loaded.
func (wk *workerWalk) scoreText(sh *jobShard) {
	sc := wk.sc
	lists := sc.lists[:0]
	for _, t := range wk.terms {
		if p := sh.text.get(t.id); p != nil {
			lists = append(lists, termList{t, *p})
		}
	}
	sc.lists = lists
	acc := sc.reset(len(sh.docs))
	maxRaw := 0.0
	norms := wk.c.norms
	for _, l := range sc.lists {
		for _, v := range l.postings {
			a := acc[v>>payloadBits] + termScore(l.idf, v>>8&0xF, norms[uint8(v)])
			acc[v>>payloadBits] = a
			if a > maxRaw { // every term adds: a gig's last sum is its largest
				maxRaw = a
			}
		}
	}
	wk.shardText, wk.textDone = squashText(maxRaw), true
	wk.rest = wk.tierRest(wk.curRel)
	wk.recut()
}

// offer applies the remaining hard filters to a gig and keeps it, with its score, if it passes: in the
// results, or among the near misses.
func (wk *workerWalk) offer(g *jobDoc, rel relation, raw float64) {
	wd := wk.wd
	if !datesFit(wd, g, wk.day) {
		return
	}
	pc := check(wd, g, rel, wk.day)
	if !pc.ok && !pc.near {
		return
	}
	cand := jobCand{partialScore(rel, pc.km, wageScore(wd, g), wd.rel) - pc.demote + WeightText*squashText(raw), g, pc, rel}
	if !pc.ok {
		wk.near.push(cand)
		return
	}
	wk.top.push(cand)
	if wk.top.full() {
		wk.shared.raise(wk.top.worst().score)
	}
	wk.recut()
}

// judge loads the pending gigs' documents together and offers those met for the first time with the
// tier's relation or a lower one (a better one was met in an earlier tier).
func (wk *workerWalk) judge(sh *jobShard, t *tier) {
	var docs [judgeBatch]*jobDoc
	var dup [judgeBatch]bool
	for i, p := range wk.pending {
		docs[i] = sh.docs[p.slot]
	}
	for i, p := range wk.pending {
		dup[i] = t.dup(docs[i].concepts, docs[i].cats, p.k) // met on an earlier list of the tier
	}
	for i, p := range wk.pending {
		if !dup[i] {
			if rel := relate(wk.wd, docs[i]); rel != relNone && rel <= t.rel {
				wk.offer(docs[i], rel, p.raw)
			}
		}
	}
	wk.pending = wk.pending[:0]
}

// textFloor is the text score a gig of relation rel no nearer than km needs to reach the bar, once the
// shard's text is scored (-Inf before). consider tests a group's first gig against it; eachGroup the
// others, without calling consider.
func (wk *workerWalk) textFloor(rel relation, km float64) float64 {
	if !wk.textDone {
		return math.Inf(-1)
	}
	return wk.textCut.raw(rel, km, wk.bar())
}

// consider tests a gig's list entry against everything the entry and the shard's text scores can tell,
// and queues it for judge if it may enter. It returns true when the rest of the entry's group can be
// left.
func (wk *workerWalk) consider(sh *jobShard, e *jobEntry, t *tier, k int, minKm float64) (restOut bool) {
	wd := wk.wd
	tier := t.rel
	// Pays repeat (150, 160 元...): the list's test is computed again only when something in it moved.
	// A group of gigs requiring a certificate the worker lacks can only give near misses.
	b := wk.bar() // it rises only when offer keeps a gig, the last step here
	if wk.seen.changed(e.pay, e.certs, b, minKm, tier, wk.shardText) {
		lb := wk.bound(tier, minKm, wageBound(e.pay, wk.expDay), wk.shardText)
		if lb < b || certSet(e.certs)&^wd.certs != 0 && (tier < relCategory || wk.near.full() && lb < wk.near.worst().score) {
			wk.seen.valid = false
			return true // and the rest of this group, which pays less
		}
	}
	// Once the shard's text is scored, most gigs of a list that passed on the shard's best text are
	// left on their own: a load and a comparison, with full marks for pay.
	if floor := wk.textFloor(tier, minKm); floor > math.Inf(-1) && wk.sc.acc[e.slot] < floor {
		return false
	}
	km2 := wk.here.km2(e.lat, e.lng)
	if wk.useApprox && (km2 > wk.reach || km2 > wk.cut) || !wd.hasPlace {
		return false
	}
	// Dates and certificates are in the entry, so most failures cost no load. A gig that lacks a
	// certificate, or is surely beyond the commute, can only be a near miss, which the near list's own
	// bar then judges too.
	if e.to < wk.day || max(e.from, wk.day, wd.from) > min(e.to, wd.to) {
		return false
	}
	lower := 0.0
	if wk.useApprox {
		lower = lowerKm(km2)
	}
	nearOnly := certSet(e.certs)&^wd.certs != 0 || lower > wd.limit
	if nearOnly && tier < relCategory {
		return false
	}
	if !wk.textDone {
		if ub := wk.bound(tier, lower, wageBound(e.pay, wk.expDay), wk.shardText); ub < b || nearOnly && wk.near.full() && ub < wk.near.worst().score {
			return false
		}
		wk.scoreText(sh)
	}
	raw := wk.sc.acc[e.slot]
	if ub := wk.bound(tier, lower, wageBound(e.pay, wk.expDay), squashText(raw)); ub < b || nearOnly && wk.near.full() && ub < wk.near.worst().score {
		return false
	}
	if wk.pending = append(wk.pending, pendingDoc{e.slot, k, raw}); len(wk.pending) == cap(wk.pending) {
		wk.judge(sh, t)
	}
	return false
}

// shard walks one gig shard, tier by tier, cell by cell nearest first, while its gigs can still beat the
// bar.
func (wk *workerWalk) shard(sh *jobShard) {
	box := wk.ix.jobBoxes[sh.num].load()
	boxKm := box.minKm(wk.wd.pt)
	if boxKm > wk.reachKm {
		return // every gig of this shard is out of reach
	}
	// Before reading any posting: could the shard's best gig beat the bar, at the shard's distance and
	// with every term of the worker at its most? (The shard's lists are looked up only if its text is
	// scored; termShards says where the terms are.)
	ceil := 0.0
	for i, t := range wk.terms {
		if wk.termShards[i]&(1<<sh.num) != 0 {
			ceil += t.idf * (bm25K1 + 1) // termScore's limit as the term frequency grows
		}
	}
	wk.shardText, wk.textDone = squashText(ceil*(1+1e-9)+1e-12), false
	if wk.bound(wk.tiers[0].rel, boxKm, 1, wk.shardText) < wk.bar() {
		return
	}
	for i := range wk.tiers {
		t := &wk.tiers[i]
		if wk.bound(t.rel, 0, 1, wk.shardText) < wk.bar() {
			break // this tier, and the lower ones, cannot beat what is kept
		}
		wk.curRel, wk.cut, wk.rest = t.rel, float32(math.Inf(1)), wk.tierRest(t.rel)
		wk.recut()
		if t.free {
			wk.freeTier(sh, boxKm)
			continue
		}
		stop := func() float64 { return walkLimit(wk.inGrid, wk.reachKm, wk.bar(), wk.tierRest(t.rel)) }
		textNeeded := func(km float64) ([]float64, float64) { return wk.sc.acc, wk.textFloor(t.rel, km) }
		sh.walk(t.concepts, wk.cells, stop, func(l entryList[jobEntry], k int, minKm float64) {
			eachGroup(l, minKm, &wk.sc.fine, textNeeded, func(e *jobEntry, km float64) bool { return wk.consider(sh, e, t, k, km) })
			wk.judge(sh, t)
		})
	}
}

// freeTier offers the gigs of the shard that say one of the worker's free tags (and relate no better):
// they hold one of its bigrams at least (see freeTag.covers), so the text lists of those bigrams hold
// them all. There are few; each is judged on its document.
func (wk *workerWalk) freeTier(sh *jobShard, boxKm float64) {
	if wk.bound(relFree, boxKm, 1, wk.shardText) < wk.bar() {
		return
	}
	slots := wk.sc.slots[:0]
	for _, f := range wk.wd.free() {
		for _, id := range f.keys() {
			if p := sh.text.get(id); p != nil {
				for _, v := range *p {
					slots = append(slots, v>>payloadBits)
				}
			}
		}
	}
	slices.Sort(slots)
	slots = slices.Compact(slots)
	wk.sc.slots = slots
	if len(slots) == 0 {
		return
	}
	if !wk.textDone {
		wk.scoreText(sh)
	}
	for _, slot := range slots {
		if g := sh.docs[slot]; relate(wk.wd, g) == relFree || relate(wk.wd, g) == relFreeWeak {
			wk.offer(g, relate(wk.wd, g), wk.sc.acc[slot])
		}
	}
}

// results explains the kept gigs, best first. The results' gigs were all read during the walk, which has
// read much else since: their ids are loaded first, together, so that the cache misses overlap instead
// of each waiting its turn in jobMatch. A gig that moved to another region during the query may have been
// kept from both its shards; its better version stands.
func (q *workerQuery) results(top, near *topK[jobCand]) JobMatches {
	items, nears := top.sorted(), near.sorted()
	for i, cand := range nears {
		if top.full() && cand.score < top.worst().score {
			nears = nears[:i] // see "Near misses" in match.go
			break
		}
	}
	ids := make([]int64, 0, len(items)+len(nears))
	for _, cand := range items {
		ids = append(ids, cand.g.sum.ID)
	}
	for _, cand := range nears {
		ids = append(ids, cand.g.sum.ID)
	}
	quotes := q.ix.quotableTerms(q.terms)
	out := JobMatches{Items: make([]JobMatch, 0, len(items)), NearMisses: make([]JobMatch, 0, len(nears))}
	for i, cand := range append(items, nears...) {
		if slices.Contains(ids[:i], ids[i]) {
			continue
		}
		if i < len(items) {
			out.Items = append(out.Items, jobMatch(q.wd, cand, quotes, q.c))
		} else {
			out.NearMisses = append(out.NearMisses, jobMatch(q.wd, cand, quotes, q.c))
		}
	}
	return out
}

func jobMatch(wd *workerDoc, cand jobCand, quotes []quotable, c corpus) JobMatch {
	m := JobMatch{JobSummary: cand.g.summary(), DistanceKm: cand.pc.km, Score: cand.score - cand.rel.offset(), Fit: cand.rel.fit()}
	words := func() []string { return matchedTerms(cand.g, quotes, c) }
	m.Reasons, m.Missing = explain(wd, cand.g, cand.rel, cand.pc, words, false)
	return m
}
