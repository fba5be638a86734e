package analysis

import (
	"strings"
	"sync"
	"time"

	"simeng/chinatime"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Counts by month. Every period the analysis shows is whole China months,
// so the overview, the hotspots and the trend are sums of per-month counts
// by village, category, state and source. Those are cached per month and a
// month is counted again from demand_index only after a write touched it:
// at 100,000 demands a year's GROUP BY costs hundreds of milliseconds of
// CPU in modernc's SQLite, a sum over the cached months well under one.

type cell struct {
	Village  string `db:"village"`
	Category string `db:"category"`
	State    string `db:"state"`
	Kind     string `db:"kind"`
	Channel  string `db:"channel"`
}

type monthCounts map[cell]int

type countCache struct {
	mu     sync.Mutex
	months map[string]monthCounts // month → counts; absent: to count
	// pending are the months a write in flight touches, by record key,
	// marked stale when it commits (or fails).
	pending map[string][]string
	// gen counts the writes settled and the resets: what is kept of the
	// index under an older gen (a search's matches) is not used again.
	gen uint64
}

// generation is the number of index writes settled so far (and resets).
func (c *countCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func newCountCache() *countCache {
	return &countCache{months: map[string]monthCounts{}, pending: map[string][]string{}}
}

// touch notes the months a write of key touches (before and after).
func (c *countCache) touch(key string, months ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range months {
		if m != "" {
			c.pending[key] = append(c.pending[key], m)
		}
	}
}

// settle drops the counts of the months key's write touched, now that it
// committed or failed.
func (c *countCache) settle(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.pending[key] {
		delete(c.months, m)
	}
	delete(c.pending, key)
	c.gen++
}

func (c *countCache) reset() {
	c.mu.Lock()
	c.months = map[string]monthCounts{}
	c.gen++
	c.mu.Unlock()
}

// get returns the counts of months, counting the ones not cached in one
// query.
func (c *countCache) get(app core.App, months []string) (map[string]monthCounts, error) {
	out := make(map[string]monthCounts, len(months))
	var missing []string
	c.mu.Lock()
	for _, m := range months {
		if mc, ok := c.months[m]; ok {
			out[m] = mc
		} else {
			missing = append(missing, m)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	params := dbx.Params{}
	names := make([]string, len(missing))
	for i, m := range missing {
		k := "m" + itoa(i)
		params[k] = m
		names[i] = "{:" + k + "}"
		out[m] = monthCounts{}
	}
	var rows []struct {
		Month string `db:"month"`
		cell
		N int `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT month, village, category, state, kind, channel, count(*) AS n FROM demand_index
		WHERE month IN (` + strings.Join(names, ", ") + `) GROUP BY month, village, category, state, kind, channel`).
		Bind(params).All(&rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.Month][r.cell] = r.N
	}
	c.mu.Lock()
	for _, m := range missing {
		c.months[m] = out[m]
	}
	c.mu.Unlock()
	return out, nil
}

// matches reports whether a cell is counted for f and the viewer.
func (f filters) matches(v *viewer, c cell) bool {
	return (f.village == "" || c.Village == f.village) && (f.category == "" || c.Category == f.category) &&
		(f.state == "" || c.State == f.state) && (f.kind == "" || c.Kind == f.kind) &&
		(f.channel == "" || c.Channel == f.channel) && v.seesVillage(c.Village)
}

// recentMonths are the n China months up to t's, oldest first.
func recentMonths(t time.Time, n int) []string {
	t = chinatime.In(t)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, chinatime.Location()).AddDate(0, -(n - 1), 0)
	out := make([]string, n)
	for i := range out {
		out[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return out
}
