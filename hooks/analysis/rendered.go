package analysis

import "sync"

// renderedCache keeps whole answers, as sent, under the corpus generation
// they were computed at: a later change to the corpus makes them misses.
// Few are kept (the presidium asks a handful of periods), and the oldest
// kept goes first.
type renderedCache struct {
	mu      sync.Mutex
	entries map[string]renderedEntry
	order   []string
}

type renderedEntry struct {
	generation uint64
	body       []byte
	results    int // for the access log
}

const maxRendered = 16

func (c *renderedCache) get(key string, gen uint64) ([]byte, int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.generation != gen {
		return nil, 0, false
	}
	return e.body, e.results, true
}

func (c *renderedCache) put(key string, gen uint64, body []byte, results int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]renderedEntry{}
	}
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = renderedEntry{generation: gen, body: body, results: results}
	for len(c.order) > maxRendered {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// corpusGeneration is the number of changes to the corpus so far.
func (d *desk) corpusGeneration() uint64 {
	d.corpusMu.Lock()
	defer d.corpusMu.Unlock()
	return d.generation
}
