package contracts

import (
	"context"
	"runtime"
)

// Renderer bounds how many PDFs render at once. A render holds a few megabytes while it runs (gofpdf's
// per-font tables and compressors; measured by TestConcurrentRenderMemory), so an unbounded burst — a
// station printing a day's contracts while 50 workers download theirs — could take memory in proportion
// to the burst. Past the bound, callers wait their turn (or give up when their context ends); rendering
// is CPU-bound, so more parallelism than CPUs would not finish sooner anyway.
//
// A Renderer is safe for concurrent use. The zero value is not usable; call NewRenderer.
type Renderer struct {
	slots chan struct{}
}

// NewRenderer returns a Renderer running at most max renders at once; max <= 0 means max(2, NumCPU).
func NewRenderer(max int) *Renderer {
	if max <= 0 {
		max = runtime.NumCPU()
		if max < 2 {
			max = 2
		}
	}
	return &Renderer{slots: make(chan struct{}, max)}
}

// Limit is the number of renders allowed at once.
func (r *Renderer) Limit() int { return cap(r.slots) }

// do runs fn in a slot, or returns ctx's error if the context ends first.
func do[T any](ctx context.Context, r *Renderer, in T, fn func(T) ([]byte, error)) ([]byte, error) {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-r.slots }()
	return fn(in)
}

// Contract is ContractPDF within the bound.
func (r *Renderer) Contract(ctx context.Context, c ContractDoc) ([]byte, error) {
	return do(ctx, r, c, ContractPDF)
}

// Contracts is ContractsPDF within the bound (one slot for the whole batch).
func (r *Renderer) Contracts(ctx context.Context, cs []ContractDoc) ([]byte, error) {
	return do(ctx, r, cs, ContractsPDF)
}

// Ledger is LedgerPDF within the bound.
func (r *Renderer) Ledger(ctx context.Context, l LedgerDoc) ([]byte, error) {
	return do(ctx, r, l, LedgerPDF)
}

// Payroll is PayrollPDF within the bound.
func (r *Renderer) Payroll(ctx context.Context, p PayrollDoc) ([]byte, error) {
	return do(ctx, r, p, PayrollPDF)
}

// Poster is PosterPDF within the bound.
func (r *Renderer) Poster(ctx context.Context, p PosterDoc) ([]byte, error) {
	return do(ctx, r, p, PosterPDF)
}

// Card is CardPDF within the bound.
func (r *Renderer) Card(ctx context.Context, c CardDoc) ([]byte, error) {
	return do(ctx, r, c, CardPDF)
}
