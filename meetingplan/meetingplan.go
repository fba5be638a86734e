// Package meetingplan checks the year's rhythm of meetings (会议计划) the
// way the inspection plan checks its quarters: the 2025 work plan wants a
// presidium meeting (主席团会议) and a 季度集训 every quarter, a 屋场会 every
// half year and the 党委人大工作会议 as configured. For each kind and period
// it says whether enough meetings were held, are scheduled, are still due,
// or did not happen (missed). Periods are counted in China time.
package meetingplan

import (
	"fmt"
	"sort"
	"time"

	"simeng/chinatime"
)

// Per is the period a rhythm counts in.
type Per string

const (
	Quarter Per = "quarter"
	Half    Per = "half"
	Year    Per = "year"
)

// Valid reports whether p is a known period.
func (p Per) Valid() bool { return p == Quarter || p == Half || p == Year }

// Rhythm is how many meetings of a kind each period needs.
type Rhythm struct {
	Kind  string `json:"kind"`
	Per   Per    `json:"per"`
	Count int    `json:"count"`
}

// DefaultRhythm is the 2025 work plan's.
func DefaultRhythm() []Rhythm {
	return []Rhythm{
		{Kind: "presidium", Per: Quarter, Count: 1},
		{Kind: "training", Per: Quarter, Count: 1},
		{Kind: "wuchang", Per: Half, Count: 1},
		{Kind: "party_committee", Per: Year, Count: 1},
	}
}

// Meeting is one meeting as the plan sees it.
type Meeting struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	At       time.Time `json:"at"`
	Recorded bool      `json:"recorded"` // attendance registered
}

// Status of one cell of the grid.
type Status string

const (
	Done      Status = "done"      // enough meetings held
	Scheduled Status = "scheduled" // not yet, but enough are on the calendar
	Due       Status = "due"       // the period is running, not enough held or scheduled
	Upcoming  Status = "upcoming"  // the period has not started
	Missed    Status = "missed"    // the period ended without enough meetings
)

// Label is the Chinese name of s.
func (s Status) Label() string {
	switch s {
	case Done:
		return "已召开"
	case Scheduled:
		return "已安排"
	case Due:
		return "待召开"
	case Upcoming:
		return "未到期"
	case Missed:
		return "未召开"
	}
	return string(s)
}

// Period is one span of a year.
type Period struct {
	Label    string    `json:"label"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"` // first instant after
	Required int       `json:"required"`
}

// Periods returns the periods of year for p.
func Periods(year int, p Per) []Period {
	start := chinatime.YearStart(year)
	switch p {
	case Quarter:
		names := []string{"第一季度", "第二季度", "第三季度", "第四季度"}
		out := make([]Period, 4)
		for i := range out {
			out[i] = Period{Label: names[i], From: start.AddDate(0, 3*i, 0), To: start.AddDate(0, 3*i+3, 0)}
		}
		return out
	case Half:
		return []Period{{Label: "上半年", From: start, To: start.AddDate(0, 6, 0)}, {Label: "下半年", From: start.AddDate(0, 6, 0), To: start.AddDate(1, 0, 0)}}
	}
	return []Period{{Label: fmt.Sprintf("%d年", year), From: start, To: start.AddDate(1, 0, 0)}}
}

// Cell is one kind in one period.
type Cell struct {
	Period
	Status    Status    `json:"status"`
	Label     string    `json:"status_label"`
	Held      int       `json:"held"`
	Scheduled int       `json:"scheduled"`
	Meetings  []Meeting `json:"meetings"`
}

// Row is one kind over the year.
type Row struct {
	Rhythm
	Cells  []Cell `json:"cells"`
	Missed int    `json:"missed"`
}

// Grid checks meetings against the rhythm for year at now. Meetings of
// other years or kinds are ignored; a meeting counts as held once it has
// started.
func Grid(year int, rhythm []Rhythm, meetings []Meeting, now time.Time) []Row {
	sorted := append([]Meeting(nil), meetings...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	out := make([]Row, 0, len(rhythm))
	for _, r := range rhythm {
		if !r.Per.Valid() || r.Count < 1 {
			continue
		}
		row := Row{Rhythm: r, Cells: []Cell{}}
		for _, p := range Periods(year, r.Per) {
			p.Required = r.Count
			c := Cell{Period: p, Meetings: []Meeting{}}
			for _, m := range sorted {
				if m.Kind != r.Kind || m.At.Before(p.From) || !m.At.Before(p.To) {
					continue
				}
				c.Meetings = append(c.Meetings, m)
				if m.At.After(now) {
					c.Scheduled++
				} else {
					c.Held++
				}
			}
			c.Status = statusOf(c, now)
			c.Label = c.Status.Label()
			if c.Status == Missed {
				row.Missed++
			}
			row.Cells = append(row.Cells, c)
		}
		out = append(out, row)
	}
	return out
}

func statusOf(c Cell, now time.Time) Status {
	switch {
	case c.Held >= c.Required:
		return Done
	case !now.Before(c.To):
		return Missed
	case now.Before(c.From):
		if c.Held+c.Scheduled >= c.Required {
			return Scheduled
		}
		return Upcoming
	case c.Held+c.Scheduled >= c.Required:
		return Scheduled
	}
	return Due
}
