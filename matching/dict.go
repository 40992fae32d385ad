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
// names: nothing is ever summed or ranked in id order (see queryTokens).
type dictionary struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

// lookup returns the id of term, if it has one.
func (d *dictionary) lookup(term string) (uint32, bool) {
	d.mu.RLock()
	id, ok := d.ids[term]
	d.mu.RUnlock()
	return id, ok
}

// lookupAll appends the ids of the known terms, with the index of each in terms.
func (d *dictionary) lookupAll(terms []string, ids []uint32, pos []int) ([]uint32, []int) {
	d.mu.RLock()
	for i, t := range terms {
		if id, ok := d.ids[t]; ok {
			ids = append(ids, id)
			pos = append(pos, i)
		}
	}
	d.mu.RUnlock()
	return ids, pos
}

// internAll appends the ids of terms to ids, numbering new terms, under one lock for the whole batch.
// Terms past maxTerms are dropped. Keys are cloned: a term is usually a slice of a whole normalized text,
// which the map must not keep alive.
func (d *dictionary) internAll(terms []string, ids []uint32) []uint32 {
	d.mu.Lock()
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	for _, t := range terms {
		id, ok := d.ids[t]
		if !ok {
			if len(d.ids) >= maxTerms {
				continue
			}
			id = uint32(len(d.ids))
			d.ids[strings.Clone(t)] = id
		}
		ids = append(ids, id)
	}
	d.mu.Unlock()
	return ids
}

// dfTable counts, for every term, the open gigs that contain it. Readers load the counts without locks
// while a writer updates them; the table grows by chunks that are never moved.
type dfTable struct {
	chunks [maxTerms >> dfChunkBits]atomic.Pointer[[1 << dfChunkBits]atomic.Int32]
}

const dfChunkBits = 12

func (t *dfTable) add(id uint32, delta int32) {
	slot := &t.chunks[id>>dfChunkBits]
	c := slot.Load()
	if c == nil {
		// Build fills shards in parallel, so two writers may race to create a chunk.
		slot.CompareAndSwap(nil, new([1 << dfChunkBits]atomic.Int32))
		c = slot.Load()
	}
	c[id&(1<<dfChunkBits-1)].Add(delta)
}

func (t *dfTable) get(id uint32) int32 {
	c := t.chunks[id>>dfChunkBits].Load()
	if c == nil {
		return 0
	}
	return c[id&(1<<dfChunkBits-1)].Load()
}
