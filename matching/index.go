package matching

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"lingong/domain"
)

// Concurrency: sharded structures, not copy-on-write snapshots.
//
// Gigs and workers are spread over numShards shards by id; each shard has its own RWMutex, documents,
// inverted lists and free slots. A search or a match visits the shards one after the other, holding only
// that shard's read lock while it scores that shard's documents, so there is no global lock and an update
// (which write-locks one shard for a few microseconds) delays a reader by at most that. Documents are
// immutable, so results keep pointers to them after the lock is released.
//
// Copy-on-write snapshots behind an atomic.Pointer were the other candidate and were rejected: an update
// must change the inverted lists of about a hundred terms, some of which hold most of the gigs (招, 工,
// 日结), so copying the touched lists, or the map that holds them, costs far more than the 50 µs an update
// may take at 100,000 gigs; a snapshot with a small delta segment merged in the background would meet the
// budget, at the price of a merge thread and two code paths for every query. Sharded in-place lists keep
// one code path: each list is a sorted slice of slots and an update inserts or deletes a few entries.
//
// The price is that a reader crossing shards during an update sees some shards before it and some after;
// the collection statistics (gig count, lengths, document frequencies) are atomics read without a lock.
// With no update in flight every query is deterministic, which the tests check.

const numShards = 32

// Index is the in-memory index of open gigs (the job library) and active workers. Its methods may be
// called from any number of goroutines; writers are serialised among themselves, readers never wait for
// one another.
type Index struct {
	writeMu sync.Mutex // serialises writers; readers never take it
	dict    dictionary

	// Collection statistics of the gigs, for BM25.
	gigCount  atomic.Int64
	gigLength atomic.Int64 // sum of the gigs' lengths
	df        dfTable
	conceptDF []atomic.Int32 // gigs per skill (tagged or read)

	gigs    [numShards]gigShard
	workers [numShards]workerShard
	nWorker atomic.Int64
}

// postings is a sorted list of slots.
type postings []uint32

func (p postings) insert(slot uint32) postings {
	i, found := slices.BinarySearch(p, slot)
	if found {
		return p
	}
	return slices.Insert(p, i, slot)
}

func (p postings) remove(slot uint32) postings {
	i, found := slices.BinarySearch(p, slot)
	if !found {
		return p
	}
	return slices.Delete(p, i, i+1)
}

// conceptLists are the lists by skill, by category and of general work, shared by gigs and workers.
type conceptLists struct {
	skill   []postings // by position in domain.Skills
	cat     []postings // by position in domain.SkillCategories
	general postings
}

func newConceptLists() conceptLists {
	return conceptLists{skill: make([]postings, len(domain.Skills)), cat: make([]postings, len(domain.SkillCategories))}
}

func (c *conceptLists) change(slot uint32, concepts skillSet, cats catSet, general, add bool) {
	op := postings.remove
	if add {
		op = postings.insert
	}
	concepts.each(func(i int) { c.skill[i] = op(c.skill[i], slot) })
	for b := uint64(cats); b != 0; b &= b - 1 {
		i := trailingZeros(b)
		c.cat[i] = op(c.cat[i], slot)
	}
	if general {
		c.general = op(c.general, slot)
	}
}

func (c *conceptLists) clip() {
	for i := range c.skill {
		c.skill[i] = slices.Clip(c.skill[i])
	}
	for i := range c.cat {
		c.cat[i] = slices.Clip(c.cat[i])
	}
	c.general = slices.Clip(c.general)
}

// gigShard holds the gigs whose id falls to it.
type gigShard struct {
	mu   sync.RWMutex
	docs []*gigDoc // by slot; nil for a free slot
	free []uint32
	byID map[int64]uint32
	all  postings // every occupied slot
	text map[uint32]postings
	conceptLists
}

// workerShard holds the workers whose id falls to it.
type workerShard struct {
	mu   sync.RWMutex
	docs []*workerDoc
	free []uint32
	byID map[int64]uint32
	all  postings
	conceptLists
}

func shardOf(id int64) int { return int(uint64(id) % numShards) }

