package imageguard

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

// ErrBusy is returned when the decode budget did not free up before the
// caller's context ended.
var ErrBusy = errors.New("imageguard: decode budget busy")

// Budget bounds the pixels being decoded at once across the process.
//
// It is weighted by pixels rather than counting decodes because the memory
// of a decode grows with its pixels: a count of 4 lets four 40 MP photos
// (1.3 GB) in at once while making four 0.1 MP avatar thumbnails wait
// for no reason. With pixels, many small images go through together and
// large ones take turns. Waiters are served in order (x/sync/semaphore is
// FIFO), so a large photo is not starved by a stream of small ones.
type Budget struct {
	sem  *semaphore.Weighted
	size int64

	mu             sync.Mutex
	inFlight, peak int64
}

// NewBudget makes a budget of size pixels (DefaultBudgetPixels if <= 0).
func NewBudget(size int64) *Budget {
	if size <= 0 {
		size = DefaultBudgetPixels
	}
	return &Budget{sem: semaphore.NewWeighted(size), size: size}
}

// Shared is the process-wide budget that every decode in the server uses:
// resident re-encodes and PocketBase's thumbnails alike.
var Shared = NewBudget(DefaultBudgetPixels)

// Size is the budget in pixels.
func (b *Budget) Size() int64 { return b.size }

// Acquire waits until pixels fit in the budget (an image larger than the
// whole budget waits for all of it) and returns the function that gives
// them back; call it once the decoded image is no longer held. It fails
// with ErrBusy when ctx ends first.
func (b *Budget) Acquire(ctx context.Context, pixels int64) (release func(), err error) {
	w := min(max(pixels, 1), b.size)
	if err := b.sem.Acquire(ctx, w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBusy, err)
	}
	return b.account(w), nil
}

// account records w pixels as held and returns their release.
func (b *Budget) account(w int64) func() {
	b.mu.Lock()
	b.inFlight += w
	b.peak = max(b.peak, b.inFlight)
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.inFlight -= w
			b.mu.Unlock()
			b.sem.Release(w)
		})
	}
}

// Peak is the most pixels ever held at once, for tests and benchmarks.
func (b *Budget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// TryAcquire takes pixels only if they fit now.
func (b *Budget) TryAcquire(pixels int64) (release func(), ok bool) {
	w := min(max(pixels, 1), b.size)
	if !b.sem.TryAcquire(w) {
		return nil, false
	}
	return b.account(w), true
}
