package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
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
	"yuan": domain.FormatYuan,
	// wage writes a wage: {{wage .WageFen .WageUnit .PieceUnit}} -> 1.80 元/斤 (the piece unit may be left out
	// where there is none, e.g. a worker's expected day or hour wage).
	"wage": func(fen int64, unit domain.WageUnit, piece ...string) string {
		return domain.FormatRate(fen, unit, strings.Join(piece, ""))
	},
	"maskPhone":  domain.MaskPhone,
	"maskName":   domain.MaskName,
	"settlement": func(s domain.Settlement) string { return s.Label() },
	// pieceUnits are the units a piece rate may count, for the gig form's select.
	"pieceUnits": func() []string { return domain.PieceUnits },
	// accountStatus names an employer's or a worker's account status (active, inactive, suspended).
	"accountStatus": domain.AccountStatusLabel,
	// unitName is what a ledger quantity counts: {{unitName .Unit $contract.PieceUnit}} -> 小时, 天, 斤, 单.
	"unitName":  UnitName,
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
	// clock shows an instant as the desk clock in 中卫 reads it.
	"clock": func(t time.Time) string { return t.In(domain.Shanghai).Format("15:04") },
	// yuanInput is an amount in fen as typed into a form (150.5).
	"yuanInput": domain.FormatYuanInput,
	// roles are the two parties of a contract, in the order the signature table lists them.
	"roles": func() []string { return []string{string(domain.SignerWorker), string(domain.SignerEmployer)} },
	// tablesOf names the tables printed under a chart: the wage chart shares the district table, the
	// arrears chart (by how long overdue) has its own and the one by employer.
	"tablesOf": func(chart string) []string {
		switch chart {
		case "wages":
			return []string{"districts"}
		case "arrears":
			return []string{"arrears_age", "arrears"}
		}
		return []string{chart}
	},
}

// Templates parses each page together with its layout, once per process: page name -> template.
func Templates() (map[string]*template.Template, error) {
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

// PageData is what every page gets: its title and the page's own data.
type PageData struct {
	Title string
	Data  any
}

// Render writes a page. Rendering goes to a buffer first so that a template error becomes a clean 500,
// not half a page.
func (s *Site) Render(c *gin.Context, status int, name, title string, data any) {
	ts, err := Templates()
	if err != nil {
		s.Fail(c, domain.Internal(err))
		return
	}
	t, ok := ts[name]
	if !ok {
		s.Fail(c, domain.Internal(fmt.Errorf("no page %q", name)))
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, PageData{Title: title, Data: data}); err != nil {
		s.Fail(c, domain.Internal(fmt.Errorf("render %s: %w", name, err)))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// ErrorPage shows an error as a page with a way back (the funnel's page for every HTML route).
func (s *Site) ErrorPage(c *gin.Context, status int, e *domain.Error) {
	ts, err := Templates()
	if err != nil || ts["error"] == nil {
		c.AbortWithStatusJSON(status, kit.ErrorBody{Error: kit.ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
		return
	}
	var buf bytes.Buffer
	if err := ts["error"].Execute(&buf, PageData{Title: "出错了", Data: e}); err != nil {
		c.AbortWithStatusJSON(status, kit.ErrorBody{Error: kit.ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
		return
	}
	c.Abort()
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// Static serves the embedded CSS and scripts; they change only with the binary, so they may be cached.
func (s *Site) Static(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	data, err := staticFiles.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "..") {
		s.Fail(c, kit.ErrNoRoute)
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

// UnitName is what a ledger quantity of a contract counts, for people: 小时, 天, 单, or the contract's
// piece unit (斤, 箱…). A piece rate without one predates piece units and was weighed: 斤.
func UnitName(u domain.WageUnit, piece ...string) string {
	p := strings.Join(piece, "")
	if u == domain.PerPiece && p == "" {
		p = "斤"
	}
	return u.LabelFor(p)
}

// QRDataURI is a QR code (level High) of content as a PNG data: URI, to inline in a page: on a weak
// network the card shows with the page, without a second request.
func QRDataURI(content string, size int) (template.URL, error) {
	png, err := contracts.QRPNG(content, size)
	if err != nil {
		return "", err
	}
	// template.URL: the data: scheme is ours and the content is our own PNG, safe to put in src.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}
