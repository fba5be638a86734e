package demand

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestRecurrencesMatchOld checks, on random reports, that Recurrences and
// Corpus.Recurrences (terms numbered once, by the corpus) answer exactly
// what the string-keyed implementation they replaced answered.
func TestRecurrencesMatchOld(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, China)
	vocabulary := []string{"饮水", "停水", "自来水", "路灯", "不亮", "道路", "坑洼", "老人", "出行", "垃圾", "清运", "噪音", "水渠", "漏水", "维修", "化粪池"}
	villages := []string{"", "v1", "v2", "v3"}
	cats := []string{"饮水安全", "道路交通", "环境卫生"}
	cases := []RecurOptions{
		{},
		{From: start, To: start.AddDate(0, 3, 0)},
		{From: start.AddDate(0, 3, 0), To: start.AddDate(0, 6, 0), Village: "v2"},
		{To: start.AddDate(0, 2, 0), MinReports: 2, Threshold: 0.3},
		{From: start.AddDate(0, 1, 0), MinReports: 5, Threshold: 0.8, SameCategory: true},
	}
	clusters := 0
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 17))
		n := 50 + r.IntN(400)
		docs := make([]Doc, n)
		for i := range docs {
			var words []string
			for range r.IntN(7) {
				if w := vocabulary[r.IntN(len(vocabulary))]; !slices.Contains(words, w) {
					words = append(words, w)
				}
			}
			docs[i] = Doc{ID: fmt.Sprintf("d%04d", r.IntN(10000)), Village: villages[r.IntN(len(villages))],
				Category: cats[r.IntN(len(cats))], At: start.Add(time.Duration(r.IntN(180*24)) * time.Hour), Words: words}
		}
		// IDs must be unique for the corpus; a few repeated times remain.
		for i := range docs {
			docs[i].ID = fmt.Sprintf("%s-%d", docs[i].ID, i)
		}
		c := NewCorpus(docs...)
		c.Delete(docs[0].ID)
		for _, o := range cases {
			want := oldRecurrences(docs[1:], o)
			clusters += len(want)
			if got := Recurrences(docs[1:], o); !reflect.DeepEqual(got, want) {
				t.Errorf("seed %d %+v: Recurrences\n got %v\nwant %v", seed, o, got, want)
			}
			if got := c.Recurrences(o); !reflect.DeepEqual(got, want) {
				t.Errorf("seed %d %+v: Corpus.Recurrences\n got %v\nwant %v", seed, o, got, want)
			}
		}
	}
	if clusters < 50 {
		t.Fatalf("only %d clusters in all cases: the data do not exercise the clustering", clusters)
	}
}

