package analysis

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
	"simeng/vocab"
)

// trendMonths is how many months the monthly trend shows, ending with the
// period's last month (this month while the period runs).
const trendMonths = 24

// A hotspot (热点) is a village × category cell with at least hotspotMin
// demands whose location quotient (区位熵: the category's share of the
// village's demands over its share of the township's) is at least
// hotspotRatio: where a village raises one kind of problem half again as
// often as the township does.
const (
	hotspotMin   = 3
	hotspotRatio = 1.5
)

type count struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Previous int    `json:"previous"`
	Delta    int    `json:"delta"`
}

type monthCount struct {
	Month  string   `json:"month"` // 2025-03
	Label  string   `json:"label"` // 2025年3月
	Count  int      `json:"count"`
	Delta  int      `json:"delta"`  // against the month before
	Change *float64 `json:"change"` // delta ÷ the month before; nil when it had none
}

type hotspotTable struct {
	Villages   []count  `json:"villages"`
	Categories []count  `json:"categories"`
	Cells      [][]int  `json:"cells"`    // [village][category]
	Hot        [][]bool `json:"hot"`      // [village][category]
	Expected   [][]int  `json:"expected"` // what the shares would give, rounded
}

type overview struct {
	Period     map[string]any `json:"period"`
	Total      int            `json:"total"`
	Previous   int            `json:"previous"`
	States     []count        `json:"states"`
	Sources    []count        `json:"sources"`
	Categories []count        `json:"categories"`
	Villages   []count        `json:"villages"`
	Hotspots   hotspotTable   `json:"hotspots"`
	Months     []monthCount   `json:"months"`
}

type groupRow struct {
	cell
	N int
}

// groups counts f's demands in the period by village, category, state and
// source, from the months' counts (counts.go).
func groups(app core.App, v *viewer, f filters) ([]groupRow, error) {
	months := monthsOf(f.period)
	counts, err := deskOf(app).counts.get(app, months)
	if err != nil {
		return nil, err
	}
	sum := map[cell]int{}
	for _, m := range months {
		for c, n := range counts[m] {
			if f.matches(v, c) {
				sum[c] += n
			}
		}
	}
	out := make([]groupRow, 0, len(sum))
	for c, n := range sum {
		out = append(out, groupRow{c, n})
	}
	return out, nil
}

// monthsOf lists the period's China months: 2025-01…
func monthsOf(p demand.Period) []string {
	var out []string
	for m := p.Start; m.Before(p.End()); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

func overviewRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	o, err := buildOverview(e.App, v, f)
	if err != nil {
		return e.InternalServerError("", err)
	}
	setResults(e, o.Total)
	return e.JSON(http.StatusOK, o)
}

func buildOverview(app core.App, v *viewer, f filters) (*overview, error) {
	cur, err := groups(app, v, f)
	if err != nil {
		return nil, err
	}
	pf := f
	pf.period = f.period.Prev()
	prev, err := groups(app, v, pf)
	if err != nil {
		return nil, err
	}
	names, err := villageNames(app)
	if err != nil {
		return nil, err
	}
	d := deskOf(app)

	o := &overview{Period: periodJSON(f.period)}
	tally := func(rows []groupRow, key func(groupRow) string, into map[string]*count, current bool) {
		for _, r := range rows {
			k := key(r)
			c := into[k]
			if c == nil {
				c = &count{Key: k}
				into[k] = c
			}
			if current {
				c.Count += r.N
			} else {
				c.Previous += r.N
			}
		}
	}
	by := func(key func(groupRow) string, label func(string) string) []count {
		m := map[string]*count{}
		tally(cur, key, m, true)
		tally(prev, key, m, false)
		out := make([]count, 0, len(m))
		for _, c := range m {
			c.Label = label(c.Key)
			c.Delta = c.Count - c.Previous
			out = append(out, *c)
		}
		slices.SortFunc(out, func(a, b count) int {
			if x := cmp.Compare(b.Count, a.Count); x != 0 {
				return x
			}
			return cmp.Compare(a.Key, b.Key)
		})
		return out
	}
	for _, r := range cur {
		o.Total += r.N
	}
	for _, r := range prev {
		o.Previous += r.N
	}
	states := by(func(r groupRow) string { return r.State }, func(k string) string { return stateLabels[k] })
	o.States = make([]count, 0, len(stateOrder))
	for _, s := range stateOrder {
		c := count{Key: s, Label: stateLabels[s]}
		for _, x := range states {
			if x.Key == s {
				c = x
			}
		}
		o.States = append(o.States, c)
	}
	o.Sources = by(func(r groupRow) string { return r.Kind + ":" + r.Channel }, func(k string) string {
		kind, channel, _ := cutKey(k)
		if s := d.sourceOf(kind); s != nil {
			return s.channelLabel(channel)
		}
		return k
	})
	o.Categories = by(func(r groupRow) string { return r.Category }, categoryLabel)
	o.Villages = by(func(r groupRow) string { return r.Village }, func(k string) string { return villageLabel(names, k) })
	o.Hotspots = hotspots(cur, names)

	months, err := monthly(app, v, f)
	if err != nil {
		return nil, err
	}
	o.Months = months
	return o, nil
}

