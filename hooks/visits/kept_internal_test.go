package visits

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"simeng/visitpace"
)

// A deputy's kept tally is kept between asks (deputyYear.tallied): after
// every add and remove, in any order, the kept answer is the one counted
// afresh from the groups.
func TestDeputyYearKeptTallyFollowsEveryChange(t *testing.T) {
	rnd := rand.New(rand.NewPCG(19, 1))
	d := newDeputyYear()
	held := map[string]visitpace.Group{}
	for step := range 2000 {
		if id := fmt.Sprint("v", rnd.IntN(60)); held[id] != (visitpace.Group{}) {
			d.remove(id, held[id])
			delete(held, id)
		} else {
			g := visitpace.Group{Household: fmt.Sprint("h", rnd.IntN(15)), Month: rnd.IntN(12),
				Late: rnd.IntN(5) == 0, Excluded: rnd.IntN(6) == 0}
			d.add(id, g)
			held[id] = g
		}
		if rnd.IntN(3) == 0 {
			continue // some changes come without an ask between them
		}
		if got, want := d.tally(), d.count(); got != want {
			t.Fatalf("step %d: kept %+v, counted %+v", step, got, want)
		}
	}
}

// A committed write's values are taken as the stored ones only when no
// other write of the visit was under way at any time during it: two writes
// that overlap may have committed in either order, so the visit is read
// again. Every interleaving of the starts and ends of two writes of one
// visit (and of writes of two visits) is checked.
func TestStoredValuesOnlyOfWritesAlone(t *testing.T) {
	snap := func(household string) *YearVisit { return &YearVisit{ID: "v1", Household: household} }
	for _, tc := range []struct {
		name  string
		steps string // a/b: write A/B starts; A/B: it ends (committed)
		want  string // the household read from pending, "" when read again
	}{
		{"alone", "aA", "hA"},
		{"one after the other", "aAbB", "hB"},
		{"B inside A", "abBA", ""},
		{"A inside B", "baAB", ""},
		{"overlapping, A ends first", "abAB", ""},
		{"overlapping, B ends first", "baBA", ""},
		{"B starts after A ended, ends first of the next", "aAbaBA", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := &keptVisits{pending: map[string]*YearVisit{}, writing: map[string]*visitWrites{}}
			var wa, wb visitWrite
			for _, c := range tc.steps {
				switch c {
				case 'a':
					wa = k.begin("v1")
				case 'b':
					wb = k.begin("v1")
				case 'A':
					k.end(wa, snap("hA"))
				case 'B':
					k.end(wb, snap("hB"))
				}
			}
			got := ""
			if v := k.pending["v1"]; v != nil {
				got = v.Household
			}
			if got != tc.want {
				t.Fatalf("pending holds %q, want %q", got, tc.want)
			}
			if len(k.writing) != 0 {
				t.Fatalf("writes still under way: %v", k.writing)
			}
		})
	}
	// Writes of another visit do not count as overlapping.
	k := &keptVisits{pending: map[string]*YearVisit{}, writing: map[string]*visitWrites{}}
	w1, w2 := k.begin("v1"), k.begin("v2")
	k.end(w2, &YearVisit{ID: "v2"})
	k.end(w1, snap("h1"))
	if v := k.pending["v1"]; v == nil || v.Household != "h1" {
		t.Fatalf("a write of another visit made v1 read again: %+v", v)
	}
	// A write still under way leaves the visit to be read again.
	k.begin("v3")
	if v, ok := k.pending["v3"]; !ok || v != nil {
		t.Fatalf("a visit being written is pending with values: %+v", v)
	}
}

