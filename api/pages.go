package api

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// Pages are server-rendered Go templates: a phone with a weak signal gets finished HTML in one round
// trip, with no framework to download and nothing from a CDN (stations may have no internet beyond
// our server).

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

var (
	pagesOnce sync.Once
	pages     map[string]*template.Template
	pagesErr  error
)

// templateFuncs are the helpers pages may use.
var templateFuncs = template.FuncMap{
	"yuan":       domain.FormatYuan,
	"wage":       func(fen int64, unit domain.WageUnit) string { return domain.FormatWage(fen, unit) },
	"maskPhone":  domain.MaskPhone,
	"maskName":   domain.MaskName,
	"settlement": func(s domain.Settlement) string { return s.Label() },
	// unitName is what a ledger quantity counts: 小时, 天, 斤 (piece-rate picking is weighed), 单.
	"unitName":  unitName,
	"milli":     func(m int64) string { return domain.Milli(m).String() },
	"minus":     func(a, b int64) int64 { return a - b },
	"join":      strings.Join,
	"districts": func() []string { return domain.Districts },
	// shanghai shows an instant as Zhongwei's clock reads it.
	"shanghai": func(t time.Time) string { return t.In(domain.Shanghai).Format("2006-01-02 15:04") },
	"mul100":   func(x float64) float64 { return x * 100 },
	// dict builds a map for passing several values to a sub-template.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"chartOrder": func() []string { return []string{"registrations", "skills", "districts", "wages", "arrears"} },
	// tableOf names the table printed under a chart (the wage chart shares the district table).
	"tableOf": func(chart string) string {
		if chart == "wages" {
			return "districts"
		}
		return chart
	},
}

// loadPages parses each page together with the shared layout, once per process.
func loadPages() (map[string]*template.Template, error) {
	pagesOnce.Do(func() {
		pages = map[string]*template.Template{}
		names, err := fs.Glob(templateFiles, "templates/*.html")
		if err != nil {
			pagesErr = err
			return
		}
		for _, n := range names {
			base := path.Base(n)
			if base == "layout.html" || base == "console_layout.html" {
				continue
			}
			// Console pages (for a PC at a station desk) have their own frame with navigation.
			layout := "layout.html"
			if strings.HasPrefix(base, "console_") {
				layout = "console_layout.html"
			}
			t, err := template.New(layout).Funcs(templateFuncs).ParseFS(templateFiles, "templates/"+layout, n)
			if err != nil {
				pagesErr = fmt.Errorf("parse %s: %w", n, err)
				return
			}
			pages[strings.TrimSuffix(base, ".html")] = t
		}
	})
	return pages, pagesErr
}

// pageData is what every page gets: its title and the page's own data.
type pageData struct {
	Title string
	Data  any
}

// render writes a page. Rendering goes to a buffer first so that a template error becomes a clean 500,
// not half a page.
func (s *Server) render(c *gin.Context, status int, name, title string, data any) {
	ts, err := loadPages()
	if err != nil {
		s.fail(c, domain.Internal(err))
		return
	}
	t, ok := ts[name]
	if !ok {
		s.fail(c, domain.Internal(fmt.Errorf("no page %q", name)))
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, pageData{Title: title, Data: data}); err != nil {
		s.fail(c, domain.Internal(fmt.Errorf("render %s: %w", name, err)))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderErrorPage shows an error as a page with a way back.
func (s *Server) renderErrorPage(c *gin.Context, status int, e *domain.Error) {
	ts, err := loadPages()
	if err != nil || ts["error"] == nil {
		c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
		return
	}
	var buf bytes.Buffer
	if err := ts["error"].Execute(&buf, pageData{Title: "出错了", Data: e}); err != nil {
		c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
		return
	}
	c.Abort()
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// static serves the embedded CSS and scripts; they change only with the binary, so they may be cached.
func (s *Server) static(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	data, err := staticFiles.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "..") {
		s.fail(c, errNoRoute)
		return
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, ctype, data)
}

// homePage is the front door: find work, register at a station, or staff log in.
func (s *Server) homePage(c *gin.Context) {
	stations, err := s.app.Stations(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "home", "中卫零工一码通", stations)
}
