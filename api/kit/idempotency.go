package kit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// IdempotencyHeader is the request header that makes a POST safe to retry (Stripe's name and semantics).
const IdempotencyHeader = "Idempotency-Key"

// ReplayedHeader marks a response that was replayed from an earlier request with the same key.
const ReplayedHeader = "Idempotent-Replayed"

// maxIdempotencyKey bounds the key (Stripe allows 255 characters; a UUID needs 36).
const maxIdempotencyKey = 255

// Operation is the work of a write endpoint: it returns the status and the value to render as JSON.
// Under an Idempotency-Key it runs inside the key's transaction: store calls made with ctx join it.
type Operation func(ctx context.Context) (status int, value any, err error)

// OnceFunc runs fn at most once per (scope, key) and records its answer (app.Service.Once).
type OnceFunc func(ctx context.Context, scope, key, requestHash string,
	fn func(ctx context.Context) (int, []byte, error)) (status int, body []byte, replayed bool, err error)

// Idempotency is the Idempotency-Key layer of the write endpoints.
type Idempotency struct {
	Funnel *Funnel
	Once   OnceFunc
}

// Respond runs op and writes its response. With an Idempotency-Key header the layer of
// store.Idempotent applies: the first request with a key runs op and its response is kept (at least
// 24 h); a retry with the same key and the same request gets that response again (with the header
// Idempotent-Replayed: true) and runs nothing; the same key with a different request is refused with 422.
// An op that fails records nothing, so the client may retry it with the same key. The after-effects of
// the use cases op calls (an SMS, the index) run once, after the commit (app.Service.Once).
//
// The request is identified by method, path and body; the body is compared as canonical JSON, so a
// client that re-serialises its retry with its keys in another order still matches. The layer is not
// tied to gigs: any POST that must not happen twice (ledger entries) wraps its work the same way.
func (l Idempotency) Respond(c *gin.Context, body []byte, op Operation) {
	key := c.GetHeader(IdempotencyHeader)
	if key == "" {
		status, value, err := op(c.Request.Context())
		if err != nil {
			l.Funnel.Fail(c, err)
			return
		}
		c.JSON(status, value)
		return
	}
	if err := CheckIdempotencyKey(key); err != nil {
		l.Funnel.Fail(c, err)
		return
	}
	p := Principal(c)
	scope := fmt.Sprintf("%s:%d", p.ActorKind(), p.ID)
	status, out, replayed, err := l.Once(c.Request.Context(), scope, key, RequestHash(c.Request.Method, c.Request.URL.Path, body),
		func(ctx context.Context) (int, []byte, error) {
			status, value, err := op(ctx)
			if err != nil {
				return 0, nil, err
			}
			b, err := json.Marshal(value)
			if err != nil {
				return 0, nil, domain.Internal(fmt.Errorf("encode response: %w", err))
			}
			return status, b, nil
		})
	if err != nil {
		l.Funnel.Fail(c, err)
		return
	}
	if replayed {
		c.Header(ReplayedHeader, "true")
	}
	c.Data(status, "application/json; charset=utf-8", out)
}

// CheckIdempotencyKey accepts 1–255 printable ASCII characters (a UUID, a ULID, an order number).
func CheckIdempotencyKey(key string) error {
	if len(key) > maxIdempotencyKey {
		return domain.Invalidf(IdempotencyHeader, "Idempotency-Key 最长 %d 个字符", maxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return domain.Invalid(IdempotencyHeader, "Idempotency-Key 只能由可见的 ASCII 字符组成（建议用 UUID）")
		}
	}
	return nil
}

// RequestHash identifies a request for the idempotency check: SHA-256 over method, path and the body as
// canonical JSON (or the raw bytes when the body is not JSON, which the decoder refuses anyway).
func RequestHash(method, path string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", method, path)
	h.Write(canonicalJSON(body))
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON re-encodes a JSON document with sorted object keys and no insignificant space; numbers
// keep their exact text.
func canonicalJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return b
}

// ReadBody reads the whole request body (bounded by the 1 MiB limit of the middleware).
func ReadBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if IsBodyTooLarge(err) {
			return nil, ErrBodyTooBig
		}
		return nil, ErrNotJSONBody
	}
	return body, nil
}

// created is the status of a POST that made something; named so handlers read as prose.
// Created is the status of a write that made something.
const Created = http.StatusCreated

// Form runs op at most once per form key (the form's "idem" field, rendered with the page), scoped to
// the caller, and returns op's value as JSON (replayed for a double click or a browser resubmit). A form
// without a key runs op directly. The form's fields are the request (the CSRF token excluded).
func (l Idempotency) Form(c *gin.Context, op func(ctx context.Context) (any, error)) (out []byte, replayed bool, err error) {
	key := c.PostForm("idem")
	if key == "" {
		v, err := op(c.Request.Context())
		if err != nil {
			return nil, false, err
		}
		b, _ := json.Marshal(v)
		return b, false, nil
	}
	if err := CheckIdempotencyKey(key); err != nil {
		return nil, false, err
	}
	p := Principal(c)
	form := c.Request.PostForm
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", c.Request.Method, c.Request.URL.Path)
	keys := make([]string, 0, len(form))
	for k := range form {
		if k != CSRFField {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%q\n", k, form[k])
	}
	_, out, replayed, err = l.Once(c.Request.Context(), fmt.Sprintf("%s:%d", p.ActorKind(), p.ID), "console:"+key,
		hex.EncodeToString(h.Sum(nil)), func(ctx context.Context) (int, []byte, error) {
			v, err := op(ctx)
			if err != nil {
				return 0, nil, err
			}
			b, err := json.Marshal(v)
			if err != nil {
				return 0, nil, domain.Internal(err)
			}
			return http.StatusCreated, b, nil
		})
	return out, replayed, err
}
