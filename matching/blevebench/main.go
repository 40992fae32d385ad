// Command blevebench compares the job library's keyword search (lingong/matching) with Bleve v2 and its
// cjk analyzer on the same generated corpus and the same queries, in one run, and prints the latency and
// index-build ratios. It is a module of its own so that Bleve never enters the product's dependencies.
//
//	cd matching/blevebench && go run . -gigs 100000 -rounds 200
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/search/query"

	"lingong/domain"
	"lingong/matching"
)

func main() {
	jobs := flag.Int("gigs", 100_000, "gigs in the corpus")
	rounds := flag.Int("rounds", 200, "times each query runs on each engine")
	seed := flag.Uint64("seed", 20260601, "corpus seed (the benchmarks in matching use the same)")
	flag.Parse()
	if err := run(*jobs, *rounds, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(n, rounds int, seed uint64) error {
	today := domain.Date("2026-06-01")
	jobs := matching.GenerateJobs(n, seed, today)
	queries := matching.BenchQueries()
	fmt.Printf("corpus: %d gigs, %d queries (two Chinese keywords + a district), %d rounds each\n", n, len(queries), rounds)

	start := time.Now()
	ix := matching.Build(jobs, nil)
	ourBuild := time.Since(start)

	dir, err := os.MkdirTemp("", "blevebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start = time.Now()
	bx, err := buildBleve(dir+"/index", jobs)
	if err != nil {
		return err
	}
	bleveBuild := time.Since(start)
	defer bx.Close()
	// Bleve's scorch keeps persisting and merging segments in the background after the last batch; timing
	// queries then would measure an index still being rewritten on the other core. Wait until everything
	// is persisted and force-merged into one segment (not counted in the build time: ours has no such step).
	start = time.Now()
	segs, err := settleBleve(bx)
	if err != nil {
		return err
	}
	fmt.Printf("bleve: built in %v, then persisted and force-merged to %d segment(s) in %v\n",
		bleveBuild.Round(time.Millisecond), segs, time.Since(start).Round(time.Millisecond))

	// Bleve answers each query in two forms: MatchQuery (the query text analysed at search time) and
	// TermQuery on the bigrams the cjk analyser makes of it (analysed here, once, before timing: its
	// fastest form). Both must return the same hits in the same order; the first round warms all three
	// and checks that. Our counts differ by design (see README.md) and are printed beside Bleve's.
	analyzer := bx.Mapping().AnalyzerNamed(cjk.AnalyzerName)
	matchReqs := make([]*bleve.SearchRequest, len(queries))
	termReqs := make([]*bleve.SearchRequest, len(queries))
	for i, q := range queries {
		matchReqs[i], termReqs[i] = bleveMatchRequest(q), bleveTermRequest(q, analyzer)
		res := ix.SearchJobs(q)
		mres, err := bx.Search(matchReqs[i])
		if err != nil {
			return err
		}
		tres, err := bx.Search(termReqs[i])
		if err != nil {
			return err
		}
		if !sameHits(mres, tres) {
			return fmt.Errorf("%s %s: MatchQuery and TermQuery hits differ (%d, %d)", q.Q, q.District, mres.Total, tres.Total)
		}
		fmt.Printf("  %-14s %s  ours: %6d hits   bleve: %6d hits (both forms, same top %d)\n", q.Q, q.District, res.Total, mres.Total, len(mres.Hits))
	}

	// The rounds interleave the engines and rotate their order every round, so a slow patch of the shared
	// machine falls on all of them alike; before each engine's turn a collection clears the garbage of the
	// one before, so none pays for another's.
	engines := []struct {
		name  string
		times []time.Duration
		do    func(i int) error
	}{
		{name: "lingong", do: func(i int) error { ix.SearchJobs(queries[i]); return nil }},
		{name: "bleve-match", do: func(i int) error { _, err := bx.Search(matchReqs[i]); return err }},
		{name: "bleve-term", do: func(i int) error { _, err := bx.Search(termReqs[i]); return err }},
	}
	for r := 0; r < rounds; r++ {
		for k := range engines {
			e := &engines[(k+r)%len(engines)]
			runtime.GC()
			for i := range queries {
				t := time.Now()
				if err := e.do(i); err != nil {
					return err
				}
				e.times = append(e.times, time.Since(t))
			}
		}
	}
	op50, op99, omean := stats(engines[0].times)
	fmt.Printf("\n%-12s %12s %12s %12s %14s\n", "engine", "p50", "p99", "mean", "index build")
	fmt.Printf("%-12s %12v %12v %12v %14v\n", "lingong", op50, op99, omean, ourBuild.Round(time.Millisecond))
	for _, e := range engines[1:] {
		p50, p99, mean := stats(e.times)
		fmt.Printf("%-12s %12v %12v %12v %14v\n", e.name, p50, p99, mean, bleveBuild.Round(time.Millisecond))
	}
	fmt.Println()
	for _, e := range engines[1:] {
		p50, p99, mean := stats(e.times)
		fmt.Printf("latency ratio (%s / lingong): p50 %.1fx, p99 %.1fx, mean %.1fx\n", e.name,
			ratio(p50, op50), ratio(p99, op99), ratio(mean, omean))
	}
	fmt.Printf("index-build ratio (bleve / lingong): %.1fx\n", ratio(bleveBuild, ourBuild))
	return nil
}

// settleBleve waits until scorch has persisted every in-memory segment, force-merges the index (its
// single-segment plan) until the merger leaves it alone, and waits until the segments on disk stop
// changing for a second. It returns the number of segments the index is left with.
func settleBleve(bx bleve.Index) (int, error) {
	adv, err := bx.Advanced()
	if err != nil {
		return 0, err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, fmt.Errorf("bleve index is %T, not scorch", adv)
	}
	state := func() [3]uint64 {
		m := s.StatsMap()
		return [3]uint64{m["num_root_memorysegments"].(uint64), m["num_root_filesegments"].(uint64), m["num_files_on_disk"].(uint64)}
	}
	settle := func() error {
		last, since := state(), time.Now()
		for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			now := state()
			if now != last {
				last, since = now, time.Now()
			} else if now[0] == 0 && time.Since(since) >= time.Second {
				return nil
			}
		}
		return fmt.Errorf("bleve: segments still changing after 10 minutes")
	}
	for range 3 {
		if err := settle(); err != nil {
			return 0, err
		}
		if state()[1] <= 1 {
			break
		}
		if err := s.ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return 0, err
		}
	}
	return int(state()[1]), settle()
}

// bleveDoc is a gig as Bleve indexes it: the same text the library searches, and the district as a
// keyword for the filter.
type bleveDoc struct {
	Text     string `json:"text"`
	District string `json:"district"`
}

func buildBleve(path string, jobs []domain.Job) (bleve.Index, error) {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	text.Store, text.IncludeTermVectors = false, false
	district := bleve.NewKeywordFieldMapping()
	district.Analyzer = keyword.Name
	district.Store = false
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("text", text)
	doc.AddFieldMappingsAt("district", district)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = cjk.AnalyzerName
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, err
	}
	b := idx.NewBatch()
	for i := range jobs {
		j := &jobs[i]
		parts := []string{j.Title, j.Description, j.EmployerName, j.District, j.Town, j.Address, j.Settlement.Label()}
		if err := b.Index(strconv.FormatInt(j.ID, 10), bleveDoc{Text: strings.Join(append(parts, j.Skills...), " "), District: j.District}); err != nil {
			return nil, err
		}
		if b.Size() >= 5000 {
			if err := idx.Batch(b); err != nil {
				return nil, err
			}
			b = idx.NewBatch()
		}
	}
	return idx, idx.Batch(b)
}

