package kit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// DecodeJSON reads the request body into dst strictly: valid UTF-8 (Go's decoder would silently turn
// bad bytes into U+FFFD), exactly one JSON object, no field that dst does not declare, no key twice and
// no key in another case than dst declares it (checkKeys). Request
// structs are never database rows, so an extra field such as "status" or "employer_id" is refused
// instead of quietly assigned.
func DecodeJSON(c *gin.Context, dst any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if IsBodyTooLarge(err) {
			return ErrBodyTooBig
		}
		return ErrNotJSONBody
	}
	return DecodeJSONBytes(body, dst)
}

// DecodeJSONBytes is DecodeJSON on a body already read (the idempotency layer hashes it first).
func DecodeJSONBytes(body []byte, dst any) error {
	if !utf8.Valid(body) {
		return ErrBadUTF8
	}
	if bytes.IndexByte(body, 0) >= 0 {
		return domain.Invalid("body", "提交的内容包含无效字符")
	}
	if err := checkKeys(body, dst); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, dst)
	}
	if dec.More() {
		return ErrNotJSONBody
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrNotJSONBody
	}
	return nil
}

// jsonError turns a decoder error into a field error in Chinese. dst is the value decoded into: the
// decoder names a field inside an embedded struct by the Go path (jobFields.wage_fen), which the client
// never wrote, so the embedded structs' names are dropped from it.
func jsonError(err error, dst any) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var fieldErr *domain.Error
	switch {
	case errors.As(err, &fieldErr):
		// A field type's own UnmarshalJSON (an exact quantity) said what is wrong, in Chinese.
		return fieldErr
	case errors.As(err, &typeErr):
		field := jsonPath(typeErr.Field, dst)
		return domain.Invalidf(field, "“%s”的格式不对（应为%s）", field, jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ErrNotJSONBody
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return domain.Invalidf(field, "不支持的字段“%s”", field)
	}
	return ErrNotJSONBody
}

// jsonPath removes the names of embedded structs of dst from a decoder field path.
func jsonPath(path string, dst any) string {
	embedded := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.Anonymous && f.Tag.Get("json") == "" {
				embedded[f.Name] = true
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(dst))
	if len(embedded) == 0 {
		return path
	}
	parts := strings.Split(path, ".")
	out := parts[:0]
	for _, p := range parts {
		if !embedded[p] {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"):
		return "整数"
	case strings.HasPrefix(k, "float"):
		return "数字"
	case k == "string":
		return "文字"
	case k == "bool":
		return "true 或 false"
	case k == "slice":
		return "列表"
	}
	return "对象"
}

// noBody wraps a handler whose request has no body (accept, revoke, close…): an empty body or {} is
// fine, anything else is refused like any unknown field, so no write route quietly ignores a
// "status" or an "employer_id" a client hoped would stick (mass assignment).
func NoBody(f *Funnel, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			if IsBodyTooLarge(err) {
				f.Fail(c, ErrBodyTooBig)
			} else {
				f.Fail(c, ErrNotJSONBody)
			}
			return
		}
		if len(bytes.TrimSpace(body)) > 0 {
			var none struct{}
			if err := DecodeJSONBytes(body, &none); err != nil {
				f.Fail(c, err)
				return
			}
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		h(c)
	}
}

// DecodeOptionalEmpty accepts no body or an empty JSON object, and refuses anything else (a POST
// action without parameters must not silently ignore fields it does not know).
func DecodeOptionalEmpty(c *gin.Context) error {
	body, err := ReadBody(c)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	var empty struct{}
	return DecodeJSONBytes(body, &empty)
}
