package matching

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"lingong/domain"
)

// Library search.
//
// A query is first read (query.go): places, dates, wages, certificates, soft wishes and filler words are
// taken out, and what is left is its units: each trade it names (satisfied by a gig of that trade, tagged
// or read from its text, or by the trade's word in the gig's text) and each other keyword (satisfied by a
// gig holding most of its bigrams: all of them up to two, then three in five, so a long keyword with a
// wrong character still finds its gig; a keyword of one character by that character).
//
// A gig must satisfy at least half of the units (minimum-should-match), rounded up; when no gig does,
// the search relaxes to one unit, and then to one shared word of a keyword, and says so: a query never
// returns nothing when some open gig shares a meaningful word with it. Gigs are ranked by how many units
// they satisfy, then by trade (a gig of a named trade before one that only says the word), then by BM25
// over the query's bigrams, then by soft wishes met and nearness to a named town; equal scores newest
// first. A query of filler words only matches nothing, and says so.

// unit is one thing a query asks for: a trade or a keyword.
type unit struct {
	label    string  // as the user wrote it
	terms    []qterm // the words whose lists hold the gigs satisfying it by text
	need     int     // terms a gig must hold to satisfy the unit by text
	concepts []int   // trades whose gigs satisfy it (tagged or read)
}

// Weights of a search's score: a unit satisfied outweighs everything else; a trade named outweighs the
// text; wishes and nearness separate gigs alike in both.
const (
	searchUnitPoints  = 100.0
	searchTradePoints = 40.0
	searchWishPoints  = 8.0
	searchNearPoints  = 20.0
)

type compiledQuery struct {
	units       []unit
	msm         int          // units a gig must satisfy
	wishIDs     [][][]uint32 // by wish: alternatives, each the term ids a gig must all hold
	skill       int          // -1 for no filter, -2 for an unknown skill
	district    string
	districtIdx int8 // -2 when the district is not one of Zhongwei's
	group       int  // the shard group of the district
	station     string
	from, to    int32 // a date window (a day: from == to)
	hasDates    bool
	wageDay     int64
	wageHour    int64
	held        certSet // certificates the user holds; certFilter: gigs requiring others are left out
	certFilter  bool
	near        point
	hasNear     bool
	extra       float64 // the most the wishes and nearness can add
	// textOnlyBound is more than a gig satisfying the only unit by text alone can score (see split).
	textOnlyBound float64
	noSplit       bool           // tests: score every gig of a one-unit query as a query of several units is
	browse        bool           // no unit: every gig passing the filters, wishes and nearness first
	listed        map[int64]bool // gigs left out because they are listed already (see widen)
	empty         bool           // filler words only: nothing
	page, per     int
	corpus        corpus // statistics read once, so every shard scores alike
	reading       QueryReading
}

// SearchJobs runs a library query over the open gigs (see the rules above). With no keywords the gigs
// passing the filters are listed, those meeting the soft wishes and nearest a named town first, then
// newest (CreatedAt, then id, descending). An unknown skill, or a date that does not parse, matches
// nothing rather than being ignored, so a bad filter never shows a misleadingly full list. The result
// says how the query was read.
func (ix *Index) SearchJobs(q SearchQuery) (res SearchResult) {
	ix.search(&q, false, &res)
	return res
}

// searchJobs is SearchJobs; noSplit (for tests) scores every gig of a one-unit query, as split does not.
func (ix *Index) searchJobs(q SearchQuery, noSplit bool) (res SearchResult) {
	ix.search(&q, noSplit, &res)
	return res
}