func cutKey(k string) (string, string, bool) {
	for i := 0; i < len(k); i++ {
		if k[i] == ':' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}

func categoryLabel(c string) string {
	if c == "" {
		return "未分类"
	}
	return c
}

func villageLabel(names map[string]string, id string) string {
	if id == "" {
		return "未注明村（社区）"
	}
	if n := names[id]; n != "" {
		return n
	}
	return "（已删除的村）"
}

// hotspots is the village × category table of the period: villages and
// categories in the order of their totals, the topics of vocab first.
func hotspots(rows []groupRow, names map[string]string) hotspotTable {
	byVillage := map[string]int{}
	byCategory := map[string]int{}
	cell := map[[2]string]int{}
	total := 0
	for _, r := range rows {
		byVillage[r.Village] += r.N
		byCategory[r.Category] += r.N
		cell[[2]string{r.Village, r.Category}] += r.N
		total += r.N
	}
	var t hotspotTable
	for v, n := range byVillage {
		t.Villages = append(t.Villages, count{Key: v, Label: villageLabel(names, v), Count: n})
	}
	slices.SortFunc(t.Villages, func(a, b count) int {
		if x := cmp.Compare(b.Count, a.Count); x != 0 {
			return x
		}
		return cmp.Compare(a.Label, b.Label)
	})
	for _, c := range vocab.Topics {
		if n := byCategory[c]; n > 0 {
			t.Categories = append(t.Categories, count{Key: c, Label: c, Count: n})
		}
	}
	var others []count
	for c, n := range byCategory {
		if !slices.Contains(vocab.Topics, c) {
			others = append(others, count{Key: c, Label: categoryLabel(c), Count: n})
		}
	}
	slices.SortFunc(others, func(a, b count) int { return cmp.Compare(a.Key, b.Key) })
	t.Categories = append(t.Categories, others...)

	t.Cells = make([][]int, len(t.Villages))
	t.Hot = make([][]bool, len(t.Villages))
	t.Expected = make([][]int, len(t.Villages))
	for i, v := range t.Villages {
		t.Cells[i] = make([]int, len(t.Categories))
		t.Hot[i] = make([]bool, len(t.Categories))
		t.Expected[i] = make([]int, len(t.Categories))
		for j, c := range t.Categories {
			n := cell[[2]string{v.Key, c.Key}]
			expected := float64(v.Count) * float64(c.Count) / float64(max(total, 1))
			t.Cells[i][j] = n
			t.Expected[i][j] = int(expected + 0.5)
			// n/village ≥ 1.5 × category/total, in integers.
			t.Hot[i][j] = n >= hotspotMin && 2*n*total >= 3*v.Count*c.Count
		}
	}
	return t
}

// monthly counts the trendMonths months ending with the period's last
// month, or this month while the period runs (China months), with each
// month's change against the one before: months to come are not in it.
func monthly(app core.App, v *viewer, f filters) ([]monthCount, error) {
	end := f.period.End().Add(-time.Second)
	if now := time.Now(); now.Before(end) {
		end = now
	}
	last := demand.PeriodOf(demand.Month, end)
	first := last.Start.AddDate(0, -(trendMonths - 1), 0)
	// One month more, for the first month's change.
	var months []string
	for m := first.AddDate(0, -1, 0); !m.After(last.Start); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	counts, err := deskOf(app).counts.get(app, months)
	if err != nil {
		return nil, err
	}
	total := func(m string) int {
		n := 0
		for c, k := range counts[m] {
			if f.matches(v, c) {
				n += k
			}
		}
		return n
	}
	out := make([]monthCount, 0, trendMonths)
	prev := total(months[0])
	for _, key := range months[1:] {
		p, _ := demand.ParsePeriod(key)
		c := monthCount{Month: key, Label: p.Label(), Count: total(key)}
		c.Delta = c.Count - prev
		if prev > 0 {
			ch := float64(c.Delta) / float64(prev)
			c.Change = &ch
		}
		out = append(out, c)
		prev = c.Count
	}
	return out, nil
}

// villageNames maps village ids to names.
func villageNames(app core.App) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From("villages").All(&rows); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
