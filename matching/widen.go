package matching

import (
	"slices"

	"lingong/domain"
)

// Widening a search that names trades.
//
// A trade with few open gigs (月嫂 or 剪羊毛 on a quiet week) would leave the page short while gigs that a
// worker of that trade can also do are open: a 月嫂 can take a 育儿嫂's or a live-in 保姆's job. When
// fewer gigs satisfy the query than fit on the page, the search adds, after all of them, the gigs of the
// trades related to the ones it names (domain.Skill.Related: what a worker of the named trade can also
// do, in that direction only, so a search for 小工 never brings a 电工's gigs). Every other condition of
// the query (filters, keywords, the minimum of units to satisfy) stays as it was, and the reading names
// the trades added (QueryReading.Widened).

// widen appends to all, which holds every hit of the query (fewer than the page needs), the gigs of the
// trades related to those the query names, and returns the hits and their total.
func (ix *Index) widen(cq *compiledQuery, all []hit, total int, sc *searchScratch) ([]hit, int) {
	wq := *cq
	wq.units = make([]unit, len(cq.units))
	var adding skillSet
	for k, u := range cq.units {
		if len(u.concepts) == 0 {
			wq.units[k] = u // a keyword stays a keyword
			continue
		}
		var named skillSet
		for _, c := range u.concepts {
			named.add(c)
		}
		// Satisfied only by a gig of a related trade: the unit's own words found the gigs already hit.
		w := unit{label: u.label}
		more := tax.relatedTo(named)
		more.each(func(i int) { w.concepts = append(w.concepts, i) })
		adding = adding.or(more)
		wq.units[k] = w
	}
	if adding.empty() {
		return all, total
	}
	wq.listed = make(map[int64]bool, len(all))
	for _, h := range all {
		wq.listed[h.id] = true
	}
	top, more := ix.run(&wq, sc)
	var names []string
	for _, h := range top.sortInPlace() {
		if wq.listed[h.id] {
			continue // seen in two shards: see SearchJobs
		}
		wq.listed[h.id] = true
		all = append(all, h)
		h.doc.concepts.and(adding).each(func(i int) { names = appendNew(names, domain.Skills[i].Name) })
	}
	slices.Sort(names)
	cq.reading.Widened = names
	return all, total + more
}
