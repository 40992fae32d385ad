package v1

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// The OpenAPI 3 document is written by hand (openapi.yaml, embedded) and is the contract: it is served
// as is, rendered into /api/docs by this binary (no CDN, no JavaScript viewer), and every request's
// path, query and header parameters are validated against it before the handler runs. A test keeps the
// document and the route table in step, both ways, and the documented request bodies in step with the
// request structs; bodies themselves are checked by the strict decoder and the domain rules, whose
// Chinese field messages are better than a schema validator's.

//go:embed openapi.yaml
var openapiYAML []byte

// docsTemplate renders the document as a page (/api/docs).
//
//go:embed docs.html
var docsHTML string

var docsTemplate = template.Must(template.New("docs").Parse(docsHTML))

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

// loadSpec parses and validates the document once per process.
func loadSpec() (*openapi3.T, error) {
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(openapiYAML)
		if err != nil {
			specErr = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = fmt.Errorf("openapi.yaml is not valid OpenAPI 3: %w", err)
			return
		}
		spec = doc
	})
	return spec, specErr
}

// Spec is the OpenAPI document, parsed and validated.
func Spec() (*openapi3.T, error) { return loadSpec() }

// OpenAPIPath turns a gin route (/api/v1/jobs/:id, /static/*file) into its OpenAPI path
// (/api/v1/jobs/{id}, /static/{file}).
func OpenAPIPath(ginPath string) string {
	parts := strings.Split(ginPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// specRoute finds the documented operation of a route, or nil.
func specRoute(doc *openapi3.T, method, ginPath string) *routers.Route {
	if doc == nil {
		return nil
	}
	path := OpenAPIPath(ginPath)
	item := doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	op := item.GetOperation(method)
	if op == nil {
		return nil
	}
	return &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
}

// ValidateParams returns the middleware that checks a route's path, query and header parameters
// against its documented operation; a violation is answered with the standard error body, naming the
// parameter in Chinese. Routes the document does not describe pass (the coverage test fails instead).
// Plainly valid query parameters of a simple operation pass a quick check instead (paramcheck.go).
func ValidateParams(f *kit.Funnel, method, ginPath string) gin.HandlerFunc {
	doc, err := loadSpec()
	if err != nil {
		panic(fmt.Sprintf("v1: %v", err)) // the document is embedded: a broken one is a build defect
	}
	route := specRoute(doc, method, ginPath)
	if route == nil || len(route.Operation.Parameters)+len(route.PathItem.Parameters) == 0 {
		return func(c *gin.Context) { c.Next() }
	}
	opts := &openapi3filter.Options{
		ExcludeRequestBody:  true, // the strict decoder and the domain rules check bodies
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
		SkipSettingDefaults: true,
	}
	quick := quickParams(route)
	return func(c *gin.Context) {
		if quick != nil && quickValid(c, quick) {
			c.Next()
			return
		}
		params := make(map[string]string, len(c.Params))
		for _, p := range c.Params {
			params[p.Key] = strings.TrimPrefix(p.Value, "/")
		}
		in := &openapi3filter.RequestValidationInput{Request: c.Request, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(c.Request.Context(), in); err != nil {
			f.Fail(c, paramError(err))
			return
		}
		c.Next()
	}
}

// paramError turns a validator error into an invalid error naming the parameter, in Chinese.
func paramError(err error) error {
	if kit.IsBodyTooLarge(err) {
		// The validator reads the body (to see its media type) even when told not to check it: a body over
		// the limit is that problem, not a parameter's.
		return kit.ErrBodyTooBig
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) || re.Parameter == nil {
		return domain.Invalid("", "请求参数不符合接口文档（见 /api/docs）")
	}
	p := re.Parameter
	name := p.Name
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return domain.Invalidf(name, "缺少参数 %s", name)
	}
	var schema *openapi3.Schema
	if p.Schema != nil {
		schema = p.Schema.Value
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		switch se.SchemaField {
		case "maximum":
			if se.Schema.Max != nil {
				return domain.Invalidf(name, "参数 %s 不能大于 %v", name, *se.Schema.Max)
			}
		case "minimum":
			if se.Schema.Min != nil {
				return domain.Invalidf(name, "参数 %s 不能小于 %v", name, *se.Schema.Min)
			}
		case "enum":
			var vals []string
			for _, v := range se.Schema.Enum {
				vals = append(vals, fmt.Sprint(v))
			}
			return domain.Invalidf(name, "参数 %s 只能是：%s", name, strings.Join(vals, "、"))
		case "maxLength":
			if se.Schema.MaxLength != nil {
				return domain.Invalidf(name, "参数 %s 最多 %d 个字", name, *se.Schema.MaxLength)
			}
		case "minLength":
			return domain.Invalidf(name, "参数 %s 不能为空", name)
		case "format":
			if se.Schema.Format == "date" {
				return domain.Invalidf(name, "参数 %s 应为日期，例如 2026-05-01", name)
			}
		}
	}
	if schema != nil && (schema.Type.Is("integer") || schema.Type.Is("number")) {
		return domain.Invalidf(name, "参数 %s 应为数字", name)
	}
	return domain.Invalidf(name, "参数 %s 的格式不对", name)
}

// openapiDocument is GET /api/openapi.yaml.
func (s *API) openapiDocument(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", openapiYAML)
}

// apiDocs is GET /api/docs: the document as a readable page, rendered here from the same YAML.
func (s *API) apiDocs(c *gin.Context) {
	doc, err := loadSpec()
	if err != nil {
		s.fail(c, domain.Internal(err))
		return
	}
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, struct {
		Title string
		Data  docsPage
	}{"零工一码通 接口文档", docsView(doc)}); err != nil {
		s.fail(c, domain.Internal(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// The docs page's model: operations grouped by tag, schemas flattened into field tables.

type docsPage struct {
	Title, Version string
	Description    template.HTML // Markdown, rendered (markdown.go)
	Groups         []docsGroup
}

type docsGroup struct {
	Name        string
	Description template.HTML
	Ops         []docsOp
}

type docsOp struct {
	Method, Path, Summary, Anchor string
	Description                   template.HTML
	Auth                          bool
	Params                        []docsField
	Body                          []docsField
	BodyRequired                  bool
	Responses                     []docsResponse
}

type docsField struct {
	Name, In, Type, Description string
	Required                    bool
}

type docsResponse struct {
	Code, Description string
	Fields            []docsField
}

func docsView(doc *openapi3.T) docsPage {
	page := docsPage{Title: doc.Info.Title, Version: doc.Info.Version, Description: markdown(doc.Info.Description)}
	byTag := map[string]*docsGroup{}
	for _, t := range doc.Tags {
		page.Groups = append(page.Groups, docsGroup{Name: t.Name, Description: markdown(t.Description)})
	}
	for i := range page.Groups {
		byTag[page.Groups[i].Name] = &page.Groups[i]
	}
	paths := doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for _, method := range []string{"GET", "POST", "PATCH", "PUT", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			v := docsOp{Method: method, Path: path, Summary: op.Summary, Description: markdown(op.Description),
				Anchor: op.OperationID, Auth: op.Security != nil && len(*op.Security) > 0}
			for _, p := range op.Parameters {
				if p.Value == nil {
					continue
				}
				v.Params = append(v.Params, docsField{Name: p.Value.Name, In: p.Value.In, Required: p.Value.Required,
					Type: schemaType(p.Value.Schema), Description: p.Value.Description})
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				v.BodyRequired = rb.Value.Required
				if mt := rb.Value.Content.Get("application/json"); mt != nil {
					v.Body = schemaFields(mt.Schema)
				}
			}
			codes := op.Responses.Map()
			keys := make([]string, 0, len(codes))
			for k := range codes {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, code := range keys {
				r := codes[code]
				if r.Value == nil {
					continue
				}
				dr := docsResponse{Code: code}
				if r.Value.Description != nil {
					dr.Description = *r.Value.Description
				}
				if mt := r.Value.Content.Get("application/json"); mt != nil && code < "300" {
					dr.Fields = schemaFields(mt.Schema)
				}
				v.Responses = append(v.Responses, dr)
			}
			tag := "其他"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			g := byTag[tag]
			if g == nil {
				page.Groups = append(page.Groups, docsGroup{Name: tag})
				g = &page.Groups[len(page.Groups)-1]
				byTag = map[string]*docsGroup{}
				for i := range page.Groups {
					byTag[page.Groups[i].Name] = &page.Groups[i]
				}
			}
			g.Ops = append(g.Ops, v)
		}
	}
	return page
}

// schemaFields flattens an object schema (following allOf) into its fields, in name order.
func schemaFields(ref *openapi3.SchemaRef) []docsField {
	props, required := collectProps(ref)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]docsField, 0, len(names))
	for _, n := range names {
		p := props[n]
		d := ""
		if p.Value != nil {
			d = p.Value.Description
		}
		out = append(out, docsField{Name: n, Type: schemaType(p), Description: d, Required: required[n]})
	}
	return out
}

// collectProps gathers the properties and required names of an object schema and its allOf parts.
func collectProps(ref *openapi3.SchemaRef) (map[string]*openapi3.SchemaRef, map[string]bool) {
	props, required := map[string]*openapi3.SchemaRef{}, map[string]bool{}
	var walk func(r *openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil {
			return
		}
		for _, part := range r.Value.AllOf {
			walk(part)
		}
		for n, p := range r.Value.Properties {
			props[n] = p
		}
		for _, n := range r.Value.Required {
			required[n] = true
		}
	}
	walk(ref)
	return props, required
}

// schemaType is a short human description of a schema's type: "integer", "string (date)",
// "array of Shift", "enum: a | b".
func schemaType(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil {
		return ""
	}
	s := ref.Value
	if ref.Ref != "" {
		return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		return strings.Join(vals, " | ")
	}
	t := strings.Join(s.Type.Slice(), "|")
	if s.Type.Is("array") {
		return "array of " + schemaType(s.Items)
	}
	if s.Format != "" && s.Format != "int64" {
		t += " (" + s.Format + ")"
	}
	return t
}
