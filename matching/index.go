package matching

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"lingong/domain"
)

// Concurrency: sharded structures, not copy-on-write snapshots.
//
// Gigs and workers are spread over numShards shards (gigs by district, then place, see regions.go;
// workers by id); each shard has its own RWMutex, documents, inverted lists and free slots. A search or a match visits the
// shards one after the other (a match splits them between the cores), holding only that shard's read lock
// while it scores that shard's documents, so there is no global lock and an update (which write-locks one
// shard for some microseconds) delays a reader by at most that. Documents are immutable, so results keep
// pointers to them after the lock is released.
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
//
// 64 shards: fewer make the lists of common terms long enough for an update's inserts and deletes to
// pass 50 µs at 100,000 gigs; more add per-shard overhead to every query.
const numShards = 64

// Index is the in-memory index of open gigs (the job library) and active workers. Its methods may be
// called from any number of goroutines; writers are serialised among themselves, readers never wait for
// one another.
type Index struct {
	writeMu sync.Mutex // serialises writers; readers never take it
	dict    dictionary

	// Collection statistics of the gigs, for BM25.
	jobCount  atomic.Int64
	jobLength atomic.Int64 // sum of the gigs' lengths
	df        dfTable
	jobTerms  shardSet       // the gig shards holding each term
	wdf       dfTable        // workers per term, so gig terms no worker wrote are skipped when matching
	freeDF    dfTable        // workers per key term of a free tag (see freeTag.keys)
	conceptDF []atomic.Int32 // gigs per skill (tagged or read)

	corpusMemo atomic.Pointer[corpusMemo] // the corpus of the last statistics read (see corpus)

	jobs     [numShards]jobShard
	jobBoxes [numShards]sharedBox // each gig shard's box (around every gig ever stored there), side by side
	jobHome  map[int64]int        // the shard of each gig; writers only (under writeMu)
	workers  [numShards]workerShard
	nWorker  atomic.Int64
	reach    atomic.Uint64              // math.Float64bits of the largest near-miss distance of any worker ever indexed
	regions  [districtGroups]regionTree // where each district's gigs go (see regions.go); fixed by Build

	warmSink uint32 // keeps warm's loads from being optimised away; writers only (under writeMu)
}

// workerReach is a distance beyond which no indexed worker would take (or nearly take) a gig.
func (ix *Index) workerReach() float64 { return math.Float64frombits(ix.reach.Load()) }

// jobShard holds the gigs of one region of a district (see regions.go).
type jobShard struct {
	mu   sync.RWMutex
	num  int       // its place in Index.gigs
	docs []*jobDoc // by slot; nil for a free slot
	cols []jobCol  // by slot: what search filters and ranks on, packed so the loops need not load docs
	free []uint32
	byID map[int64]uint32
	all  postings // every occupied slot
	text termTable
	conceptLists[jobEntry]
}

// sharedBox is a gig shard's box, which queries read without taking the shard's lock: ordering the
// shards took all 64 read locks, one cold cache line each. Its writer grows it under the shard's lock; a
// query that meanwhile reads a box half grown sees the shard as it was before the gig that grew it, as it
// may see any shard being updated.
type sharedBox [4]atomic.Uint64 // math.Float64bits of minLat, maxLat, minLng, maxLng

func (s *sharedBox) store(b box) {
	for i, v := range [4]float64{b.minLat, b.maxLat, b.minLng, b.maxLng} {
		s[i].Store(math.Float64bits(v))
	}
}

// grow adds p to the box (the caller holds the shard's write lock).
func (s *sharedBox) grow(p point) {
	b := s.load()
	b.add(p)
	s.store(b)
}

func (s *sharedBox) load() box {
	f := func(i int) float64 { return math.Float64frombits(s[i].Load()) }
	return box{f(0), f(1), f(2), f(3)}
}

// box is a latitude-longitude rectangle that only grows.
type box struct{ minLat, maxLat, minLng, maxLng float64 }

var emptyBox = box{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}

