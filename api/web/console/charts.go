package console

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts are drawn on the server as SVG: no JavaScript chart library, nothing from a CDN, and they
// print. Every chart on the dashboard has its numbers in a table beneath it as well.

// barSeries is one coloured series of a bar chart.
type barSeries struct {
	Name   string
	Color  string
	Values []float64
}

// svgEscape escapes text for SVG (it is XML).
func svgEscape(s string) string {
	return template.HTMLEscapeString(s)
}

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten, for readable gridlines.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func formatTick(v float64) string {
	if v >= 10000 {
		return fmt.Sprintf("%.0f万", v/10000)
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// barChart draws grouped vertical bars: one group per label, one bar per series.
func barChart(title string, labels []string, series []barSeries) template.HTML {
	const w, h, left, bottom, top = 760.0, 300.0, 56.0, 70.0, 36.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, svgEscape(title))
	fmt.Fprintf(&b, `<text x="%.0f" y="20" class="chart-title">%s</text>`, left, svgEscape(title))
	maxV := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			maxV = math.Max(maxV, v)
		}
	}
	maxV = niceMax(maxV)
	plotH := h - top - bottom
	plotW := w - left - 10
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" class="grid"/>`, left, y, w-10, y)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="tick" text-anchor="end">%s</text>`, left-6, y+4, formatTick(maxV*float64(i)/4))
	}
	if len(labels) > 0 && len(series) > 0 {
		group := plotW / float64(len(labels))
		bar := math.Max(1, group*0.8/float64(len(series)))
		step := max(1, len(labels)/15) // label at most ~15 groups so the text stays readable
		for i, l := range labels {
			x0 := left + group*float64(i) + group*0.1
			for j, s := range series {
				v := 0.0
				if i < len(s.Values) {
					v = s.Values[i]
				}
				bh := plotH * v / maxV
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
					x0+bar*float64(j), top+plotH-bh, bar, bh, s.Color, svgEscape(l), svgEscape(s.Name), formatTick(v))
			}
			if i%step == 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="tick" text-anchor="end" transform="rotate(-40 %.1f %.1f)">%s</text>`,
					x0+group*0.4, top+plotH+14, x0+group*0.4, top+plotH+14, svgEscape(l))
			}
		}
	}
	// The legend sits at the top right, clear of the title.
	for j, s := range series {
		x := w - 10 - float64(len(series)-j)*110
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="12" fill="%s"/><text x="%.0f" y="%.0f" class="legend">%s</text>`,
			x, 10.0, s.Color, x+16, 21.0, svgEscape(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
