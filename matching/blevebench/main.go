// Command blevebench compares the job library's keyword search (lingong/matching) with Bleve v2 and its
// cjk analyzer on the same generated corpus and the same queries, in one run, and prints the latency and
// index-build ratios. It is a module of its own so that Bleve never enters the product's dependencies.
//
//	cd matching/blevebench && go run . -gigs 100000 -rounds 200
package main

import (
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
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
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

	// Both engines answer the same requests: every keyword required, the district as a filter, the best
	// 20 and the total count. Each engine runs its rounds on its own after a collection, so neither pays
	// for the other's garbage; a first round warms both up and checks the counts.
	for _, q := range queries {
		res := ix.SearchJobs(q)
		bres, err := bx.Search(bleveRequest(q))
		if err != nil {
			return err
		}
		fmt.Printf("  %-14s %s  ours: %6d hits   bleve: %6d hits\n", q.Q, q.District, res.Total, bres.Total)
	}
	var ours, theirs []time.Duration
	runtime.GC()
	for r := 0; r < rounds; r++ {
		for _, q := range queries {
			t := time.Now()
			ix.SearchJobs(q)
			ours = append(ours, time.Since(t))
		}
	}
	runtime.GC()
	for r := 0; r < rounds; r++ {
		for _, q := range queries {
			t := time.Now()
			_, err := bx.Search(bleveRequest(q))
			theirs = append(theirs, time.Since(t))
			if err != nil {
				return err
			}
		}
	}
	op50, op99, omean := stats(ours)
	bp50, bp99, bmean := stats(theirs)
	fmt.Printf("\n%-8s %12s %12s %12s %14s\n", "engine", "p50", "p99", "mean", "index build")
	fmt.Printf("%-8s %12v %12v %12v %14v\n", "lingong", op50, op99, omean, ourBuild.Round(time.Millisecond))
	fmt.Printf("%-8s %12v %12v %12v %14v\n", "bleve", bp50, bp99, bmean, bleveBuild.Round(time.Millisecond))
	fmt.Printf("\nlatency ratio (bleve / lingong): p50 %.1fx, p99 %.1fx, mean %.1fx\n",
		ratio(bp50, op50), ratio(bp99, op99), ratio(bmean, omean))
	fmt.Printf("index-build ratio (bleve / lingong): %.1fx\n", ratio(bleveBuild, ourBuild))
	return nil
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

func bleveRequest(q matching.SearchQuery) *bleve.SearchRequest {
	var conj []query.Query
	for _, kw := range strings.Fields(q.Q) {
		m := bleve.NewMatchQuery(kw)
		m.SetField("text")
		m.SetOperator(query.MatchQueryOperatorAnd)
		conj = append(conj, m)
	}
	d := bleve.NewTermQuery(q.District)
	d.SetField("district")
	conj = append(conj, d)
	return bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(conj...), q.PerPage, 0, false)
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