func (b *box) add(p point) {
	b.minLat, b.maxLat = min(b.minLat, p.lat), max(b.maxLat, p.lat)
	b.minLng, b.maxLng = min(b.minLng, p.lng), max(b.maxLng, p.lng)
}

// minKm is a distance from p that no place in the box is closer than (infinite for an empty box). Like
// the cells' bounds it trusts the flat-earth approximation only inside the grid, and it is 0 elsewhere.
func (b *box) minKm(p point) float64 {
	if b.minLat > b.maxLat {
		return math.Inf(1)
	}
	if cellOf(p.lat, p.lng) == outsideCell || cellOf(b.minLat, b.minLng) == outsideCell || cellOf(b.maxLat, b.maxLng) == outsideCell {
		return 0
	}
	return rectMinKm(p, b.minLat, b.maxLat, b.minLng, b.maxLng, kmPerLngDegree(p.lat, b.minLat, b.maxLat))
}

// jobCol is the part of a gig the search loops read for every candidate.
type jobCol struct {
	id       int64
	created  int64
	daily    int64 // a day's pay in fen, when dailyOK
	hourly   int64 // an hour's pay in fen, when dailyOK
	start    int32
	end      int32
	lat, lng float32
	certs    uint32 // required (a certSet)
	lenCode  uint8
	district int8
	dailyOK  bool
}

func (g *jobDoc) col() jobCol {
	c := jobCol{id: g.sum.ID, created: g.created, daily: g.daily, start: g.start, end: g.end, lat: float32(g.pt.lat), lng: float32(g.pt.lng),
		certs: uint32(g.certs), lenCode: g.lenCode, district: g.district, dailyOK: g.dailyOK}
	if g.dailyOK && g.dayMilli > 0 {
		c.hourly = g.daily * 1000 / g.dayMilli
	}
	return c
}

// termTable holds a shard's inverted lists by term id. Ids are dense, so a two-level array (chunks made
// on first use) finds a list with two indexings instead of hashing; Build spends most of its time here.
type termTable struct {
	chunks []*[termChunk]*postings
	lists  int // non-nil lists, for the memory report
}

const termChunk = 1024

func (t *termTable) get(id uint32) *postings {
	c := int(id / termChunk)
	if c >= len(t.chunks) || t.chunks[c] == nil {
		return nil
	}
	return t.chunks[c][id%termChunk]
}

func (t *termTable) getOrCreate(id uint32) *postings {
	c := int(id / termChunk)
	if c >= len(t.chunks) {
		t.chunks = append(t.chunks, make([]*[termChunk]*postings, c+1-len(t.chunks))...)
	}
	if t.chunks[c] == nil {
		t.chunks[c] = new([termChunk]*postings)
	}
	p := t.chunks[c][id%termChunk]
	if p == nil {
		p = new(postings)
		t.chunks[c][id%termChunk] = p
		t.lists++
	}
	return p
}

// drop forgets the list of id, once empty.
func (t *termTable) drop(id uint32) {
	t.chunks[id/termChunk][id%termChunk] = nil
	t.lists--
}

func (t *termTable) each(f func(p *postings)) {
	for _, c := range t.chunks {
		if c != nil {
			for _, p := range c {
				if p != nil {
					f(p)
				}
			}
		}
	}
}

// workerShard holds the workers whose id falls to it.
type workerShard struct {
	mu   sync.RWMutex
	docs []*workerDoc
	free []uint32
	byID map[int64]uint32
	all  postings
	text termTable // the workers by the terms of their descriptions, to score text without loading them
	// freeText holds the workers with free tags by their tags' key terms (see freeTierForJob).
	freeText termTable
	conceptLists[workerEntry]
}

func shardOf(id int64) int { return int(uint64(id) % numShards) }

// NewIndex returns an empty index.
func NewIndex() *Index {
	ix := &Index{conceptDF: make([]atomic.Int32, len(domain.Skills)), jobHome: map[int64]int{}, regions: newRegions(nil)}
	for i := range ix.jobs {
		ix.jobs[i] = jobShard{num: i, byID: map[int64]uint32{}, conceptLists: newConceptLists[jobEntry](true)}
		ix.jobBoxes[i].store(emptyBox)
		ix.workers[i] = workerShard{byID: map[int64]uint32{}, conceptLists: newConceptLists[workerEntry](false)}
	}
	return ix
}