// search answers q into res (see searchJobs).
func (ix *Index) search(q *SearchQuery, noSplit bool, res *SearchResult) {
	// The compiled query lives in the scratch, not on the stack: a collection shrinks the stacks of
	// goroutines that use little of theirs, and the first query after it then grew its stack again,
	// copying it, while the runtime's tables for that were cold as well.
	sc := getSearchScratch()
	defer putSearchScratch(sc)
	cq := &sc.cq
	ix.compileInto(q, cq, &sc.parsed)
	cq.noSplit = noSplit
	res.Items, res.Page, res.PerPage = []JobHit{}, cq.page, cq.per
	if cq.skill == -2 || (q.Date != "" && !cq.hasDates) || cq.empty {
		cq.reading.summarize()
		res.Reading = cq.reading
		return
	}
	top, total := ix.run(cq, sc)
	if total == 0 && !cq.browse {
		// Relax: one unit, then one word of a keyword.
		relaxed := false
		if cq.msm > 1 {
			cq.msm, relaxed = 1, true
			top, total = ix.run(cq, sc)
		}
		if total == 0 {
			for i := range cq.units {
				if cq.units[i].need > 1 {
					cq.units[i].need, relaxed = 1, true
				}
			}
			if relaxed {
				top, total = ix.run(cq, sc)
			}
		}
		cq.reading.Relaxed = relaxed && total > 0
	}
	all := top.sortInPlace()
	// A gig moving to another district or region during the query may have been seen in both its shards.
	all = slices.CompactFunc(all, func(a, b hit) bool { return a.id == b.id })
	if !cq.browse && total < cq.page*cq.per {
		all, total = ix.widen(cq, all, total, sc)
		all = all[:min(len(all), cq.page*cq.per)]
	}
	res.Total = total
	fillPage(res, all[min(len(all), (cq.page-1)*cq.per):], sc)
	cq.reading.summarize()
	res.Reading = cq.reading
}

// fillPage sets res's items and memos to the hits of the page.
func fillPage(res *SearchResult, page []hit, sc *searchScratch) {
	if len(page) == 0 {
		return
	}
	// The documents are cold after a collection: load a word of each cache line of their summaries
	// first, all together, rather than one document's lines after another's.
	sum := int64(0)
	for i := range page {
		g := page[i].doc
		sum += int64(g.concepts[0]) + g.sum.ID + int64(g.sum.Headcount) + g.sum.CreatedAt.Unix()
	}
	sc.sink += uint32(sum)
	res.Items, res.Memos = make([]JobHit, len(page)), make([]*Memo, len(page))
	for i := range page {
		res.Items[i].JobSummary = page[i].doc.summary()
		res.Items[i].Score = page[i].Score
		res.Memos[i] = &page[i].doc.memo
	}
}

// scratches keeps a few searches' per-slot arrays between queries: made anew, they were 45 KB a query for
// the collector to reclaim (they are cleared shard by shard either way). It is a small free list rather
// than a sync.Pool, which every collection empties: the first searches after each collection then made
// their arrays again, on a cold heap, and were the slowest of all.
var scratches = make(chan *searchScratch, 16)

func getSearchScratch() *searchScratch {
	select {
	case sc := <-scratches:
		return sc
	default:
		return new(searchScratch)
	}
}

func putSearchScratch(sc *searchScratch) {
	select {
	case scratches <- sc:
	default: // enough kept: let the collector have it
	}
}

func (ix *Index) run(cq *compiledQuery, sc *searchScratch) (*topK[hit], int) {
	top := newTopK(cq.page*cq.per, betterHit)
	total := 0
	for s := range ix.jobs {
		if g := s / shardsPerGroup; cq.district != "" && g != cq.group {
			continue // the district filter rules out the whole shard
		}
		total += ix.searchShard(&ix.jobs[s], cq, top, sc)
	}
	return top, total
}

// hit copies what ranks it from the columns: the shard's lock is gone by the time hits are compared. It
// stays small (the summary is made only for the page returned), since the heap moves hits around.
type hit struct {
	Score       float64
	created, id int64
	doc         *jobDoc
}

// betterHit orders hits by score, then newest, then the higher id.
func betterHit(a, b hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.created != b.created {
		return a.created > b.created
	}
	return a.id > b.id
}

