package kit

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"lingong/domain"
)

// Go's JSON decoder matches object keys to fields case-insensitively and lets a repeated key overwrite
// the first: {"headcount":5,"HeadCount":499} would post a gig for 499 while a proxy or a log that reads
// the first key sees 5. It also turns a lone UTF-16 surrogate (\ud800) into U+FFFD without a word.
// checkKeys walks the body once before it is decoded and refuses all three, naming the key.

// checkKeys refuses a repeated key in any object (also when only the case differs), a key that matches
// one of dst's fields only when case is ignored, and a string value holding U+FFFD (what a lone
// surrogate or other undecodable text turns into; never part of a real name or title). A syntax error is
// left to the decoder, which reports it in its own words.
func checkKeys(body []byte, dst any) error {
	names := jsonNames(reflect.TypeOf(dst))
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object  bool
		wantKey bool
		key     string
		seen    map[string]string // folded key -> key as written
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil
		}
		var top *frame
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, wantKey: true, seen: map[string]string{}})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if top != nil && top.object && top.wantKey {
				folded := strings.ToLower(v)
				if first, ok := top.seen[folded]; ok {
					if first == v {
						return domain.Invalidf(v, "字段“%s”出现了两次", v)
					}
					return domain.Invalidf(v, "字段“%s”和“%s”只是大小写不同，只能写一次", first, v)
				}
				top.seen[folded] = v
				if want, ok := names[folded]; ok && want != v {
					return domain.Invalidf(v, "字段“%s”的大小写不对，应为“%s”", v, want)
				}
				top.key, top.wantKey = v, false
				continue
			}
			if strings.ContainsRune(v, utf8.RuneError) {
				field := "body"
				if top != nil && top.key != "" {
					field = top.key
				}
				return domain.Invalidf(field, "“%s”里有无法识别的字符（不成对的 UTF-16 代理项或乱码），请重新输入", field)
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// fieldNames maps the folded JSON name of every field reachable from a type to its exact spelling.
type fieldNames map[string]string

var namesCache sync.Map // reflect.Type -> fieldNames

// jsonNames is the JSON field names of t and of every struct type inside it (fields, elements, embedded).
func jsonNames(t reflect.Type) fieldNames {
	if t == nil {
		return fieldNames{}
	}
	if n, ok := namesCache.Load(t); ok {
		return n.(fieldNames)
	}
	out := fieldNames{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			if f.Anonymous && name == "" {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[strings.ToLower(name)] = name
			walk(f.Type)
		}
	}
	walk(t)
	namesCache.Store(t, out)
	return out
}
