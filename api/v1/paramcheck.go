package v1

import (
	"encoding/json"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"
)

// A quick check in front of the OpenAPI validator. kin-openapi's ValidateRequest costs a search request
// a dozen allocations and its own parse of the query string (docs/performance.md); most requests carry
// a few plain query parameters that are plainly valid. For an operation whose parameters are all query
// parameters of a simple kind (a string with length, enum or date limits; an integer with bounds), the
// quick check answers "certainly valid" or "not sure". Only "certainly valid" skips the validator; "not
// sure" (a value missing, empty, repeated, too long, out of range, not a date ...) runs it, so what it
// refuses and the words of its error stay its own. The check is stricter than the validator, never
// looser: TestQuickParamsNeverPassWhatTheValidatorRefuses holds it to that on every operation it covers.

// quickParam is one parameter's limits, copied from its schema.
type quickParam struct {
	name     string
	required bool
	integer  bool
	int32    bool     // integer format int32
	min, max *float64 // integer bounds
	minLen   uint64   // string lengths, counted as the validator counts them
	maxLen   *uint64
	enum     []string
	date     bool // string format date
}

// quickKeys are the schema keywords the quick check understands; any other keyword (pattern, multipleOf,
// exclusiveMinimum, nullable, allOf ...) leaves the operation to the validator alone.
var quickKeys = map[string]bool{"type": true, "format": true, "minimum": true, "maximum": true,
	"minLength": true, "maxLength": true, "enum": true, "description": true, "example": true, "default": true}

// quickParams compiles the quick check of a route, or returns nil when some parameter is not simple
// enough (then every request goes to the validator).
func quickParams(route *routers.Route) []quickParam {
	var out []quickParam
	add := func(p *openapi3.Parameter) bool {
		if p == nil || p.In != openapi3.ParameterInQuery || p.Content != nil || p.Style != "" || p.Explode != nil ||
			p.AllowEmptyValue || p.AllowReserved || p.Schema == nil || p.Schema.Value == nil {
			return false
		}
		s := p.Schema.Value
		raw, err := json.Marshal(s)
		if err != nil {
			return false
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			return false
		}
		for k := range keys {
			if !quickKeys[k] {
				return false
			}
		}
		q := quickParam{name: p.Name, required: p.Required}
		switch {
		case s.Type.Is(openapi3.TypeInteger):
			q.integer = true
			switch s.Format {
			case "", "int64":
			case "int32":
				q.int32 = true
			default:
				return false
			}
			if s.MinLength != 0 || s.MaxLength != nil || len(s.Enum) > 0 {
				return false
			}
			q.min, q.max = s.Min, s.Max
		case s.Type.Is(openapi3.TypeString):
			switch s.Format {
			case "":
			case "date":
				q.date = true
			default:
				return false
			}
			if s.Min != nil || s.Max != nil {
				return false
			}
			q.minLen, q.maxLen = s.MinLength, s.MaxLength
			for _, e := range s.Enum {
				v, ok := e.(string)
				if !ok {
					return false
				}
				q.enum = append(q.enum, v)
			}
		default:
			return false
		}
		out = append(out, q)
		return true
	}
	for _, ref := range route.PathItem.Parameters {
		if route.Operation.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) != nil {
			continue // the operation's own parameter overrides the path item's
		}
		if !add(ref.Value) {
			return nil
		}
	}
	for _, ref := range route.Operation.Parameters {
		if !add(ref.Value) {
			return nil
		}
	}
	return out
}

// kinDate is the validator's pattern for format date, which it then checks with time.Parse.
var kinDate = regexp.MustCompile(openapi3.FormatOfStringDate)

// quickValid reports whether the request's parameters are certainly valid. A request with a body (or
// one of unknown length) is never: the validator reads a body even when told not to check it (see
// paramError). The length, not the Body field, tells: the frame wraps every body in a size limit.
func quickValid(c *gin.Context, params []quickParam) bool {
	if c.Request.ContentLength != 0 {
		return false
	}
	for i := range params {
		p := &params[i]
		values, _ := c.GetQueryArray(p.name) // gin parses the query once, for the handler too
		switch {
		case len(values) == 0:
			if p.required {
				return false
			}
			continue
		case len(values) > 1 || values[0] == "":
			return false
		}
		if !p.valid(values[0]) {
			return false
		}
	}
	return true
}

func (p *quickParam) valid(v string) bool {
	if p.integer {
		bits := 64
		if p.int32 {
			bits = 32
		}
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return false
		}
		f := float64(n)
		return (p.min == nil || f >= *p.min) && (p.max == nil || f <= *p.max)
	}
	if !utf8.ValidString(v) {
		return false
	}
	if p.minLen != 0 || p.maxLen != nil {
		n := uint64(0)
		for _, r := range v { // as the validator counts: UTF-16 code units
			if utf16.IsSurrogate(r) || r > 0xFFFF {
				n += 2
			} else {
				n++
			}
		}
		if n < p.minLen || p.maxLen != nil && n > *p.maxLen {
			return false
		}
	}
	if p.enum != nil {
		found := false
		for _, e := range p.enum {
			if e == v {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if p.date {
		if len(v) != len(time.DateOnly) || !kinDate.MatchString(v) {
			return false
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return false
		}
	}
	return true
}
