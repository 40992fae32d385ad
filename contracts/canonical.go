package contracts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Canonical returns the canonical JSON form of v, the exact bytes that are hashed and signed. v is first
// marshalled with encoding/json (so struct tags apply; a json.RawMessage or []byte of JSON text is taken
// as is), then rewritten by these rules, which make equal values give equal bytes:
//
//   - no insignificant whitespace anywhere;
//   - object members sorted by key, comparing the keys' UTF-8 bytes, at every level (for ASCII keys, as
//     ours are, this is also RFC 8785's UTF-16 order);
//   - duplicate keys are an error;
//   - an integer literal that fits int64 is written in plain decimal (-0 becomes 0); every other number is
//     read as float64 and written as encoding/json writes a float64 (the ECMAScript shortest round-trip
//     form: 1.5, 1e+21, 1e-7), so 1.0 and 1e0 become 1. Money is int64 fen and never meets the float rule;
//   - strings are written as encoding/json writes them with HTML escaping off: \" \\ \n \r \t, other
//     control characters as \u00XX, U+2028/U+2029 as \u2028/\u2029, everything else as literal UTF-8;
//     invalid UTF-8 becomes U+FFFD;
//   - true, false and null as such; array order is kept.
func Canonical(v any) ([]byte, error) {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("canonical json: %w", err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := canonicalValue(dec, &buf); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("canonical json: data after the top-level value")
	}
	return buf.Bytes(), nil
}

// canonicalValue reads one JSON value from dec and writes its canonical form. It walks tokens rather than
// decoding into map[string]any so that duplicate keys are seen instead of silently collapsed.
func canonicalValue(dec *json.Decoder, buf *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			type member struct {
				key string
				val []byte
			}
			var members []member
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key := kt.(string) // the decoder guarantees a string key inside an object
				if seen[key] {
					return fmt.Errorf("duplicate key %q", key)
				}
				seen[key] = true
				var vb bytes.Buffer
				if err := canonicalValue(dec, &vb); err != nil {
					return err
				}
				members = append(members, member{key, vb.Bytes()})
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			sort.Slice(members, func(i, j int) bool { return members[i].key < members[j].key })
			buf.WriteByte('{')
			for i, m := range members {
				if i > 0 {
					buf.WriteByte(',')
				}
				writeString(buf, m.key)
				buf.WriteByte(':')
				buf.Write(m.val)
			}
			buf.WriteByte('}')
		case '[':
			buf.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := canonicalValue(dec, buf); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
			buf.WriteByte(']')
		}
	case string:
		writeString(buf, t)
	case json.Number:
		s, err := canonicalNumber(string(t))
		if err != nil {
			return err
		}
		buf.WriteString(s)
	case bool:
		buf.WriteString(strconv.FormatBool(t))
	case nil:
		buf.WriteString("null")
	}
	return nil
}

// canonicalNumber applies the number rule of Canonical to one JSON number literal.
func canonicalNumber(lit string) (string, error) {
	if !strings.ContainsAny(lit, ".eE") {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return strconv.FormatInt(n, 10), nil
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		return "", fmt.Errorf("number %s out of range", lit)
	}
	if f == 0 {
		f = 0 // -0 and 0 are the same number
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// writeString writes s as a JSON string, as encoding/json does with HTML escaping off.
func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}

// HashHex returns the lower-case hexadecimal SHA-256 of b: the terms hash stored, signed and printed.
func HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