// oldRecurrences and what it calls are Recurrences as it was before the
// corpus passed its term numbers (commit a16c0e2), kept as the reference.
func oldRecurrences(docs []Doc, o RecurOptions) []Cluster {
	if o.MinReports <= 0 {
		o.MinReports = DefaultMinReports
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	var in []*Doc
	var window int
	ids := map[string]int32{}
	var names []string
	var df []int
	for i := range docs {
		d := &docs[i]
		if d.Village == "" || len(d.Words) == 0 ||
			(!o.From.IsZero() && d.At.Before(o.From)) || (!o.To.IsZero() && !d.At.Before(o.To)) {
			continue
		}
		window++
		for _, w := range d.Words {
			id, ok := ids[w]
			if !ok {
				id = int32(len(names))
				ids[w] = id
				names = append(names, w)
				df = append(df, 0)
			}
			df[id]++
		}
		if o.Village == "" || d.Village == o.Village {
			in = append(in, d)
		}
	}
	ceiling := math.Log(1 + float64(window)/float64(o.MinReports))
	idf := make([]float64, len(names))
	for id, n := range df {
		idf[id] = min(math.Log(1+float64(window)/float64(n)), ceiling)
	}
	slices.SortFunc(in, func(a, b *Doc) int {
		if c := cmp.Compare(a.Village, b.Village); c != 0 {
			return c
		}
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	v := &oldVocab{ids: ids, names: names, idf: idf}

	var out []Cluster
	for start := 0; start < len(in); {
		end := start
		for end < len(in) && in[end].Village == in[start].Village {
			end++
		}
		out = append(out, oldClusterVillage(in[start:end], v, o)...)
		start = end
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		if c := cmp.Compare(len(b.IDs), len(a.IDs)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Village, b.Village); c != 0 {
			return c
		}
		return a.First.Compare(b.First)
	})
	return out
}

type oldVocab struct {
	ids   map[string]int32
	names []string
	idf   []float64
}
type oldEntry struct {
	ci, n int32
}

type oldCluster struct {
	docs    []*Doc
	entries map[int32]*oldEntry // term → its entry
	cats    map[string]bool
	weight  float64 // Σ idf(t)·n(t): the centroid's weight times len(docs)
}

func oldClusterVillage(docs []*Doc, v *oldVocab, o RecurOptions) []Cluster {
	var cs []*oldCluster
	byTerm := make([][]*oldEntry, len(v.names))
	var score []float64 // per cluster, for the current report
	var touched []int32
	var terms []int32
	for _, d := range docs {
		terms = terms[:0]
		docWeight := 0.0
		for _, w := range d.Words {
			t := v.ids[w]
			if !slices.Contains(terms, t) {
				terms = append(terms, t)
				docWeight += v.idf[t]
			}
		}
		touched = touched[:0]
		for _, t := range terms {
			for _, e := range byTerm[t] {
				if score[e.ci] == 0 {
					touched = append(touched, e.ci)
				}
				score[e.ci] += v.idf[t] * float64(e.n)
			}
		}
		best, bestSim := int32(-1), 0.0
		for _, ci := range touched {
			c := cs[ci]
			n := float64(len(c.docs))
			shared := score[ci] / n
			score[ci] = 0
			if o.SameCategory && !c.cats[d.Category] {
				continue
			}
			denom := min(docWeight, c.weight/n)
			if denom <= 0 {
				continue
			}
			if sim := shared / denom; sim > bestSim || (sim == bestSim && ci < best) {
				best, bestSim = ci, sim
			}
		}
		if best < 0 || bestSim < o.Threshold {
			cs = append(cs, &oldCluster{entries: map[int32]*oldEntry{}, cats: map[string]bool{}})
			score = append(score, 0)
			best = int32(len(cs) - 1)
		}
		c := cs[best]
		c.docs = append(c.docs, d)
		c.cats[d.Category] = true
		for _, t := range terms {
			e := c.entries[t]
			if e == nil {
				e = &oldEntry{ci: best}
				c.entries[t] = e
				byTerm[t] = append(byTerm[t], e)
			}
			e.n++
			c.weight += v.idf[t]
		}
	}
	var out []Cluster
	for _, c := range cs {
		if len(c.docs) >= o.MinReports {
			out = append(out, c.result(v))
		}
	}
	return out
}

func (c *oldCluster) result(v *oldVocab) Cluster {
	r := Cluster{
		Village: c.docs[0].Village,
		First:   c.docs[0].At,
		Last:    c.docs[len(c.docs)-1].At,
	}
	for _, d := range c.docs {
		r.IDs = append(r.IDs, d.ID)
	}
	for cat := range c.cats {
		r.Categories = append(r.Categories, cat)
	}
	slices.Sort(r.Categories)
	var terms []int32
	for t, e := range c.entries {
		if int(e.n)*2 >= len(c.docs) {
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(a, b int32) int {
		if x := cmp.Compare(c.entries[b].n, c.entries[a].n); x != 0 {
			return x
		}
		if x := cmp.Compare(v.idf[b], v.idf[a]); x != 0 {
			return x
		}
		return cmp.Compare(v.names[a], v.names[b])
	})
	for _, t := range terms[:min(3, len(terms))] {
		r.Label = append(r.Label, v.names[t])
	}
	return r
}
