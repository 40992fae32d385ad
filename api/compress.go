package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"
)

// Responses in text (pages, CSS, scripts, JSON, the OpenAPI YAML, CSV) are compressed when the client
// says it can read brotli or gzip: a worker's phone on a weak rural network gets the /jobs page in about
// a fifth of the bytes. PDFs and PNGs are compressed already and pass through untouched, and so does a
// response a handler encoded itself (the metrics exporter gzips on its own). Bodies under
// minCompressBytes are sent as they are: a redirect or a small JSON answer would grow.

const minCompressBytes = 1024

// Levels chosen for speed on two shared cores: brotli 5 and gzip 6 take well under a millisecond for a
// 40 KB page and get most of what the highest levels would.
// JSON answers, which the API's clients ask for with gzip and which the busiest routes (the library,
// a worker's matches) send thousands of times a second, use gzip's fastest level: about a third of level
// 6's CPU for a 12 KB list, for a body a few hundred bytes longer (docs/performance.md). The encoder
// is klauspost/compress's gzip, a drop-in for compress/gzip with the same format and levels and much
// less CPU: what gzip adds to an in-process library search fell from 113 to 51 µs (issue 24, round 3).
const (
	brotliLevel   = 5
	gzipLevel     = 6
	gzipJSONLevel = gzip.BestSpeed
)

var (
	gzipPool     = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel); return w }}
	gzipJSONPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzipJSONLevel); return w }}
	brotliPool   = sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, brotliLevel) }}
)

// compressible reports whether a response of this content type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch mt {
	case "text/html", "text/css", "text/javascript", "text/plain", "text/csv", "text/yaml",
		"application/json", "application/problem+json", "application/yaml", "application/x-yaml",
		"application/javascript", "image/svg+xml":
		return true
	}
	return false
}

// negotiateEncoding picks the response encoding from Accept-Encoding: brotli when accepted, else gzip,
// else none. A coding with q=0 is refused; "*" stands for either.
func negotiateEncoding(header string) string {
	accepts := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		ok := true
		for _, p := range strings.Split(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q <= 0 {
					ok = false
				}
			}
		}
		if name != "" {
			accepts[name] = ok
		}
	}
	for _, enc := range []string{"br", "gzip"} {
		if ok, named := accepts[enc]; named {
			if ok {
				return enc
			}
			continue
		}
		if accepts["*"] {
			return enc
		}
	}
	return ""
}

var varyEncoding = []string{"Accept-Encoding"}

// compress is the frame's compression middleware.
func compress(c *gin.Context) {
	if h := c.Writer.Header(); h["Vary"] == nil {
		h["Vary"] = varyEncoding // shared, as securityHeaders' values
	} else {
		h.Add("Vary", "Accept-Encoding")
	}
	enc := negotiateEncoding(c.GetHeader("Accept-Encoding"))
	if enc == "" || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	w := &compressWriter{ResponseWriter: c.Writer, enc: enc}
	c.Writer = w
	c.Next()
	w.finish()
}

// compressWriter holds the start of a body until it knows whether to compress it: the content type
// must be text, no other encoding set, and the body at least minCompressBytes long. The compressed
// bytes are kept too, up to maxHeldCompressed, and sent in one write with their Content-Length when the
// handler is done, rather than as the compressor's many small writes, which net/http sends as chunks once
// they pass its 2 KB buffer (a worker's matches, 3 KB compressed). A longer body, or one the handler
// flushes, streams as it is compressed.
type compressWriter struct {
	gin.ResponseWriter
	enc     string
	held    []byte
	decided bool           // passing through, or compressing into out
	out     io.WriteCloser // the compressor, once compressing; it writes to sink
	json    bool           // gzip at gzipJSONLevel (from gzipJSONPool)
	packed  *[]byte        // compressed bytes not yet sent (from packedPool), nil once streaming
}

// maxHeldCompressed bounds the compressed bytes held back for one write: a long CSV streams.
const maxHeldCompressed = 64 << 10

var packedPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

