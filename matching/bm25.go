package matching

import (
	"math"
	"slices"
)

// Text relevance is Okapi BM25 with Lucene's defaults (k1 = 1.2, b = 0.75) and Lucene's idf, which is
// never negative, so adding a term to a query can only raise a document's score. Gigs are the documents in
// both uses: the library's keywords are a query, and so is a worker's self description when gigs are
// matched to the worker (or workers to a gig: the same pair gets the same number either way).

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// corpus holds the collection statistics one query uses, read once at its start.
type corpus struct {
	n     float64       // open gigs
	avgdl float64       // their mean length
	norms *[256]float64 // the length part of BM25's denominator for each length code
}

func (ix *Index) corpus() corpus {
	n, total := ix.jobCount.Load(), ix.jobLength.Load()
	// The statistics change only with the gigs: queries between two changes share one table of norms
	// (256 divisions and an allocation each, otherwise).
	if m := ix.corpusMemo.Load(); m != nil && m.n == n && m.total == total {
		return m.c
	}
	c := corpus{n: float64(max(n, 0)), avgdl: 1, norms: new([256]float64)}
	if n > 0 && total > 0 {
		c.avgdl = float64(total) / float64(n)
	}
	for b := range c.norms {
		c.norms[b] = bm25K1 * (1 - bm25B + bm25B*float64(decodeLength(uint8(b)))/c.avgdl)
	}
	ix.corpusMemo.Store(&corpusMemo{n: n, total: total, c: c})
	return c
}

// corpusMemo is the corpus of the statistics n and total. Its norms are shared and never changed.
type corpusMemo struct {
	n, total int64
	c        corpus
}

// Like Lucene, a document's length is kept in one byte: exactly up to 127 terms, in steps of 8 above
// (up to 1,143). It travels inside every posting, so a text score never needs the document itself; every
// scorer uses the coded length, so all of them agree to the last bit.
func encodeLength(n int) uint8 {
	switch {
	case n < 128:
		return uint8(max(n, 0))
	case n >= 128+127*8:
		return 255
	}
	return uint8(128 + (n-128)/8)
}

func decodeLength(b uint8) int {
	if b < 128 {
		return int(b)
	}
	return 128 + int(b-128)*8
}

func (c corpus) idf(df int32) float64 {
	d := float64(max(df, 0))
	return math.Log(1 + (c.n-d+0.5)/(d+0.5))
}

// norm is the length part of BM25's denominator for a document of that length code.
func (c corpus) norm(lengthCode uint8) float64 { return c.norms[lengthCode] }

// termScore is one term's contribution: tf occurrences in a document with the given norm.
func termScore(idf float64, tf uint32, norm float64) float64 {
	f := float64(tf)
	return idf * f * (bm25K1 + 1) / (f + norm)
}

// tf returns how often term id occurs in the gig.
func (g *jobDoc) tf(id uint32) uint32 {
	i, _ := slices.BinarySearch(g.terms, id<<8)
	if i < len(g.terms) && g.terms[i]>>8 == id {
		return g.terms[i] & 0xF
	}
	return 0
}

// qterm is a known query term with its idf.
type qterm struct {
	id  uint32
	idf float64
}

// textScore is the BM25 score of the gig for the query terms, summed in query order (the matching loops
// compute the same sum from the postings; tests hold them equal).
func textScore(g *jobDoc, terms []qterm, norm float64) float64 {
	s := 0.0
	for _, t := range terms {
		if tf := g.tf(t.id); tf > 0 {
			s += termScore(t.idf, tf, norm)
		}
	}
	return s
}
