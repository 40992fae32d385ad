package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// IdempotencyHeader is the request header that makes a POST safe to retry (Stripe's name and semantics).
const IdempotencyHeader = "Idempotency-Key"

// replayedHeader marks a response that was replayed from an earlier request with the same key.
const replayedHeader = "Idempotent-Replayed"

// maxIdempotencyKey bounds the key (Stripe allows 255 characters; a UUID needs 36).
const maxIdempotencyKey = 255

// operation is the work of a write endpoint: it returns the status and the value to render as JSON.
// Under an Idempotency-Key it runs inside the key's transaction: store calls made with ctx join it.
type operation func(ctx context.Context) (status int, value any, err error)

// respondIdempotent runs op and writes its response. With an Idempotency-Key header the layer of
// store.Idempotent applies: the first request with a key runs op and its response is kept (at least
// 24 h); a retry with the same key and the same request gets that response again (with the header
// Idempotent-Replayed: true) and runs nothing; the same key with a different request is refused with 422.
// An op that fails records nothing, so the client may retry it with the same key. The after-effects of
// the use cases op calls (an SMS, the index) run once, after the commit (app.Service.Once).
//
// The request is identified by method, path and body; the body is compared as canonical JSON, so a
// client that re-serialises its retry with its keys in another order still matches. The layer is not
// tied to gigs: any POST that must not happen twice (ledger entries) wraps its work the same way.
func (s *Server) respondIdempotent(c *gin.Context, body []byte, op operation) {
	key := c.GetHeader(IdempotencyHeader)
	if key == "" {
		status, value, err := op(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(status, value)
		return
	}
	if err := checkIdempotencyKey(key); err != nil {
		s.fail(c, err)
		return
	}
	p := principal(c)
	scope := fmt.Sprintf("%s:%d", p.ActorKind(), p.ID)
	status, out, replayed, err := s.app.Once(c.Request.Context(), scope, key, requestHash(c.Request.Method, c.Request.URL.Path, body),
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
		s.fail(c, err)
		return
	}
	if replayed {
		c.Header(replayedHeader, "true")
	}
	c.Data(status, "application/json; charset=utf-8", out)
}

// checkIdempotencyKey accepts 1–255 printable ASCII characters (a UUID, a ULID, an order number).
func checkIdempotencyKey(key string) error {
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

// requestHash identifies a request for the idempotency check: SHA-256 over method, path and the body as
// canonical JSON (or the raw bytes when the body is not JSON, which the decoder refuses anyway).
func requestHash(method, path string, body []byte) string {
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

// readBody reads the whole request body (bounded by the 1 MiB limit of the middleware).
func readBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if isBodyTooLarge(err) {
			return nil, errBodyTooBig
		}
		return nil, errNotJSONBody
	}
	return body, nil
}

// created is the status of a POST that made something; named so handlers read as prose.
const created = http.StatusCreated
