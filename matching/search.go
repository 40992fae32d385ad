package matching

import "slices"

// Library search.
//
// A query is cut into keywords at spaces and punctuation; each keyword is a clause, and a gig must
// satisfy every clause (two keywords narrow the list, as people expect of a search box). A clause is
// satisfied when the gig contains most of its terms (all of them up to three, then all but a quarter, so
// a long keyword with a wrong character still finds its gig), or when the clause names a skill of the
// taxonomy that the gig has, tagged or read from its text: 装卸 finds the 搬运 gigs that never say 装卸.
// A named skill also scores as one more term, with the skill's own document frequency.
//
// Gigs are visited document at a time, driven by the smallest clause: by pigeonhole a gig that satisfies a
// clause by its terms contains one of its (known - need + 1) rarest terms, so only those terms' lists and
// the clause's skill lists are walked; the other clauses are checked on the gig's own sorted term list.

// clause is one keyword of a query.
type clause struct {
	terms    []qterm // the keyword's known terms, in order
	need     int     // terms a gig must contain to satisfy the clause by text
	drive    []qterm // the rarest terms, whose lists hold every gig satisfying the clause by text
	concepts []int   // skills the keyword names
	cost     int     // entries the lists of drive and concepts hold
}

type compiledQuery struct {
	clauses     []clause
	conceptIDF  []float64 // by position in clause order, flattened
	skill       int       // -1 for no filter, -2 for an unknown skill
	district    string
	districtIdx int8 // -2 when the district is not one of Zhongwei's
	group       int  // the shard group of the district
	needCols    bool // a filter the columns answer is set
	station     string
	day         int32
	hasDay      bool
	wageMin     int64
	page, per   int
	needScoring bool
	corpus      corpus // statistics read once, so every shard scores alike
}

// SearchJobs runs a library query over the open gigs. Results sort by relevance, then newest (CreatedAt,
// then id, descending); with no keywords, newest first. An unknown skill, or a date that does not parse,
// matches nothing rather than being ignored, so a bad filter never shows a misleadingly full list.
func (ix *Index) SearchJobs(q SearchQuery) SearchResult { return ix.searchJobs(q, scoreAuto) }

// How searchShard scores a shard's candidates: as denseIsCheaper says, or (for the test that holds the
// two ways to the same results) always one way.
const (
	scoreAuto = iota
	scoreByCursor
	scoreDensely
)

func (ix *Index) searchJobs(q SearchQuery, scoring int) SearchResult {
	cq := ix.compile(q)
	res := SearchResult{Items: []JobHit{}, Page: cq.page, PerPage: cq.per}
	if cq.skill == -2 || (q.Date != "" && !cq.hasDay) {
		return res
	}
	top := newTopK(cq.page*cq.per, betterHit)
	sc := searchScratch{scoring: scoring}
	for s := range ix.gigs {
		if g := s / shardsPerGroup; cq.district != "" && g != cq.group {
			continue // the district filter rules out the whole shard
		}
		res.Total += ix.searchShard(&ix.gigs[s], &cq, top, &sc)
	}
	all := top.sortInPlace()
	// A gig moving to another district or region during the query may have been seen in both its shards.
	all = slices.CompactFunc(all, func(a, b hit) bool { return a.id == b.id })
	if n := len(all) - (cq.page-1)*cq.per; n > 0 {
		res.Items = make([]JobHit, 0, n)
	}
	for i := (cq.page - 1) * cq.per; i < len(all); i++ {
		all[i].JobSummary = all[i].doc.summary()
		res.Items = append(res.Items, all[i].JobHit)
	}
	return res
}

