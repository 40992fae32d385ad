package store

import (
	"sync"

	"lingong/domain"
)

// workerCache keeps, per worker, the profile and live applications GET /api/v1/workers/me/matches reads,
// with the worker's version number (migration 00210: it changes with every change to the worker, their
// tags, their applications or their station's code, made by any process or by hand). An entry answers
// only a lookup for exactly its version, and the version a lookup asks for was read from the database
// with the caller's session in the same request, so the cache never answers from an older state than
// the database's when the request arrived.
//
// It holds at most workerCacheEntries workers: each of its shards keeps two generations, and when the
// current one is full the older is dropped and the current becomes the older (a worker read again is
// moved back to the current). A phone asking every few seconds stays in; a worker who has not asked
// since about the last workerCacheEntries/2 others leaves. Entries are shared between requests, so what
// they hold is read only.
type workerCache struct {
	shards [workerCacheShards]workerCacheShard
}

const (
	workerCacheShards = 16
	// workerCacheEntries bounds the workers kept: the benchmark market's workers take about 0.7 KB each
	// (47 MB for all 65,536), a few applications add a little.
	workerCacheEntries = 65536
	workerCacheGen     = workerCacheEntries / workerCacheShards / 2
)

type workerCacheShard struct {
	mu       sync.Mutex
	cur, old map[int64]cachedWorker
}

type cachedWorker struct {
	version int64
	worker  domain.Worker
	applied map[int64]bool
}

func (c *workerCache) shard(id int64) *workerCacheShard {
	return &c.shards[uint64(id)%workerCacheShards]
}

// get returns the worker and their live applications at exactly version, if kept.
func (c *workerCache) get(id, version int64) (domain.Worker, map[int64]bool, bool) {
	sh := c.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.cur[id]
	if !ok {
		if e, ok = sh.old[id]; ok && e.version == version {
			delete(sh.old, id)
			sh.putLocked(id, e)
		}
	}
	if !ok || e.version != version {
		return domain.Worker{}, nil, false
	}
	return e.worker, e.applied, true
}

// put keeps the worker at version, unless a newer version is kept already.
func (c *workerCache) put(id, version int64, w domain.Worker, applied map[int64]bool) {
	sh := c.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e, ok := sh.cur[id]; ok && e.version > version {
		return
	}
	sh.putLocked(id, cachedWorker{version: version, worker: w, applied: applied})
}

func (sh *workerCacheShard) putLocked(id int64, e cachedWorker) {
	if sh.cur == nil {
		sh.cur = make(map[int64]cachedWorker)
	}
	if _, ok := sh.cur[id]; !ok && len(sh.cur) >= workerCacheGen {
		sh.old, sh.cur = sh.cur, make(map[int64]cachedWorker, workerCacheGen)
	}
	sh.cur[id] = e
}

// len is the number of workers kept.
func (c *workerCache) len() int {
	n := 0
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		n += len(sh.cur) + len(sh.old)
		sh.mu.Unlock()
	}
	return n
}
