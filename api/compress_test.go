package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

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
