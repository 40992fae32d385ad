package v1

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"
)

// quickCandidates are values worth trying on a parameter: the edges of its limits, and the inputs that
// trip parsers (signs, exponents, spaces, surrogate pairs, invalid UTF-8, impossible dates).
func quickCandidates(p quickParam, r *rand.Rand) []string {
	vals := []string{"", "0", "1", "-1", "+1", "01", "1e3", "1.0", "0x10", "1_0", " 1", "1 ", "abc", "中宁县",
		"沙坡头区", "海原县x", "9223372036854775807", "9223372036854775808", "2147483647", "2147483648",
		"2026-05-01", "2026-02-30", "2026-02-29", "2028-02-29", "2026-13-01", "2026-00-10", "2026-5-1",
		"0000-01-01", "2026-05-01T00:00:00Z", "2026-05-01 ", "\xff", "a\x00b", "😀", "枸杞 日结", "ZN-S03"}
	vals = append(vals, p.enum...)
	for _, b := range []*float64{p.min, p.max} {
		if b != nil {
			n := int64(*b)
			vals = append(vals, strconv.FormatInt(n-1, 10), strconv.FormatInt(n, 10), strconv.FormatInt(n+1, 10))
		}
	}
	if p.maxLen != nil {
		n := int(*p.maxLen)
		for _, unit := range []string{"a", "枸", "😀"} {
			for _, k := range []int{n - 1, n, n + 1} {
				if k >= 0 {
					vals = append(vals, strings.Repeat(unit, k), strings.Repeat(unit, max(0, k-1))+"😀")
				}
			}
		}
	}
	alphabet := []rune("09-+. a枸杞日结中宁县😀\u2028")
	for range 40 {
		var b strings.Builder
		for range r.IntN(60) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		vals = append(vals, b.String(), strconv.Itoa(r.IntN(20_000_001)-5))
	}
	return vals
}

// The quick check may only ever pass what the OpenAPI validator passes: on every documented operation it
// covers, with every parameter set to each candidate value in turn and in random combinations, "certainly
// valid" must be the validator's answer too. It must also cover the library search and pass an ordinary
// search, or it speeds nothing up.
func TestQuickParamsNeverPassWhatTheValidatorRefuses(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	opts := &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		SkipSettingDefaults: true}
	r := rand.New(rand.NewPCG(24, 1))
	covered, passed, refused := 0, 0, 0
	check := func(method, path string, route *quickRouteT, query url.Values) {
		t.Helper()
		req := httptest.NewRequest(method, path+"?"+query.Encode(), nil)
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = req
		quick := quickValid(c, route.params)
		in := &openapi3filter.RequestValidationInput{Request: httptest.NewRequest(method, path+"?"+query.Encode(), nil),
			PathParams: map[string]string{}, Route: route.route, Options: opts}
		kinErr := openapi3filter.ValidateRequest(context.Background(), in)
		if quick && kinErr != nil {
			t.Errorf("%s %s?%s: the quick check passes what the validator refuses: %v", method, path, query.Encode(), kinErr)
		}
		if quick {
			passed++
		} else if kinErr != nil {
			refused++
		}
	}
	for _, path := range doc.Paths.Keys() {
		for method := range doc.Paths.Value(path).Operations() {
			route := specRoute(doc, method, path)
			params := quickParams(route)
			if params == nil {
				continue
			}
			covered++
			qr := &quickRouteT{route: route, params: params}
			check(method, path, qr, url.Values{})
			var pools [][]string
			for _, p := range params {
				vals := quickCandidates(p, r)
				pools = append(pools, vals)
				for _, v := range vals {
					check(method, path, qr, url.Values{p.name: {v}})
				}
				check(method, path, qr, url.Values{p.name: {pools[len(pools)-1][1], pools[len(pools)-1][2]}})
			}
			for range 300 {
				q := url.Values{}
				for i, p := range params {
					if r.IntN(2) == 0 {
						q.Set(p.name, pools[i][r.IntN(len(pools[i]))])
					}
				}
				check(method, path, qr, q)
			}
		}
	}
	if passed == 0 || refused == 0 {
		t.Errorf("the candidates exercise nothing: %d passed quickly, %d refused by the validator", passed, refused)
	}
	search := quickParams(specRoute(doc, "GET", "/api/v1/jobs"))
	if search == nil {
		t.Fatal("GET /api/v1/jobs has no quick check: every search pays the full validator")
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/api/v1/jobs?q="+url.QueryEscape("枸杞 日结")+"&district="+url.QueryEscape("中宁县")+"&page=2&per_page=50&wage_min=15000&date=2026-05-01", nil)
	c.Request.Body = http.MaxBytesReader(nil, c.Request.Body, 1<<20) // as the frame's limits wrap every body
	if !quickValid(c, search) {
		t.Error("an ordinary search does not pass the quick check")
	}
	for _, length := range []int64{6, -1} { // announced, or chunked
		c.Request = httptest.NewRequest("GET", "/api/v1/jobs?q=x", strings.NewReader("a body"))
		c.Request.ContentLength = length
		c.Request.Body = http.MaxBytesReader(nil, c.Request.Body, 10)
		if quickValid(c, search) {
			t.Errorf("a request with a body (length %d) passes the quick check; the validator reads bodies", length)
		}
	}
	t.Logf("%d operations covered; %d requests passed quickly, %d refused by the validator", covered, passed, refused)
}

type quickRouteT struct {
	route  *routers.Route
	params []quickParam
}
