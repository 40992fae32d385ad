package store

import (
	"sync"
	"testing"

	"lingong/domain"
)

// Readers and writers of many workers at once (run with -race): a lookup answers only the version it
// asked for, and the bound holds.
func TestWorkerCacheUnderConcurrency(t *testing.T) {
	var c workerCache
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20_000 {
				id := int64((i*7 + g) % 3000)
				version := int64(i%5 + 1)
				c.put(id, version, domain.Worker{ID: id, Completed: int(version)}, map[int64]bool{version: true})
				w, applied, ok := c.get(id, version)
				if ok && (w.ID != id || w.Completed != int(version) || !applied[version]) {
					t.Errorf("get(%d, %d) answered worker %d at %d", id, version, w.ID, w.Completed)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := c.len(); n > workerCacheEntries {
		t.Errorf("%d workers kept, want at most %d", n, workerCacheEntries)
	}
}