// bleveMatchRequest is the request as a user's text goes to Bleve: every keyword a MatchQuery with the AND
// operator (analysed at search time), the district a TermQuery on its keyword field; the best PerPage.
func bleveMatchRequest(q matching.SearchQuery) *bleve.SearchRequest {
	var conj []query.Query
	for _, kw := range strings.Fields(q.Q) {
		m := bleve.NewMatchQuery(kw)
		m.SetField("text")
		m.SetOperator(query.MatchQueryOperatorAnd)
		conj = append(conj, m)
	}
	return bleveRequest(q, conj)
}

// bleveTermRequest is the same request pre-analysed: each keyword's cjk tokens (bigrams, or the single
// character) as required TermQueries, which is what MatchQuery builds at search time.
func bleveTermRequest(q matching.SearchQuery, a analysis.Analyzer) *bleve.SearchRequest {
	var conj []query.Query
	for _, kw := range strings.Fields(q.Q) {
		for _, tok := range a.Analyze([]byte(kw)) {
			t := bleve.NewTermQuery(string(tok.Term))
			t.SetField("text")
			conj = append(conj, t)
		}
	}
	return bleveRequest(q, conj)
}

func bleveRequest(q matching.SearchQuery, conj []query.Query) *bleve.SearchRequest {
	d := bleve.NewTermQuery(q.District)
	d.SetField("district")
	conj = append(conj, d)
	return bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(conj...), q.PerPage, 0, false)
}

// sameHits reports whether two results have the same total and the same hits in the same order.
func sameHits(a, b *bleve.SearchResult) bool {
	if a.Total != b.Total || len(a.Hits) != len(b.Hits) {
		return false
	}
	for i := range a.Hits {
		if a.Hits[i].ID != b.Hits[i].ID {
			return false
		}
	}
	return true
}

func stats(ds []time.Duration) (p50, p99, mean time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return s[len(s)/2], s[len(s)*99/100], sum / time.Duration(len(s))
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
