package plausibility

import (
	"slices"
	"time"
)

// History is one deputy's visits ordered by time: all the state the pace
// and sitting checks need. Near finds a visit's neighbours by binary search,
// so evaluating a visit costs the same with 10 or 10,000 visits in the year.
// On the server the (deputy, visited_at) index of visits plays this part:
// one range query per push fills a History with the window the push's
// visits need (see NeedWindow), and the push's own visits are Put into it
// as they are evaluated. It is not safe for concurrent use.
type History struct {
	visits []Visit // by VisitedAt, then ID
	at     map[string]time.Time
}

// NewHistory returns a history holding visits (a later one with the same
// id replacing an earlier, as Put does). It sorts once: putting many
// visits that share one time one by one would shift the slice at each.
func NewHistory(visits ...Visit) *History {
	h := &History{visits: make([]Visit, 0, len(visits)), at: make(map[string]time.Time, len(visits))}
	last := make(map[string]int, len(visits))
	for i, v := range visits {
		last[v.ID] = i
	}
	for i, v := range visits {
		if last[v.ID] == i {
			h.visits = append(h.visits, v)
			h.at[v.ID] = v.VisitedAt
		}
	}
	slices.SortFunc(h.visits, byTime)
	return h
}

// Len is the number of visits held.
func (h *History) Len() int { return len(h.visits) }

// Put adds v, or replaces the visit with v's id (its time may have moved).
func (h *History) Put(v Visit) {
	h.Remove(v.ID)
	i, _ := slices.BinarySearchFunc(h.visits, v, byTime)
	h.visits = slices.Insert(h.visits, i, v)
	h.at[v.ID] = v.VisitedAt
}

// Remove drops the visit with id, if held.
func (h *History) Remove(id string) {
	at, ok := h.at[id]
	if !ok {
		return
	}
	if i, found := slices.BinarySearchFunc(h.visits, Visit{ID: id, VisitedAt: at}, byTime); found {
		h.visits = slices.Delete(h.visits, i, i+1)
	}
	delete(h.at, id)
}

// Keep drops every visit outside [from, to]: a window of a deputy's
// visits that moves on through time lets go of what it has left behind.
func (h *History) Keep(from, to time.Time) {
	lo, _ := slices.BinarySearchFunc(h.visits, from, func(v Visit, t time.Time) int { return v.VisitedAt.Compare(t) })
	hi := lo
	for hi < len(h.visits) && !h.visits[hi].VisitedAt.After(to) {
		hi++
	}
	for _, v := range h.visits[:lo] {
		delete(h.at, v.ID)
	}
	for _, v := range h.visits[hi:] {
		delete(h.at, v.ID)
	}
	h.visits = slices.Delete(h.visits, hi, len(h.visits))
	h.visits = slices.Delete(h.visits, 0, lo)
}

// Near returns the visits within d of t (inclusive), by time. The slice
// shares the history's storage: read it before the next Put or Remove.
func (h *History) Near(t time.Time, d time.Duration) []Visit {
	lo, _ := slices.BinarySearchFunc(h.visits, t.Add(-d), func(v Visit, t time.Time) int {
		return v.VisitedAt.Compare(t)
	})
	hi := lo
	end := t.Add(d)
	for hi < len(h.visits) && !h.visits[hi].VisitedAt.After(end) {
		hi++
	}
	return h.visits[lo:hi:hi]
}

// NeedWindow is the span of visited_at a History must cover to evaluate
// visits at the given times: from the earliest less s.Window() to the
// latest plus it. ok is false for no times.
func NeedWindow(times []time.Time, s Settings) (from, to time.Time, ok bool) {
	if len(times) == 0 {
		return time.Time{}, time.Time{}, false
	}
	from, to = times[0], times[0]
	for _, t := range times[1:] {
		if t.Before(from) {
			from = t
		}
		if t.After(to) {
			to = t
		}
	}
	w := s.Window()
	return from.Add(-w), to.Add(w), true
}
