package matching

import (
	"math"
	"slices"

	"lingong/domain"
)

// A gig's query for workers (candidates, push): MatchWorkersForJob prepares a jobQuery, walks the worker
// shards in parts (a jobWalk each, see inParallel), and explains what was kept.

// workerCand is a scored worker while the search runs. Its score includes its band (see bandGap).
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
	q, ok := ix.newJobQuery(&j, today)
	if !ok {
		return out
	}
	top, near := inParallel(jobQueryParts, func() (top, near *topK[workerCand]) {
		wk := q.newWalk(n)
		ix.eachWorkerShard(q.queue, wk.shard)
		return wk.top, wk.near
	})
	return q.results(top, near)
}

// jobQuery is what a gig's query computes once, before any shard is read.
type jobQuery struct {
	ix      *Index
	g       *jobDoc
	day     int32
	contrib map[uint32]float64 // by gig term: what it adds to the text score of a worker who wrote it
	// inJob holds the gig's terms as a bitset over term ids, which lets most of a worker's terms be
	// dismissed without a map lookup.
	inJob    []uint64
	freeKeys []uint32 // the gig's terms that some worker's free tag has (see freeTierForJob)
	there    approx
	inGrid   bool
	reachKm  float64
	payDay   float32 // the gig's day's pay in yuan, -1 unknown
	// bitSum is what the gig's terms contribute, summed by signature bit: the text bound of a worker is
	// the sum over the bits its signature shares with the gig's.
	bitSum  [128]float64
	jobSig  signature
	maxText float64 // the squashed text score of a worker who wrote every term of the gig
	cells   []cellDist
	tiers   []tier
	shared  sharedBar
	queue   *shardQueue
}

func (ix *Index) newJobQuery(j *domain.Job, today domain.Date) (*jobQuery, bool) {
	var a analyzer
	q := &jobQuery{ix: ix, g: a.newJobDoc(&ix.dict, j, false), contrib: map[uint32]float64{}, payDay: -1}
	g := q.g
	var ok bool
	if q.day, ok = dayNumber(today); !ok {
		q.day = minDay
	}
	if g.end < q.day {
		return nil, false
	}
	c := ix.corpus()
	norm := c.norm(g.lenCode)
	textMax := 0.0
	for _, t := range g.terms {
		id := t >> 8
		if ix.freeDF.get(id) > 0 {
			q.freeKeys = append(q.freeKeys, id)
		}
		if ix.wdf.get(id) == 0 {
			continue // no worker wrote it: it cannot score
		}
		v := termScore(c.idf(ix.df.get(id)), t&0xF, norm)
		q.contrib[id] = v
		if int(id/64) >= len(q.inJob) {
			q.inJob = append(q.inJob, make([]uint64, int(id/64)+1-len(q.inJob))...)
		}
		q.inJob[id/64] |= 1 << (id % 64)
		q.bitSum[sigBit(id)] += v
		q.jobSig.add(id)
		textMax += v
	}
	q.maxText = squashText(textMax*(1+1e-9) + 1e-12)
	q.there = approxFrom(g.pt)
	q.inGrid = cellOf(g.pt.lat, g.pt.lng) != outsideCell
	q.reachKm = ix.workerReach()
	if g.dailyOK {
		q.payDay = float32(g.daily) / 100
	}
	q.cells = cellsNearFirst(g.pt)
	q.tiers = g.tiers(len(q.freeKeys) > 0)
	q.queue = ix.workerShards()
	return q, true
}

func (q *jobQuery) bound(rel relation, lowerKm, wage, text float64, reliability float32) float64 {
	return rel.points() + WeightDistance*distanceScore(lowerKm) + WeightWage*wage + WeightText*text + WeightReliability*float64(reliability)
}

// textUB bounds the squashed text score of a worker with that signature.
func (q *jobQuery) textUB(sig signature) float64 {
	raw := 0.0
	for w := range sig {
		for b := sig[w] & q.jobSig[w]; b != 0; b &= b - 1 {
			raw += q.bitSum[w*64+trailingZeros(b)]
		}
	}
	// Sums in another order can differ in the last bit from the score's: a hair of slack.
	return squashText(raw*(1+1e-9) + 1e-12)
}

// rawText is the text score of a worker for the gig.
func (q *jobQuery) rawText(wd *workerDoc) float64 {
	raw := 0.0
	for _, id := range wd.terms {
		if int(id/64) < len(q.inJob) && q.inJob[id/64]&(1<<(id%64)) != 0 {
			raw += q.contrib[id]
		}
	}
	return raw
}

// jobWalk is one part of a gig's query.
type jobWalk struct {
	*jobQuery
	top, near *topK[workerCand]
	cut       float32
	rest      float64
	// As in a worker's query, the workers that pass every test made on their entries are judged a few
	// at a time: their documents, then their term lists, are loaded in loops of their own.
	pending []pendingDoc
	seen    listTest
	slots   []uint32
}

func (q *jobQuery) newWalk(n int) *jobWalk {
	return &jobWalk{jobQuery: q, top: newTopK(n, betterWorkerCand), near: newTopK(min(n, maxNearMisses), betterWorkerCand),
		cut: float32(math.Inf(1)), pending: make([]pendingDoc, 0, judgeBatch)}
}

func (wk *jobWalk) bar() float64 {
	if wk.top.full() {
		return wk.shared.bar(wk.top.worst().score)
	}
	return wk.shared.bar(math.Inf(-1))
}

func (wk *jobWalk) recut() {
	if b := wk.bar(); wk.inGrid && !math.IsInf(b, -1) {
		wk.cut = distanceCut(b, wk.rest)
	}
}