func (ix *Index) compile(q SearchQuery) compiledQuery {
	var cq compiledQuery
	var p parsedQuery
	ix.compileInto(&q, &cq, &p)
	return cq
}

// compileInto compiles q into cq, reading it into p first (both are overwritten; see searchJobs).
func (ix *Index) compileInto(q *SearchQuery, cq *compiledQuery, p *parsedQuery) {
	parseQueryInto(q.Q, q.Today, p)
	*cq = compiledQuery{} // field by field below: a composite literal was built on the stack first
	cq.skill, cq.station, cq.page, cq.per, cq.reading = -1, q.StationCode, max(q.Page, 1), q.PerPage, p.reading
	if cq.per <= 0 {
		cq.per = DefaultPerPage
	}
	cq.per = min(cq.per, MaxPerPage)
	cq.page = min(cq.page, 1_000_000/cq.per) // keeps page*per, the heap bound, sane
	if q.Skill != "" {
		if name, _, ok := resolveSkill(q.Skill); ok {
			cq.skill = tax.skillIndex[name]
		} else {
			cq.skill = -2
		}
	}
	// Filters: those of the request win over those read from the words.
	cq.district = q.District
	if cq.district == "" {
		cq.district = p.reading.District
	} else {
		cq.reading.District = ""
	}
	if q.Date != "" {
		d, ok := dayNumber(q.Date)
		cq.from, cq.to, cq.hasDates = d, d, ok
		cq.reading.DateFrom, cq.reading.DateTo, cq.reading.When = "", "", ""
	} else if p.hasFrom {
		cq.from, cq.to, cq.hasDates = p.from, p.to, true
	}
	cq.wageDay, cq.wageHour = max(q.WageMinFen, p.wageDay), p.wageHour
	switch {
	case p.wageHour > 0:
		cq.reading.WageMinFen, cq.reading.WageUnit = p.wageHour, domain.PerHour
	case p.wageDay > 0 && p.wageDay >= q.WageMinFen:
		cq.reading.WageMinFen, cq.reading.WageUnit = p.wageDay, domain.PerDay
	}
	if p.certs != 0 {
		cq.held, cq.certFilter = tax.held(p.certs), true
		cq.reading.Certs = p.certs.names()
	}
	if p.near >= 0 {
		t := domain.Towns[p.near]
		cq.near, cq.hasNear = point{t.Lat, t.Lng}, true
	}
	if cq.districtIdx = districtIndex(cq.district); cq.districtIdx < 0 {
		cq.districtIdx = -2
	}
	cq.group = groupOf(cq.districtIdx)
	cq.corpus = ix.corpus()

	var named skillSet // trades named, to add a certificate's trades only when none of them is
	for _, kw := range p.rest {
		if len(p.rest) > 1 && slices.Contains(siteWords["建筑小工"], kw) {
			// A site word says where the work is: beside another word it is a wish, alone a trade.
			p.wishes = append(p.wishes, siteWish)
			cq.reading.Prefer = append(cq.reading.Prefer, kw)
			continue
		}
		ix.compileUnit(cq, kw, &named)
	}
	// A certificate the user holds asks for the trades that need it ("电工证 找活": electricians' gigs),
	// unless a trade is named already.
	if p.certs != 0 {
		var trades skillSet
		for i := range domain.Skills {
			if tax.skillCerts[i]&p.certs != 0 {
				trades.add(i)
			}
		}
		if !trades.empty() && !trades.meets(named) {
			u := unit{label: strings.Join(p.certs.names(), "、")}
			trades.each(func(i int) { u.concepts = append(u.concepts, i) })
			cq.units = append(cq.units, u)
		}
	}
	cq.msm = (len(cq.units) + 1) / 2
	for _, w := range p.wishes {
		var alts [][]uint32
		for _, ph := range wishes[w].phrases {
			toks := queryTokens(normalize(ph))
			ids, _ := ix.dict.lookupAll(toks, nil, nil)
			if len(ids) == len(toks) {
				alts = append(alts, ids)
			}
		}
		cq.wishIDs = append(cq.wishIDs, alts)
	}
	cq.extra = searchWishPoints * float64(len(cq.wishIDs))
	if cq.hasNear {
		cq.extra += searchNearPoints
	}
	if cq.hasDates {
		cq.extra += searchWishPoints
	}
	if len(cq.units) == 1 {
		// A term adds at most idf·(k1+1) (tf/(tf+norm) < 1); the margin covers rounding.
		text := 0.0
		for _, t := range cq.units[0].terms {
			text += t.idf * (bm25K1 + 1)
		}
		cq.textOnlyBound = (searchUnitPoints+text+cq.extra)*(1+1e-9) + 1e-9
	}
	hasFilter := cq.district != "" || cq.hasDates || cq.wageDay > 0 || cq.wageHour > 0 || cq.certFilter || cq.hasNear ||
		len(p.wishes) > 0 || cq.skill >= 0 || cq.station != ""
	cq.browse = len(cq.units) == 0
	cq.empty = cq.browse && !hasFilter && len(p.reading.Ignored) > 0
	cq.reading.Empty = cq.empty
}

