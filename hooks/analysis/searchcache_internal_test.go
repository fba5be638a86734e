package analysis

import (
	"fmt"
	"testing"
)

// The kept searches stay within their bounds: a county's common word is
// kept, what would pass the bound of all keys together starts them over,
// and a search kept again replaces its old keys in the count.
func TestSearchCacheBounds(t *testing.T) {
	keys := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint("suggestions/", i)
		}
		return out
	}
	c := newSearchCache()
	c.put("county word", 1, keys(60_000))
	if got, ok := c.get("county word", 1); !ok || len(got) != 60_000 {
		t.Fatalf("a county's common word is not kept: %v %d", ok, len(got))
	}
	if _, ok := c.get("county word", 2); ok {
		t.Fatal("kept past a write to the index")
	}
	c.put("county word", 1, keys(60_000))
	if c.size != 60_000 {
		t.Fatalf("kept again: %d keys counted, want 60000", c.size)
	}
	c.put("another", 1, keys(maxKeptSearchKeys-60_000))
	if _, ok := c.get("county word", 1); !ok || c.size != maxKeptSearchKeys {
		t.Fatalf("within the bound: kept %v, %d keys", ok, c.size)
	}
	c.put("one more", 1, keys(1))
	if _, ok := c.get("county word", 1); ok || c.size != 1 {
		t.Fatalf("past the bound of all keys: the others kept (%v), %d keys", ok, c.size)
	}
	c.put("too many", 1, keys(maxKeptSearchKeys+1))
	if _, ok := c.get("too many", 1); ok {
		t.Fatal("a search past the bound on its own is kept")
	}
	c.put("later", 2, keys(5))
	if _, ok := c.get("one more", 1); ok || c.size != 5 {
		t.Fatalf("a write to the index leaves the older searches: %d keys", c.size)
	}
}
