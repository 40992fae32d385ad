// Package spectest checks the service's answers against its API document (api/v1/openapi.yaml) for the
// tests of every package that talks to the service: the status must be documented for the operation,
// the content type must be one the document names, a JSON body must match the documented schema, and
// every field sent must be declared there. So a drift between the server and the document fails the
// test that saw it, and a client generated from the document can trust it.
package spectest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	v1 "lingong/api/v1"
)

// Check validates one answer to method path (path may carry a query). Paths the document does not
// describe (an unknown URL, answered 404) are not checked: the route-coverage test keeps every route
// documented.
func Check(method, path string, status int, header http.Header, body []byte) error {
	doc, err := v1.Spec()
	if err != nil {
		return err
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil
	}
	route, params := findRoute(doc, method, u.Path)
	if route == nil {
		return nil
	}
	where := fmt.Sprintf("%s %s answered %d", method, u.Path, status)
	if body, err = decoded(header.Get("Content-Encoding"), body); err != nil {
		return fmt.Errorf("%s: %v", where, err)
	}
	if ok, err := writeRuleAnswer(method, u.Path, status, body); ok {
		if err != nil {
			return fmt.Errorf("%s: %v", where, err)
		}
		return nil
	}
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		return err
	}
	ct := header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	isJSON := mt == "application/json"
	opts := &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: !isJSON,
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s (operation %s): %v\nbody: %.400s", where, route.Operation.OperationID, err, body)
	}
	resp := route.Operation.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return nil // redirects and the like, which the validator does not look at
	}
	if len(resp.Value.Content) > 0 && len(body) > 0 && !isJSON && resp.Value.Content.Get(ct) == nil {
		return fmt.Errorf("%s (operation %s): content type %q is not documented for this status", where, route.Operation.OperationID, ct)
	}
	if !isJSON || len(body) == 0 {
		return nil
	}
	media := resp.Value.Content.Get(ct)
	if media == nil || media.Schema == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s: not JSON: %v", where, err)
	}
	if extra := undeclared(media.Schema, v, "$"); len(extra) > 0 {
		return fmt.Errorf("%s (operation %s): fields sent but not declared in openapi.yaml: %s", where, route.Operation.OperationID, strings.Join(extra, ", "))
	}
	return nil
}

// decoded undoes the compression the server applied (api/compress.go).
func decoded(encoding string, body []byte) ([]byte, error) {
	switch encoding {
	case "":
		return body, nil
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %v", err)
		}
		return io.ReadAll(r)
	case "br":
		return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	}
	return nil, fmt.Errorf("unknown Content-Encoding %q", encoding)
}

// undeclared lists the fields of v that its schema does not declare. Objects whose schema declares no
// properties at all (a free-form map) are not looked into.
func undeclared(ref *openapi3.SchemaRef, v any, at string) []string {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	switch x := v.(type) {
	case map[string]any:
		props := map[string]*openapi3.SchemaRef{}
		collect(ref, props)
		if len(props) == 0 {
			if ap := s.AdditionalProperties.Schema; ap != nil {
				var out []string
				for k, e := range x {
					out = append(out, undeclared(ap, e, at+"."+k)...)
				}
				sort.Strings(out)
				return out
			}
			return nil
		}
		var out []string
		for k, e := range x {
			p, ok := props[k]
			if !ok {
				out = append(out, at+"."+k)
				continue
			}
			out = append(out, undeclared(p, e, at+"."+k)...)
		}
		sort.Strings(out)
		return out
	case []any:
		var out []string
		for i, e := range x {
			out = append(out, undeclared(s.Items, e, fmt.Sprintf("%s[%d]", at, i))...)
			if len(out) > 0 {
				return out // one bad item says enough
			}
		}
		return out
	}
	return nil
}

// collect gathers the declared properties of a schema and its allOf parts (and of a oneOf/anyOf
// alternative, where any of them may declare the field).
func collect(ref *openapi3.SchemaRef, props map[string]*openapi3.SchemaRef) {
	if ref == nil || ref.Value == nil {
		return
	}
	for _, parts := range [][]*openapi3.SchemaRef{ref.Value.AllOf, ref.Value.OneOf, ref.Value.AnyOf} {
		for _, p := range parts {
			collect(p, props)
		}
	}
	for n, p := range ref.Value.Properties {
		props[n] = p
	}
}

// findRoute finds the documented operation of a request path: a path whose literal segments all match,
// preferring the one with the most literal segments (/api/v1/workers/me over /api/v1/workers/{id}).
func findRoute(doc *openapi3.T, method, path string) (*routers.Route, map[string]string) {
	segs := strings.Split(path, "/")
	var best *routers.Route
	var bestParams map[string]string
	bestLiterals := -1
	for _, p := range doc.Paths.Keys() {
		tsegs := strings.Split(p, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		params, literals, ok := map[string]string{}, 0, true
		for i, ts := range tsegs {
			if strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[ts[1:len(ts)-1]], _ = url.PathUnescape(segs[i])
				continue
			}
			if ts != segs[i] {
				ok = false
				break
			}
			literals++
		}
		if !ok || literals <= bestLiterals {
			continue
		}
		item := doc.Paths.Value(p)
		op := item.GetOperation(method)
		if op == nil {
			continue
		}
		best = &routers.Route{Spec: doc, Path: p, PathItem: item, Method: method, Operation: op}
		bestParams, bestLiterals = params, literals
	}
	return best, bestParams
}

// Handler wraps h so that every answer it gives is checked; a violation fails t (t.Errorf, so the test
// goes on and reports every one).
func Handler(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		if err := Check(r.Method, r.URL.RequestURI(), rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("the answer breaks api/v1/openapi.yaml: %v", err)
		}
	})
}

// Transport wraps base (http.DefaultTransport when nil) so that every answer a client receives is
// checked; report gets each violation. For tests that talk to a running server.
func Transport(base http.RoundTripper, report func(error)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return checking{base, report}
}

type checking struct {
	base   http.RoundTripper
	report func(error)
}

func (c checking) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil // the caller sees the short body; nothing to check
	}
	if cerr := Check(req.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header, body); cerr != nil {
		c.report(cerr)
	}
	return resp, nil
}

// writeRuleAnswer recognises the two answers every write operation of the JSON API may give, documented
// once for all in the document's description rather than under each operation (api/apiwrites.go): 415
// unsupported_media_type for a body that is not JSON, and 403 on X-CSRF-Token for a write authenticated
// by the session cookie without the session's token. ok reports whether the answer is one of them; err
// whether its body is not the standard error it must be.
func writeRuleAnswer(method, path string, status int, body []byte) (ok bool, err error) {
	if !strings.HasPrefix(path, "/api/") || method == http.MethodGet || method == http.MethodHead {
		return false, nil
	}
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	switch {
	case status == http.StatusUnsupportedMediaType:
		if json.Unmarshal(body, &e) != nil || e.Error.Code != "unsupported_media_type" || e.Error.Message == "" {
			return true, fmt.Errorf("a 415 must be the error body with code unsupported_media_type: %.200s", body)
		}
		return true, nil
	case status == http.StatusForbidden:
		if json.Unmarshal(body, &e) == nil && e.Error.Field == "X-CSRF-Token" && e.Error.Code == "forbidden" {
			return true, nil
		}
	}
	return false, nil
}