// Build returns an index of the open gigs with places left among jobs and the active workers among
// workers, as store.OpenJobs and store.ActiveWorkers return them; other records are skipped, so a caller
// may pass everything it has. When an id repeats, the last record wins, as with a series of upserts.
// Documents are analysed on all cores.
func Build(jobs []domain.Job, workers []domain.Worker) *Index {
	ix, _ := BuildWhileReading(jobs, func() ([]domain.Worker, error) { return workers, nil })
	return ix
}

// BuildWhileReading is Build for workers still being read: the gigs are analysed on all cores first,
// then readWorkers is called (it may block until its rows are read) and the index built as Build does.
// An error from readWorkers is returned as it is. A start reads the workers while the gigs are analysed.
func BuildWhileReading(jobs []domain.Job, readWorkers func() ([]domain.Worker, error)) (*Index, error) {
	ix := NewIndex()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()

	// The gigs are analysed straight into one array, their term lists into the analysers' arenas (see
	// termSpace): a city's gigs stay side by side, never copied.
	jobArray := make([]jobDoc, len(jobs))
	jobDocs := make([]*jobDoc, len(jobs))
	lastJob := lastOfEachID(len(jobs), func(i int) int64 { return jobs[i].ID })
	parallel(len(jobs), func(a *analyzer, i int) {
		if (lastJob == nil || lastJob[jobs[i].ID] == i) && inLibrary(&jobs[i]) {
			a.bulk = true
			a.analyseJob(&jobArray[i], &ix.dict, &jobs[i], true)
			jobDocs[i] = &jobArray[i]
		}
	})
	workers, err := readWorkers()
	if err != nil {
		return nil, err
	}
	workerDocs := make([]*workerDoc, len(workers))
	memo := newReadMemo()
	lastWorker := lastOfEachID(len(workers), func(i int) int64 { return workers[i].ID })
	parallel(len(workers), func(a *analyzer, i int) {
		if (lastWorker == nil || lastWorker[workers[i].ID] == i) && isActive(&workers[i]) {
			a.memo = memo
			workerDocs[i] = a.newWorkerDoc(&ix.dict, &workers[i], true)
		}
	})
	memo = nil // its texts and readings are garbage now
	compactJobs(jobDocs)
	compactWorkers(workerDocs)
	// Shards are independent: fill them in parallel, each from the documents that fall to it.
	ix.regions = newRegions(jobDocs)
	var jobsOf [numShards][]*jobDoc
	for _, g := range jobDocs {
		if g != nil {
			s := ix.jobShardOf(g)
			jobsOf[s] = append(jobsOf[s], g)
			ix.jobHome[g.sum.ID] = s
		}
	}
	var workersOf [numShards][]*workerDoc
	for _, w := range workerDocs {
		if w != nil {
			s := shardOf(w.sum.ID)
			workersOf[s] = append(workersOf[s], w)
		}
	}
	var wg sync.WaitGroup
	next := atomic.Int32{}
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := int(next.Add(1) - 1); s < numShards; s = int(next.Add(1) - 1) {
				ix.jobs[s].bulk, ix.workers[s].bulk = true, true
				for _, g := range jobsOf[s] {
					ix.putJob(s, g)
				}
				for _, w := range workersOf[s] {
					ix.putWorker(w)
				}
				ix.jobs[s].clip()
				ix.workers[s].clip()
			}
		}()
	}
	wg.Wait()
	return ix, nil
}

// lastOfEachID returns the position of the last record of each id among n records, or nil when the ids
// strictly increase (as the store reads them, in id order), where every record is the last of its id.
func lastOfEachID(n int, id func(i int) int64) map[int64]int {
	i := 1
	for i < n && id(i-1) < id(i) {
		i++
	}
	if i >= n {
		return nil
	}
	last := make(map[int64]int, n)
	for i := range n {
		last[id(i)] = i
	}
	return last
}

