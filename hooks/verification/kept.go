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
// (nearbyVisits). A push reads them once for all its records (its
// scratch windows); a visit saved on its own — through the admin UI, the
// records API, a seeder — read them at every save, and the read costs
// about 20 µs a visit in the window, so a deputy with many visits close
// together paid several times the save itself.
//
// So the last window read outside a push is kept in memory per deputy,
// with the sync sequence (syncengine.CurrentSeq) it is current for, and
// used again only while no synced record changed since, except the very
// visit being saved; that save then adds its visit and moves the window
// on to its own sequence value. Anything else — another deputy's push, a
// household edited, a deletion, a rolled-back save — leaves the window
// behind the sequence, and the next save reads it again from the
// database. The sequence is this process's (syncengine keeps it in
// memory on the same ground: one process writes the database).
type keptWindows struct {
	mu       sync.Mutex
	byDeputy map[string]*keptWindow
	hits     int // reads the kept windows answered (for tests)
}

// keptWindow is a deputy's visits with visited_at in [from, to], as the
// database held them when the sync sequence stood at seq.
type keptWindow struct {
	from, to time.Time
	seq      int64
	visits   *plausibility.History
	memo     map[string]any // what else the checks read (households, villages), as a push's scratch
}

const (
	keptWindowsKey = "simeng.verification.keptWindows"
	// keptPad widens a window read outside a push beyond what the visit
	// needs, so the deputy's next visits (a session of paper records
	// typed in, minutes or hours apart) fall inside it.
	keptPad = 12 * time.Hour
	// maxKeptWindows bounds the memory: a township's office enters a few
	// deputies' records at a time.
	maxKeptWindows = 64
)

func keptWindowsOf(app core.App) *keptWindows {
	return app.Store().GetOrSet(keptWindowsKey, func() any {
		return &keptWindows{byDeputy: map[string]*keptWindow{}}
	}).(*keptWindows)
}

// near returns a copy of the deputy's kept visits within need of t, when
// the kept window covers that span and is current for the record being
// saved with sequence value seq (nothing else changed since).
func (k *keptWindows) near(app core.App, deputy string, t time.Time, need time.Duration, seq int64) ([]plausibility.Visit, bool) {
	cur, err := syncengine.CurrentSeq(app)
	if err != nil || seq <= 0 || cur != seq {
		return nil, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	w := k.byDeputy[deputy]
	if w == nil || w.seq != seq-1 || t.Add(-need).Before(w.from) || t.Add(need).After(w.to) {
		return nil, false
	}
	k.hits++
	return slices.Clone(w.visits.Near(t, need)), true
}

// memo is the deputy's kept window's memo while the window is current for
// the record being saved with sequence value seq, else nil. Only the
// writer saving that record uses it.
func (k *keptWindows) memo(app core.App, deputy string, seq int64) map[string]any {
	cur, err := syncengine.CurrentSeq(app)
	if err != nil || seq <= 0 || cur != seq {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	w := k.byDeputy[deputy]
	if w == nil || w.seq != seq-1 {
		return nil
	}
	if w.memo == nil {
		w.memo = map[string]any{}
	}
	return w.memo
}

// keep stores visits read for [from, to] while saving the record with
// sequence value seq: the read saw every change up to seq-1.
// The history is the window's own from then on (the caller only reads
// what it took of it before the next save).
func (k *keptWindows) keep(app core.App, deputy string, from, to time.Time, visits *plausibility.History, seq int64) {
	if seq <= 0 {
		return
	}
	k.mu.Lock()
	if _, ok := k.byDeputy[deputy]; !ok && len(k.byDeputy) >= maxKeptWindows {
		clear(k.byDeputy)
	}
	k.byDeputy[deputy] = &keptWindow{from: from, to: to, seq: seq - 1, visits: visits}
	k.mu.Unlock()
	k.forgetIfRolledBack(app, deputy)
}

// saved moves the deputy's window on to the visit v just written with
// sequence value seq: v is added (or dropped, if its time left the
// window) when the window was current up to seq-1; otherwise the window is
// forgotten.
func (k *keptWindows) saved(app core.App, v plausibility.Visit, seq int64) {
	k.mu.Lock()
	w := k.byDeputy[v.Deputy]
	switch {
	case w == nil:
	case seq <= 0 || w.seq != seq-1:
		delete(k.byDeputy, v.Deputy)
	default:
		// As the database read gives it back (visitRow.visit).
		v.ReceivedAt, v.SentAt, v.Photos = time.Time{}, time.Time{}, nil
		if v.VisitedAt.Before(w.from) || v.VisitedAt.After(w.to) {
			w.visits.Remove(v.ID)
		} else {
			w.visits.Put(v)
		}
		w.seq = seq
	}
	k.mu.Unlock()
	k.forgetIfRolledBack(app, v.Deputy)
}

// unchanged moves the deputy's window on past a write with sequence
// value seq that changed nothing the checks read (a review, a callback).
func (k *keptWindows) unchanged(app core.App, deputy string, seq int64) {
	k.mu.Lock()
	if w := k.byDeputy[deputy]; w != nil {
		if seq > 0 && w.seq == seq-1 {
			w.seq = seq
		} else {
			delete(k.byDeputy, deputy)
		}
	}
	k.mu.Unlock()
	k.forgetIfRolledBack(app, deputy)
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

func (k *keptWindows) forget(deputy string) {
	k.mu.Lock()
	delete(k.byDeputy, deputy)
	k.mu.Unlock()
}

// forgetIfRolledBack drops the deputy's window when the transaction it was
// read or moved in fails: it may hold what was never committed.
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
