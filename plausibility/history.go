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
//
// The visits sit in the middle of their storage with room on both sides,
// and a Put or Remove moves whichever side of its place is shorter: visits
// typed from today backwards (a pile of paper records) arrive at the front
// as cheaply as a day's visits arrive at the back. With all the room at the
// back, every visit put at the front moved the whole window, a few hundred
// bytes a visit held.
type History struct {
	buf    []Visit // visits by VisitedAt, then ID, in buf[lo:hi]; the rest zero
	lo, hi int
	at     map[string]time.Time
}

// NewHistory returns a history holding visits (a later one with the same
// id replacing an earlier, as Put does). It sorts once: putting many
// visits that share one time one by one would shift the slice at each.
func NewHistory(visits ...Visit) *History {
	h := &History{buf: make([]Visit, 0, len(visits)), at: make(map[string]time.Time, len(visits))}
	last := make(map[string]int, len(visits))
	for i, v := range visits {
		last[v.ID] = i
	}
	for i, v := range visits {
		if last[v.ID] == i {
			h.buf = append(h.buf, v)
			h.at[v.ID] = v.VisitedAt
		}
	}
	slices.SortFunc(h.buf, byTime)
	h.hi = len(h.buf)
	return h
}

// held is the visits, by time; it shares the history's storage.
func (h *History) held() []Visit { return h.buf[h.lo:h.hi:h.hi] }

// Len is the number of visits held.
func (h *History) Len() int { return h.hi - h.lo }

// Put adds v, or replaces the visit with v's id (its time may have moved).
func (h *History) Put(v Visit) {
	h.Remove(v.ID)
	i, _ := slices.BinarySearchFunc(h.held(), v, byTime)
	h.insert(i, v)
	if h.at == nil {
		h.at = map[string]time.Time{}
	}
	h.at[v.ID] = v.VisitedAt
}

// insert puts v at position i of the held visits, moving the shorter side.
func (h *History) insert(i int, v Visit) {
	n := h.Len()
	switch {
	case i <= n-i && h.lo > 0:
		copy(h.buf[h.lo-1:], h.buf[h.lo:h.lo+i])
		h.lo--
	case i > n-i && h.hi < len(h.buf):
		copy(h.buf[h.lo+i+1:h.hi+1], h.buf[h.lo+i:h.hi])
		h.hi++
	default: // no room on the shorter side: lay the visits out again in the middle
		buf := make([]Visit, 2*(n+1)+16)
		lo := (len(buf) - (n + 1)) / 2
		copy(buf[lo:], h.buf[h.lo:h.lo+i])
		copy(buf[lo+i+1:], h.buf[h.lo+i:h.hi])
		h.buf, h.lo, h.hi = buf, lo, lo+n+1
	}
	h.buf[h.lo+i] = v
}

// Remove drops the visit with id, if held.
func (h *History) Remove(id string) {
	at, ok := h.at[id]
	if !ok {
		return
	}
	if i, found := slices.BinarySearchFunc(h.held(), Visit{ID: id, VisitedAt: at}, byTime); found {
		if n := h.Len(); i < n-1-i {
			copy(h.buf[h.lo+1:], h.buf[h.lo:h.lo+i])
			h.buf[h.lo] = Visit{}
			h.lo++
		} else {
			copy(h.buf[h.lo+i:], h.buf[h.lo+i+1:h.hi])
			h.hi--
			h.buf[h.hi] = Visit{}
		}
	}
	delete(h.at, id)
}

// Keep drops every visit outside [from, to]: a window of a deputy's
// visits that moves on through time lets go of what it has left behind.
func (h *History) Keep(from, to time.Time) {
	held := h.held()
	lo, _ := slices.BinarySearchFunc(held, from, func(v Visit, t time.Time) int { return v.VisitedAt.Compare(t) })
	hi := lo
	for hi < len(held) && !held[hi].VisitedAt.After(to) {
		hi++
	}
	for _, v := range held[:lo] {
		delete(h.at, v.ID)
	}
	for _, v := range held[hi:] {
		delete(h.at, v.ID)
	}
	clear(held[:lo])
	clear(held[hi:])
	h.lo, h.hi = h.lo+lo, h.lo+hi
}

// Near returns the visits within d of t (inclusive), by time. The slice
// shares the history's storage: read it before the next Put or Remove.
func (h *History) Near(t time.Time, d time.Duration) []Visit {
	held := h.held()
	lo, _ := slices.BinarySearchFunc(held, t.Add(-d), func(v Visit, t time.Time) int {
		return v.VisitedAt.Compare(t)
	})
	hi := lo
	end := t.Add(d)
	for hi < len(held) && !held[hi].VisitedAt.After(end) {
		hi++
	}
	return held[lo:hi:hi]
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
