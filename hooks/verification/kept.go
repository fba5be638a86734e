package verification

import (
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/syncengine"
	"simeng/plausibility"
)

// Every check reads the deputy's visits around the visit's time
// (nearbyVisits), at about 20 µs a visit read. A push read its windows
// once for all its records, but again at the next push; a visit saved on
// its own — through the admin UI, the records API, a seeder — read them
// at every save, so a deputy with many visits close together paid several
// times the save itself.
//
// So a deputy's windows of visits (deputyWindows) outlive the push or
// save that read them: kept in memory with the sync sequence
// (syncengine.CurrentSeq) they are current for, and used again only while
// no synced record changed since, except the very visit being saved; that
// save then adds its visit and moves them on to its own sequence value.
// Anything else — another deputy's push, a household edited, a deletion,
// a rolled-back save, a village changed (villages are not synced: their
// hook forgets every window) — leaves them behind, and the next save reads
// again from the database. The sequence is this process's (syncengine
// keeps it in memory on the same ground: one process writes the database),
// and writes are serialised (one writer), so a deputy's windows are only
// ever used by the save that holds the write transaction.
type keptWindows struct {
	mu       sync.Mutex
	byDeputy map[string]*deputyWindows
	hits     int // saves the kept windows answered (for tests)
	grown    int // windows grown by the span they lacked (for tests)
}

// deputyWindows are a deputy's visits in some spans of time, as the
// database held them when the sync sequence stood at seq, and what else
// the checks read (households, villages) in memo, as a push's scratch.
type deputyWindows struct {
	seq     int64
	windows []*pushWindow
	memo    map[string]any
}

// pushWindow is a deputy's visits with visited_at in [from, to].
type pushWindow struct {
	from, to time.Time
	hist     *plausibility.History
}

const (
	keptWindowsKey = "simeng.verification.keptWindows"
	// keptPad widens a window read outside a push beyond what the visit
	// needs, so the deputy's next visits (a session of paper records
	// typed in, minutes or hours apart) fall inside it.
	keptPad = 12 * time.Hour
	// maxKeptDeputies and maxDeputyWindows bound the memory: a township's
	// phones push a few deputies at a time, and a push of paper records
	// jumps between a few months.
	maxKeptDeputies  = 64
	maxDeputyWindows = 16
)

func keptWindowsOf(app core.App) *keptWindows {
	return app.Store().GetOrSet(keptWindowsKey, func() any {
		return &keptWindows{byDeputy: map[string]*deputyWindows{}}
	}).(*keptWindows)
}

// current is the deputy's kept windows when they are current for the
// record being saved with sequence value seq (nothing else changed
// since), else nil.
func (k *keptWindows) current(app core.App, deputy string, seq int64) *deputyWindows {
	cur, err := syncengine.CurrentSeq(app)
	if err != nil || seq <= 0 || cur != seq {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	d := k.byDeputy[deputy]
	if d == nil || d.seq != seq-1 {
		return nil
	}
	k.hits++
	return d
}

// fresh starts the deputy's windows over for the record being saved with
// sequence value seq: what is read next is read at seq-1.
func (k *keptWindows) fresh(app core.App, deputy string, seq int64) *deputyWindows {
	d := &deputyWindows{seq: seq - 1, memo: map[string]any{}}
	if seq <= 0 {
		return d // a write outside the sequence: used for this save only
	}
	k.mu.Lock()
	if _, ok := k.byDeputy[deputy]; !ok && len(k.byDeputy) >= maxKeptDeputies {
		clear(k.byDeputy)
	}
	k.byDeputy[deputy] = d
	k.mu.Unlock()
	k.forgetIfRolledBack(app, deputy)
	return d
}

// covering is the window holding [t-need, t+need], or nil.
func (d *deputyWindows) covering(t time.Time, need time.Duration) *pushWindow {
	for _, w := range d.windows {
		if !t.Add(-need).Before(w.from) && !t.Add(need).After(w.to) {
			return w
		}
	}
	return nil
}

// overlapping is a window sharing some of [from, to], or nil.
func (d *deputyWindows) overlapping(from, to time.Time) *pushWindow {
	for _, w := range d.windows {
		if !to.Before(w.from) && !from.After(w.to) {
			return w
		}
	}
	return nil
}

func (k *keptWindows) grew() {
	k.mu.Lock()
	k.grown++
	k.mu.Unlock()
}

// add keeps a window just read, dropping the oldest beyond the bound.
func (d *deputyWindows) add(w *pushWindow) {
	if len(d.windows) >= maxDeputyWindows {
		d.windows = slices.Delete(d.windows, 0, 1)
	}
	d.windows = append(d.windows, w)
}

// put adds the visit v just stored to each window that holds its time, and
// drops it from those that no longer do.
func (d *deputyWindows) put(v plausibility.Visit) {
	for _, w := range d.windows {
		if !v.VisitedAt.Before(w.from) && !v.VisitedAt.After(w.to) {
			w.hist.Put(v)
		} else {
			w.hist.Remove(v.ID)
		}
	}
}

// moved records that the save with sequence value seq has brought d up to
// date (its visit put, or nothing the checks read changed): d is current
// for seq from now on if it was for seq-1, else it is forgotten.
func (k *keptWindows) moved(app core.App, deputy string, d *deputyWindows, seq int64) {
	k.mu.Lock()
	if k.byDeputy[deputy] == d {
		if seq > 0 && d.seq == seq-1 {
			d.seq = seq
		} else {
			delete(k.byDeputy, deputy)
		}
	}
	k.mu.Unlock()
	k.forgetIfRolledBack(app, deputy)
}

// unchanged moves the deputy's windows on past a write with sequence value
// seq that changed nothing the checks read (a review, a callback).
func (k *keptWindows) unchanged(app core.App, deputy string, seq int64) {
	k.mu.Lock()
	d := k.byDeputy[deputy]
	k.mu.Unlock()
	if d != nil {
		k.moved(app, deputy, d, seq)
	}
}

func (k *keptWindows) forget(deputy string) {
	k.mu.Lock()
	delete(k.byDeputy, deputy)
	k.mu.Unlock()
}

// forgetIfRolledBack drops the deputy's windows when the transaction they
// were read or moved in fails: they may hold what was never committed.
func (k *keptWindows) forgetIfRolledBack(app core.App, deputy string) {
	if tx := app.TxInfo(); tx != nil {
		tx.OnComplete(func(err error) error {
			if err != nil {
				k.forget(deputy)
			}
			return nil
		})
	}
}

// bindKeptWindows forgets every kept window when a village changes: the
// memos hold villages' positions, and villages are not synced (their
// changes do not move the sequence).
func bindKeptWindows(app core.App) {
	forgetAll := func(e *core.RecordEvent) error {
		k := keptWindowsOf(e.App)
		k.mu.Lock()
		clear(k.byDeputy)
		k.mu.Unlock()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("villages").BindFunc(forgetAll)
	app.OnRecordAfterUpdateSuccess("villages").BindFunc(forgetAll)
	app.OnRecordAfterDeleteSuccess("villages").BindFunc(forgetAll)
}
