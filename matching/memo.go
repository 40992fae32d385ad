package matching

import (
	"slices"
	"sync"
)

// readMemo remembers, while Build analyses the workers, what the taxonomy read in each self description,
// so a text met again is not read again: many workers write the same few words ("力气大 能吃苦"). Reading
// is a pure function of the text, so the memo changes no document (the oracle tests compare Build with a
// series of upserts, which read every text afresh). It lives as long as one Build; the analysing
// goroutines share it under a mutex, held only for the map, never while a text is read. Gigs' texts
// are not remembered: their descriptions seldom repeat word for word, and a memo that mostly misses
// costs more in map lookups than it saves.
type readMemo struct {
	mu      sync.Mutex
	workers map[string]reading
}

func newReadMemo() *readMemo { return &readMemo{workers: map[string]reading{}} }

// readWorker is tax.read of a worker's self description, remembered when a.memo is set. The caller owns
// the slices of the reading it gets (it appends to and deletes from them), so they are copies of the
// remembered ones.
func (a *analyzer) readWorker(s string) reading {
	m := a.memo
	if m == nil {
		return tax.read(s, false)
	}
	m.mu.Lock()
	r, ok := m.workers[s]
	m.mu.Unlock()
	if !ok {
		r = tax.read(s, false)
		m.mu.Lock()
		m.workers[s] = r
		m.mu.Unlock()
	}
	r.evidence = slices.Clone(r.evidence)
	r.siteEvidence = slices.Clone(r.siteEvidence)
	r.alts = slices.Clone(r.alts)
	return r
}

// workerTerms returns the term ids of a worker's text (see newWorkerDoc), numbering new terms when intern
// is set.
func (a *analyzer) workerTerms(d *dictionary, query string, intern bool) []uint32 {
	text := normalize(query)
	if ids, ok := a.knownQueryTerms(d, text, intern); ok {
		return ids
	}
	a.toks = queryTokens(text)
	var ids []uint32
	if intern {
		ids, _ = d.internAll(a.toks, nil, a.pos[:0])
	} else {
		ids, _ = d.lookupAll(a.toks, nil, a.pos[:0])
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
					id, known := d.pairTerm(prev, r)
					ok = term(id, known)
				}
				prev, n = r, n+1
				i += size
			}
			if n == 1 && ok {
				id, known := d.hanTerm(prev)
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