// A deputy's counted ids come sorted, whatever order they were added and
// removed in, with reads (which merge the added ones in) at any point.
func TestDeputyYearIDsStaySorted(t *testing.T) {
	rnd := rand.New(rand.NewPCG(23, 5))
	d := newDeputyYear()
	held := map[string]visitpace.Group{}
	for step := range 3000 {
		id := fmt.Sprintf("v%04d", rnd.IntN(400))
		if g, ok := held[id]; ok {
			d.remove(id, g)
			delete(held, id)
		} else {
			g := visitpace.Group{Household: fmt.Sprint("h", rnd.IntN(15)), Month: rnd.IntN(12), Excluded: rnd.IntN(8) == 0}
			d.add(id, g)
			held[id] = g
		}
		if rnd.IntN(10) != 0 {
			continue // most changes come without a read between them
		}
		var want []string
		for id, g := range held {
			if g.Counts() {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		if got := d.sortedIDs(); !slices.Equal(got, want) {
			t.Fatalf("step %d: ids %v, want %v", step, got, want)
		}
	}
}

// A household's key tells ids apart exactly as the ids themselves, short
// or long, and a year counts by it as it counted by the id.
func TestIDKey(t *testing.T) {
	ids := []string{"", "a", "abc", "abc\x00", "h0000000000001a", "h0000000000001b", "0123456789abcdef",
		"0123456789abcdef0", "0123456789abcdef1", strings.Repeat("x", 40)}
	for _, a := range ids {
		for _, b := range ids {
			if (idKeyOf(a) == idKeyOf(b)) != (a == b) {
				t.Errorf("idKeyOf(%q) == idKeyOf(%q) is %v", a, b, idKeyOf(a) == idKeyOf(b))
			}
		}
	}
	d := newDeputyYear()
	for i, h := range ids {
		d.add(fmt.Sprintf("v%02d", i), visitpace.Group{Household: h, Month: i % 12})
		d.add(fmt.Sprintf("w%02d", i), visitpace.Group{Household: h, Month: i % 12})
	}
	if len(d.households) != len(ids) {
		t.Fatalf("%d households kept, want %d", len(d.households), len(ids))
	}
	for _, hy := range d.households {
		if hy.months[slices.Index(ids, hy.id)%12] != 2 {
			t.Errorf("household %q: months %v, want two visits in one", hy.id, hy.months)
		}
	}
	d.remove("v03", visitpace.Group{Household: ids[3], Month: 3})
	d.remove("w03", visitpace.Group{Household: ids[3], Month: 3})
	if _, ok := d.households[idKeyOf(ids[3])]; ok || len(d.households) != len(ids)-1 {
		t.Errorf("a household whose visits were all removed is still kept")
	}
}

// A year read stages its visits by shard and puts them in at the end
// (staging, putAll): the index then holds each visit as one put at a time
// would, ids of every length, and nothing else.
func TestStagedVisitsPutAsOneByOne(t *testing.T) {
	const n = 2*stagingVisits + 5000 // staged and put in more than once
	staged, single := newVisitIndex(n), newVisitIndex(n)
	single.seed = staged.seed
	st := staged.staging()
	d := newDeputyYear()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("v%014d", i)
		if i%7 == 0 {
			ids[i] = fmt.Sprintf("a-longer-phone-made-id-%d", i)
		}
		v := keptVisit{deputy: d, household: fmt.Sprintf("h%d", i%40), month: int8(i % 12), late: i%5 == 0, excluded: i%9 == 0}
		st.add(ids[i], v)
		single.put(ids[i], v)
	}
	st.putAll()
	held := 0
	for i := range staged.shards {
		held += len(staged.shards[i])
		if len(staged.shards[i]) != len(single.shards[i]) {
			t.Fatalf("shard %d holds %d visits, one by one %d", i, len(staged.shards[i]), len(single.shards[i]))
		}
	}
	if held != n {
		t.Fatalf("the index holds %d visits, want %d", held, n)
	}
	for _, id := range ids {
		got, ok := staged.get(id)
		want, _ := single.get(id)
		if !ok || got != want {
			t.Fatalf("visit %s: %+v %v, want %+v", id, got, ok, want)
		}
	}
	if _, ok := staged.get("v99999999999999"); ok {
		t.Fatal("a visit never put is found")
	}
	staged.remove(ids[3])
	if _, ok := staged.get(ids[3]); ok {
		t.Fatal("a removed visit is still found")
	}
}
