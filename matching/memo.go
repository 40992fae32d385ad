package matching

import (
	"slices"
	"sync"
)

// readMemo remembers, while Build analyses a market, what the taxonomy read in each text and the query
// terms of each worker's text, so a text met again is not analysed again. Postings and self
// descriptions repeat: stations copy a good posting, and many workers write the same few words ("力气大
// 能吃苦") or tick the same tags. Reading is a pure function of the text, and the worker's terms of his
// text once every term is numbered, so the memo changes no document (the oracle tests compare Build with
// a series of upserts, which analyse every text afresh). It lives as long as one Build; the analysing
// goroutines share it under a mutex, held only for the map, never while a text is read.
type readMemo struct {
	mu      sync.Mutex
	titles  map[string]reading  // gigs' titles (forJob); their descriptions seldom repeat word for word
	workers map[string]reading  // workers' self descriptions
	terms   map[string][]uint32 // by workerQueryText: the worker's term ids, never changed after
}

func newReadMemo() *readMemo {
	return &readMemo{titles: map[string]reading{}, workers: map[string]reading{}, terms: map[string][]uint32{}}
}

// readTitle and readWorker are tax.read of a gig's title and of a worker's self description,
// remembered when a.memo is set. The caller owns the slices of the reading it gets (it appends to and
// deletes from them), so they are copies of the remembered ones.
func (a *analyzer) readTitle(s string) reading {
	if a.memo == nil {
		return tax.read(s, true)
	}
	return a.memo.read(a.memo.titles, s, true)
}

func (a *analyzer) readWorker(s string) reading {
	if a.memo == nil {
		return tax.read(s, false)
	}
	return a.memo.read(a.memo.workers, s, false)
}

func (m *readMemo) read(memo map[string]reading, s string, forJob bool) reading {
	m.mu.Lock()
	r, ok := memo[s]
	m.mu.Unlock()
	if !ok {
		r = tax.read(s, forJob)
		m.mu.Lock()
		memo[s] = r
		m.mu.Unlock()
	}
	r.evidence = slices.Clone(r.evidence)
	r.siteEvidence = slices.Clone(r.siteEvidence)
	r.alts = slices.Clone(r.alts)
	return r
}

// workerTerms returns the term ids of a worker's text (see newWorkerDoc), numbering new terms when intern
// is set. With a memo, a text met before gives the ids it gave then, shared: a worker's term list is
// never changed, and Build copies them into one array before filling the shards (compactWorkers).
func (a *analyzer) workerTerms(d *dictionary, query string, intern bool) []uint32 {
	m := a.memo
	if m != nil {
		m.mu.Lock()
		ids, ok := m.terms[query]
		m.mu.Unlock()
		if ok {
			return ids
		}
	}
	text := normalize(query)
	ids, ok := a.knownQueryTerms(d, text, intern)
	if !ok {
		a.toks = queryTokens(text)
		if intern {
			ids, _ = d.internAll(a.toks, nil, a.pos[:0])
		} else {
			ids, _ = d.lookupAll(a.toks, nil, a.pos[:0])
		}
	}
	if m != nil {
		m.mu.Lock()
		m.terms[query] = ids
		m.mu.Unlock()
	}
	return ids
}

// knownQueryTerms returns the ids of queryTokens(s) that the dictionary knows, in the same order, read
// straight from the runes as countKnown reads a gig: a pair of Han characters by the two codes packed,
// a character by its code, without cutting a string per token or comparing every token with the ones
// before it. When intern is set and a token is new it gives up (false), and the caller numbers it.
func (a *analyzer) knownQueryTerms(d *dictionary, s string, intern bool) ([]uint32, bool) {
	a.ids = a.ids[:0]
	d.mu.RLock()
	defer d.mu.RUnlock()
	// Each distinct id once, in order of first appearance: a.counts marks the ids taken.
	term := func(id uint32, known bool) bool {
		if known {
			a.count(id, 1)
		}
		return known || !intern
	}
	ok := true
	for i := 0; i < len(s) && ok; {
		r, size := decode(s[i:])
		switch {
		case isHan(r):
			prev, n := rune(-1), 0
			for i < len(s) && ok {
				if r, size = decode(s[i:]); !isHan(r) {
					break
				}
				if prev >= 0 {
					id, known := d.han[uint64(prev)<<21|uint64(r)|1<<63]
					ok = term(id, known)
				}
				prev, n = r, n+1
				i += size
			}
			if n == 1 && ok {
				var id uint32
				var known bool
				if prev >= uniFirst && prev <= uniLast {
					id, known = d.uni[prev-uniFirst]-1, d.uni[prev-uniFirst] > 0
				} else {
					id, known = d.han[uint64(prev)]
				}
				ok = term(id, known)
			}
		case isWordRune(r):
			start := i
			i = wordEnd(s, i)
			id, known := d.words[s[start:i]]
			ok = term(id, known)
		default:
			i += size
		}
	}
	if !ok {
		return a.uncount(), false
	}
	ids := slices.Clone(a.ids)
	a.uncount()
	return ids, true
}