// compactJobs moves the gigs' evidence into one array. Analysed on two cores, the small slices were
// interleaved in memory with the garbage of analysis; the collector frees garbage but not the pages it
// shared with survivors, so the heap in use would keep more than the index holds. (The documents and
// their term lists were made in place, see Build.)
func compactJobs(docs []*jobDoc) {
	ev := 0
	for _, d := range docs {
		if d != nil {
			ev += len(d.evidence)
		}
	}
	evs := make([]evidence, 0, ev)
	for _, d := range docs {
		if d != nil {
			evs = append(evs, d.evidence...)
			d.evidence = evs[len(evs)-len(d.evidence) : len(evs) : len(evs)]
		}
	}
}

// compactWorkers moves the documents into one array and their term lists and evidence into arenas, as
// compactJobs does for the evidence.
func compactWorkers(docs []*workerDoc) {
	n, terms, ev := 0, 0, 0
	for _, d := range docs {
		if d != nil {
			n, terms, ev = n+1, terms+len(d.terms), ev+len(d.evidence)
		}
	}
	arr, arena, evs := make([]workerDoc, 0, n), make([]uint32, 0, terms), make([]evidence, 0, ev)
	for i, d := range docs {
		if d == nil {
			continue
		}
		arr = append(arr, *d)
		c := &arr[len(arr)-1]
		arena = append(arena, d.terms...)
		c.terms = arena[len(arena)-len(d.terms) : len(arena) : len(arena)]
		evs = append(evs, d.evidence...)
		c.evidence = evs[len(evs)-len(d.evidence) : len(evs) : len(evs)]
		docs[i] = c
	}
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

func (s *jobShard) clip() {
	s.text.each(func(p *postings) { *p = shrink(*p) })
	s.all = shrink(s.all)
	s.docs, s.cols = shrink(s.docs), shrink(s.cols)
	s.conceptLists.clip()
}

func (s *workerShard) clip() {
	s.docs = shrink(s.docs)
	s.text.each(func(p *postings) { *p = shrink(*p) })
	s.all = shrink(s.all)
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
	g := a.newJobDoc(&ix.dict, &j, true)
	home := ix.jobShardOf(g)
	if old, ok := ix.jobHome[g.sum.ID]; ok && old != home {
		// The gig moved to another district or region. A reader crossing the two shards meanwhile may see it in
		// neither or both, for that one query; SearchJobs drops the double.
		ix.removeJob(old, g.sum.ID)
	}
	ix.putJob(home, g)
	ix.jobHome[g.sum.ID] = home
}

// RemoveJob takes a gig out of the library and the matching; an unknown id is ignored.
func (ix *Index) RemoveJob(id int64) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if home, ok := ix.jobHome[id]; ok {
		ix.removeJob(home, id)
		delete(ix.jobHome, id)
	}
}

func (ix *Index) removeJob(shard int, id int64) {
	s := &ix.jobs[shard]
	s.mu.Lock()
	defer s.mu.Unlock()
	if slot, ok := s.byID[id]; ok {
		ix.unlinkJob(s, slot)
		s.docs[slot] = nil
		s.free = append(s.free, slot)
		delete(s.byID, id)
	}
}

// putJob stores a new or replacing gig document under its shard's lock (the caller holds writeMu or is
// the only writer of that shard).
func (ix *Index) putJob(shard int, g *jobDoc) {
	s := &ix.jobs[shard]
	s.mu.Lock()
	defer s.mu.Unlock()
	slot, ok := s.byID[g.sum.ID]
	if ok {
		ix.replaceJob(s, slot, g)
		return
	}
	if n := len(s.free); n > 0 {
		slot, s.free = s.free[n-1], s.free[:n-1]
	} else {
		slot = uint32(len(s.docs))
		s.docs = append(s.docs, nil)
		s.cols = append(s.cols, jobCol{})
	}
	s.docs[slot], s.cols[slot] = g, g.col()
	s.byID[g.sum.ID] = slot
	ix.jobBoxes[s.num].grow(g.pt)
	s.all = s.all.insert(slot, 0)
	ix.warm(s, g.terms, slot)
	for _, t := range g.terms {
		id := t >> 8
		p := s.text.getOrCreate(id)
		if *p = p.insert(slot, textPayload(t&0xF, g.lenCode)); len(*p) == 1 {
			ix.jobTerms.set(id, s.num, true)
		}
		ix.df.add(id, 1)
	}
	s.change(g.entry(slot), slot, g.concepts, g.cats, g.general, true)
	g.concepts.each(func(i int) { ix.conceptDF[i].Add(1) })
	ix.jobCount.Add(1)
	ix.jobLength.Add(int64(g.length))
}

