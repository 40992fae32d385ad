package contracts

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// Benchmarks. Run: go test ./contracts -run '^$' -bench . -benchmem
// The font is loaded once per process before timing, as in the service.

func benchPDF(b *testing.B, render func() ([]byte, error)) {
	b.Helper()
	mustFace(b)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := render()
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
}

// BenchmarkContractPDF is the target of issue 6: ≤ 20 ms and ≤ 150 KB per contract.
func BenchmarkContractPDF(b *testing.B) {
	c := sampleContract(b)
	benchPDF(b, func() ([]byte, error) { return ContractPDF(c) })
}

func BenchmarkContractPDFLongDescription(b *testing.B) {
	c := sampleContract(b)
	c.Terms.Work.Content = longText(2000)
	c.TermsHash, c.Signatures = "", nil
	benchPDF(b, func() ([]byte, error) { return ContractPDF(c) })
}

func BenchmarkContractsPDFBatch20(b *testing.B) {
	cs := make([]ContractDoc, 20)
	for i := range cs {
		cs[i] = sampleContract(b)
	}
	benchPDF(b, func() ([]byte, error) { return ContractsPDF(cs) })
}

func BenchmarkPosterPDF(b *testing.B) {
	p := PosterDoc{StationName: "沙坡头区文昌镇零工驿站", StationCode: "SPT-S01", Address: "中卫市沙坡头区文昌镇鼓楼西街 88 号",
		Phone: "0955-7012345", RegisterURL: "https://lingong.example.cn/r/SPT-S01"}
	benchPDF(b, func() ([]byte, error) { return PosterPDF(p) })
}

func BenchmarkCardPDF(b *testing.B) {
	c := CardDoc{WorkerName: "马桂兰", WorkerNo: "LG00000123", StationName: "中宁县宁安镇零工驿站",
		QRPayload: "https://lingong.example.cn/c/LG00000123.2.kJ8x2mQ9vR4tY7uW1zA3bC5dE6fG8hJ0"}
	benchPDF(b, func() ([]byte, error) { return CardPDF(c) })
}

func BenchmarkPayrollPDF(b *testing.B) {
	p := samplePayroll()
	for len(p.Rows) < 60 {
		p.Rows = append(p.Rows, p.Rows[:3]...)
	}
	benchPDF(b, func() ([]byte, error) { return PayrollPDF(p) })
}

func BenchmarkQRPNG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := QRPNG("https://lingong.example.cn/r/SPT-S01", 512); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConcurrent50 starts 50 contract renders at once per iteration and reports the peak memory,
// through the default Renderer (bounded) and with the bound lifted to 50 for comparison.
func BenchmarkConcurrent50(b *testing.B) {
	c := sampleContract(b)
	c.Terms.Work.Content = longText(2000)
	c.TermsHash, c.Signatures = "", nil
	mustFace(b)
	for _, bench := range []struct {
		name  string
		limit int
	}{{"bounded", 0}, {"unbounded", 50}} {
		b.Run(bench.name, func(b *testing.B) {
			r := NewRenderer(bench.limit)
			var heap, total uint64
			for b.Loop() {
				runtime.GC()
				h, tot := memPeak(func() { concurrentRenders(b, r, c, 50) })
				heap, total = max(heap, h), max(total, tot)
			}
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(total)/(1<<20), "peak-total-MB")
			b.ReportMetric(float64(r.Limit()), "slots")
		})
	}
}

// BenchmarkGofpdfAddFont measures why documents get their own font subset: what gofpdf costs per
// document to take the whole GBK font (it parses it here and again at Output) against a subset of a
// contract's few hundred characters.
func BenchmarkGofpdfAddFont(b *testing.B) {
	f := mustFace(b)
	var runes []rune
	for _, r := range longText(2000) + "零工用工协议合同编号甲方乙方0123456789" {
		runes = append(runes, r)
	}
	sub, err := f.subset(runes)
	if err != nil {
		b.Fatal(err)
	}
	for _, bench := range []struct {
		name string
		ttf  []byte
	}{{"full-GBK-font", notoSansSCGBK}, {"document-subset", sub}} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pdf := gofpdf.New("P", "mm", "A4", "")
				pdf.AddUTF8FontFromBytes(fontFamily, "", bench.ttf)
				if pdf.Error() != nil {
					b.Fatal(pdf.Error())
				}
			}
		})
	}
}

// BenchmarkContractsPDFBatch100Stream is the route's way of printing the batch: streamed to the client
// (here io.Discard) page by page, so the peak memory does not include the finished PDF.
func BenchmarkContractsPDFBatch100Stream(b *testing.B) {
	cs := make([]ContractDoc, 100)
	for i := range cs {
		cs[i] = sampleContract(b)
	}
	mustFace(b)
	b.ReportAllocs()
	var heap, total uint64
	for b.Loop() {
		runtime.GC()
		h, tot := memPeak(func() {
			if err := ContractsPDFTo(io.Discard, cs); err != nil {
				b.Fatal(err)
			}
		})
		heap, total = max(heap, h), max(total, tot)
	}
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(total)/(1<<20), "peak-total-MB")
}

// BenchmarkContractsPDFBatch100 is a station's morning print of 100 contracts in one PDF (issue 24): the
// time and size of the whole batch, and the peak memory while it renders (sampled; see memPeak).
func BenchmarkContractsPDFBatch100(b *testing.B) {
	cs := make([]ContractDoc, 100)
	for i := range cs {
		cs[i] = sampleContract(b)
	}
	mustFace(b)
	b.ReportAllocs()
	var heap, total uint64
	var size int
	for b.Loop() {
		runtime.GC()
		h, tot := memPeak(func() {
			out, err := ContractsPDF(cs)
			if err != nil {
				b.Fatal(err)
			}
			size = len(out)
		})
		heap, total = max(heap, h), max(total, tot)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(total)/(1<<20), "peak-total-MB")
}

// BenchmarkGofpdfFloor is the same-run baseline for the document benchmarks (issue 24): what gofpdf alone
// costs for a one-page PDF that embeds a subset of the contract's size (its own font parsing, font ID,
// subsetting again at Output, widths and CID map, compression), with nothing of ours but the subset.
func BenchmarkGofpdfFloor(b *testing.B) {
	f := mustFace(b)
	var runes []rune
	for r := rune(0x20); r < 0x7F; r++ {
		runes = append(runes, r)
	}
	for _, r := range longText(2000) + "零工用工协议合同编号甲方乙方" {
		runes = append(runes, r)
	}
	sub, err := f.subset(runes)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.SetCompression(true)
		pdf.AddUTF8FontFromBytes(fontFamily, "", sub)
		pdf.AddPage()
		pdf.SetFont(fontFamily, "", 12)
		pdf.Text(20, 20, string(runes[95:]))
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
