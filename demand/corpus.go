package demand

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Corpus holds every record's terms in memory with terms numbered, so that
// a view over 100,000 records counts in milliseconds: reading the same
// terms back from SQLite takes about a second (BenchmarkTermsFromSQLite).
// A server keeps one, filled on first use and kept current with Put and
// Delete from record hooks. It is safe for concurrent use.
type Corpus struct {
	mu      sync.RWMutex
	words   vocabulary
	phrases vocabulary
	strs    map[string]string // interned villages and categories
	pos     map[string]int    // record id → index in docs
	docs    []cdoc
	arena   []int32 // the chunk the next doc's term ids go in
	scratch []int32
}

type cdoc struct {
	id, village, category string
	at                    time.Time
	words, phrases        []int32
}

type vocabulary struct {
	ids   map[string]int32
	names []string
}

// intern appends the ids of terms, each once, to out.
func (v *vocabulary) intern(terms []string, out []int32) []int32 {
	if v.ids == nil {
		v.ids = map[string]int32{}
	}
	first := len(out)
	for _, s := range terms {
		id, ok := v.ids[s]
		if !ok {
			id = int32(len(v.names))
			v.ids[s] = id
			v.names = append(v.names, s)
		}
		if !slices.Contains(out[first:], id) {
			out = append(out, id)
		}
	}
	return out
}

// arenaChunk is how many term ids a chunk of the arena holds. The docs'
// ids are laid out one doc after another in chunks: a view walks every
// doc's terms in order, and ids scattered over the heap, one allocation a
// doc, cost 18× for 10× the docs (cache misses) where the walk is 10×.
const arenaChunk = 1 << 16

// keep copies ids into the arena, unless they are the ids held already.
func (c *Corpus) keep(ids, held []int32) []int32 {
	if len(ids) == 0 {
		return nil
	}
	if slices.Equal(ids, held) {
		return held
	}
	if len(ids) > cap(c.arena)-len(c.arena) {
		c.arena = make([]int32, 0, max(arenaChunk, len(ids)))
	}
	start := len(c.arena)
	c.arena = append(c.arena, ids...)
	return c.arena[start:len(c.arena):len(c.arena)]
}

// NewCorpus returns a corpus holding docs.
func NewCorpus(docs ...Doc) *Corpus {
	c := &Corpus{strs: map[string]string{}, pos: make(map[string]int, len(docs))}
	c.Put(docs...)
	return c
}

// Put adds docs, replacing any held under the same ID.
func (c *Corpus) Put(docs ...Doc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range docs {
		cd := cdoc{
			id:       d.ID,
			village:  c.intern(d.Village),
			category: c.intern(d.Category),
			at:       d.At,
		}
		i, held := c.pos[d.ID]
		var old cdoc
		if held {
			old = c.docs[i]
		}
		// A record put again with the same terms (a status changed) keeps
		// its ids where they are: the arena is never freed in part.
		c.scratch = c.words.intern(d.Words, c.scratch[:0])
		cd.words = c.keep(c.scratch, old.words)
		c.scratch = c.phrases.intern(d.Phrases, c.scratch[:0])
		cd.phrases = c.keep(c.scratch, old.phrases)
		if held {
			c.docs[i] = cd
			continue
		}
		c.pos[d.ID] = len(c.docs)
		c.docs = append(c.docs, cd)
	}
}

func (c *Corpus) intern(s string) string {
	if v, ok := c.strs[s]; ok {
		return v
	}
	c.strs[s] = s
	return s
}

// Delete removes the records with these ids; unknown ids are ignored.
func (c *Corpus) Delete(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		i, ok := c.pos[id]
		if !ok {
			continue
		}
		last := len(c.docs) - 1
		c.docs[i] = c.docs[last]
		c.pos[c.docs[i].id] = i
		c.docs = c.docs[:last]
		delete(c.pos, id)
	}
}

// Len is the number of records held.
func (c *Corpus) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.docs)
}

// Top is TopTerms over the corpus.
func (c *Corpus) Top(o TopOptions) Top {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o = o.withDefaults()
	return c.top(o, newCounts(len(c.words.names), len(c.phrases.names)), c.inPeriods(o.Period))
}

