// Package contracts turns a gig's agreement into things people can hold and check: the contract terms
// as canonical JSON with their SHA-256, and the printed documents of 零工一码通 — station posters, worker
// cards, contracts (one or a day's batch), per-contract ledgers and a station's monthly 工资支付台账 —
// as PDF with an embedded Chinese font, plus QR images.
//
// It imports only the standard library, lingong/domain, gofpdf and go-qrcode. Every document is a pure
// function of a plain input struct: the same input gives the same bytes (no clock, no random IDs).
//
// How a PDF is made (render.go): each document is laid out twice by the same code. The first pass only
// measures — it records every character and the page count of each section; the second pass draws with
// gofpdf, using a TrueType font cut down to exactly the recorded characters, which gofpdf embeds as it
// is. That keeps gofpdf from parsing the whole 7.5 MB GBK font for every document (about 11 ms, twice
// per document, measured), and lets footers say "第 1 页 共 3 页". gofpdf is our patched copy in
// contracts/gofpdf (PATCHES.md there): it reuses its compressors, embeds such a subset without cutting it
// again, and can write pages as they are finished, so a batch of contracts streams (ContractsPDFTo). Text goes through clean (text.go) and our own line wrapping, never
// gofpdf's MultiCell, because of two measured gofpdf defects (DESIGN.md section 5).
package contracts