func (w *compressWriter) Write(p []byte) (int, error) {
	if w.decided {
		if w.out != nil {
			return w.out.Write(p)
		}
		return w.ResponseWriter.Write(p)
	}
	h := w.Header()
	if h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) || !bodyAllowed(w.Status()) {
		w.decided = true
		return w.ResponseWriter.Write(p)
	}
	if len(w.held) == 0 && len(p) >= minCompressBytes { // a whole body in one write: compress it as it is
		if err := w.startCompressing(); err != nil {
			return 0, err
		}
		return w.out.Write(p)
	}
	w.held = append(w.held, p...)
	if len(w.held) >= minCompressBytes {
		if err := w.startCompressing(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (w *compressWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// Written counts a held body as written, so that a panic's error page is not appended to it.
func (w *compressWriter) Written() bool {
	return len(w.held) > 0 || w.out != nil || w.ResponseWriter.Written()
}

// Flush sends what is held (compressed) to the client, and streams from then on.
func (w *compressWriter) Flush() {
	if !w.decided && len(w.held) > 0 {
		if err := w.startCompressing(); err != nil {
			return
		}
	}
	if f, ok := w.out.(interface{ Flush() error }); ok {
		f.Flush()
	}
	w.stream()
	w.ResponseWriter.Flush()
}

// compressedSink receives the compressor's output: held back while it is short, then streamed.
type compressedSink struct{ w *compressWriter }

func (s compressedSink) Write(p []byte) (int, error) {
	w := s.w
	if w.packed == nil {
		return w.ResponseWriter.Write(p)
	}
	if len(*w.packed)+len(p) > maxHeldCompressed {
		if err := w.stream(); err != nil {
			return 0, err
		}
		return w.ResponseWriter.Write(p)
	}
	*w.packed = append(*w.packed, p...)
	return len(p), nil
}

// stream sends the compressed bytes held back (without a Content-Length) and stops holding.
func (w *compressWriter) stream() error {
	if w.packed == nil {
		return nil
	}
	b := w.packed
	w.packed = nil
	defer putPacked(b)
	_, err := w.ResponseWriter.Write(*b)
	return err
}

func putPacked(b *[]byte) {
	if cap(*b) <= maxHeldCompressed*2 {
		*b = (*b)[:0]
		packedPool.Put(b)
	}
}

func (w *compressWriter) startCompressing() error {
	w.decided = true
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", w.enc)
	w.packed = packedPool.Get().(*[]byte)
	sink := compressedSink{w}
	if w.enc == "br" {
		bw := brotliPool.Get().(*brotli.Writer)
		bw.Reset(sink)
		w.out = bw
	} else {
		w.json = isJSON(h.Get("Content-Type"))
		pool := &gzipPool
		if w.json {
			pool = &gzipJSONPool
		}
		gw := pool.Get().(*gzip.Writer)
		gw.Reset(sink)
		w.out = gw
	}
	held := w.held
	w.held = nil
	if len(held) == 0 {
		return nil
	}
	_, err := w.out.Write(held)
	return err
}

// finish ends the body: a short one goes out as it is, a compressed one gets its trailer and, when it
// was held back whole, its length.
func (w *compressWriter) finish() {
	if !w.decided {
		w.decided = true
		if len(w.held) > 0 {
			w.ResponseWriter.Write(w.held)
			w.held = nil
		}
		return
	}
	if w.out == nil {
		return
	}
	w.out.Close()
	if w.packed != nil {
		if !w.ResponseWriter.Written() {
			w.Header().Set("Content-Length", strconv.Itoa(len(*w.packed)))
		}
		w.stream()
	}
	switch zw := w.out.(type) {
	case *brotli.Writer:
		zw.Reset(io.Discard)
		brotliPool.Put(zw)
	case *gzip.Writer:
		zw.Reset(io.Discard)
		if w.json {
			gzipJSONPool.Put(zw)
		} else {
			gzipPool.Put(zw)
		}
	}
	w.out = nil
}

// bodyAllowed reports whether a status may carry a body at all.
func bodyAllowed(status int) bool {
	return !(status >= 100 && status < 200) && status != http.StatusNoContent && status != http.StatusNotModified
}
