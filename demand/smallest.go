package demand

import "slices"

// smallest keeps the k smallest of the items it is offered under a total
// order, in a max-heap of k: a view lists 20 terms of tens of thousands,
// or a term's 50 oldest records of thousands, and sorting all of them cost
// n·log n with a comparison each (most of the terms view at 100,000
// records). The order must be total (ties broken by a unique key), so the
// result is exactly the first k of the sorted items.
type smallest[T any] struct {
	k    int
	cmp  func(a, b T) int
	heap []T
}

func newSmallest[T any](k int, cmp func(a, b T) int) *smallest[T] {
	return &smallest[T]{k: k, cmp: cmp, heap: make([]T, 0, min(k, 64))}
}

// offer considers x.
func (s *smallest[T]) offer(x T) {
	if s.k <= 0 {
		return
	}
	h := s.heap
	if len(h) < s.k {
		h = append(h, x)
		// Sift up: the largest stays at the root.
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if s.cmp(h[i], h[p]) <= 0 {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		s.heap = h
		return
	}
	if s.cmp(x, h[0]) >= 0 {
		return
	}
	h[0] = x
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h) && s.cmp(h[l], h[big]) > 0 {
			big = l
		}
		if r < len(h) && s.cmp(h[r], h[big]) > 0 {
			big = r
		}
		if big == i {
			break
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// sorted returns the kept items, smallest first.
func (s *smallest[T]) sorted() []T {
	slices.SortFunc(s.heap, s.cmp)
	return s.heap
}
