package contracts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// fontFamily is the name the subset font is registered under in gofpdf.
const fontFamily = "NotoSansSC"

// geometry is a page size and its margins, in mm. bottom is the band kept free for the footer.
type geometry struct {
	w, h                     float64
	left, right, top, bottom float64
}

// doc is one document being laid out. The same layout function runs twice over a doc (render.go): first
// with pdf == nil, when every drawing call only records the characters it would write and pages are only
// counted; then with a gofpdf document that receives the drawing. All positions are computed here with
// our own measurements, never read back from gofpdf, so both passes take exactly the same decisions.
// Layout code must therefore draw only through doc's methods.
type doc struct {
	face  *face
	pdf   *gofpdf.Fpdf // nil while measuring
	used  map[rune]bool
	qrs   map[string][][]bool // QR bitmaps, encoded once and shared by both passes
	wraps *wrapCache          // paragraphs already wrapped, shared by both passes
	g     geometry
	y     float64 // the flowing cursor: where the next block starts

	size float64 // the font size gofpdf currently has, to avoid repeating SetFont
	gray int     // the text gray gofpdf currently has (0 black ... 255 white)

	section   int   // index of the current section in pages
	page      int   // page number within the current section, from 1; 0 before the first page
	pages     []int // pages per section counted in this pass
	totals    []int // pages per section from the measuring pass; nil while measuring
	footer    func(page, total int)
	onNewPage func() // run after a page break inside flowing content, e.g. to repeat a table header
	err       error
}

func (d *doc) measuring() bool { return d.pdf == nil }

// fail records the first error; layout continues harmlessly and render reports it.
func (d *doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// contentW is the width between the side margins.
func (d *doc) contentW() float64 { return d.g.w - d.g.left - d.g.right }

// limit is the lowest y flowing content may reach.
func (d *doc) limit() float64 { return d.g.h - d.g.bottom }

// beginSection starts a new section on a new page. A section numbers its own pages and draws its own
// footer on each of them (a batch of contracts has one section per contract).
func (d *doc) beginSection(footer func(page, total int)) {
	d.endPage()
	if !d.measuring() && len(d.pages) > 0 && d.wraps != nil && d.section < len(d.wraps.sections) {
		d.wraps.sections[d.section] = nil // drawn: the next section never needs these lines
	}
	d.section = len(d.pages)
	d.pages = append(d.pages, 0)
	d.page = 0
	d.footer = footer
	d.onNewPage = nil
	d.addPage()
}

func (d *doc) addPage() {
	d.page++
	d.pages[d.section]++
	if d.pdf != nil {
		d.pdf.AddPage()
		d.size, d.gray = 0, 0
	}
	d.y = d.g.top
}

// endPage draws the footer of the current page, with the section's total from the measuring pass.
func (d *doc) endPage() {
	if d.page == 0 || d.footer == nil {
		return
	}
	total := 0
	if d.section < len(d.totals) {
		total = d.totals[d.section]
	}
	d.footer(d.page, total)
}

// breakPage continues flowing content on a new page of the same section.
func (d *doc) breakPage() {
	d.endPage()
	d.addPage()
	if d.onNewPage != nil {
		d.onNewPage()
	}
}

// need makes room for a block of height h: it breaks the page unless the block fits below the cursor or
// the cursor is already at the top of a page (a block taller than a page is the caller's to split).
func (d *doc) need(h float64) {
	if d.y+h > d.limit()+1e-6 && d.y > d.g.top+1e-6 {
		d.breakPage()
	}
}

// gap moves the cursor down by h, or to the top of the next page when that leaves no room.
func (d *doc) gap(h float64) {
	d.y += h
	if d.y > d.limit() {
		d.breakPage()
	}
}

// put writes one line of text in the box (x, y, w, h), vertically centred, aligned "L", "C" or "R". The
// text is cleaned first (text.go), so any string is safe to pass.
func (d *doc) put(x, y, w, h, size float64, s, align string) {
	s = d.face.clean(s)
	if s == "" {
		return
	}
	if d.pdf == nil {
		for _, r := range s {
			d.used[r] = true
		}
		return
	}
	for _, r := range s {
		if !d.used[r] {
			// Cannot happen while both passes write the same text; guard against a layout that peeks.
			d.fail(fmt.Errorf("layout wrote %q in the drawing pass only", r))
			return
		}
	}
	if size != d.size {
		d.pdf.SetFont(fontFamily, "", size)
		d.size = size
	}
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, s, "", 0, align, false, 0, "")
}

// textW is the width of s in mm at size points, after cleaning.
func (d *doc) textW(s string, size float64) float64 { return d.face.width(d.face.clean(s), size) }

// setGray sets the text colour, 0 (black) to 255 (white).
func (d *doc) setGray(g int) {
	if d.pdf != nil && g != d.gray {
		d.pdf.SetTextColor(g, g, g)
		d.gray = g
	}
}

// wrapCache holds the paragraphs already wrapped, one map per section, shared by both passes: an
// article wraps each paragraph to measure its height and again to draw it, and each pass does both (a
// fifth of a contract's time before this cache, measured). The drawing pass drops a section's map when
// it moves on, so a batch of contracts does not keep every contract's lines.
type wrapCache struct {
	sections []map[wrapKey][]string
}

// wrapKey identifies a wrapped paragraph: the text as given, the width and the type size.
type wrapKey struct {
	s       string
	w, size float64
}

