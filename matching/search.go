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

type hit struct {
	JobHit
	doc *gigDoc
}

// betterHit orders hits by score, then newest, then the higher id.
func betterHit(a, b hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.doc.created != b.doc.created {
		return a.doc.created > b.doc.created
	}
	return a.doc.sum.ID > b.doc.sum.ID
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

// searchShard adds the shard's matching gigs to top and returns how many there were.
func (ix *Index) searchShard(s *gigShard, cq *compiledQuery, top *topK[hit]) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := cq.corpus
	var lists []postings
	switch {
	case cq.needScoring:
		d := &cq.clauses[0]
		for _, t := range d.drive {
			if p := s.text[t.id]; len(p) > 0 {
				lists = append(lists, p)
			}
		}
		for _, sk := range d.concepts {
			lists = append(lists, s.skill[sk])
		}
	case cq.skill >= 0:
		lists = append(lists, s.skill[cq.skill])
	default:
		lists = append(lists, s.all)
	}
	total := 0
	eachUnion(lists, func(slot uint32) {
		g := s.docs[slot]
		if !cq.passes(g) {
			return
		}
		score := 0.0
		if cq.needScoring {
			var ok bool
			if score, ok = cq.score(g, c); !ok {
				return
			}
		}
		total++
		top.push(hit{JobHit: JobHit{Score: score}, doc: g})
	})
	return total
}

// passes applies the filters.
func (cq *compiledQuery) passes(g *gigDoc) bool {
	switch {
	case cq.district != "" && g.sum.District != cq.district,
		cq.station != "" && g.sum.StationCode != cq.station,
		cq.skill >= 0 && !g.concepts.has(cq.skill),
		cq.hasDay && (cq.day < g.start || cq.day > g.end),
		cq.wageMin > 0 && (!g.dailyOK || g.daily < cq.wageMin):
		return false
	}
	return true
}

// score checks every clause and returns the gig's BM25 score, or ok=false when a clause fails.
func (cq *compiledQuery) score(g *gigDoc, c corpus) (float64, bool) {
	norm := c.norm(g.length)
	score := 0.0
	ci := 0
	for k := range cq.clauses {
		cl := &cq.clauses[k]
		found := 0
		for _, t := range cl.terms {
			if tf := g.tf(t.id); tf > 0 {
				found++
				score += termScore(t.idf, tf, norm)
			}
		}
		named := false
		for _, sk := range cl.concepts {
			if g.concepts.has(sk) {
				named = true
				score += termScore(cq.conceptIDF[ci], 1, norm)
			}
			ci++
		}
		if found < cl.need && !named {
			return 0, false
		}
	}
	return score, true
}

// eachUnion calls f once for every slot in any of the sorted lists, in ascending order.
func eachUnion(lists []postings, f func(slot uint32)) {
	switch len(lists) {
	case 0:
		return
	case 1:
		for _, s := range lists[0] {
			f(s)
		}
		return
	}
	pos := make([]int, len(lists))
	for {
		next, any := uint32(0), false
		for i, l := range lists {
			if pos[i] < len(l) && (!any || l[pos[i]] < next) {
				next, any = l[pos[i]], true
			}
		}
		if !any {
			return
		}
		f(next)
		for i, l := range lists {
			if pos[i] < len(l) && l[pos[i]] == next {
				pos[i]++
			}
		}
	}
}