// NewIndex returns an empty index.
func NewIndex() *Index {
	ix := &Index{conceptDF: make([]atomic.Int32, len(domain.Skills))}
	for i := range ix.gigs {
		ix.gigs[i] = gigShard{byID: map[int64]uint32{}, text: map[uint32]postings{}, conceptLists: newConceptLists()}
		ix.workers[i] = workerShard{byID: map[int64]uint32{}, conceptLists: newConceptLists()}
	}
	return ix
}

// Build returns an index of the open gigs with places left among jobs and the active workers among
// workers, as store.OpenJobs and store.ActiveWorkers return them; other records are skipped, so a caller
// may pass everything it has. When an id repeats, the last record wins, as with a series of upserts.
// Documents are analysed on all cores.
func Build(jobs []domain.Job, workers []domain.Worker) *Index {
	ix := NewIndex()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()

	gigDocs := make([]*gigDoc, len(jobs))
	workerDocs := make([]*workerDoc, len(workers))
	lastJob := make(map[int64]int, len(jobs))
	for i := range jobs {
		lastJob[jobs[i].ID] = i
	}
	lastWorker := make(map[int64]int, len(workers))
	for i := range workers {
		lastWorker[workers[i].ID] = i
	}
	parallel(len(jobs), func(a *analyzer, i int) {
		if lastJob[jobs[i].ID] == i && inLibrary(&jobs[i]) {
			gigDocs[i] = a.newGigDoc(&ix.dict, &jobs[i], true)
		}
	})
	parallel(len(workers), func(a *analyzer, i int) {
		if lastWorker[workers[i].ID] == i && isActive(&workers[i]) {
			workerDocs[i] = a.newWorkerDoc(&ix.dict, &workers[i], true)
		}
	})
	// Shards are independent: fill them in parallel, each from the documents that fall to it.
	var wg sync.WaitGroup
	next := atomic.Int32{}
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := int(next.Add(1) - 1); s < numShards; s = int(next.Add(1) - 1) {
				for _, g := range gigDocs {
					if g != nil && shardOf(g.sum.ID) == s {
						ix.putGig(g)
					}
				}
				for _, w := range workerDocs {
					if w != nil && shardOf(w.sum.ID) == s {
						ix.putWorker(w)
					}
				}
				ix.gigs[s].clip()
				ix.workers[s].clip()
			}
		}()
	}
	wg.Wait()
	return ix
}

// parallel calls f(i) for i in [0,n) on all cores, each goroutine with its own analyzer.
func parallel(n int, f func(a *analyzer, i int)) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	const batch = 256
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a analyzer
			for {
				lo := int(next.Add(batch) - batch)
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+batch, n); i++ {
					f(&a, i)
				}
			}
		}()
	}
	wg.Wait()
}

func (s *gigShard) clip() {
	for t, p := range s.text {
		s.text[t] = slices.Clip(p)
	}
	s.all = slices.Clip(s.all)
	s.conceptLists.clip()
}

func (s *workerShard) clip() {
	s.all = slices.Clip(s.all)
	s.conceptLists.clip()
}

// UpsertJob adds, replaces or (when it is no longer open or has no place left) removes a gig: call it
// after every change of a gig, whatever the change was. It returns once readers see the new state.
func (ix *Index) UpsertJob(j domain.Job) {
	if !inLibrary(&j) {
		ix.RemoveJob(j.ID)
		return
	}
	var a analyzer
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	g := a.newGigDoc(&ix.dict, &j, true)
	ix.putGig(g)
}

// RemoveJob takes a gig out of the library and the matching; an unknown id is ignored.
func (ix *Index) RemoveJob(id int64) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	s := &ix.gigs[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if slot, ok := s.byID[id]; ok {
		ix.unlinkGig(s, slot)
		s.docs[slot] = nil
		s.free = append(s.free, slot)
		delete(s.byID, id)
	}
}

