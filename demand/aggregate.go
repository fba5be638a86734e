package demand

import (
	"cmp"
	"slices"
	"time"
)

// Doc is one record (suggestion, problem, reception log, comment) as the
// analysis sees it: its terms as Extract returned them (distinct per doc).
type Doc struct {
	ID       string
	Village  string // village id; "" when the record names none
	Category string
	At       time.Time // when it was received or raised
	Words    []string
	Phrases  []string
}

// Trend is how a term moved against the previous period.
type Trend string

// Trends: 新出现, 上升, 下降, 持平.
const (
	New     Trend = "new"
	Rising  Trend = "rising"
	Falling Trend = "falling"
	Steady  Trend = "steady"
)

// TermStat is one term or phrase of a period.
type TermStat struct {
	Term     string   `json:"term"`
	Count    int      `json:"count"`    // records of the period that contain it
	Previous int      `json:"previous"` // records of the previous period that contain it
	Delta    int      `json:"delta"`    // Count - Previous
	Change   *float64 `json:"change"`   // Delta / Previous; nil when Previous is 0
	Trend    Trend    `json:"trend"`
	IDs      []string `json:"ids"` // records of the period that contain it, oldest first
}

// TopOptions select what Top counts. Zero values mean the defaults.
type TopOptions struct {
	Period   Period
	Village  string // only this village; "" for all
	Category string // only this category; "" for all
	Limit    int    // terms and phrases listed; default 20
	// MinCount is the fewest records of the period a term or phrase must be
	// in to be listed; default 2, so a phrase is listed only if it recurs.
	MinCount int
	MaxIDs   int // record ids per term; 0 for all
}

// Defaults of TopOptions.
const (
	DefaultLimit    = 20
	DefaultMinCount = 2
)

// Top is a period's most frequent terms and phrases.
type Top struct {
	Period          Period     `json:"-"`
	Records         int        `json:"records"`          // records in the period (after filters)
	PreviousRecords int        `json:"previous_records"` // records in the previous period
	Words           []TermStat `json:"words"`
	Phrases         []TermStat `json:"phrases"`
	// Falling are the words that lost most against the previous period,
	// including those gone altogether, which Words cannot show.
	Falling []TermStat `json:"falling"`
}

// TopTerms counts, for the period and filters of o, in how many records each
// term and phrase appears, compares with the previous period and lists the
// most frequent with their records. Cost is linear in len(docs).
func TopTerms(docs []Doc, o TopOptions) Top {
	o = o.withDefaults()
	cur, prev := o.Period, o.Period.Prev()
	var t Top
	t.Period = cur
	words := map[string]*tally{}
	phrases := map[string]*tally{}
	for i := range docs {
		d := &docs[i]
		if (o.Village != "" && d.Village != o.Village) || (o.Category != "" && d.Category != o.Category) {
			continue
		}
		var now bool
		switch {
		case cur.Contains(d.At):
			now = true
			t.Records++
		case prev.Contains(d.At):
			t.PreviousRecords++
		default:
			continue
		}
		count(words, d.Words, now)
		count(phrases, d.Phrases, now)
	}
	t.Words = top(words, o, func(a, b *tally) int {
		return cmp.Compare(b.cur, a.cur)
	}, func(x *tally) bool { return x.cur >= o.MinCount })
	t.Phrases = top(phrases, o, func(a, b *tally) int {
		return cmp.Compare(b.cur, a.cur)
	}, func(x *tally) bool { return x.cur >= o.MinCount })
	t.Falling = top(words, o, func(a, b *tally) int {
		return cmp.Compare(a.cur-a.prev, b.cur-b.prev)
	}, func(x *tally) bool { return x.prev >= o.MinCount && x.cur < x.prev })
	attachIDs(docs, o, &t)
	return t
}

// VillageTop is one village's Top.
type VillageTop struct {
	Village string `json:"village"`
	Top
}

