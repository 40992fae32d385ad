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
	districtIdx int8 // -2 when the district is not one of Zhongwei's: nothing matches
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
func (ix *Index) SearchJobs(q SearchQuery) SearchResult {
	cq := ix.compile(q)
	res := SearchResult{Items: []JobHit{}, Page: cq.page, PerPage: cq.per}
	if cq.skill == -2 || (q.Date != "" && !cq.hasDay) {
		return res
	}
	top := newTopK(cq.page*cq.per, betterHit)
	for s := range ix.gigs {
		res.Total += ix.searchShard(&ix.gigs[s], &cq, top)
	}
	all := top.sorted()
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
// forward, so checking a clause or scoring a term is a short gallop, and no gig is loaded (the columns
// hold what the filters and the ranking need) until it is among the results.
func (ix *Index) searchShard(s *gigShard, cq *compiledQuery, top *topK[hit]) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := cq.corpus
	type cursor struct {
		list postings
		i    int
	}
	at := func(cu *cursor, slot uint32) uint32 { // the payload of slot in the list, 0 when absent
		cu.i = cu.list.search(cu.i, slot)
		if cu.i < len(cu.list) && cu.list.slot(cu.i) == slot {
			return cu.list.payload(cu.i) >> 8
		}
		return 0
	}
	var terms, concepts []cursor
	for _, cl := range cq.clauses {
		for _, t := range cl.terms {
			var p postings
			if pp := s.text.get(t.id); pp != nil {
				p = *pp
			}
			terms = append(terms, cursor{list: p})
		}
		for _, sk := range cl.concepts {
			concepts = append(concepts, cursor{list: s.skill[sk]})
		}
	}
	var skillFilter cursor
	var lists []postings
	switch {
	case cq.needScoring:
		d := &cq.clauses[0]
		for _, t := range d.drive {
			if p := s.text.get(t.id); p != nil {
				lists = append(lists, *p)
			}
		}
		for _, sk := range d.concepts {
			lists = append(lists, s.skill[sk])
		}
		if cq.skill >= 0 {
			skillFilter.list = s.skill[cq.skill]
		}
	case cq.skill >= 0:
		lists = append(lists, s.skill[cq.skill])
	default:
		lists = append(lists, s.all)
	}
	total := 0
	eachUnion(lists, func(slot uint32) {
		col := &s.cols[slot]
		if !cq.passes(col) || cq.station != "" && s.docs[slot].sum.StationCode != cq.station ||
			cq.needScoring && cq.skill >= 0 && at(&skillFilter, slot) == 0 {
			return
		}
		score := 0.0
		if cq.needScoring {
			norm := c.norm(col.lenCode)
			ti, ci := 0, 0
			for k := range cq.clauses {
				cl := &cq.clauses[k]
				found := 0
				for _, t := range cl.terms {
					if tf := at(&terms[ti], slot); tf > 0 {
						found++
						score += termScore(t.idf, tf, norm)
					}
					ti++
				}
				named := false
				for range cl.concepts {
					if at(&concepts[ci], slot) > 0 {
						named = true
						score += termScore(cq.conceptIDF[ci], 1, norm)
					}
					ci++
				}
				if found < cl.need && !named {
					return
				}
			}
		}
		total++
		top.push(hit{JobHit: JobHit{Score: score}, created: col.created, id: col.id, doc: s.docs[slot]})
	})
	return total
}

// passes applies the filters that the columns can answer.
func (cq *compiledQuery) passes(g *gigCol) bool {
	switch {
	case cq.district != "" && g.district != cq.districtIdx,
		cq.hasDay && (cq.day < g.start || cq.day > g.end),
		cq.wageMin > 0 && (!g.dailyOK || g.daily < cq.wageMin):
		return false
	}
	return true
}

// eachUnion calls f once for every slot in any of the sorted lists, in ascending order.
func eachUnion(lists []postings, f func(slot uint32)) {
	switch len(lists) {
	case 0:
		return
	case 1:
		for _, v := range lists[0] {
			f(v >> payloadBits)
		}
		return
	}
	pos := make([]int, len(lists))
	for {
		next, any := uint32(0), false
		for i, l := range lists {
			if pos[i] < len(l) && (!any || l.slot(pos[i]) < next) {
				next, any = l.slot(pos[i]), true
			}
		}
		if !any {
			return
		}
		f(next)
		for i, l := range lists {
			if pos[i] < len(l) && l.slot(pos[i]) == next {
				pos[i]++
			}
		}
	}
}
