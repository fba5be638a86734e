package analysis

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
)

// Summary is what residents raised in a period, for the year's reports.
type Summary struct {
	Total      int
	Categories []Named  // most first
	Hotspots   []string // 思蒙湾村·饮水安全（12件）
	Recurring  []string // 「停水」在思蒙湾村：2025年第9次反映
	Terms      []string // the most frequent words
}

// Named is a thing and how many of it.
type Named struct {
	Name string
	N    int
}

// Summarize is the period's summary over every demand (no role limits:
// the caller decides who reads it).
func Summarize(app core.App, p demand.Period) (Summary, error) {
	v := &viewer{kind: kindStaff}
	f := filters{period: p}
	o, err := buildOverview(app, v, f)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Total: o.Total}
	for _, c := range o.Categories {
		s.Categories = append(s.Categories, Named{c.Label, c.Count})
	}
	t := o.Hotspots
	for i, vl := range t.Villages {
		for j, c := range t.Categories {
			if t.Hot[i][j] {
				s.Hotspots = append(s.Hotspots, fmt.Sprintf("%s·%s（%d件）", vl.Label, c.Label, t.Cells[i][j]))
			}
		}
	}
	clusters, _, err := recurring(app, v, f, 5, demand.DefaultThreshold, false)
	if err != nil {
		return Summary{}, err
	}
	for _, c := range clusters[:min(5, len(clusters))] {
		s.Recurring = append(s.Recurring, c.Message)
	}
	c, _, err := deskOf(app).ready(app)
	if err != nil {
		return Summary{}, err
	}
	for _, w := range c.Top(demand.TopOptions{Period: p, Limit: 8}).Words {
		s.Terms = append(s.Terms, w.Term)
	}
	return s, nil
}