// TopTermsByVillage is TopTerms for each village that has records in the
// period or the one before (o.Village is ignored), ordered by village.
func TopTermsByVillage(docs []Doc, o TopOptions) []VillageTop {
	cur, prev := o.Period, o.Period.Prev()
	groups := map[string][]Doc{}
	for _, d := range docs {
		if d.Village != "" && (cur.Contains(d.At) || prev.Contains(d.At)) {
			groups[d.Village] = append(groups[d.Village], d)
		}
	}
	out := make([]VillageTop, 0, len(groups))
	for v, g := range groups {
		o.Village = v
		out = append(out, VillageTop{Village: v, Top: TopTerms(g, o)})
	}
	slices.SortFunc(out, func(a, b VillageTop) int { return cmp.Compare(a.Village, b.Village) })
	return out
}

func (o TopOptions) withDefaults() TopOptions {
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.MinCount <= 0 {
		o.MinCount = DefaultMinCount
	}
	if o.Period.Kind == "" {
		o.Period = PeriodOf(Month, o.Period.Start)
	}
	return o
}

type tally struct {
	term      string
	cur, prev int
}

func count(m map[string]*tally, terms []string, now bool) {
	for _, s := range terms {
		x := m[s]
		if x == nil {
			x = &tally{term: s}
			m[s] = x
		}
		if now {
			x.cur++
		} else {
			x.prev++
		}
	}
}

// top returns the first o.Limit tallies that pass keep, in order, ties by
// term so the result is stable.
func top(m map[string]*tally, o TopOptions, order func(a, b *tally) int, keep func(*tally) bool) []TermStat {
	var xs []*tally
	for _, x := range m {
		if keep(x) {
			xs = append(xs, x)
		}
	}
	slices.SortFunc(xs, func(a, b *tally) int {
		if c := order(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	xs = xs[:min(len(xs), o.Limit)]
	out := make([]TermStat, len(xs))
	for i, x := range xs {
		out[i] = stat(x)
	}
	return out
}

func stat(x *tally) TermStat {
	s := TermStat{Term: x.term, Count: x.cur, Previous: x.prev, Delta: x.cur - x.prev}
	switch {
	case x.prev == 0:
		s.Trend = New
	case s.Delta > 0:
		s.Trend = Rising
	case s.Delta < 0:
		s.Trend = Falling
	default:
		s.Trend = Steady
	}
	if x.prev > 0 {
		c := float64(s.Delta) / float64(x.prev)
		s.Change = &c
	}
	return s
}

// attachIDs fills in the records of the period behind each listed term, in
// a second pass so that only listed terms collect ids.
func attachIDs(docs []Doc, o TopOptions, t *Top) {
	type hit struct {
		at time.Time
		id string
	}
	words := map[string][]hit{}
	phrases := map[string][]hit{}
	for _, s := range t.Words {
		words[s.Term] = nil
	}
	for _, s := range t.Falling {
		words[s.Term] = nil
	}
	for _, s := range t.Phrases {
		phrases[s.Term] = nil
	}
	for i := range docs {
		d := &docs[i]
		if (o.Village != "" && d.Village != o.Village) || (o.Category != "" && d.Category != o.Category) || !o.Period.Contains(d.At) {
			continue
		}
		for _, s := range d.Words {
			if h, ok := words[s]; ok {
				words[s] = append(h, hit{d.At, d.ID})
			}
		}
		for _, s := range d.Phrases {
			if h, ok := phrases[s]; ok {
				phrases[s] = append(h, hit{d.At, d.ID})
			}
		}
	}
	fill := func(stats []TermStat, hits map[string][]hit) {
		for i := range stats {
			h := hits[stats[i].Term]
			slices.SortFunc(h, func(a, b hit) int {
				if c := a.at.Compare(b.at); c != 0 {
					return c
				}
				return cmp.Compare(a.id, b.id)
			})
			if o.MaxIDs > 0 && len(h) > o.MaxIDs {
				h = h[:o.MaxIDs]
			}
			ids := make([]string, len(h))
			for j := range h {
				ids[j] = h[j].id
			}
			stats[i].IDs = ids
		}
	}
	fill(t.Words, words)
	fill(t.Falling, words)
	fill(t.Phrases, phrases)
}