// compileUnit appends the unit of the keyword kw to cq, adding the trades it names to named. It is a
// function of its own so that its locals are on the stack only while it runs (see searchJobs).
func (ix *Index) compileUnit(cq *compiledQuery, kw string, named *skillSet) {
	u := unit{label: kw}
	r := tax.read(kw, true)
	if r.skills.empty() {
		r.skills = r.sites // a keyword stands alone: "枸杞" is the picking, "工地" a labourer's work
	}
	if r.skills.empty() && utf8.RuneCountInString(kw) == 2 {
		if i, ok := tax.soundAlike(kw, phraseSkill); ok { // 插车: a keyword stands alone, like a tag
			r.skills.add(i)
		}
	}
	r.skills.each(func(i int) {
		u.concepts = append(u.concepts, i)
		named.add(i)
		cq.reading.Skills = appendNew(cq.reading.Skills, domain.Skills[i].Name)
	})
	toks := queryTokens(kw)
	u.need = len(toks)
	if len(toks) > 2 {
		u.need = (len(toks)*3 + 4) / 5
	}
	ids, _ := ix.dict.lookupAll(toks, nil, nil)
	for _, id := range ids {
		u.terms = append(u.terms, qterm{id, cq.corpus.idf(ix.df.get(id))})
	}
	if len(u.concepts) == 0 {
		cq.reading.Keywords = appendNew(cq.reading.Keywords, kw)
	}
	cq.units = append(cq.units, u)
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

// searchScratch is reused across the shards of one query.
type searchScratch struct {
	bits   []uint64
	lists  []postings
	score  []float64 // by slot: BM25 of the units' terms
	count  []uint8   // by slot × unit: terms held, and heldNamed
	wishes []cursor  // by wish alternative term
	named  []uint64  // by slot, one bit each (one-unit queries): held by a trade the unit names
	held   []uint64  // by slot, one bit each (one-unit queries): satisfying the unit, by trade or by text
	sink   uint32    // keeps warm's loads
	cand   []candidate
	cq     compiledQuery
	parsed parsedQuery
}

// heldNamed marks a unit held by a trade it names.
const heldNamed = 0x80

// searchShard adds the shard's matching gigs to top and returns how many there were. Every list of the
// query is read once, front to back, into per-slot scores and per-unit counts; candidates are then the
// union of those lists, in ascending slot order, so the wishes' and the skill filter's lists are read
// through cursors that only move forward.
func (ix *Index) searchShard(s *jobShard, cq *compiledQuery, top *topK[hit], sc *searchScratch) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	nu := len(cq.units)
	split := cq.split()
	sc.lists = sc.lists[:0]
	if cq.browse {
		if cq.skill >= 0 {
			sc.lists = append(sc.lists, s.skill[cq.skill])
		} else {
			sc.lists = append(sc.lists, s.all)
		}
	} else {
		sc.warm(s, cq)
		sc.readUnits(s, cq, split)
	}
	var skillFilter cursor
	if cq.skill >= 0 {
		skillFilter.list = s.skill[cq.skill]
	}
	sc.wishes = sc.wishes[:0]
	for _, alts := range cq.wishIDs {
		for _, ids := range alts {
			for _, id := range ids {
				var p postings
				if pp := s.text.get(id); pp != nil {
					p = *pp
				}
				sc.wishes = append(sc.wishes, cursor{list: p})
			}
		}
	}
	total := 0
	visit := func(slot uint32) {
		col := &s.cols[slot]
		if !cq.passes(col) ||
			cq.station != "" && s.docs[slot].sum.StationCode != cq.station ||
			cq.district != "" && cq.districtIdx < 0 && s.docs[slot].sum.District != cq.district ||
			!cq.browse && cq.skill >= 0 && skillFilter.at(slot) == 0 ||
			cq.certFilter && certSet(col.certs)&^cq.held != 0 || cq.listed != nil && cq.listed[col.id] {
			return
		}
		score := 0.0
		if !cq.browse {
			sat := 0
			for k := range cq.units {
				h := sc.count[int(slot)*nu+k]
				switch {
				case h&heldNamed != 0:
					sat++
					score += searchTradePoints
				case int(h) >= cq.units[k].need && cq.units[k].need > 0:
					sat++
				}
			}
			if sat < cq.msm {
				return
			}
			score += searchUnitPoints*float64(sat) + sc.score[slot]
		}
		total++
		// Wishes and nearness only add: a gig that cannot enter with all of them is only counted.
		if top.full() && score+cq.extra < top.worst().Score {
			return
		}
		sc.enter(s, cq, top, slot, score)
	}
	if !split {
		eachUnion(sc.lists, sc, visit)
		return total
	}
	// One unit: the gigs of a trade it names first, then, unless none of them can pass the bar, the
	// others satisfying it by text (which score at most searchUnitPoints, their text and the extras).
	total = sc.scoreSplit(s, cq, top, sc.named, nil, true)
	if !top.full() || cq.textOnlyBound >= top.worst().Score {
		for i := range sc.wishes {
			sc.wishes[i].i = 0 // the cursors start again: slots ascend anew
		}
		return total + sc.scoreSplit(s, cq, top, sc.held, sc.named, false)
	}
	for i, b := range sc.held {
		total += bits.OnesCount64(b &^ sc.named[i]) // satisfying, counted, never scored
	}
	return total
}