// inPeriods returns the indexes of the docs in p or the period before.
func (c *Corpus) inPeriods(p Period) []int32 {
	from, to := p.Prev().Start, p.End()
	var out []int32
	for i := range c.docs {
		if at := c.docs[i].at; !at.Before(from) && at.Before(to) {
			out = append(out, int32(i))
		}
	}
	return out
}

// TopByVillage is TopTermsByVillage over the corpus.
func (c *Corpus) TopByVillage(o TopOptions) []VillageTop {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o = o.withDefaults()
	byVillage := map[string][]int32{}
	for _, i := range c.inPeriods(o.Period) {
		if v := c.docs[i].village; v != "" {
			byVillage[v] = append(byVillage[v], i)
		}
	}
	names := make([]string, 0, len(byVillage))
	for v := range byVillage {
		names = append(names, v)
	}
	slices.Sort(names)
	out := make([]VillageTop, 0, len(names))
	k := newCounts(len(c.words.names), len(c.phrases.names))
	for _, v := range names {
		o.Village = v
		out = append(out, VillageTop{Village: v, Top: c.top(o, k, byVillage[v])})
		k.reset()
	}
	return out
}

// Recurrences is Recurrences over the corpus, on its own term numbering.
func (c *Corpus) Recurrences(o RecurOptions) []Cluster {
	c.mu.RLock()
	// Counted first: growing the window by appending copied it a dozen
	// times over at 100,000 records.
	n := 0
	for i := range c.docs {
		d := &c.docs[i]
		if o.inWindow(d.village, d.at) && len(d.words) > 0 {
			n++
		}
	}
	window := make([]rdoc, 0, n)
	for i := range c.docs {
		d := &c.docs[i]
		if o.inWindow(d.village, d.at) && len(d.words) > 0 {
			window = append(window, rdoc{id: d.id, village: d.village, category: d.category, at: d.at, words: d.words})
		}
	}
	// Put never changes a held doc's terms or a numbered name, and only
	// appends names: both stay valid after the lock is released.
	names := c.words.names
	c.mu.RUnlock()
	return recurrences(window, names, o)
}

// counts are per-term record counts of the period and the one before,
// indexed by term id, with the ids counted so far: a village's terms are
// picked and cleared among those alone. Walking the whole vocabulary per
// village grew as villages × vocabulary (12× for 10× the data).
type counts struct {
	wcur, wprev, pcur, pprev []int32
	words, phrases           []int32 // ids with a count, each once
}

func newCounts(words, phrases int) *counts {
	return &counts{wcur: make([]int32, words), wprev: make([]int32, words), pcur: make([]int32, phrases), pprev: make([]int32, phrases)}
}

func (k *counts) reset() {
	for _, id := range k.words {
		k.wcur[id], k.wprev[id] = 0, 0
	}
	for _, id := range k.phrases {
		k.pcur[id], k.pprev[id] = 0, 0
	}
	k.words, k.phrases = k.words[:0], k.phrases[:0]
}

// add counts a record's terms in the period (cur) or the one before.
func (k *counts) add(words, phrases []int32, cur bool) {
	w, p := k.wprev, k.pprev
	if cur {
		w, p = k.wcur, k.pcur
	}
	for _, id := range words {
		if k.wcur[id] == 0 && k.wprev[id] == 0 {
			k.words = append(k.words, id)
		}
		w[id]++
	}
	for _, id := range phrases {
		if k.pcur[id] == 0 && k.pprev[id] == 0 {
			k.phrases = append(k.phrases, id)
		}
		p[id]++
	}
}

func (c *Corpus) matches(d *cdoc, o TopOptions) bool {
	return (o.Village == "" || d.village == o.Village) && (o.Category == "" || d.category == o.Category)
}

