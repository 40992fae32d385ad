package gofpdf

// lingong patch: streaming output. Upstream keeps every page's content in memory until Output, then
// writes the whole document into one buffer; a station's batch of 100 contracts held all of them (and
// their compressed copies) at once. With SetOutputStream, each page is compressed and written to the
// stream when it is finished (at the next AddPage or at Close), and its content is dropped. Offsets for
// the cross-reference table are counted as bytes go out, so the table is still written at the end. The
// bytes are those of an unstreamed document, as long as nothing needs the whole document before its
// first page is written (see SetOutputStream).

import (
	"bytes"
	"errors"
	"io"
)

// SetOutputStream makes the document write each page to w as soon as the page is finished, and drop it.
// Call it before the first page; then call Output(w) with the same writer to write the rest (fonts,
// images, the page tree, the cross-reference table). If a write fails, the document's error is set and
// nothing more is written.
//
// Features that need the whole document before the first page goes out are refused with an error:
// aliases such as AliasNbPages (replaced in every page at the end), SetPage to an earlier page, page
// annotations of attachments, and anything that raises the PDF version after the header was written
// (transparency, blend modes, layers).
func (f *Fpdf) SetOutputStream(w io.Writer) {
	if f.err != nil {
		return
	}
	if f.page > 0 {
		f.err = errors.New("SetOutputStream: call it before the first page")
		return
	}
	f.stream = w
}

// pos is the offset in the whole PDF of the next byte written to the buffer.
func (f *Fpdf) pos() int { return f.flushed + f.buffer.Len() }

// streamPage writes page n, which has just been finished, with the header before the first page.
func (f *Fpdf) streamPage(n int) {
	if f.err != nil {
		return
	}
	if n == 1 {
		if f.aliasNbPagesStr != "" || len(f.aliasMap) > 0 {
			f.err = errors.New("SetOutputStream: aliases cannot be replaced in pages already written")
			return
		}
		f.putheader()
		f.streamVersion = f.pdfVersion
	}
	if len(f.pageAttachments[n]) > 0 {
		f.err = errors.New("SetOutputStream: attachment annotations are not supported")
		return
	}
	if f.pdfVersion != f.streamVersion {
		f.err = errors.New("SetOutputStream: the PDF version changed after the header was written")
		return
	}
	_, hPt := f.defPagePt()
	f.putpage(n, hPt)
	f.pages[n] = new(bytes.Buffer) // the content is written; keep an empty page in its place
	f.flushStream()
}

// flushStream writes the buffer to the stream.
func (f *Fpdf) flushStream() {
	n, err := f.buffer.WriteTo(f.stream)
	f.flushed += int(n)
	if err != nil && f.err == nil {
		f.err = err
	}
}