// putGig stores a new or replacing gig document under its shard's lock (the caller holds writeMu or is
// the only writer of that shard).
func (ix *Index) putGig(g *gigDoc) {
	s := &ix.gigs[shardOf(g.sum.ID)]
	s.mu.Lock()
	defer s.mu.Unlock()
	slot, ok := s.byID[g.sum.ID]
	if ok {
		ix.unlinkGig(s, slot)
	} else if n := len(s.free); n > 0 {
		slot, s.free = s.free[n-1], s.free[:n-1]
	} else {
		slot = uint32(len(s.docs))
		s.docs = append(s.docs, nil)
	}
	s.docs[slot] = g
	s.byID[g.sum.ID] = slot
	s.all = s.all.insert(slot)
	for _, t := range g.terms {
		id := t >> 8
		s.text[id] = s.text[id].insert(slot)
		ix.df.add(id, 1)
	}
	s.change(slot, g.concepts, g.cats, g.general, true)
	g.concepts.each(func(i int) { ix.conceptDF[i].Add(1) })
	ix.gigCount.Add(1)
	ix.gigLength.Add(int64(g.length))
}

// unlinkGig removes the gig in slot from every list and statistic; its slot stays reserved.
func (ix *Index) unlinkGig(s *gigShard, slot uint32) {
	g := s.docs[slot]
	s.all = s.all.remove(slot)
	for _, t := range g.terms {
		id := t >> 8
		if p := s.text[id].remove(slot); len(p) > 0 {
			s.text[id] = p
		} else {
			delete(s.text, id)
		}
		ix.df.add(id, -1)
	}
	s.change(slot, g.concepts, g.cats, g.general, false)
	g.concepts.each(func(i int) { ix.conceptDF[i].Add(-1) })
	ix.gigCount.Add(-1)
	ix.gigLength.Add(-int64(g.length))
}

// UpsertWorker adds or replaces a worker, or removes one who is no longer active: call it after every
// change of a worker (registration, profile, availability, reliability figures, status).
func (ix *Index) UpsertWorker(w domain.Worker) {
	if !isActive(&w) {
		ix.RemoveWorker(w.ID)
		return
	}
	var a analyzer
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.putWorker(a.newWorkerDoc(&ix.dict, &w, true))
}

// RemoveWorker takes a worker out of the matching; an unknown id is ignored.
func (ix *Index) RemoveWorker(id int64) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	s := &ix.workers[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if slot, ok := s.byID[id]; ok {
		w := s.docs[slot]
		s.all = s.all.remove(slot)
		s.change(slot, w.concepts, w.cats, w.general, false)
		s.docs[slot] = nil
		s.free = append(s.free, slot)
		delete(s.byID, id)
		ix.nWorker.Add(-1)
	}
}

func (ix *Index) putWorker(w *workerDoc) {
	s := &ix.workers[shardOf(w.sum.ID)]
	s.mu.Lock()
	defer s.mu.Unlock()
	slot, ok := s.byID[w.sum.ID]
	if ok {
		old := s.docs[slot]
		s.change(slot, old.concepts, old.cats, old.general, false)
	} else {
		if n := len(s.free); n > 0 {
			slot, s.free = s.free[n-1], s.free[:n-1]
		} else {
			slot = uint32(len(s.docs))
			s.docs = append(s.docs, nil)
		}
		s.all = s.all.insert(slot)
		ix.nWorker.Add(1)
	}
	s.docs[slot] = w
	s.byID[w.sum.ID] = slot
	s.change(slot, w.concepts, w.cats, w.general, true)
}

// Len returns the number of gigs in the library and of workers in the matching.
func (ix *Index) Len() (gigs, workers int) {
	return int(ix.gigCount.Load()), int(ix.nWorker.Load())
}

// Job returns the summary of an open gig in the library.
func (ix *Index) Job(id int64) (JobSummary, bool) {
	s := &ix.gigs[shardOf(id)]
	s.mu.RLock()
	defer s.mu.RUnlock()
	if slot, ok := s.byID[id]; ok {
		return s.docs[slot].summary(), true
	}
	return JobSummary{}, false
}

// summary returns a copy of the gig's summary whose slices the caller may keep and change.
func (g *gigDoc) summary() JobSummary {
	s := g.sum
	s.Skills = slices.Clone(s.Skills)
	s.InferredSkills = slices.Clone(s.InferredSkills)
	s.RequiredCerts = slices.Clone(s.RequiredCerts)
	return s
}

func (w *workerDoc) summary() WorkerSummary {
	s := w.sum
	s.Skills = slices.Clone(s.Skills)
	s.Certs = slices.Clone(s.Certs)
	return s
}
