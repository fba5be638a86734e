// Package sample generates synthetic but realistic residents' demands (群众诉求)
// for benchmarks, tests and the demo: varied Chinese complaint texts over
// villages, categories and months, with hotspots (a village that raises one
// kind of problem more often) and recurring problems (the same issue raised
// again and again from one village within a quarter).
//
// The output is deterministic for a given seed.
package sample

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"simeng/chinatime"
)

// China is the township's time zone (package chinatime).
var China = chinatime.Location()

// Demand is one generated suggestion or problem.
type Demand struct {
	ID       string // 15 characters, like a PocketBase id
	Village  string
	Category string
	Source   string
	Status   string
	At       time.Time
	Text     string
	Issue    string // the issue template the text was written from: ground truth for recurrence
}

// Villages are the generated villages; the first five are the demo's.
var Villages = []string{"思蒙湾村", "桥头村", "枫木村", "竹园村", "新田村",
	"石桥社区", "龙泉村", "白果村", "青龙村", "金鸡村", "双河村", "马鞍村"}

// Sources and Statuses follow the suggestions collection's values; closed
// is listed thrice so that half the demands are closed.
var (
	Sources  = []string{"qr", "hotline", "station", "paper", "visit"}
	Statuses = []string{"received", "acknowledged", "answered", "closed", "closed", "closed"}
)

// hotspots multiply a category's weight in one village (R15's 「where」).
var hotspots = map[string]map[string]float64{
	"思蒙湾村": {"饮水安全": 5},
	"桥头村":  {"道路交通": 4},
	"枫木村":  {"住房": 4, "矛盾纠纷": 2},
	"竹园村":  {"教育": 4},
	"新田村":  {"社会保障": 4},
	"龙泉村":  {"生态环境": 3},
}

// Config changes what Generate produces; zero values mean the defaults.
type Config struct {
	Seed     uint64
	From, To time.Time // defaults: the two years 2024 and 2025, China time
	Villages []string  // default: Villages
	// RecurringShare is the share of demands that repeat an issue raised in
	// the same village and quarter (default 0.15).
	RecurringShare float64
}

// Generate returns n demands ordered by time.
func Generate(n int, c Config) []Demand {
	if c.From.IsZero() {
		c.From = time.Date(2024, 1, 1, 0, 0, 0, 0, China)
	}
	if c.To.IsZero() || !c.To.After(c.From) {
		c.To = c.From.AddDate(2, 0, 0)
	}
	if len(c.Villages) == 0 {
		c.Villages = Villages
	}
	if c.RecurringShare <= 0 {
		c.RecurringShare = 0.15
	}
	r := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	span := c.To.Sub(c.From)
	times := make([]time.Time, n)
	for i := range times {
		times[i] = c.From.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Minute)
	}
	sortTimes(times)

	// recurring remembers, per village and quarter, the issues raised there
	// so that a share of later demands repeat one of them in other words.
	type key struct {
		village string
		quarter int
	}
	recurring := map[key][]issue{}
	out := make([]Demand, n)
	for i, at := range times {
		v := c.Villages[r.IntN(len(c.Villages))]
		k := key{v, at.In(China).Year()*4 + (int(at.In(China).Month())-1)/3}
		var is issue
		if prev := recurring[k]; len(prev) > 0 && r.Float64() < c.RecurringShare {
			is = prev[r.IntN(len(prev))]
		} else {
			is = pickIssue(r, v)
			if len(recurring[k]) < 3 && r.Float64() < 0.2 {
				recurring[k] = append(recurring[k], is)
			}
		}
		out[i] = Demand{
			ID:       fmt.Sprintf("d%014d", i+1),
			Village:  v,
			Category: is.category,
			Source:   Sources[r.IntN(len(Sources))],
			Status:   Statuses[r.IntN(len(Statuses))],
			At:       at,
			Text:     compose(r, v, is),
			Issue:    is.text,
		}
	}
	return out
}

type issue struct {
	category string
	text     string // with {loc}, {road}, {dur} slots
}

func pickIssue(r *rand.Rand, village string) issue {
	total := 0.0
	for _, c := range categories {
		total += weight(village, c.name)
	}
	x := r.Float64() * total
	for _, c := range categories {
		x -= weight(village, c.name)
		if x <= 0 {
			return issue{c.name, c.issues[r.IntN(len(c.issues))]}
		}
	}
	c := categories[len(categories)-1]
	return issue{c.name, c.issues[0]}
}

func weight(village, category string) float64 {
	w := 1.0
	for _, c := range categories {
		if c.name == category {
			w = c.weight
		}
	}
	if m, ok := hotspots[village][category]; ok {
		w *= m
	}
	return w
}

func compose(r *rand.Rand, village string, is issue) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString(pick(r, openings))
	}
	if r.IntN(4) == 0 {
		fmt.Fprintf(&b, "我是%s%d组村民，", village, r.IntN(12)+1)
	}
	text := strings.NewReplacer(
		"{loc}", pick(r, locations),
		"{road}", pick(r, roads),
		"{dur}", pick(r, durations),
		"{village}", village,
	).Replace(is.text)
	b.WriteString(text)
	if r.IntN(2) == 0 {
		b.WriteString("，" + pick(r, details))
	}
	b.WriteString("，" + pick(r, closings))
	return b.String()
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

func sortTimes(ts []time.Time) {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
}
