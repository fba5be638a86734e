package demand

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestPickMatchesSort checks, on random counts with many ties, that pick
// and oldest (which keep only the first k as they go) answer exactly what
// sorting everything and cutting answered before.
func TestPickMatchesSort(t *testing.T) {
	oldPick := func(n, limit int, order func(a, b int32) int, names []string, keep func(int32) bool) []int32 {
		var ids []int32
		for id := range n {
			if keep(int32(id)) {
				ids = append(ids, int32(id))
			}
		}
		slices.SortFunc(ids, func(a, b int32) int {
			if c := order(a, b); c != 0 {
				return c
			}
			return cmp.Compare(names[a], names[b])
		})
		return ids[:min(len(ids), limit)]
	}
	oldOldest := func(hits []*cdoc, max int) []*cdoc {
		h := slices.Clone(hits)
		slices.SortFunc(h, func(a, b *cdoc) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		if max > 0 && len(h) > max {
			h = h[:max]
		}
		return h
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, China)
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 3))
		n := r.IntN(300)
		names := make([]string, n)
		cur, prev := make([]int32, n), make([]int32, n)
		for i := range names {
			names[i] = fmt.Sprintf("t%d", r.IntN(1000)*1000+i) // unique, not in id order
			cur[i], prev[i] = int32(r.IntN(6)), int32(r.IntN(6))
		}
		limit := 1 + r.IntN(30)
		// The ids counted come in the order records named them.
		ids := make([]int32, n)
		for i, id := range r.Perm(n) {
			ids[i] = int32(id)
		}
		byCount := func(a, b int32) int { return cmp.Compare(cur[b], cur[a]) }
		keep := func(id int32) bool { return cur[id] >= 2 }
		if got, want := pick(ids, limit, byCount, names, keep), oldPick(n, limit, byCount, names, keep); !slices.Equal(got, want) {
			t.Fatalf("seed %d: pick\n got %v\nwant %v", seed, got, want)
		}
		falling := func(a, b int32) int { return cmp.Compare(cur[a]-prev[a], cur[b]-prev[b]) }
		keepF := func(id int32) bool { return prev[id] >= 2 && cur[id] < prev[id] }
		if got, want := pick(ids, limit, falling, names, keepF), oldPick(n, limit, falling, names, keepF); !slices.Equal(got, want) {
			t.Fatalf("seed %d: falling\n got %v\nwant %v", seed, got, want)
		}

		hits := make([]*cdoc, r.IntN(200))
		for i := range hits {
			hits[i] = &cdoc{id: fmt.Sprintf("d%d-%d", r.IntN(50), i), at: start.Add(time.Duration(r.IntN(20)) * time.Hour)}
		}
		before := slices.Clone(hits)
		for _, max := range []int{0, 1, r.IntN(60), 50, len(hits)} {
			if got, want := oldest(hits, max), oldOldest(hits, max); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d max %d: oldest\n got %v\nwant %v", seed, max, got, want)
			}
		}
		if !slices.Equal(hits, before) {
			t.Fatalf("seed %d: oldest reordered its input", seed)
		}
	}
}
