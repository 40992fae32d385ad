package contracts

import (
	"context"
	"io"
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
	if err := r.acquire(ctx); err != nil {
		return nil, err
	}
	defer r.release()
	return fn(in)
}

func (r *Renderer) acquire(ctx context.Context) error {
	select {
	case r.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Renderer) release() { <-r.slots }

// slotWriter gives the render's slot back while a write to the client is under way and takes it again
// afterwards, so a slow reader of a streamed PDF does not keep other renders waiting.
type slotWriter struct {
	ctx  context.Context
	r    *Renderer
	w    io.Writer
	held bool
}

func (s *slotWriter) Write(p []byte) (int, error) {
	s.r.release()
	s.held = false
	n, err := s.w.Write(p)
	if err != nil {
		return n, err
	}
	if err := s.r.acquire(s.ctx); err != nil {
		return n, err
	}
	s.held = true
	return n, nil
}

// Contract is ContractPDF within the bound.
func (r *Renderer) Contract(ctx context.Context, c ContractDoc) ([]byte, error) {
	return do(ctx, r, c, ContractPDF)
}

// Contracts is ContractsPDF within the bound (one slot for the whole batch).
func (r *Renderer) Contracts(ctx context.Context, cs []ContractDoc) ([]byte, error) {
	return do(ctx, r, cs, ContractsPDF)
}

// ContractsTo is ContractsPDFTo within the bound: one slot for the whole batch, given back while a page
// is being written to w (the client may read slowly) and taken again before the next is drawn. A context
// that ends while waiting for the slot again stops the PDF with its error.
func (r *Renderer) ContractsTo(ctx context.Context, w io.Writer, cs []ContractDoc) error {
	if err := r.acquire(ctx); err != nil {
		return err
	}
	sw := &slotWriter{ctx: ctx, r: r, w: w, held: true}
	defer func() {
		if sw.held {
			r.release()
		}
	}()
	return ContractsPDFTo(sw, cs)
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
