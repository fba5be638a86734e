package demand

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// RecurOptions say what counts as the same problem raised again. Zero
// values mean the defaults.
type RecurOptions struct {
	From, To time.Time // the window [From, To); a zero bound is open
	Village  string    // only this village; "" for every village
	// MinReports is the fewest reports a cluster needs to be listed
	// (default 3: the third time a village raises it, it is recurring).
	MinReports int
	// Threshold is the least similarity for a report to join a cluster
	// (default 0.5; see Similarity).
	Threshold float64
	// SameCategory keeps reports filed under different categories apart.
	// Off by default: the same leaking pipe is filed as 饮水安全 by one
	// deputy and 农业生产 by another.
	SameCategory bool
}

// Defaults of RecurOptions.
const (
	DefaultMinReports = 3
	DefaultThreshold  = 0.5
)

// Cluster is one problem raised again and again from one village: 「饮水」
// in 思蒙湾村, the 5th report this quarter, is a cluster with Label[0] 饮水
// and five IDs.
type Cluster struct {
	Village    string    `json:"village"`
	Label      []string  `json:"label"` // up to 3 terms at least half its reports have, most shared first
	IDs        []string  `json:"ids"`   // oldest first: IDs[n-1] is the n-th report
	First      time.Time `json:"first"`
	Last       time.Time `json:"last"`
	Categories []string  `json:"categories"` // as filed, sorted
}

// Recurrences groups the reports of each village in the window into
// clusters of the same problem and returns those with at least MinReports
// reports, most reports first.
//
// Similarity is IDF-weighted containment of term sets (see Similarity):
// complaint texts are short and of very different lengths (a hotline note
// of four words, a letter of forty), so containment — what share of the
// shorter text the longer one repeats — matches them where Jaccard would
// not, and weighting each term by how rare it is in the window keeps words
// every complaint uses (老人, 出行) from linking unrelated problems.
//
// Reports are taken oldest first; each joins the existing cluster of its
// village it is most similar to, or starts a new one. A cluster is compared
// as its centroid: each term weighs its IDF times the share of the
// cluster's reports that have it, so 停水 in every report counts fully and
// 老人 in one of four a quarter. Unlike linking every similar pair, one
// report that mentions both 路灯 and 饮水 cannot chain two problems into
// one. Cost is linear in the reports times the clusters that share a term
// with each (see clusterVillage); MinHash would only pay off at far more
// reports per village and window than a township has.
func Recurrences(docs []Doc, o RecurOptions) []Cluster {
	// Terms are numbered so that scoring indexes slices, not maps.
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
	return recurrences(in, names, o)
}

// inWindow says whether a report of village at t is one Recurrences weighs.
func (o RecurOptions) inWindow(village string, t time.Time) bool {
	return village != "" && (o.From.IsZero() || !t.Before(o.From)) && (o.To.IsZero() || t.Before(o.To))
}

// rdoc is one report as Recurrences clusters it: its terms numbered in
// names (a Corpus passes its own numbering, so a view converts nothing).
type rdoc struct {
	id, village, category string
	at                    time.Time
	words                 []int32
}