// enter adds the wishes and nearness of the gig in slot to score, what its units give, and offers it to
// top.
func (sc *searchScratch) enter(s *jobShard, cq *compiledQuery, top *topK[hit], slot uint32, score float64) {
	col := &s.cols[slot]
	// A wish is met by its first alternative whose terms the gig all holds; the cursors left unasked
	// (after a missing term, or once the wish is met) only move further on the next ask.
	c := 0
	for _, alts := range cq.wishIDs {
		met := false
		for _, ids := range alts {
			if !met {
				met = true
				for k := range ids {
					if sc.wishes[c+k].at(slot) == 0 {
						met = false
						break
					}
				}
			}
			c += len(ids)
		}
		if met {
			score += searchWishPoints
		}
	}
	if cq.hasNear {
		km := domain.DistanceKm(cq.near.lat, cq.near.lng, float64(col.lat), float64(col.lng))
		score += searchNearPoints / (1 + km/5)
	}
	if cq.hasDates && col.start >= cq.from && col.start <= cq.to {
		score += searchWishPoints // 下周: a gig starting next week before one running through it
	}
	if top.full() && score < top.worst().Score {
		return // cannot enter, whatever its age
	}
	top.push(hit{Score: score, created: col.created, id: col.id, doc: s.docs[slot]})
}