// replaceJob puts a new version of the gig in its slot. An edit changes few of a gig's hundred terms, so
// the two sorted term lists are merged: a term in both only has its payload rewritten in place, and only
// the terms that come or go shift a list (the costly part of an update on the lists of common terms).
func (ix *Index) replaceJob(s *jobShard, slot uint32, g *jobDoc) {
	old := s.docs[slot]
	ix.warm(s, old.terms, slot)
	ix.warm(s, g.terms, slot)
	i, k := 0, 0
	for i < len(old.terms) || k < len(g.terms) {
		switch {
		case k == len(g.terms) || i < len(old.terms) && old.terms[i]>>8 < g.terms[k]>>8:
			id := old.terms[i] >> 8
			p := s.text.get(id)
			if *p = p.remove(slot); len(*p) == 0 {
				s.text.drop(id)
				ix.jobTerms.set(id, s.num, false)
			}
			ix.df.add(id, -1)
			i++
		case i == len(old.terms) || g.terms[k]>>8 < old.terms[i]>>8:
			id := g.terms[k] >> 8
			p := s.text.getOrCreate(id)
			if *p = p.insert(slot, textPayload(g.terms[k]&0xF, g.lenCode)); len(*p) == 1 {
				ix.jobTerms.set(id, s.num, true)
			}
			ix.df.add(id, 1)
			k++
		default:
			if old.terms[i]&0xF != g.terms[k]&0xF || old.lenCode != g.lenCode {
				p := s.text.get(g.terms[k] >> 8)
				*p = p.insert(slot, textPayload(g.terms[k]&0xF, g.lenCode)) // overwrites in place
			}
			i++
			k++
		}
	}
	if e := g.entry(slot); old.concepts != g.concepts || old.cats != g.cats || old.general != g.general || old.entry(slot) != e {
		s.change(old.entry(slot), slot, old.concepts, old.cats, old.general, false)
		s.change(e, slot, g.concepts, g.cats, g.general, true)
	}
	old.concepts.each(func(i int) { ix.conceptDF[i].Add(-1) })
	g.concepts.each(func(i int) { ix.conceptDF[i].Add(1) })
	ix.jobLength.Add(int64(g.length) - int64(old.length))
	s.docs[slot], s.cols[slot] = g, g.col()
	ix.jobBoxes[s.num].grow(g.pt)
}

// warm reads, for each of a gig's terms, what its update will read: the term's document frequency, its
// list in the shard and the list's entries around where slot goes. The loads of one term do not wait for
// those of another, so the processor has many cache misses in flight at once, where the update itself,
// term after term, would wait for each in turn: an update touches about a hundred cold lists.
func (ix *Index) warm(s *jobShard, terms []uint32, slot uint32) {
	if s.bulk {
		return // Build appends to lists it has just written: they are warm already
	}
	sum := uint32(0)
	for _, t := range terms {
		id := t >> 8
		sum += uint32(ix.df.get(id))
		if p := s.text.get(id); p != nil {
			if l := *p; len(l) > 0 {
				sum += l[min(uint64(len(l)-1), uint64(slot)*uint64(len(l))/(uint64(l[len(l)-1]>>payloadBits)+1))]
			}
		}
	}
	ix.warmSink = sum
}