// recurrences is Recurrences over the reports of the window (every
// village's, each with a village and terms), whose terms index names.
func recurrences(window []rdoc, names []string, o RecurOptions) []Cluster {
	if o.MinReports <= 0 {
		o.MinReports = DefaultMinReports
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	// Weights come from every village's reports in the window, so a
	// village's clusters do not depend on the filter that asked for them.
	df := make([]int, len(names))
	in := make([]*rdoc, 0, len(window))
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
	// Each village's reports, oldest first, villages in order: grouped
	// first and each group sorted alone, which is the order of one sort by
	// village, time and id without comparing villages n·log n times.
	group := map[string]int{}
	var villages []string
	var groups [][]*rdoc
	for _, d := range in {
		g, ok := group[d.village]
		if !ok {
			g = len(groups)
			group[d.village] = g
			villages = append(villages, d.village)
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], d)
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(villages[a], villages[b]) })
	// byTerm is every village's postings in turn, cleared after each: one
	// slice the size of the vocabulary per village (400 in a county) cost
	// more than the clustering itself.
	v := &vocab{names: names, idf: idf, byTerm: make([][]posting, len(names))}

	var out []Cluster
	for _, g := range order {
		docs := groups[g]
		slices.SortFunc(docs, func(a, b *rdoc) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		out = append(out, clusterVillage(docs, v, o)...)
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

type vocab struct {
	names  []string
	idf    []float64
	byTerm [][]posting // scratch: a village's postings, term → its clusters
}

// posting: cluster ci has the term in n of its reports. Postings are held
// by value and counted in place (a cluster knows where its own are): the
// scoring loop reads every posting of every term of every report, and
// following a pointer to each, scattered over the heap, cost most of it.
type posting struct {
	ci, n int32
}

type cluster struct {
	docs []*rdoc
	at   map[int32]int32 // term → its posting's index in byTerm[term]
	cats []string        // as filed, each once: a handful, where a map per cluster cost its allocation
}

// clusterVillage assigns one village's reports, oldest first, to clusters.
// A report's similarity to every cluster it shares a term with is summed
// through the term's postings (a sparse dot product), so each report costs
// the postings of its terms, not one comparison per cluster.
func clusterVillage(docs []*rdoc, v *vocab, o RecurOptions) []Cluster {
	var cs []*cluster
	byTerm := v.byTerm
	var posted []int32 // terms with postings, cleared on return
	defer func() {
		for _, t := range posted {
			byTerm[t] = byTerm[t][:0]
		}
	}()
	// Per cluster, by index, beside cs: what scoring reads for every
	// cluster a report touches, kept dense rather than behind each
	// cluster's pointer (that loop is the part that grows faster than the
	// village's reports).
	var score []float64  // for the current report
	var weight []float64 // Σ idf(t)·n(t): the centroid's weight times size
	var size []int32     // reports
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
			w := v.idf[t]
			for _, p := range byTerm[t] {
				if score[p.ci] == 0 {
					touched = append(touched, p.ci)
				}
				score[p.ci] += w * float64(p.n)
			}
		}
		best, bestSim := int32(-1), 0.0
		for _, ci := range touched {
			n := float64(size[ci])
			shared := score[ci] / n
			score[ci] = 0
			if o.SameCategory && !slices.Contains(cs[ci].cats, d.category) {
				continue
			}
			denom := min(docWeight, weight[ci]/n)
			if denom <= 0 {
				continue
			}
			if sim := shared / denom; sim > bestSim || (sim == bestSim && ci < best) {
				best, bestSim = ci, sim
			}
		}
		if best < 0 || bestSim < o.Threshold {
			cs = append(cs, &cluster{at: map[int32]int32{}})
			score = append(score, 0)
			weight = append(weight, 0)
			size = append(size, 0)
			best = int32(len(cs) - 1)
		}
		c := cs[best]
		c.docs = append(c.docs, d)
		size[best]++
		if !slices.Contains(c.cats, d.category) {
			c.cats = append(c.cats, d.category)
		}
		for _, t := range terms {
			if i, ok := c.at[t]; ok {
				byTerm[t][i].n++
			} else {
				if len(byTerm[t]) == 0 {
					posted = append(posted, t)
				}
				c.at[t] = int32(len(byTerm[t]))
				byTerm[t] = append(byTerm[t], posting{ci: best, n: 1})
			}
			weight[best] += v.idf[t]
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

// result is called before clusterVillage clears the postings it reads.
func (c *cluster) result(v *vocab) Cluster {
	r := Cluster{
		Village: c.docs[0].village,
		First:   c.docs[0].at,
		Last:    c.docs[len(c.docs)-1].at,
	}
	for _, d := range c.docs {
		r.IDs = append(r.IDs, d.id)
	}
	r.Categories = slices.Clone(c.cats)
	slices.Sort(r.Categories)
	n := func(t int32) int32 { return v.byTerm[t][c.at[t]].n }
	var terms []int32
	for t := range c.at {
		if int(n(t))*2 >= len(c.docs) {
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(a, b int32) int {
		if x := cmp.Compare(n(b), n(a)); x != 0 {
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

// Similarity is the IDF-weighted containment of two term sets: the weight
// of the terms they share over the weight of the lighter set, 0 to 1.
// Recurrences compares a report with a cluster's core this way. A term
// missing from idf (or every term, with a nil idf) weighs 1.
func Similarity(a, b []string, idf map[string]float64) float64 {
	w := func(t string) float64 {
		if v, ok := idf[t]; ok {
			return v
		}
		return 1
	}
	inB := make(map[string]bool, len(b))
	wb := 0.0
	for _, t := range b {
		if !inB[t] {
			inB[t] = true
			wb += w(t)
		}
	}
	wa, shared := 0.0, 0.0
	seen := make(map[string]bool, len(a))
	for _, t := range a {
		if seen[t] {
			continue
		}
		seen[t] = true
		wa += w(t)
		if inB[t] {
			shared += w(t)
		}
	}
	if d := min(wa, wb); d > 0 {
		return shared / d
	}
	return 0
}