// candidate is a slot that may enter the results, with what its units give.
type candidate struct {
	slot  uint32
	score float64
}

// scoreSplit scores, for a split query (see searchShard), the slots in set and not in minus (nil: none),
// which satisfy the one unit by a trade it names (trade) or by text, and returns how many there are. It
// scores from the per-slot arrays alone and keeps the few that can pass the bar; their columns and
// documents, a cache miss each when the shard is cold, are then loaded together before any is offered,
// so that the misses are in flight at once rather than one after another.
func (sc *searchScratch) scoreSplit(s *jobShard, cq *compiledQuery, top *topK[hit], set, minus []uint64, trade bool) int {
	total := 0
	bar := math.Inf(-1)
	if top.full() {
		bar = top.worst().Score
	}
	cand := sc.cand[:0]
	for w, b := range set {
		if minus != nil {
			b &^= minus[w]
		}
		total += bits.OnesCount64(b)
		for ; b != 0; b &= b - 1 {
			slot := uint32(w*64 + trailingZeros(b))
			score := searchUnitPoints + sc.score[slot]
			if trade {
				score += searchTradePoints
			}
			// Wishes and nearness only add: a gig that cannot enter with all of them is only counted.
			if score+cq.extra >= bar {
				cand = append(cand, candidate{slot, score})
			}
		}
	}
	sum := uint32(0)
	for _, c := range cand {
		sum += uint32(s.cols[c.slot].id)
		if s.docs[c.slot] != nil {
			sum++
		}
	}
	sc.sink += sum
	for _, c := range cand {
		if !top.full() || c.score+cq.extra >= top.worst().Score {
			sc.enter(s, cq, top, c.slot, c.score)
		}
	}
	sc.cand = cand
	return total
}

// warm loads the head, middle and end of every list the query reads in the shard before any is read. Each
// list is found through a few pointers (table, chunk, list header, entries), each a cache miss when the
// shard is cold; read list after list, each waits for the one before, while here the loads of all lists
// are independent and in flight together. A cold shard took several times a warm one.
func (sc *searchScratch) warm(s *jobShard, cq *compiledQuery) {
	sum := uint32(0)
	touch := func(l postings) {
		if n := len(l); n > 0 {
			sum += l[0] + l[n/2] + l[n-1]
		}
	}
	for k := range cq.units {
		for _, t := range cq.units[k].terms {
			if p := s.text.get(t.id); p != nil {
				touch(*p)
			}
		}
		for _, c := range cq.units[k].concepts {
			touch(s.skill[c])
		}
	}
	for _, alts := range cq.wishIDs {
		for _, ids := range alts {
			for _, id := range ids {
				if p := s.text.get(id); p != nil {
					touch(*p)
				}
			}
		}
	}
	sc.sink = sum
}

// readUnits reads every list of the query's units once, front to back, into per-slot scores and per-unit
// counts (and, for a split query, the bitmaps of the slots named and held).
func (sc *searchScratch) readUnits(s *jobShard, cq *compiledQuery, split bool) {
	n, nu := len(s.docs), len(cq.units)
	if cap(sc.score) < n {
		sc.score = make([]float64, n+n/4)
	}
	if cap(sc.count) < n*nu {
		sc.count = make([]uint8, n*nu+n*nu/4)
	}
	score, count := sc.score[:n], sc.count[:n*nu]
	clear(score)
	clear(count)
	norms := cq.corpus.norms
	if split {
		words := n/64 + 1
		if cap(sc.named) < words {
			sc.named, sc.held = make([]uint64, words+words/4), make([]uint64, words+words/4)
		}
		sc.named, sc.held = sc.named[:words], sc.held[:words]
		clear(sc.named)
		clear(sc.held)
	}
	for k := range cq.units {
		u := &cq.units[k]
		for _, t := range u.terms {
			p := s.text.get(t.id)
			if p == nil {
				continue
			}
			sc.lists = append(sc.lists, *p)
			for _, v := range *p {
				slot := int(v >> payloadBits)
				score[slot] += termScore(t.idf, v>>8&0xF, norms[uint8(v)])
				if h := &count[slot*nu+k]; *h&^heldNamed < heldNamed-1 {
					*h++
					if split && int(*h) == u.need {
						sc.held[slot/64] |= 1 << (slot % 64)
					}
				}
			}
		}
		for _, concept := range u.concepts {
			l := s.skill[concept]
			sc.lists = append(sc.lists, l)
			for _, v := range l {
				slot := v >> payloadBits
				count[int(slot)*nu+k] |= heldNamed
				if split {
					sc.named[slot/64] |= 1 << (slot % 64)
					sc.held[slot/64] |= 1 << (slot % 64)
				}
			}
		}
	}
}

