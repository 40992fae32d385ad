package contracts

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"github.com/jung-kurt/gofpdf"

	"lingong/domain"
)

// Page sizes in mm (portrait).
const (
	a4W, a4H     = 210.0, 297.0
	cardW, cardH = 85.6, 54.0 // ISO/IEC 7810 ID-1, the size of the resident ID card
)

// noDate returns the PDF date used when the input carries no time at all: a fixed instant, never the
// clock, so output stays deterministic.
func noDate() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, domain.Shanghai) }

// spec is what render needs besides the layout.
type spec struct {
	title     string  // the PDF's /Title
	pageW     float64 // portrait width and height, mm
	pageH     float64
	landscape bool
	margins   geometry // w and h are ignored; taken from page and landscape
	date      time.Time
}

// render makes a PDF by running layout twice (see the package comment): a measuring pass that records
// the characters and page counts, then a drawing pass with a font subset to exactly those characters.
// Both passes share the QR codes encoded and the paragraphs wrapped in the first. The PDF's creation and
// modification dates are spec.date (or noDate), written in UTC; gofpdf writes no random document ID.
func render(s spec, layout func(d *doc) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := renderTo(&buf, s, layout); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderTo is render writing to w as it draws: each page goes to w when it is finished (our patched
// gofpdf's SetOutputStream), so a long document — a station's batch of contracts — is never held whole.
// The bytes are the same as render's. Nothing is written before the measuring pass has succeeded, so
// an error in the input (a terms hash that does not match, say) leaves w untouched; an error after the
// first write (the writer failing, or the drawing pass meeting what the measuring pass did not) leaves a
// truncated PDF behind.
func renderTo(w io.Writer, s spec, layout func(d *doc) error) error {
	face, err := loadFace()
	if err != nil {
		return err
	}
	g := s.margins
	g.w, g.h = s.pageW, s.pageH
	if s.landscape {
		g.w, g.h = g.h, g.w
	}
	qrs := map[string][][]bool{}
	wraps := &wrapCache{}

	m := &doc{face: face, g: g, used: map[rune]bool{}, qrs: qrs, wraps: wraps}
	if err := run(m, layout); err != nil {
		return err
	}
	pdf, err := newPDF(face, s, m.used)
	if err != nil {
		return err
	}
	pdf.SetOutputStream(w)
	d := &doc{face: face, pdf: pdf, g: g, used: m.used, qrs: qrs, wraps: wraps, totals: m.pages}
	if err := run(d, layout); err != nil {
		return err
	}
	if !slices.Equal(d.pages, m.pages) {
		return fmt.Errorf("pdf layout: pages differ between passes (%v, %v)", m.pages, d.pages)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf output: %w", err)
	}
	return nil
}

// newPDF is the gofpdf document of spec s with the font cut down to the used characters.
func newPDF(face *face, s spec, used map[rune]bool) (*gofpdf.Fpdf, error) {
	// The digits always go in: footers print page totals the measuring pass does not know yet.
	for r := '0'; r <= '9'; r++ {
		used[r] = true
	}
	runes := make([]rune, 0, len(used))
	for r := range used {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	ttf, err := face.subset(runes)
	if err != nil {
		return nil, err
	}

	orientation := "P"
	if s.landscape {
		orientation = "L"
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orientation, UnitStr: "mm", Size: gofpdf.SizeType{Wd: s.pageW, Ht: s.pageH}})
	date := s.date
	if date.IsZero() {
		date = noDate()
	}
	// gofpdf writes the date without a zone offset, which readers take as UTC.
	date = date.UTC()
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0) // doc breaks pages itself
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.SetProducer("lingong/contracts with gofpdf 1.16.2", false)
	pdf.SetCreator("零工一码通", true)
	pdf.SetTitle(s.title, true)
	pdf.AddUTF8FontSubsetFromBytes(fontFamily, "", ttf) // embedded as is: it is already this document's subset
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf font: %w", err)
	}
	return pdf, nil
}

// run applies layout to d and closes the last page.
func run(d *doc, layout func(d *doc) error) error {
	if err := layout(d); err != nil {
		return err
	}
	d.endPage()
	if d.err != nil {
		return d.err
	}
	if d.pdf != nil {
		if err := d.pdf.Error(); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
	}
	return nil
}