// top counts with k (zeroed) under the read lock, over the docs at idx,
// which are all in the period or the one before.
func (c *Corpus) top(o TopOptions, k *counts, idx []int32) Top {
	t := Top{Period: o.Period}
	start := o.Period.Start
	for _, i := range idx {
		d := &c.docs[i]
		if !c.matches(d, o) {
			continue
		}
		cur := !d.at.Before(start)
		if cur {
			t.Records++
		} else {
			t.PreviousRecords++
		}
		k.add(d.words, d.phrases, cur)
	}
	minCount := int32(o.MinCount)
	byCount := func(cur []int32) func(a, b int32) int {
		return func(a, b int32) int { return cmp.Compare(cur[b], cur[a]) }
	}
	words := pick(k.words, o.Limit, byCount(k.wcur), c.words.names,
		func(id int32) bool { return k.wcur[id] >= minCount })
	phrases := pick(k.phrases, o.Limit, byCount(k.pcur), c.phrases.names,
		func(id int32) bool { return k.pcur[id] >= minCount })
	falling := pick(k.words, o.Limit, func(a, b int32) int {
		return cmp.Compare(k.wcur[a]-k.wprev[a], k.wcur[b]-k.wprev[b])
	}, c.words.names, func(id int32) bool { return k.wprev[id] >= minCount && k.wcur[id] < k.wprev[id] })

	// Second pass: the records behind the listed terms, oldest first.
	wslot := map[int32][]*cdoc{}
	pslot := map[int32][]*cdoc{}
	for _, id := range words {
		wslot[id] = nil
	}
	for _, id := range falling {
		wslot[id] = nil
	}
	for _, id := range phrases {
		pslot[id] = nil
	}
	for _, i := range idx {
		d := &c.docs[i]
		if d.at.Before(start) || !c.matches(d, o) {
			continue
		}
		for _, id := range d.words {
			if h, ok := wslot[id]; ok {
				wslot[id] = append(h, d)
			}
		}
		for _, id := range d.phrases {
			if h, ok := pslot[id]; ok {
				pslot[id] = append(h, d)
			}
		}
	}
	t.Words = stats(words, k.wcur, k.wprev, c.words.names, wslot, o.MaxIDs)
	t.Phrases = stats(phrases, k.pcur, k.pprev, c.phrases.names, pslot, o.MaxIDs)
	t.Falling = stats(falling, k.wcur, k.wprev, c.words.names, wslot, o.MaxIDs)
	return t
}

// pick returns up to limit of the term ids that pass keep, in order, ties
// by term. Only the first limit are kept as it goes (see smallest).
func pick(ids []int32, limit int, order func(a, b int32) int, names []string, keep func(int32) bool) []int32 {
	s := newSmallest(limit, func(a, b int32) int {
		if c := order(a, b); c != 0 {
			return c
		}
		return cmp.Compare(names[a], names[b])
	})
	for _, id := range ids {
		if keep(id) {
			s.offer(id)
		}
	}
	return s.sorted()
}

func stats(ids []int32, cur, prev []int32, names []string, hits map[int32][]*cdoc, maxIDs int) []TermStat {
	out := make([]TermStat, len(ids))
	for i, id := range ids {
		s := TermStat{Term: names[id], Count: int(cur[id]), Previous: int(prev[id])}
		s.Delta = s.Count - s.Previous
		switch {
		case s.Previous == 0:
			s.Trend = New
		case s.Delta > 0:
			s.Trend = Rising
		case s.Delta < 0:
			s.Trend = Falling
		default:
			s.Trend = Steady
		}
		if s.Previous > 0 {
			ch := float64(s.Delta) / float64(s.Previous)
			s.Change = &ch
		}
		h := oldest(hits[id], maxIDs)
		s.IDs = make([]string, len(h))
		for j, d := range h {
			s.IDs[j] = d.id
		}
		out[i] = s
	}
	return out
}

// oldest returns the max oldest of hits (all for max 0), oldest first, ties
// by id; hits is left as it is.
func oldest(hits []*cdoc, max int) []*cdoc {
	order := func(a, b *cdoc) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	}
	if max <= 0 || len(hits) <= max {
		h := slices.Clone(hits)
		slices.SortFunc(h, order)
		return h
	}
	s := newSmallest(max, order)
	for _, d := range hits {
		s.offer(d)
	}
	return s.sorted()
}
