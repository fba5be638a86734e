package analysis

import "sync"

// keptCache keeps values computed from the demands under the generation
// they were computed at: asked for under another generation, a value is a
// miss, and putting one drops those of older generations. It is bounded
// by the number of values and by their total size (sizeOf): putting past
// either starts it over, and a value past the size bound on its own is
// not kept.
type keptCache[V any] struct {
	mu         sync.Mutex
	entries    map[string]keptEntry[V]
	size       int // of all entries
	maxEntries int
	maxSize    int
	sizeOf     func(V) int
}

type keptEntry[V any] struct {
	gen   uint64
	value V
}

func newKeptCache[V any](maxEntries, maxSize int, sizeOf func(V) int) *keptCache[V] {
	return &keptCache[V]{entries: map[string]keptEntry[V]{}, maxEntries: maxEntries, maxSize: maxSize, sizeOf: sizeOf}
}

func (c *keptCache[V]) get(key string, gen uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.gen != gen {
		var zero V
		return zero, false
	}
	return e.value, true
}

func (c *keptCache[V]) put(key string, gen uint64, value V) {
	n := c.sizeOf(value)
	if n > c.maxSize {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.gen != gen {
			c.size -= c.sizeOf(e.value)
			delete(c.entries, k)
		}
	}
	if old, ok := c.entries[key]; ok {
		c.size -= c.sizeOf(old.value)
		delete(c.entries, key)
	}
	if len(c.entries) >= c.maxEntries || c.size+n > c.maxSize {
		clear(c.entries)
		c.size = 0
	}
	c.entries[key] = keptEntry[V]{gen: gen, value: value}
	c.size += n
}

// Bounds of the kept searches: a few people paging a few searches each,
// and the keys of all of them together (some 10 MB): a common word's
// matches in a county's year (tens of thousands) are kept like a
// township's; only a search matching more is read again on each page.
const (
	maxKeptSearches   = 16
	maxKeptSearchKeys = 250_000
)

// newSearchCache keeps the matches of the latest searches with words, each
// under the index generation it was read at (countCache.generation): a
// write settled since makes every kept search unused.
func newSearchCache() *keptCache[[]string] {
	return newKeptCache(maxKeptSearches, maxKeptSearchKeys, func(keys []string) int { return len(keys) })
}

// newRecurrenceCache keeps quarters' recurrence flags (the flags on
// search results) under the corpus generation they were computed at.
func newRecurrenceCache() *keptCache[map[string]flag] {
	return newKeptCache(16, 1_000_000, func(byID map[string]flag) int { return len(byID) })
}

// renderedAnswer is a whole answer as sent, with how many records it
// holds (for the access log).
type renderedAnswer struct {
	body    []byte
	results int
}

// newRenderedCache keeps whole answers under the corpus generation they
// were computed at (desk.generation): a county's words by village are
// 3 MB of JSON, so the bound is on their bytes.
func newRenderedCache() *keptCache[renderedAnswer] {
	return newKeptCache(16, 64<<20, func(a renderedAnswer) int { return len(a.body) })
}

// corpusGeneration is the number of changes to the corpus so far.
func (d *desk) corpusGeneration() uint64 {
	d.corpusMu.Lock()
	defer d.corpusMu.Unlock()
	return d.generation
}