// hit copies what ranks it from the columns: the shard's lock is gone by the time hits are compared.
type hit struct {
	JobHit
	created, id int64
	doc         *gigDoc
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
	cq := compiledQuery{skill: -1, district: q.District, station: q.StationCode, wageMin: q.WageMinFen, page: max(q.Page, 1), per: q.PerPage}
	if cq.per <= 0 {
		cq.per = DefaultPerPage
	}
	cq.per = min(cq.per, MaxPerPage)
	cq.page = min(cq.page, 1_000_000/cq.per) // keeps page*per, the heap bound, sane
	if q.Skill != "" {
		if i, ok := tax.skillIndex[q.Skill]; ok {
			cq.skill = i
		} else {
			cq.skill = -2
		}
	}
	if q.Date != "" {
		cq.day, cq.hasDay = dayNumber(q.Date)
	}
	if cq.districtIdx = districtIndex(q.District); cq.districtIdx < 0 {
		cq.districtIdx = -2
	}
	cq.group = groupOf(cq.districtIdx)
	cq.needCols = q.District != "" && cq.districtIdx < 0 || cq.hasDay || cq.wageMin > 0
	c := ix.corpus()
	cq.corpus = c
	for _, kw := range splitClauses(normalize(q.Q)) {
		toks := queryTokens(kw)
		var cl clause
		cl.need = len(toks) - len(toks)/4
		if len(toks) <= 3 {
			cl.need = len(toks)
		}
		ids, _ := ix.dict.lookupAll(toks, nil, nil)
		for _, id := range ids {
			cl.terms = append(cl.terms, qterm{id, c.idf(ix.df.get(id))})
		}
		tax.read(kw, false).skills.each(func(i int) { cl.concepts = append(cl.concepts, i) })
		if k := len(cl.terms); cl.need <= k {
			byDF := slices.Clone(cl.terms)
			slices.SortStableFunc(byDF, func(a, b qterm) int { return int(ix.df.get(a.id)) - int(ix.df.get(b.id)) })
			cl.drive = byDF[:k-cl.need+1]
		}
		for _, t := range cl.drive {
			cl.cost += int(ix.df.get(t.id))
		}
		for _, s := range cl.concepts {
			cl.cost += int(ix.conceptDF[s].Load())
		}
		cq.clauses = append(cq.clauses, cl)
	}
	// The cheapest clause drives; it goes first so the loop below checks the others.
	slices.SortStableFunc(cq.clauses, func(a, b clause) int { return a.cost - b.cost })
	for _, cl := range cq.clauses {
		for _, s := range cl.concepts {
			cq.conceptIDF = append(cq.conceptIDF, c.idf(ix.conceptDF[s].Load()))
		}
	}
	cq.needScoring = len(cq.clauses) > 0
	return cq
}

// searchShard adds the shard's matching gigs to top and returns how many there were. Candidates come from
// the driving lists in ascending slot order; every other list is read through a cursor that only moves
// forward, so checking a clause or scoring a term is a short gallop. The postings carry each gig's term
// frequency and length, so a gig is scored without being loaded; its columns are read only for a date or
// wage filter, or when it enters the top.
func (ix *Index) searchShard(s *gigShard, cq *compiledQuery, top *topK[hit], sc *searchScratch) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := cq.corpus
	sc.terms, sc.concepts, sc.lists, sc.tfs = sc.terms[:0], sc.concepts[:0], sc.lists[:0], sc.tfs[:0]
	for _, cl := range cq.clauses {
		for _, t := range cl.terms {
			var p postings
			if pp := s.text.get(t.id); pp != nil {
				p = *pp
			}
			sc.terms = append(sc.terms, cursor{list: p})
			sc.tfs = append(sc.tfs, 0)
		}
		for _, sk := range cl.concepts {
			sc.concepts = append(sc.concepts, cursor{list: s.skill[sk]})
		}
	}
	var skillFilter cursor
	switch {
	case cq.needScoring:
		d := &cq.clauses[0]
		for _, t := range d.drive {
			if p := s.text.get(t.id); p != nil {
				sc.lists = append(sc.lists, *p)
			}
		}
		for _, sk := range d.concepts {
			sc.lists = append(sc.lists, s.skill[sk])
		}
		if cq.skill >= 0 {
			skillFilter.list = s.skill[cq.skill]
		}
	case cq.skill >= 0:
		sc.lists = append(sc.lists, s.skill[cq.skill])
	default:
		sc.lists = append(sc.lists, s.all)
	}
	dense := cq.needScoring && (sc.scoring == scoreDensely || sc.scoring == scoreAuto && sc.denseIsCheaper(len(s.docs)))
	if dense {
		sc.scoreDense(s, cq)
	}
	nc := len(cq.clauses)
	total := 0
	eachUnion(sc.lists, sc, func(slot uint32) {
		if cq.needCols && !cq.passes(&s.cols[slot]) ||
			cq.station != "" && s.docs[slot].sum.StationCode != cq.station ||
			cq.district != "" && cq.districtIdx < 0 && s.docs[slot].sum.District != cq.district ||
			cq.needScoring && cq.skill >= 0 && skillFilter.at(slot) == 0 {
			return
		}
		score := 0.0
		if dense {
			for k := range cq.clauses {
				if h := sc.held[int(slot)*nc+k]; h&heldNamed == 0 && int(h) < cq.clauses[k].need {
					return
				}
			}
			score = sc.score[slot]
		} else if cq.needScoring {
			// First see which terms the gig has (and so whether every clause holds), then score them
			// in query order with the length the postings carry.
			lenCode, haveLen := uint8(0), false
			ti, ci := 0, 0
			for k := range cq.clauses {
				cl := &cq.clauses[k]
				found := 0
				for range cl.terms {
					cu := &sc.terms[ti]
					p := cu.at(slot)
					sc.tfs[ti] = p >> 8
					if p != 0 {
						found++
						lenCode, haveLen = uint8(p), true
					}
					ti++
				}
				named := false
				for range cl.concepts {
					if sc.concepts[ci].at(slot) != 0 {
						named = true
					}
					ci++
				}
				if found < cl.need && !named {
					return
				}
			}
			if !haveLen {
				lenCode = s.cols[slot].lenCode
			}
			norm := c.norm(lenCode)
			ti, ci = 0, 0
			for k := range cq.clauses {
				cl := &cq.clauses[k]
				for _, t := range cl.terms {
					if tf := sc.tfs[ti]; tf > 0 {
						score += termScore(t.idf, tf, norm)
					}
					ti++
				}
				for range cl.concepts {
					if sc.concepts[ci].list.has(sc.concepts[ci].i, slot) {
						score += termScore(cq.conceptIDF[ci], 1, norm)
					}
					ci++
				}
			}
		}
		total++
		if top.full() && score < top.worst().Score {
			return // cannot enter, whatever its age
		}
		col := &s.cols[slot]
		top.push(hit{JobHit: JobHit{Score: score}, created: col.created, id: col.id, doc: s.docs[slot]})
	})
	return total
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

