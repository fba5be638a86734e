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
// with each, a few per report in practice; MinHash would only pay off at
// far more reports per village and window than a township has.
func Recurrences(docs []Doc, o RecurOptions) []Cluster {
	if o.MinReports <= 0 {
		o.MinReports = DefaultMinReports
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	// Weights come from every village's reports in the window, so a
	// village's clusters do not depend on the filter that asked for them.
	var in []*Doc
	var window int
	df := map[string]int{}
	for i := range docs {
		d := &docs[i]
		if d.Village == "" || len(d.Words) == 0 ||
			(!o.From.IsZero() && d.At.Before(o.From)) || (!o.To.IsZero() && !d.At.Before(o.To)) {
			continue
		}
		window++
		for _, w := range d.Words {
			df[w]++
		}
		if o.Village == "" || d.Village == o.Village {
			in = append(in, d)
		}
	}
	// A term's weight is its IDF in the window, capped at the IDF of a term
	// found in MinReports reports: a word rarer than any recurring problem
	// cannot characterise one, so being rarer must not make it weigh more.
	// Without the cap, one odd word (路灯不亮需要维修) outweighs the shared
	// ones; without IDF, one common word (老人) makes a short report
	// "contained" in any cluster that mentions it.
	ceiling := math.Log(1 + float64(window)/float64(o.MinReports))
	idf := make(map[string]float64, len(df))
	for w, n := range df {
		idf[w] = min(math.Log(1+float64(window)/float64(n)), ceiling)
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

	var out []Cluster
	for start := 0; start < len(in); {
		end := start
		for end < len(in) && in[end].Village == in[start].Village {
			end++
		}
		out = append(out, clusterVillage(in[start:end], idf, o)...)
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

type cluster struct {
	docs   []*Doc
	counts map[string]int // term → reports that have it
	cats   map[string]bool
	weight float64 // Σ idf(t)·counts[t]: the centroid's weight times len(docs)
}

func clusterVillage(docs []*Doc, idf map[string]float64, o RecurOptions) []Cluster {
	var cs []*cluster
	byTerm := map[string][]int{} // term → clusters whose reports have it
	seen := map[int]bool{}
	for _, d := range docs {
		docWeight := 0.0
		for _, w := range d.Words {
			docWeight += idf[w]
		}
		best, bestSim := -1, 0.0
		clear(seen)
		for _, w := range d.Words {
			for _, ci := range byTerm[w] {
				if seen[ci] {
					continue
				}
				seen[ci] = true
				c := cs[ci]
				if o.SameCategory && !c.cats[d.Category] {
					continue
				}
				n := float64(len(c.docs))
				shared := 0.0
				for _, w := range d.Words {
					shared += idf[w] * float64(c.counts[w]) / n
				}
				denom := min(docWeight, c.weight/n)
				if denom <= 0 {
					continue
				}
				if sim := shared / denom; sim > bestSim || (sim == bestSim && best >= 0 && ci < best) {
					best, bestSim = ci, sim
				}
			}
		}
		if best < 0 || bestSim < o.Threshold {
			cs = append(cs, &cluster{counts: map[string]int{}, cats: map[string]bool{}})
			best = len(cs) - 1
		}
		c := cs[best]
		c.docs = append(c.docs, d)
		c.cats[d.Category] = true
		for _, w := range d.Words {
			if c.counts[w] == 0 {
				byTerm[w] = append(byTerm[w], best)
			}
			c.counts[w]++
			c.weight += idf[w]
		}
	}
	var out []Cluster
	for _, c := range cs {
		if len(c.docs) < o.MinReports {
			continue
		}
		out = append(out, c.result(idf))
	}
	return out
}

func (c *cluster) result(idf map[string]float64) Cluster {
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
	var terms []string
	for t, n := range c.counts {
		if n*2 >= len(c.docs) {
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(a, b string) int {
		if x := cmp.Compare(c.counts[b], c.counts[a]); x != 0 {
			return x
		}
		if x := cmp.Compare(idf[b], idf[a]); x != 0 {
			return x
		}
		return cmp.Compare(a, b)
	})
	r.Label = terms[:min(3, len(terms))]
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
