package matching

import "slices"

// topK keeps the k best items seen, by better (a strict total order: ties are broken by id by every
// caller, so the result never depends on the order items arrive in). It is a binary min-heap with the
// worst kept item at the root, so rejecting an item that cannot enter is one comparison.
type topK[T any] struct {
	k      int
	better func(a, b T) bool
	items  []T
}

func newTopK[T any](k int, better func(a, b T) bool) *topK[T] {
	return &topK[T]{k: k, better: better, items: make([]T, 0, min(k, 1024))}
}

// full reports whether k items are kept, so that worst is the bar a new item must pass.
func (h *topK[T]) full() bool { return len(h.items) >= h.k }

// worst returns the worst kept item; only meaningful when full. It is a pointer because the loops ask
// for it once per candidate and a search hit is a few hundred bytes: copying it cost more than the test.
// The caller must not change the item.
func (h *topK[T]) worst() *T { return &h.items[0] }

// push offers an item.
func (h *topK[T]) push(x T) {
	if h.k <= 0 {
		return
	}
	if len(h.items) < h.k {
		h.items = append(h.items, x)
		h.up(len(h.items) - 1)
		return
	}
	if !h.better(x, h.items[0]) {
		return
	}
	h.items[0] = x
	h.down(0)
}

func (h *topK[T]) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.better(h.items[p], h.items[i]) {
			break
		}
		h.items[p], h.items[i] = h.items[i], h.items[p]
		i = p
	}
}

func (h *topK[T]) down(i int) {
	n := len(h.items)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		w := l // the worse child goes up
		if r := l + 1; r < n && h.better(h.items[l], h.items[r]) {
			w = r
		}
		if !h.better(h.items[i], h.items[w]) {
			return
		}
		h.items[i], h.items[w] = h.items[w], h.items[i]
		i = w
	}
}

// sorted returns the kept items, best first.
func (h *topK[T]) sorted() []T {
	out := slices.Clone(h.items)
	slices.SortFunc(out, func(a, b T) int {
		switch {
		case h.better(a, b):
			return -1
		case h.better(b, a):
			return 1
		}
		return 0
	})
	return out
}

// sortInPlace sorts the kept items, best first, and returns them; the heap is spent.
func (h *topK[T]) sortInPlace() []T {
	slices.SortFunc(h.items, func(a, b T) int {
		switch {
		case h.better(a, b):
			return -1
		case h.better(b, a):
			return 1
		}
		return 0
	})
	return h.items
}
