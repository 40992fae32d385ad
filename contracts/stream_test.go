package contracts

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDocumentTextMatchesGolden pins what a reader sees in a contract and a worker card, laid out
// (pdftotext -layout keeps each line's position), to text taken from the PDFs that the unpatched gofpdf
// v1.16.2 made: a change to our copy of gofpdf (contracts/gofpdf/PATCHES.md) must not move or lose a
// character. Run with -update after a deliberate change of layout.
func TestDocumentTextMatchesGolden(t *testing.T) {
	card := CardDoc{WorkerName: "马桂兰", WorkerNo: "LG00000123", StationName: "中宁县宁安镇零工驿站",
		QRPayload: "https://lingong.example.cn/c/LG00000123.2.kJ8x2mQ9vR4tY7uW1zA3bC5dE6fG8hJ0", IssuedOn: "2026-05-01"}
	for name, render := range map[string]func() ([]byte, error){
		"contract": func() ([]byte, error) { return ContractPDF(sampleContract(t)) },
		"card":     func() ([]byte, error) { return CardPDF(card) },
	} {
		t.Run(name, func(t *testing.T) {
			pdf, err := render()
			if err != nil {
				t.Fatal(err)
			}
			got := runTool(t, "pdftotext", "-layout", "-enc", "UTF-8", writeTemp(t, "doc.pdf", pdf), "-")
			golden := filepath.Join("testdata", name+".pdftotext.golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("pdftotext -layout differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// writeLog records each write a streamed PDF makes.
type writeLog struct {
	bytes.Buffer
	sizes []int
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.Buffer.Write(p)
}

// TestContractsPDFToStreamsPageByPage: a batch goes out a page at a time, not as one finished PDF, and
// the bytes are those of the whole-document function.
func TestContractsPDFToStreamsPageByPage(t *testing.T) {
	cs := make([]ContractDoc, 10)
	for i := range cs {
		cs[i] = sampleContract(t)
	}
	var w writeLog
	if err := ContractsPDFTo(&w, cs); err != nil {
		t.Fatal(err)
	}
	whole, err := ContractsPDF(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), whole) {
		t.Fatal("the streamed batch differs from ContractsPDF's bytes")
	}
	// One write per page, then the last one with the font, the page tree and the cross-references.
	pages := len(pdfPageSizes(t, whole))
	biggest := 0
	for _, n := range w.sizes[:len(w.sizes)-1] {
		biggest = max(biggest, n)
	}
	if len(w.sizes) < pages+1 || biggest > w.Len()/pages {
		t.Errorf("%d pages went out in %d writes, the largest page write %d of %d bytes: not streamed page by page", pages, len(w.sizes), biggest, w.Len())
	}
	if text := pdfText(t, w.Bytes()); strings.Count(text, cs[0].Terms.Number) < len(cs) {
		t.Errorf("the streamed batch does not show its %d contracts", len(cs))
	}
}

// TestContractsPDFToWritesNothingOnBadInput: a contract whose terms do not match its hash stops the
// batch before its first byte, so the caller can still answer with an error.
func TestContractsPDFToWritesNothingOnBadInput(t *testing.T) {
	bad := sampleContract(t)
	bad.Terms.Wage.AmountFen++ // the terms no longer match the signed hash
	var w writeLog
	err := ContractsPDFTo(&w, []ContractDoc{sampleContract(t), bad})
	if err == nil || !strings.Contains(err.Error(), "refusing to print") {
		t.Errorf("err = %v, want the hash mismatch", err)
	}
	if w.Len() != 0 {
		t.Errorf("%d bytes written before the error", w.Len())
	}
}

// blockingWriter holds its first write until released.
type blockingWriter struct {
	entered, release chan struct{}
	first            bool
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	if !b.first {
		b.first = true
		close(b.entered)
		<-b.release
	}
	return len(p), nil
}

// TestRendererGivesSlotBackWhileWriting: a client reading a streamed batch slowly does not hold the
// rendering slot, so other documents render meanwhile; the batch then finishes.
func TestRendererGivesSlotBackWhileWriting(t *testing.T) {
	r := NewRenderer(1)
	w := &blockingWriter{entered: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- r.ContractsTo(context.Background(), w, []ContractDoc{sampleContract(t), sampleContract(t)})
	}()
	<-w.entered
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := r.Card(ctx, CardDoc{WorkerName: "马桂兰", WorkerNo: "LG00000123", QRPayload: "https://lingong.example.cn/c/x"}); err != nil {
		t.Errorf("a card waiting behind a blocked batch: %v", err)
	}
	close(w.release)
	if err := <-done; err != nil {
		t.Errorf("batch: %v", err)
	}
	if len(r.slots) != 0 {
		t.Errorf("%d slots still taken after both renders", len(r.slots))
	}
}