// eachBit calls f for every slot whose bit is set in set and not in minus (nil: none), in ascending order.
func eachBit(set, minus []uint64, f func(slot uint32)) {
	for w, b := range set {
		if minus != nil {
			b &^= minus[w]
		}
		for b != 0 {
			f(uint32(w*64 + trailingZeros(b)))
			b &= b - 1
		}
	}
}

// split reports whether the query is scored in two parts (see searchShard): one unit, and no filter a
// gig's columns must answer, so that every gig holding the unit counts without being looked at. The
// widening query (widen) leaves out gigs already listed, a filter the split's bitmap count cannot apply;
// it names trades only, so splitting it would save nothing anyway.
func (cq *compiledQuery) split() bool {
	return !cq.browse && len(cq.units) == 1 && cq.msm == 1 && !cq.noSplit && !cq.hasDates && cq.wageDay == 0 && cq.wageHour == 0 &&
		cq.station == "" && (cq.district == "" || cq.districtIdx >= 0) && cq.skill < 0 && !cq.certFilter && cq.listed == nil
}

// passes applies the filters that the columns can answer.
func (cq *compiledQuery) passes(g *jobCol) bool {
	switch {
	case cq.hasDates && (cq.to < g.start || cq.from > g.end),
		cq.wageDay > 0 && (!g.dailyOK || g.daily < cq.wageDay),
		cq.wageHour > 0 && (!g.dailyOK || g.hourly < cq.wageHour):
		return false
	}
	return true
}

// cursor reads a list forward.
type cursor struct {
	list postings
	i    int
}

// at returns the payload of slot in the list (the frequency and length of a text list, 1<<8 for a skill
// list), or 0 when the slot is absent. Slots must be asked in ascending order.
func (cu *cursor) at(slot uint32) uint32 {
	cu.i = cu.list.search(cu.i, slot)
	if cu.i < len(cu.list) && cu.list.slot(cu.i) == slot {
		return cu.list.payload(cu.i)
	}
	return 0
}

// eachUnion calls f once for every slot in any of the sorted lists, in ascending order. Several lists
// are merged through a bitmap of the shard's slots: setting bits and walking them costs a few
// nanoseconds a slot, where comparing list heads costs several.
func eachUnion(lists []postings, sc *searchScratch, f func(slot uint32)) {
	switch len(lists) {
	case 0:
		return
	case 1:
		for _, v := range lists[0] {
			f(v >> payloadBits)
		}
		return
	}
	hi := uint32(0)
	for _, l := range lists {
		if n := len(l); n > 0 {
			hi = max(hi, l.slot(n-1))
		}
	}
	words := int(hi/64) + 1
	if cap(sc.bits) < words {
		sc.bits = make([]uint64, words)
	}
	bits := sc.bits[:words]
	for _, l := range lists {
		for _, v := range l {
			slot := v >> payloadBits
			bits[slot/64] |= 1 << (slot % 64)
		}
	}
	for w, b := range bits {
		for b != 0 {
			f(uint32(w*64 + trailingZeros(b)))
			b &= b - 1
		}
		bits[w] = 0 // leave the scratch clean for the next shard
	}
}