// offer applies the remaining hard filters to a worker of relation rel and keeps him if he passes.
func (wk *jobWalk) offer(wd *workerDoc, rel relation, raw float64) {
	pc := check(wd, wk.g, rel, wk.day)
	if !pc.ok && !pc.near {
		return
	}
	cand := workerCand{partialScore(rel, pc.km, wageScore(wd, wk.g), wd.rel) - pc.demote + WeightText*squashText(raw), wd, pc, rel}
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

func (wk *jobWalk) judge(sh *workerShard, t *tier) {
	var docs [judgeBatch]*workerDoc
	var out [judgeBatch]bool
	var raws [judgeBatch]float64
	for i, p := range wk.pending {
		docs[i] = sh.docs[p.slot]
	}
	for i, p := range wk.pending {
		out[i] = t.dup(docs[i].concepts, docs[i].cats, p.k) || !datesFit(docs[i], wk.g, wk.day)
	}
	for i := range wk.pending {
		if !out[i] {
			raws[i] = wk.rawText(docs[i])
		}
	}
	for i := range wk.pending {
		if !out[i] {
			if rel := relate(docs[i], wk.g); rel != relNone && rel <= t.rel {
				wk.offer(docs[i], rel, raws[i])
			}
		}
	}
	wk.pending = wk.pending[:0]
}

func (wk *jobWalk) consider(sh *workerShard, e *workerEntry, t *tier, k int, minKm float64) (restOut bool) {
	g := wk.g
	tier := t.rel
	b := wk.bar() // it rises only when a worker is kept, the last step here
	if wk.seen.changed(e.pay, 0, b, minKm, tier, wk.maxText) && wk.bound(tier, minKm, wageBound(wk.payDay, e.pay), wk.maxText, 1) < b {
		wk.seen.valid = false
		return true // and the rest of this list, which asks more
	}
	km2 := wk.there.km2(e.lat, e.lng)
	useApprox := wk.inGrid && e.reach <= 300
	if r := e.reach*approxSlack + approxPad; useApprox && (km2 > r*r || km2 > wk.cut) || !g.hasPlace {
		return false
	}
	if g.end < wk.day || max(g.start, wk.day, e.from) > min(g.end, e.to) {
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
	if ub := wk.bound(tier, lower, wageBound(wk.payDay, e.pay), wk.textUB(e.sig), e.rel); ub < b || nearOnly && wk.near.full() && ub < wk.near.worst().score {
		return false
	}
	if wk.pending = append(wk.pending, pendingDoc{slot: e.slot, k: k}); len(wk.pending) == cap(wk.pending) {
		wk.judge(sh, t)
	}
	return false
}

func (wk *jobWalk) shard(sh *workerShard) {
	for i := range wk.tiers {
		t := &wk.tiers[i]
		tierRest := t.rel.points() + WeightWage + WeightText*wk.maxText + WeightReliability
		if wk.bound(t.rel, 0, 1, wk.maxText, 1) < wk.bar() {
			break
		}
		wk.cut, wk.rest = float32(math.Inf(1)), tierRest
		wk.recut()
		if t.free {
			wk.freeTier(sh)
			continue
		}
		stop := func() float64 { return walkLimit(wk.inGrid, wk.reachKm, wk.bar(), tierRest) }
		sh.walk(t.concepts, wk.cells, stop, func(l entryList[workerEntry], k int, minKm float64) {
			l.eachUntil(func(e *workerEntry) bool { return wk.consider(sh, e, t, k, minKm) })
			wk.judge(sh, t)
		})
	}
}

// freeTier offers the workers of the shard with a free tag the gig says (and who relate no better):
// such a tag has one of its key terms among the gig's (see freeTag.keys), and the shard's free lists
// hold the workers by those terms.
func (wk *jobWalk) freeTier(sh *workerShard) {
	slots := wk.slots[:0]
	for _, id := range wk.freeKeys {
		if p := sh.freeText.get(id); p != nil {
			for _, v := range *p {
				slots = append(slots, v>>payloadBits)
			}
		}
	}
	slices.Sort(slots)
	slots = slices.Compact(slots)
	wk.slots = slots
	for _, slot := range slots {
		wd := sh.docs[slot]
		rel := relate(wd, wk.g)
		if !datesFit(wd, wk.g, wk.day) || (rel != relFree && rel != relFreeWeak) {
			continue
		}
		wk.offer(wd, rel, wk.rawText(wd))
	}
}

func (q *jobQuery) results(top, near *topK[workerCand]) WorkerMatches {
	out := WorkerMatches{Items: make([]WorkerMatch, 0, len(top.items)), NearMisses: make([]WorkerMatch, 0, len(near.items))}
	for _, cand := range top.sorted() {
		out.Items = append(out.Items, q.workerMatch(cand))
	}
	for _, cand := range near.sorted() {
		if top.full() && cand.score < top.worst().score {
			break
		}
		out.NearMisses = append(out.NearMisses, q.workerMatch(cand))
	}
	return out
}

func (q *jobQuery) workerMatch(cand workerCand) WorkerMatch {
	m := WorkerMatch{WorkerSummary: cand.w.summary(), DistanceKm: cand.pc.km, Score: cand.score - cand.rel.offset(), Fit: cand.rel.fit()}
	words := func() []string {
		var shared []scoredTerm
		for _, id := range cand.w.terms {
			if v, ok := q.contrib[id]; ok {
				shared = append(shared, scoredTerm{id, v})
			}
		}
		return q.ix.termTexts(shared)
	}
	m.Reasons, m.Missing = explain(cand.w, q.g, cand.rel, cand.pc, words, true)
	return m
}
