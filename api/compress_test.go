package api

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"

	"lingong/domain"
)

func TestNegotiateEncoding(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"gzip, deflate", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0", ""},
		{"GZIP;Q=0.5", "gzip"},
		{"*", "br"},
		{"br;q=0, *", "gzip"},
		{"deflate", ""},
	} {
		if got := negotiateEncoding(tc.header); got != tc.want {
			t.Errorf("Accept-Encoding %q: %q, want %q", tc.header, got, tc.want)
		}
	}
}

// fetchEncoded gets path with the given Accept-Encoding (none when empty), without the client's own
// transparent decompression, and returns the answer's Content-Encoding, the bytes on the wire and the
// body decoded.
func (env *testEnv) fetchEncoded(path, accept string) (encoding string, wire int, body []byte) {
	env.t.Helper()
	req, err := http.NewRequest("GET", env.http.URL+path, nil)
	if err != nil {
		env.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		env.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		env.t.Errorf("GET %s: Vary %q does not name Accept-Encoding (a cache would serve gzip to a client that cannot read it)", path, resp.Header.Get("Vary"))
	}
	encoding = resp.Header.Get("Content-Encoding")
	var r io.Reader = bytes.NewReader(raw)
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			env.t.Fatalf("GET %s: gzip: %v", path, err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	body, err = io.ReadAll(r)
	if err != nil {
		env.t.Fatalf("GET %s: decoding %s: %v", path, encoding, err)
	}
	return encoding, len(raw), body
}

// Text is compressed for a client that accepts it (brotli first, else gzip) and decodes to the same
// bytes; images and PDFs, tiny answers and a client that refuses every coding get the body as it is.
func TestResponsesAreCompressedWhenTheClientAcceptsIt(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		for _, path := range []string{"/jobs", "/r/ZN-S03", "/static/app.css", "/static/console.css", "/api/openapi.yaml", "/api/v1/stations", "/api/docs"} {
			enc, plainWire, plain := env.fetchEncoded(path, "")
			if enc != "" {
				t.Errorf("GET %s without Accept-Encoding came %s", path, enc)
			}
			for _, tc := range []struct{ accept, want string }{{"gzip, deflate", "gzip"}, {"gzip, deflate, br", "br"}} {
				got, wire, body := env.fetchEncoded(path, tc.accept)
				if got != tc.want {
					t.Errorf("GET %s with %q: Content-Encoding %q, want %q", path, tc.accept, got, tc.want)
					continue
				}
				if !bytes.Equal(body, plain) {
					t.Errorf("GET %s with %s decodes to %d bytes, not the %d of the plain answer", path, got, len(body), len(plain))
				}
				if wire >= plainWire || (plainWire > 4096 && wire*2 > plainWire) {
					t.Errorf("GET %s with %s: %d bytes on the wire for %d plain (a page over 4 KB should lose more than half)", path, got, wire, plainWire)
				}
				t.Logf("%-22s %6d bytes plain, %6d %s", path, plainWire, wire, got)
			}
		}
		for _, path := range []string{"/api/v1/stations/ZN-S03/qrcode.png", "/api/v1/stations/ZN-S03/poster.pdf", "/healthz"} {
			if enc, _, _ := env.fetchEncoded(path, "gzip, deflate, br"); enc != "" {
				t.Errorf("GET %s came %s: images, PDFs and tiny answers go as they are", path, enc)
			}
		}
		if enc, _, _ := env.fetchEncoded("/jobs", "gzip;q=0, br;q=0"); enc != "" {
			t.Errorf("a client refusing gzip and br got %s", enc)
		}
	})
}

// A compressed body short enough to hold back leaves in one piece with its Content-Length; a long one, or
// one its handler flushes, streams (chunked). Either way it decodes to what the handler wrote, with
// Vary and Content-Encoding set, and a body under the threshold goes as it is.
func TestCompressedBodiesKeepTheirLengthOrStream(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	// short compresses to ~6 KB: more than net/http buffers before it falls back to chunks, less than
	// compressWriter holds back; long compresses to ~300 KB.
	short := append([]byte(`{"x":"`), hex.EncodeToString(randomBytes(t, 6<<10))+`"}`...)
	long := []byte(base64.StdEncoding.EncodeToString(randomBytes(t, 300<<10)))
	released := make(chan bool, 1)
	release := make(chan struct{})
	r := gin.New()
	r.Use(compress)
	r.GET("/short", func(c *gin.Context) { c.Data(200, "application/json", short) })
	r.GET("/pieces", func(c *gin.Context) {
		c.Header("Content-Type", "application/json")
		for i := 0; i < len(short); i += 100 {
			c.Writer.Write(short[i:min(i+100, len(short))])
		}
	})
	r.GET("/long", func(c *gin.Context) { c.Data(200, "text/plain", long) })
	r.GET("/flushed", func(c *gin.Context) {
		c.Header("Content-Type", "text/csv")
		c.Writer.Write(short[:5000])
		c.Writer.Flush()
		select { // the client reads the flushed part while the handler waits
		case <-release:
			released <- true
		case <-time.After(10 * time.Second):
			released <- false
		}
		c.Writer.Write(short[5000:])
	})
	r.GET("/tiny", func(c *gin.Context) { c.Data(200, "application/json", short[:500]) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, tc := range []struct {
		path, accept, enc string
		want              []byte
		length            bool // a Content-Length, not chunked
	}{
		{"/short", "gzip", "gzip", short, true},
		{"/short", "br", "br", short, true},
		{"/pieces", "gzip", "gzip", short, true},
		{"/long", "gzip", "gzip", long, false},
		{"/flushed", "gzip", "gzip", short, false},
		{"/tiny", "gzip", "", short[:500], true},
		{"/short", "", "", short, false},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		name := tc.path + " " + tc.accept
		var wire []byte
		if tc.path == "/flushed" {
			var seen bytes.Buffer
			zr, err := gzip.NewReader(io.TeeReader(resp.Body, &seen))
			if err != nil {
				t.Fatal(err)
			}
			first := make([]byte, 5000)
			if _, err := io.ReadFull(zr, first); err != nil || !bytes.Equal(first, short[:5000]) {
				t.Errorf("%s: the flushed part: %v", name, err)
			}
			close(release)
			if !<-released {
				t.Errorf("%s: the flushed part did not reach the client before the handler went on", name)
			}
			rest, _ := io.ReadAll(resp.Body)
			wire = append(seen.Bytes(), rest...)
		} else {
			wire, _ = io.ReadAll(resp.Body)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Encoding"); got != tc.enc {
			t.Errorf("%s: Content-Encoding %q, want %q", name, got, tc.enc)
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", name, resp.Header.Get("Vary"))
		}
		if tc.length && resp.ContentLength != int64(len(wire)) {
			t.Errorf("%s: Content-Length %d for %d bytes on the wire", name, resp.ContentLength, len(wire))
		}
		if !tc.length && tc.enc != "" && resp.ContentLength != -1 {
			t.Errorf("%s: Content-Length %d, want a streamed (chunked) body", name, resp.ContentLength)
		}
		body := wire
		switch tc.enc {
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(wire))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			body, err = io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		case "br":
			body, _ = io.ReadAll(brotli.NewReader(bytes.NewReader(wire)))
		}
		if !bytes.Equal(body, tc.want) {
			t.Errorf("%s: decodes to %d bytes, want the %d written", name, len(body), len(tc.want))
		}
	}
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}
