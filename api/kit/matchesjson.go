package kit

import (
	"strconv"

	"github.com/gin-gonic/gin"
)

// A worker's matches written by hand, as the library's answer is (libraryjson.go): encoding/json's
// reflection over the twenty matches, their reasons and the near misses was about two fifths of the
// matches handler's CPU under load (docs/performance.md). The bytes are exactly json.Marshal's, which
// gin's c.JSON wrote: TestMatchesJSONIsEncodingJSON holds them to it for hundreds of workers of the
// benchmark market, so a field added to a view and not here fails it.

// WriteMatches writes a worker's matches as the JSON body, as c.JSON would.
func WriteMatches(c *gin.Context, code int, l JobMatchList) {
	bp := libraryBuffers.Get().(*[]byte)
	b := l.AppendJSON((*bp)[:0])
	c.Data(code, "application/json; charset=utf-8", b)
	if cap(b) <= 1<<20 {
		*bp = b
		libraryBuffers.Put(bp)
	}
}

// AppendJSON appends l as json.Marshal writes it.
func (l JobMatchList) AppendJSON(b []byte) []byte {
	b = append(b, `{"items":`...)
	b = appendMatchViews(b, l.Items)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(l.Total), 10)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(l.Page), 10)
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(l.PerPage), 10)
	b = append(b, `,"near_misses":`...)
	b = appendMatchViews(b, l.NearMisses)
	return append(b, '}')
}

func appendMatchViews(b []byte, vs []JobMatchView) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		v := &vs[i]
		b = append(b, `{"job":`...)
		b = appendJobSummary(b, &v.Job.JobSummary)
		b = appendLabels(b, v.Job.WageLabel, v.Job.SettlementLabel)
		b = append(b, `,"distance_km":`...)
		b = appendFloat(b, v.DistanceKm)
		b = append(b, `,"score":`...)
		b = appendFloat(b, v.Score)
		b = append(b, `,"reasons":`...)
		b = appendStrings(b, v.Reasons)
		if len(v.Missing) > 0 {
			b = append(b, `,"missing":`...)
			b = appendStrings(b, v.Missing)
		}
		b = append(b, `,"applied":`...)
		b = strconv.AppendBool(b, v.Applied)
		b = append(b, '}')
	}
	return append(b, ']')
}
