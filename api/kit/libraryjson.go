package kit

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"lingong/matching"
)

// The library's answer written by hand. encoding/json walks the twenty hits of a page by reflection, a
// fifth of a search request's CPU under load (docs/performance.md, issue 24); the library is the hottest
// read, so its answer is appended field by field instead. The bytes are exactly encoding/json's (HTML
// escaped, as json.Encoder writes by default): TestLibraryJSONIsEncodingJSON holds them to it on every
// query of the benchmark market, so a field added to JobSummary or LibraryHit and not here fails it.

var libraryBuffers = sync.Pool{New: func() any { return new([]byte) }}

// WriteLibrary writes a library page as the JSON body, as StreamJSON would, with its Content-Length: a
// body of known length leaves without chunked framing, in one system call fewer (the compression
// middleware drops the length when it compresses). It takes r: the caller must not use r afterwards, as
// its page of hits goes back to be reused.
func WriteLibrary(c *gin.Context, code int, r LibraryResult) {
	defer r.release()
	bp := libraryBuffers.Get().(*[]byte)
	b := r.AppendJSON((*bp)[:0])
	b = append(b, '\n') // json.Encoder ends its value with a newline
	c.Header("Content-Length", strconv.Itoa(len(b)))
	c.Data(code, "application/json; charset=utf-8", b)
	if cap(b) <= 1<<20 { // a page of 100 long hits is ~100 KB; keep no outlier
		*bp = b
		libraryBuffers.Put(bp)
	}
}

// release gives r's page of hits back to libraryItems, emptied so that it holds no gig's strings.
func (r *LibraryResult) release() {
	if r.items == nil || cap(r.Items) > 100 { // per_page ≤ 100; keep no outlier
		return
	}
	*r.items = r.Items[:0]
	clear(r.Items[:cap(r.Items)])
	libraryItems.Put(r.items)
	r.items, r.Items = nil, nil
}

// AppendJSON appends r as json.Marshal writes it.
func (r LibraryResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"items":`...)
	if r.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Items {
			if i > 0 {
				b = append(b, ',')
			}
			var m *matching.Memo
			if i < len(r.memos) {
				m = r.memos[i]
			}
			b = r.Items[i].appendJSON(b, m)
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(r.Total), 10)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(r.Page), 10)
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(r.PerPage), 10)
	b = append(b, `,"reading":`...)
	reading, err := json.Marshal(r.Reading) // a few short fields, once a page
	if err != nil {
		panic(err) // strings, an integer and booleans always encode
	}
	b = append(b, reading...)
	return append(b, '}')
}

// hitJSON is a hit's JSON but for its score, which the query decides: what precedes and what follows it;
// and the hit's labels, which Search takes from here rather than format again.
type hitJSON struct {
	head, tail                 []byte
	wageLabel, settlementLabel string
}

// appendJSON appends h; m, when not nil, is the memo of the gig's version h was made from, which keeps
// the gig's part of the JSON for the next answer that holds it.
func (h *LibraryHit) appendJSON(b []byte, m *matching.Memo) []byte {
	var f *hitJSON
	if m != nil {
		f, _ = m.Load().(*hitJSON)
	}
	if f == nil {
		f = &hitJSON{head: h.appendHead(nil), tail: h.appendTail(nil), wageLabel: h.WageLabel, settlementLabel: h.SettlementLabel}
		if m != nil {
			m.Store(f)
		}
	}
	b = append(b, f.head...)
	b = append(b, `,"score":`...)
	b = appendFloat(b, h.Score)
	return append(b, f.tail...)
}

func (h *LibraryHit) appendHead(b []byte) []byte { return appendJobSummary(b, &h.JobSummary) }

// appendJobSummary appends s's fields as json.Marshal writes them, opening the object it is embedded in.
func appendJobSummary(b []byte, s *matching.JobSummary) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, s.ID, 10)
	b = appendField(b, "title", s.Title)
	b = appendField(b, "employer_name", s.EmployerName)
	b = append(b, `,"employer_verified":`...)
	b = strconv.AppendBool(b, s.EmployerVerified)
	b = appendField(b, "station_code", s.StationCode)
	b = appendField(b, "district", s.District)
	b = appendField(b, "town", s.Town)
	b = append(b, `,"lat":`...)
	b = appendFloat(b, s.Lat)
	b = append(b, `,"lng":`...)
	b = appendFloat(b, s.Lng)
	b = append(b, `,"wage_fen":`...)
	b = strconv.AppendInt(b, s.WageFen, 10)
	b = appendField(b, "wage_unit", string(s.WageUnit))
	if s.PieceUnit != "" {
		b = appendField(b, "piece_unit", s.PieceUnit)
	}
	b = appendField(b, "settlement", string(s.Settlement))
	b = appendField(b, "start_date", string(s.StartDate))
	b = appendField(b, "end_date", string(s.EndDate))
	b = append(b, `,"headcount":`...)
	b = strconv.AppendInt(b, int64(s.Headcount), 10)
	b = append(b, `,"remaining":`...)
	b = strconv.AppendInt(b, int64(s.Remaining), 10)
	b = append(b, `,"skills":`...)
	b = appendStrings(b, s.Skills)
	b = append(b, `,"inferred_skills":`...)
	b = appendStrings(b, s.InferredSkills)
	b = append(b, `,"required_certs":`...)
	b = appendStrings(b, s.RequiredCerts)
	b = append(b, `,"created_at":`...)
	t, err := s.CreatedAt.MarshalJSON()
	if err != nil {
		panic(err) // a year outside 0–9999: the database never holds one
	}
	b = append(b, t...)
	if s.BelowMinimumWage {
		b = append(b, `,"below_minimum_wage":true`...)
	}
	return b
}

func (h *LibraryHit) appendTail(b []byte) []byte {
	return appendLabels(b, h.WageLabel, h.SettlementLabel)
}

// appendLabels appends the labels a phone shows of a gig and closes the gig's object.
func appendLabels(b []byte, wage, settlement string) []byte {
	b = appendField(b, "wage_label", wage)
	b = appendField(b, "settlement_label", settlement)
	return append(b, '}')
}

// appendField appends ,"name":"value".
func appendField(b []byte, name, value string) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return appendString(b, value)
}

func appendStrings(b []byte, xs []string) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, x)
	}
	return append(b, ']')
}

// appendString quotes s as encoding/json does. A string needing no escape (the Chinese text of a gig
// almost always) is copied; any other goes through encoding/json, so the rules stay its own: control
// characters, quotes, backslashes and <>& escaped, U+2028 and U+2029 escaped, invalid UTF-8 replaced.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendQuoted(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendQuoted(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendQuoted(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// appendFloat writes f as encoding/json writes a float64 (its floatEncoder): the shortest form, with an
// exponent only below 1e-6 or from 1e21, written e-7 rather than e-07.
func appendFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		panic("kit: a library figure is not a number") // encoding/json fails too; no score or place is one
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
