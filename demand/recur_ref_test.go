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

// refRecurrences is recurrences as it was before w5-recur (commit 38cc2de),
// kept as the reference: it is Recurrences over the reports of the window (every
// village's, each with a village and terms), whose terms index names.
func refRecurrences(window []rdoc, names []string, o RecurOptions) []Cluster {
	if o.MinReports <= 0 {
		o.MinReports = DefaultMinReports
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	// Weights come from every village's reports in the window, so a
	// village's clusters do not depend on the filter that asked for them.
	df := make([]int, len(names))
	var in []*rdoc
	for i := range window {
		d := &window[i]
		for _, id := range d.words {
			df[id]++
		}
		if o.Village == "" || d.village == o.Village {
			in = append(in, d)
		}
	}
	// A term's weight is its IDF in the window, capped at the IDF of a term
	// found in MinReports reports: a word rarer than any recurring problem
	// cannot characterise one, so being rarer must not make it weigh more.
	// Without the cap, one odd word (路灯不亮需要维修) outweighs the shared
	// ones; without IDF, one common word (老人) makes a short report
	// "contained" in any cluster that mentions it.
	ceiling := math.Log(1 + float64(len(window))/float64(o.MinReports))
	idf := make([]float64, len(names))
	for id, n := range df {
		if n > 0 {
			idf[id] = min(math.Log(1+float64(len(window))/float64(n)), ceiling)
		}
	}
	slices.SortFunc(in, func(a, b *rdoc) int {
		if c := cmp.Compare(a.village, b.village); c != 0 {
			return c
		}
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	// byTerm is every village's postings in turn, cleared after each: one
	// slice the size of the vocabulary per village (400 in a county) cost
	// more than the clustering itself.
	v := &refVocab{names: names, idf: idf, byTerm: make([][]*refEntry, len(names))}

	var out []Cluster
	for start := 0; start < len(in); {
		end := start
		for end < len(in) && in[end].village == in[start].village {
			end++
		}
		out = append(out, refClusterVillage(in[start:end], v, o)...)
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

type refVocab struct {
	names  []string
	idf    []float64
	byTerm [][]*refEntry // scratch: a village's postings, term → its clusters' entries
}

// entry: cluster ci has the term in n of its reports.
type refEntry struct {
	ci, n int32
}

type refCluster struct {
	docs    []*rdoc
	entries map[int32]*refEntry // term → its entry
	cats    map[string]bool
	weight  float64 // Σ idf(t)·n(t): the centroid's weight times len(docs)
}

// clusterVillage assigns one village's reports, oldest first, to clusters.
// A report's similarity to every cluster it shares a term with is summed
// through the term's postings (a sparse dot product), so each report costs
// the postings of its terms, not one comparison per cluster.
func refClusterVillage(docs []*rdoc, v *refVocab, o RecurOptions) []Cluster {
	var cs []*refCluster
	byTerm := v.byTerm
	var posted []int32 // terms with postings, cleared on return
	defer func() {
		for _, t := range posted {
			byTerm[t] = byTerm[t][:0]
		}
	}()
	var score []float64 // per cluster, for the current report
	var touched []int32
	var terms []int32
	for _, d := range docs {
		terms = terms[:0]
		docWeight := 0.0
		for _, t := range d.words {
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
			if o.SameCategory && !c.cats[d.category] {
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
			cs = append(cs, &refCluster{entries: map[int32]*refEntry{}, cats: map[string]bool{}})
			score = append(score, 0)
			best = int32(len(cs) - 1)
		}
		c := cs[best]
		c.docs = append(c.docs, d)
		c.cats[d.category] = true
		for _, t := range terms {
			e := c.entries[t]
			if e == nil {
				e = &refEntry{ci: best}
				c.entries[t] = e
				if len(byTerm[t]) == 0 {
					posted = append(posted, t)
				}
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

func (c *refCluster) result(v *refVocab) Cluster {
	r := Cluster{
		Village: c.docs[0].village,
		First:   c.docs[0].at,
		Last:    c.docs[len(c.docs)-1].at,
	}
	for _, d := range c.docs {
		r.IDs = append(r.IDs, d.id)
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

// TestRecurrencesMatchRef checks, on random reports of a wide vocabulary
// and many clusters, that the clustering with postings held by value
// answers exactly what refRecurrences (postings behind pointers) answered.
func TestRecurrencesMatchRef(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, China)
	villages := []string{"v1", "v2", "v3", "v4", "v5"}
	cats := []string{"饮水安全", "道路交通", "环境卫生"}
	clusters := 0
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 29))
		names := make([]string, 20+r.IntN(200))
		for i := range names {
			names[i] = fmt.Sprintf("w%03d", i)
		}
		window := make([]rdoc, 100+r.IntN(1500))
		for i := range window {
			var words []int32
			for range 1 + r.IntN(8) {
				// Skewed: low ids are common words, as 老人 and 停水 are.
				w := int32(r.IntN(1 + r.IntN(len(names))))
				if !slices.Contains(words, w) {
					words = append(words, w)
				}
			}
			window[i] = rdoc{id: fmt.Sprintf("d%05d", i), village: villages[r.IntN(len(villages))],
				category: cats[r.IntN(len(cats))], at: start.Add(time.Duration(r.IntN(365*24)) * time.Hour), words: words}
		}
		for _, o := range []RecurOptions{{}, {MinReports: 2}, {MinReports: 5, Threshold: 0.3},
			{Threshold: 0.8, SameCategory: true}, {Village: "v2", MinReports: 2, Threshold: 0.6}} {
			want := refRecurrences(slices.Clone(window), names, o)
			clusters += len(want)
			if got := recurrences(slices.Clone(window), names, o); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d %+v:\n got %v\nwant %v", seed, o, got, want)
			}
		}
	}
	if clusters < 200 {
		t.Fatalf("only %d clusters in all cases: the data do not exercise the clustering", clusters)
	}
}

// RefRecurrences is Recurrences on refRecurrences, for the external tests
// and the A/B benchmark on generated demands.
func RefRecurrences(docs []Doc, o RecurOptions) []Cluster {
	ids := map[string]int32{}
	var names []string
	var in []rdoc
	for i := range docs {
		d := &docs[i]
		if !o.inWindow(d.Village, d.At) || len(d.Words) == 0 {
			continue
		}
		words := make([]int32, len(d.Words))
		for j, w := range d.Words {
			id, ok := ids[w]
			if !ok {
				id = int32(len(names))
				ids[w] = id
				names = append(names, w)
			}
			words[j] = id
		}
		in = append(in, rdoc{id: d.ID, village: d.Village, category: d.Category, at: d.At, words: words})
	}
	return refRecurrences(in, names, o)
}