// unlinkJob removes the gig in slot from every list and statistic; its slot stays reserved.
func (ix *Index) unlinkJob(s *jobShard, slot uint32) {
	g := s.docs[slot]
	s.all = s.all.remove(slot)
	ix.warm(s, g.terms, slot)
	for _, t := range g.terms {
		id := t >> 8
		p := s.text.get(id)
		if *p = p.remove(slot); len(*p) == 0 {
			s.text.drop(id)
			ix.jobTerms.set(id, s.num, false)
		}
		ix.df.add(id, -1)
	}
	s.change(g.entry(slot), slot, g.concepts, g.cats, g.general, false)
	g.concepts.each(func(i int) { ix.conceptDF[i].Add(-1) })
	ix.jobCount.Add(-1)
	ix.jobLength.Add(-int64(g.length))
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
		s.unlinkTerms(ix, slot, w)
		s.all = s.all.remove(slot)
		s.change(w.entry(slot), slot, w.concepts, w.cats, w.general, false)
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
		s.change(old.entry(slot), slot, old.concepts, old.cats, old.general, false)
		s.unlinkTerms(ix, slot, old)
	} else {
		if n := len(s.free); n > 0 {
			slot, s.free = s.free[n-1], s.free[:n-1]
		} else {
			slot = uint32(len(s.docs))
			s.docs = append(s.docs, nil)
		}
		s.all = s.all.insert(slot, 0)
		ix.nWorker.Add(1)
	}
	s.docs[slot] = w
	s.byID[w.sum.ID] = slot
	s.change(w.entry(slot), slot, w.concepts, w.cats, w.general, true)
	for _, id := range w.terms {
		p := s.text.getOrCreate(id)
		*p = p.insert(slot, 1)
		ix.wdf.add(id, 1)
	}
	for _, id := range w.freeKeys() {
		p := s.freeText.getOrCreate(id)
		*p = p.insert(slot, 1)
		ix.freeDF.add(id, 1)
	}
	for r := nearLimitKm(w.limit); ; {
		old := ix.reach.Load()
		if math.Float64frombits(old) >= r || ix.reach.CompareAndSwap(old, math.Float64bits(r)) {
			break
		}
	}
}

func (s *workerShard) unlinkTerms(ix *Index, slot uint32, w *workerDoc) {
	for _, id := range w.terms {
		p := s.text.get(id)
		if *p = p.remove(slot); len(*p) == 0 {
			s.text.drop(id)
		}
		ix.wdf.add(id, -1)
	}
	for _, id := range w.freeKeys() {
		p := s.freeText.get(id)
		if *p = p.remove(slot); len(*p) == 0 {
			s.freeText.drop(id)
		}
		ix.freeDF.add(id, -1)
	}
}

// Len returns the number of gigs in the library and of workers in the matching.
func (ix *Index) Len() (jobs, workers int) {
	return int(ix.jobCount.Load()), int(ix.nWorker.Load())
}

// Job returns the summary of an open gig in the library.
func (ix *Index) Job(id int64) (JobSummary, bool) {
	for i := range ix.jobs { // jobHome is the writers'; a reader asks every shard
		s := &ix.jobs[i]
		s.mu.RLock()
		slot, ok := s.byID[id]
		var sum JobSummary
		if ok {
			sum = s.docs[slot].summary()
		}
		s.mu.RUnlock()
		if ok {
			return sum, true
		}
	}
	return JobSummary{}, false
}

// summary returns the gig's summary with its lists made from the skill and certificate sets (kept as
// bits, not strings: a quarter of the memory of a document), slices the caller may keep and change.
func (g *jobDoc) summary() JobSummary {
	s := g.sum
	s.Skills = append(g.tagged.names(), g.outside.outsideTags()...)
	s.InferredSkills = g.concepts.andNot(g.tagged).names()
	s.RequiredCerts = append(append(g.certs.names(), g.outside.outsideCerts()...), g.altNames()...)
	return s
}

func (w *workerDoc) summary() WorkerSummary {
	s := w.sum
	s.Skills = append(w.tagged.names(), w.outside.outsideTags()...)
	s.Certs = append(w.certs.names(), w.outside.outsideCerts()...)
	return s
}
