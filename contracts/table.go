package contracts

import "math"

// column is one column of a table: its heading, width in mm and alignment ("L", "C", "R").
type column struct {
	title string
	width float64
	align string
}

// tableStyle is the type and spacing of a table.
type tableStyle struct {
	size  float64 // font size, pt
	lineH float64 // line height, mm
	padX  float64
	padY  float64
	minH  float64 // minimum row height (room for a handwritten signature, say)
}

// table flows rows of cells below the cursor at the left margin, wrapping each cell in its column and
// repeating the heading row on every page it continues on. A row that fits on one page is never split; a
// row taller than a page is split between lines. Cells never lose text.
func (d *doc) table(cols []column, rows [][]string, st tableStyle) {
	x0 := d.g.left
	heading := func() {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.title
		}
		d.tableRow(x0, cols, cells, st, 235, "C")
	}
	d.need(2 * math.Max(st.lineH+2*st.padY, st.minH)) // no heading alone at the foot of a page
	heading()
	prev := d.onNewPage
	d.onNewPage = heading
	for _, r := range rows {
		d.tableRow(x0, cols, r, st, -1, "")
	}
	d.onNewPage = prev
}

// tableRow draws one row (fill: a gray for the background, or -1; align: "" for the columns' own
// alignment), splitting it across pages if needed.
func (d *doc) tableRow(x0 float64, cols []column, cells []string, st tableStyle, fill int, align string) {
	wrapped := make([][]string, len(cols))
	most := 1
	for i, c := range cols {
		if i < len(cells) {
			wrapped[i] = d.lines(cells[i], c.width-2*st.padX, st.size)
		}
		most = max(most, len(wrapped[i]))
	}
	fullH := func(n int) float64 { return math.Max(float64(n)*st.lineH+2*st.padY, st.minH) }
	pageRoom := d.limit() - d.g.top
	for start := 0; start < most; {
		rest := most - start
		room := d.limit() - d.y
		fit := int(math.Floor((room - 2*st.padY + 1e-6) / st.lineH))
		switch {
		case fullH(rest) <= room+1e-6:
			fit = rest
		case start == 0 && fullH(rest) <= pageRoom && d.y > d.g.top+1e-6, fit < 1:
			// The row fits on a fresh page, or nothing fits here: continue on the next page.
			d.breakPage()
			continue
		}
		h := fullH(fit)
		if fit < rest {
			h = float64(fit)*st.lineH + 2*st.padY
		}
		x := x0
		for i, c := range cols {
			d.box(x, d.y, c.width, h, 0.2, 120, fill)
			a := c.align
			if align != "" {
				a = align
			}
			for k := start; k < start+fit && k < len(wrapped[i]); k++ {
				d.put(x+st.padX, d.y+st.padY+float64(k-start)*st.lineH, c.width-2*st.padX, st.lineH, st.size, wrapped[i][k], a)
			}
			x += c.width
		}
		d.y += h
		start += fit
		if start < most {
			d.breakPage()
		}
	}
}