// lines wraps a paragraph to width w at size points. The result is shared: do not modify it.
func (d *doc) lines(s string, w, size float64) []string {
	if d.wraps == nil {
		return wrap(d.face.cleanPara(s), w, func(t string) float64 { return d.face.width(t, size) })
	}
	for len(d.wraps.sections) <= d.section {
		d.wraps.sections = append(d.wraps.sections, nil)
	}
	m := d.wraps.sections[d.section]
	if m == nil {
		m = map[wrapKey][]string{}
		d.wraps.sections[d.section] = m
	}
	k := wrapKey{s, w, size}
	if ls, ok := m[k]; ok {
		return ls
	}
	ls := wrap(d.face.cleanPara(s), w, func(t string) float64 { return d.face.width(t, size) })
	m[k] = ls
	return ls
}

// para flows a paragraph from the cursor at x with width w, breaking pages between lines.
func (d *doc) para(x, w, size, lineH float64, s string) {
	for _, line := range d.lines(s, w, size) {
		d.need(lineH)
		d.put(x, d.y, w, lineH, size, line, "L")
		d.y += lineH
	}
}

// labeled flows "label value" with the value wrapped in a hanging indent after the label.
func (d *doc) labeled(x, w, size, lineH float64, label, value string) {
	d.labeledLines(x, w, size, lineH, label, value, false)
}

// labeledAgain is labeled, writing the label again before the first line on a new page, so a value
// continued on the next page does not start with a bare indented line.
func (d *doc) labeledAgain(x, w, size, lineH float64, label, value string) {
	d.labeledLines(x, w, size, lineH, label, value, true)
}

// labelW is the width of a label column: the label's own width, at most half the line.
func (d *doc) labelW(label string, w, size float64) float64 {
	return min(d.textW(label, size), w/2)
}

func (d *doc) labeledLines(x, w, size, lineH float64, label, value string, again bool) {
	lw := d.labelW(label, w, size)
	for i, line := range d.lines(value, w-lw, size) {
		page := d.page
		d.need(lineH)
		if i == 0 || (again && d.page != page) {
			d.put(x, d.y, lw, lineH, size, label, "L")
		}
		d.put(x+lw, d.y, w-lw, lineH, size, line, "L")
		d.y += lineH
	}
}

// line draws a straight line of the given width (mm) and gray.
func (d *doc) line(x1, y1, x2, y2, width float64, gray int) {
	if d.pdf == nil {
		return
	}
	d.pdf.SetLineWidth(width)
	d.pdf.SetDrawColor(gray, gray, gray)
	d.pdf.Line(x1, y1, x2, y2)
}

// dashed draws a dashed line, e.g. a cutting guide.
func (d *doc) dashed(x1, y1, x2, y2, width float64, gray int) {
	if d.pdf == nil {
		return
	}
	d.pdf.SetDashPattern([]float64{2, 1.5}, 0)
	d.line(x1, y1, x2, y2, width, gray)
	d.pdf.SetDashPattern(nil, 0)
}

// box draws a rectangle: stroked with width > 0, filled with fill >= 0 (a gray), or both.
func (d *doc) box(x, y, w, h, width float64, stroke, fill int) {
	if d.pdf == nil {
		return
	}
	style := ""
	if fill >= 0 {
		d.pdf.SetFillColor(fill, fill, fill)
		style += "F"
	}
	if width > 0 {
		d.pdf.SetLineWidth(width)
		d.pdf.SetDrawColor(stroke, stroke, stroke)
		style += "D"
	}
	d.pdf.Rect(x, y, w, h, style)
}

// qr draws a QR code of content (level High) as vector squares filling the square (x, y, size), quiet
// zone included. One path with one fill, so no renderer shows seams between modules; vector, so it is
// sharp at any print resolution and costs no image decoding.
func (d *doc) qr(x, y, size float64, content string) {
	bm, ok := d.qrs[content]
	if !ok {
		var err error
		if bm, err = qrBitmap(content); err != nil {
			d.fail(err)
			return
		}
		d.qrs[content] = bm
	}
	if d.pdf == nil {
		return
	}
	n := float64(len(bm))
	m := size / n * ptPerMM // module size in pt
	x0, top := x*ptPerMM, (d.g.h-y)*ptPerMM
	// The coordinates repeat from row to row: format each column's x, run width and row's y once
	// (the same expressions as per rectangle, so the same text; issue 24 measured the formatting).
	xs, ws := make([]string, len(bm)), make([]string, len(bm)+1)
	for c := range xs {
		xs[c] = pt(x0 + float64(c)*m)
		ws[c+1] = pt(float64(c+1) * m)
	}
	h := pt(m)
	var b strings.Builder
	b.Grow(64 * len(bm) * len(bm) / 4)
	b.WriteString("q 0 g\n")
	for r, row := range bm {
		y := pt(top - float64(r+1)*m)
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			e := c
			for e < len(row) && row[e] {
				e++
			}
			// PDF space: origin bottom left; "x y w h re" adds a rectangle to the path.
			for _, s := range [...]string{xs[c], " ", y, " ", ws[e-c], " ", h, " re\n"} {
				b.WriteString(s)
			}
			c = e
		}
	}
	b.WriteString("f Q")
	d.pdf.RawWriteStr(b.String())
}

// pt formats a PDF coordinate with 3 decimals (1/1000 pt), trimmed.
func pt(v float64) string {
	s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}
