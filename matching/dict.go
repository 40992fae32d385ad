package matching

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxTerms bounds the dictionary so a term id fits in the 24 bits left beside a term frequency in a
// gig's packed term list (id<<8 | tf). Sixteen million distinct terms is far beyond any city's gigs; a
// term past it is simply not indexed.
const maxTerms = 1 << 24

// dictionary numbers terms. Ids are handed out in order of first sight and never reused, so they are only
// names: nothing is ever summed or ranked in id order (see queryTokens). Han unigrams and bigrams, nearly
// every term, are keyed by their runes packed in an integer, which hashes several times faster than a
// string; other words are keyed by their text.
type dictionary struct {
	mu    sync.RWMutex
	uni   [uniLast - uniFirst + 1]uint32 // id+1 of each common Han character, 0 for none: no hashing at all
	han   map[uint64]uint32
	words map[string]uint32
	terms []string // by id, for the words quoted in reasons
}

// The CJK Unified Ideographs block holds every character of everyday Chinese.
const (
	uniFirst = 0x4E00
	uniLast  = 0x9FFF
)

// hanKey packs a term of one or two Han characters into an integer, or returns false for anything else.
func hanKey(t string) (uint64, bool) {
	r1, n1 := decode(t)
	if !isHan(r1) {
		return 0, false
	}
	if n1 == len(t) {
		return uint64(r1), true
	}
	r2, n2 := decode(t[n1:])
	if n1+n2 != len(t) || !isHan(r2) {
		return 0, false
	}
	return uint64(r1)<<21 | uint64(r2) | 1<<63, true
}

// hanTerm is get of one Han character, from its rune (the analysers that walk runes need no string).
func (d *dictionary) hanTerm(r rune) (uint32, bool) {
	if r >= uniFirst && r <= uniLast {
		id := d.uni[r-uniFirst]
		return id - 1, id > 0
	}
	id, ok := d.han[uint64(r)]
	return id, ok
}

// pairTerm is get of the two-character term a b (the key hanKey makes of it).
func (d *dictionary) pairTerm(a, b rune) (uint32, bool) {
	id, ok := d.han[uint64(a)<<21|uint64(b)|1<<63]
	return id, ok
}

func (d *dictionary) get(t string) (uint32, bool) {
	if len(t) == 3 {
		if r, _ := decode(t); r >= uniFirst && r <= uniLast {
			id := d.uni[r-uniFirst]
			return id - 1, id > 0
		}
	}
	if k, ok := hanKey(t); ok {
		id, ok := d.han[k]
		return id, ok
	}
	id, ok := d.words[t]
	return id, ok
}

// text returns the term of each id.
func (d *dictionary) text(ids []uint32) []string {
	out := make([]string, len(ids))
	d.mu.RLock()
	for i, id := range ids {
		out[i] = d.terms[id]
	}
	d.mu.RUnlock()
	return out
}

// lookup returns the id of term, if it has one.
func (d *dictionary) lookup(term string) (uint32, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.get(term)
}

// lookupAll appends the ids of the known terms, with the index of each in terms.
func (d *dictionary) lookupAll(terms []string, ids []uint32, pos []int) ([]uint32, []int) {
	d.mu.RLock()
	for i, t := range terms {
		if id, ok := d.get(t); ok {
			ids = append(ids, id)
			pos = append(pos, i)
		}
	}
	d.mu.RUnlock()
	return ids, pos
}

// internAll appends the ids of terms to ids, numbering new terms. Terms past maxTerms are dropped. Word
// keys are cloned: a term is usually a slice of a whole normalized text, which the map must not keep
// alive.
func (d *dictionary) internAll(terms []string, ids []uint32, pos []int) ([]uint32, []int) {
	// Almost every term of a new document is known already: look them all up under the shared lock, so
	// Build's analysing goroutines run side by side, and take the exclusive lock only for new terms.
	d.mu.RLock()
	start := len(ids)
	for i, t := range terms {
		id, ok := d.get(t)
		if !ok {
			break
		}
		ids, pos = append(ids, id), append(pos, i)
	}
	d.mu.RUnlock()
	if len(ids)-start == len(terms) {
		return ids, pos
	}
	ids, pos = ids[:start], pos[:start]
	d.mu.Lock()
	if d.han == nil {
		d.han, d.words = map[uint64]uint32{}, map[string]uint32{}
	}
	for i, t := range terms {
		id, ok := d.get(t)
		if !ok {
			if len(d.terms) >= maxTerms {
				continue
			}
			id = uint32(len(d.terms))
			t = strings.Clone(t)
			if r, n := decode(t); n == len(t) && r >= uniFirst && r <= uniLast {
				d.uni[r-uniFirst] = id + 1
			} else if k, ok := hanKey(t); ok {
				d.han[k] = id
			} else {
				d.words[t] = id
			}
			d.terms = append(d.terms, t)
		}
		ids, pos = append(ids, id), append(pos, i)
	}
	d.mu.Unlock()
	return ids, pos
}

// perTerm is a table of atomics, one value per term id, which readers load without locks while writers update
// it; the table grows by chunks that are never moved.
type perTerm[T any] struct {
	chunks [maxTerms >> perTermChunkBits]atomic.Pointer[[1 << perTermChunkBits]T]
}

const perTermChunkBits = 12

// at returns the value of id, making its chunk if need be.
func (t *perTerm[T]) at(id uint32) *T {
	slot := &t.chunks[id>>perTermChunkBits]
	c := slot.Load()
	if c == nil {
		// Build fills shards in parallel, so two writers may race to create a chunk.
		slot.CompareAndSwap(nil, new([1 << perTermChunkBits]T))
		c = slot.Load()
	}
	return &c[id&(1<<perTermChunkBits-1)]
}

// find returns the value of id, or nil when no term of its chunk ever had one.
func (t *perTerm[T]) find(id uint32) *T {
	c := t.chunks[id>>perTermChunkBits].Load()
	if c == nil {
		return nil
	}
	return &c[id&(1<<perTermChunkBits-1)]
}

// dfTable counts, for every term, the open gigs (or the workers) that contain it.
type dfTable struct{ perTerm[atomic.Int32] }

func (t *dfTable) add(id uint32, delta int32) { t.at(id).Add(delta) }

func (t *dfTable) get(id uint32) int32 {
	if v := t.find(id); v != nil {
		return v.Load()
	}
	return 0
}

// shardSet marks, for every term, the gig shards that hold a list of it (bit s for shard s), so a
// query learns where each of its terms occurs with one load per term instead of a lookup in every
// shard's term table (two or three cold cache lines each).
type shardSet struct{ perTerm[atomic.Uint64] }

func (t *shardSet) set(id uint32, shard int, on bool) {
	if on {
		t.at(id).Or(1 << shard)
	} else {
		t.at(id).And(^uint64(1 << shard))
	}
}

func (t *shardSet) get(id uint32) uint64 {
	if v := t.find(id); v != nil {
		return v.Load()
	}
	return 0
}