func (p postings) has(i int, slot uint32) bool { return i < len(p) && p.slot(i) == slot }

// searchScratch is reused across the shards of one query.
type searchScratch struct {
	terms, concepts []cursor
	lists           []postings
	tfs             []uint32
	bits            []uint64
	score           []float64 // by slot (scoreDense)
	held            []uint8   // by slot × clause (scoreDense): terms found, and heldNamed
	scoring         int       // scoreAuto, or a way forced by a test
}

// heldNamed marks a clause held by a skill it names.
const heldNamed = 0x80

// denseIsCheaper reports whether scoreDense, which reads every list of the query once, costs less in a
// shard of n slots than looking each candidate of the driving lists up in every list. A keyword as
// common as 枸杞 in 中宁县 drives thousands of candidates, each looked up in six or more lists; reading
// the lists front to back costs a nanosecond or two a posting instead of a gallop each.
func (sc *searchScratch) denseIsCheaper(n int) bool {
	drive, all := 0, n
	for _, l := range sc.lists {
		drive += len(l)
	}
	for _, cu := range sc.terms {
		all += len(cu.list)
	}
	for _, cu := range sc.concepts {
		all += len(cu.list)
	}
	return drive*(len(sc.terms)+len(sc.concepts))*4 > all
}

// scoreDense computes, for every slot of the shard, the query's score (the same sum, in the same order,
// as the candidate loop of searchShard makes) and how each clause is held, list by list.
func (sc *searchScratch) scoreDense(s *gigShard, cq *compiledQuery) {
	n, nc := len(s.docs), len(cq.clauses)
	if cap(sc.score) < n {
		sc.score = make([]float64, n+n/4)
	}
	if cap(sc.held) < n*nc {
		sc.held = make([]uint8, n*nc+n*nc/4)
	}
	score, held := sc.score[:n], sc.held[:n*nc]
	clear(score)
	clear(held)
	c := cq.corpus
	ti, ci := 0, 0
	for k := range cq.clauses {
		cl := &cq.clauses[k]
		for _, t := range cl.terms {
			for _, v := range sc.terms[ti].list {
				slot := int(v >> payloadBits)
				score[slot] += termScore(t.idf, v>>8&0xF, c.norms[uint8(v)])
				if h := &held[slot*nc+k]; *h&^heldNamed < heldNamed-1 {
					*h++
				}
			}
			ti++
		}
		for range cl.concepts {
			idf := cq.conceptIDF[ci]
			for _, v := range sc.concepts[ci].list {
				slot := int(v >> payloadBits)
				score[slot] += termScore(idf, 1, c.norm(s.cols[slot].lenCode))
				held[slot*nc+k] |= heldNamed
			}
			ci++
		}
	}
}

// passes applies the filters that the columns can answer.
func (cq *compiledQuery) passes(g *gigCol) bool {
	switch {
	case cq.hasDay && (cq.day < g.start || cq.day > g.end),
		cq.wageMin > 0 && (!g.dailyOK || g.daily < cq.wageMin):
		return false
	}
	return true
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
