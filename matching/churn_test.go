package matching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// TestIndexAfterChurnEqualsFreshBuild applies 10,000 random changes (new gigs, edits, approvals, fills,
// closes, removals; new workers, profile edits, deactivations) to an index, as the store's callers would,
// and then checks that it answers every query exactly as an index built from the final records does.
func TestIndexAfterChurnEqualsFreshBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	pool := GenerateJobs(600, 99, testToday)
	wpool := GenerateWorkers(300, 99, testToday)
	withFreeWords(pool, wpool)
	jobs := map[int64]domain.Job{}
	workers := map[int64]domain.Worker{}
	ix := NewIndex()
	nextJob, nextWorker := int64(1), int64(1)
	for op := 0; op < 10_000; op++ {
		switch r := rng.IntN(100); {
		case r < 25 || len(jobs) == 0: // post a gig, sometimes still pending review
			j := pool[rng.IntN(len(pool))]
			j.ID = nextJob
			nextJob++
			if rng.IntN(4) == 0 {
				j.Status = domain.JobPendingReview
			}
			jobs[j.ID] = j
			ix.UpsertJob(j)
		case r < 50: // edit, approve, fill or close a gig
			j := jobs[pickKey(rng, jobs)]
			switch rng.IntN(5) {
			case 0:
				j.Title = pool[rng.IntN(len(pool))].Title
				j.Description = fmt.Sprintf("改过%d次：%s", op, pool[rng.IntN(len(pool))].Description)
			case 1:
				j.Status = domain.JobOpen
			case 2:
				j.Filled = min(j.Headcount, j.Filled+1+rng.IntN(3))
			case 3:
				j.Status = []domain.JobStatus{domain.JobClosed, domain.JobExpired, domain.JobFilled}[rng.IntN(3)]
			case 4:
				o := pool[rng.IntN(len(pool))]
				j.District, j.Town, j.Lat, j.Lng, j.WageFen, j.Skills = o.District, o.Town, o.Lat, o.Lng, o.WageFen, o.Skills
			}
			jobs[j.ID] = j
			ix.UpsertJob(j)
		case r < 58: // delete a gig outright
			id := pickKey(rng, jobs)
			delete(jobs, id)
			ix.RemoveJob(id)
		case r < 75 || len(workers) == 0: // register a worker
			w := wpool[rng.IntN(len(wpool))]
			w.ID = nextWorker
			nextWorker++
			workers[w.ID] = w
			ix.UpsertWorker(w)
		case r < 95: // edit a worker
			w := workers[pickKey(rng, workers)]
			o := wpool[rng.IntN(len(wpool))]
			switch rng.IntN(4) {
			case 0:
				w.SelfDescription, w.Skills = o.SelfDescription, o.Skills
			case 1:
				w.District, w.Town, w.Lat, w.Lng, w.MaxCommuteKm = o.District, o.Town, o.Lat, o.Lng, o.MaxCommuteKm
			case 2:
				w.Status = []string{domain.WorkerActive, domain.WorkerInactive}[rng.IntN(2)]
			case 3:
				w.Completed, w.NoShows, w.Certs = o.Completed, o.NoShows, o.Certs
			}
			workers[w.ID] = w
			ix.UpsertWorker(w)
		default:
			id := pickKey(rng, workers)
			delete(workers, id)
			ix.RemoveWorker(id)
		}
	}
	var finalJobs []domain.Job
	for _, j := range jobs {
		finalJobs = append(finalJobs, j)
	}
	var finalWorkers []domain.Worker
	for _, w := range workers {
		finalWorkers = append(finalWorkers, w)
	}
	fresh := Build(finalJobs, finalWorkers)

	g1, w1 := ix.Len()
	g2, w2 := fresh.Len()
	if g1 != g2 || w1 != w2 {
		t.Fatalf("sizes: churned %d gigs %d workers, fresh %d and %d", g1, w1, g2, w2)
	}
	if g1 < 50 || w1 < 50 {
		t.Fatalf("the churn left too little to compare: %d gigs, %d workers", g1, w1)
	}
	// The lists an update edits in place must stay in the order the walks rely on (grouped by fine cell
	// and certificates, best pay first), or a walk would leave a group too early.
	for name, ix := range map[string]*Index{"churned": ix, "fresh": fresh} {
		if err := listsOutOfOrder(ix); err != "" {
			t.Fatalf("%s index: %s", name, err)
		}
	}
	queries := append(BenchQueries(), SearchQuery{}, SearchQuery{Q: "日结"}, SearchQuery{Q: "摘果 20名", PerPage: 100},
		SearchQuery{Skill: "搬运"}, SearchQuery{Date: testToday.AddDays(3), PerPage: 50}, SearchQuery{WageMinFen: 15000, Page: 2})
	for _, q := range queries {
		if diff := cmp.Diff(fresh.SearchJobs(q), ix.SearchJobs(q), ignoreMemos); diff != "" {
			t.Fatalf("SearchJobs(%+v) (-fresh +churned):\n%s", q, diff)
		}
	}
	// Every third record is compared: the same code paths, a third of the time under -race.
	slices.SortFunc(finalWorkers, func(a, b domain.Worker) int { return int(a.ID - b.ID) })
	slices.SortFunc(finalJobs, func(a, b domain.Job) int { return int(a.ID - b.ID) })
	for i, w := range finalWorkers {
		if i%3 != 0 {
			continue
		}
		if diff := cmp.Diff(fresh.MatchJobsForWorker(w, testToday, 10), ix.MatchJobsForWorker(w, testToday, 10)); diff != "" {
			t.Fatalf("MatchJobsForWorker(%d) (-fresh +churned):\n%s", w.ID, diff)
		}
	}
	for i, j := range finalJobs {
		if i%3 != 0 {
			continue
		}
		if diff := cmp.Diff(fresh.MatchWorkersForJob(j, testToday, 10), ix.MatchWorkersForJob(j, testToday, 10)); diff != "" {
			t.Fatalf("MatchWorkersForJob(%d) (-fresh +churned):\n%s", j.ID, diff)
		}
	}
}

// pickKey returns a random key of m, the same for the same generator state (map order is random).
func pickKey[V any](rng *rand.Rand, m map[int64]V) int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slicesSort(keys)
	return keys[rng.IntN(len(keys))]
}

// listsOutOfOrder returns the first matching list not in its order, or "", and checks that the index
// knows in which gig shards each term has a list, as the worker's query trusts it to.
func listsOutOfOrder(ix *Index) string {
	for id := range uint32(len(ix.dict.terms)) {
		for s := range ix.jobs {
			p := ix.jobs[s].text.get(id)
			if has, marked := p != nil && len(*p) > 0, ix.jobTerms.get(id)&(1<<s) != 0; has != marked {
				return fmt.Sprintf("term %q in gig shard %d: has a list %v, marked %v", ix.dict.terms[id], s, has, marked)
			}
		}
	}
	for s := range ix.jobs {
		if err := outOfOrder(&ix.jobs[s].conceptLists); err != "" {
			return fmt.Sprintf("gig shard %d: %s", s, err)
		}
		if err := outOfOrder(&ix.workers[s].conceptLists); err != "" {
			return fmt.Sprintf("worker shard %d: %s", s, err)
		}
	}
	return ""
}

func outOfOrder[E listEntry[E]](c *conceptLists[E]) string {
	for k, cells := range c.geo {
		for cell, l := range cells {
			if c.occupied[k].has(cell) != (len(l) > 0) {
				return fmt.Sprintf("concept %d, cell %d: marked occupied %v with %d entries", k, cell, c.occupied[k].has(cell), len(l))
			}
			if !slices.IsSortedFunc(l, compareEntries[E]) {
				return fmt.Sprintf("concept %d, cell %d: %v", k, cell, l)
			}
			for _, e := range l {
				if e.cell() != cell {
					return fmt.Sprintf("concept %d: an entry of cell %d in the list of cell %d", k, e.cell(), cell)
				}
			}
		}
	}
	return ""
}

// An update finds a gig's place in a list by guessing it from the slot numbers; whatever gaps the list
// has, the place must be the one a binary search finds, or updates would leave stale postings behind.
func TestPostingsFindAgreesWithBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 3000; round++ {
		n := rng.IntN(400)
		var p postings
		for s := uint32(0); len(p) < n; s++ {
			if rng.IntN(4) == 0 {
				s += uint32(rng.IntN(50)) // gaps of every size, so the guess is often wrong
			}
			p = append(p, s<<payloadBits|uint32(rng.IntN(1<<payloadBits)))
		}
		for range 50 {
			slot := uint32(rng.IntN(n*20 + 5))
			want, _ := slices.BinarySearch(p, slot<<payloadBits)
			if got := p.find(slot); got != want {
				t.Fatalf("list of %d, slot %d: find says %d, binary search %d", n, slot, got, want)
			}
		}
	}
}

// withFreeWords gives some gigs and workers skills and certificates outside the taxonomy, and some gigs
// the words of those skills, so the free tiers and the free certificates take part.
func withFreeWords(jobs []domain.Job, workers []domain.Worker) {
	for i := range jobs {
		j := &jobs[i]
		switch i % 11 {
		case 0:
			j.Title += "，剪羊毛"
		case 1:
			j.Skills = append(slices.Clone(j.Skills), "羊毛剪毛")
		case 2:
			j.RequiredCerts = append(slices.Clone(j.RequiredCerts), "特种设备安全管理证")
		case 3:
			j.Description += "，会修鞋补鞋的优先"
		}
	}
	for i := range workers {
		w := &workers[i]
		switch i % 7 {
		case 0:
			w.Skills = append(slices.Clone(w.Skills), "羊毛剪毛")
		case 1:
			w.Skills = append(slices.Clone(w.Skills), "修鞋补鞋")
			w.Certs = append(slices.Clone(w.Certs), "特种设备安全管理证")
		}
	}
}
