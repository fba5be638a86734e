package syncengine

import (
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/fieldset"
)

// tombstoneDays is how long a deletion stays pullable: longer than any
// offline period (docs/SYNC.md).
const tombstoneDays = 400

// bindRecordHooks keeps the server-owned sync fields right on every
// write of s's records, whichever door it comes in by.
func bindRecordHooks(app core.App, s *Collection) {
	// The records API and batch (a deputy's REST edit of a hazard, the
	// admin UI) never set the server-owned fields: a deputy who tries is
	// told so; the office's whole-form saves keep the stored values.
	app.OnRecordCreateRequest(s.Name).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := guardServerFields(e, s, core.NewRecord(e.Collection)); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(s.Name).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := guardServerFields(e, s, e.Record.Original()); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordCreateExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		rec := e.Record
		done, err := stampSyncFields(e.App, s, rec)
		if err != nil {
			return err
		}
		defer done()
		if rec.GetInt("version") < 1 || !fromPush(e.Context) {
			fieldset.Set(rec, "version", 1)
		}
		if rec.GetDateTime("received_at").IsZero() || !fromPush(e.Context) {
			fieldset.Set(rec, "received_at", types.NowDateTime())
		}
		if err := sealFields(s, rec); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdateExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		rec := e.Record
		orig := rec.Original()
		done, err := stampSyncFields(e.App, s, rec)
		if err != nil {
			return err
		}
		defer done()
		// Only the push decides a version (it compared the phone's base
		// version). Any other write (an edit in the admin UI or through the
		// records API, a photo arriving, another hook) is hashed here,
		// whatever version it carries: a content change then makes phones'
		// copies stale, and a version is never lowered or jumped.
		if !fromPush(e.Context) {
			hash := s.hashContent(rec)
			fieldset.Set(rec, "version", orig.GetInt("version"))
			if hash != storedHash(s, orig) {
				fieldset.Set(rec, "version", orig.GetInt("version")+1)
			}
			fieldset.Set(rec, "content_hash", hash)
			fieldset.Set(rec, "received_at", orig.Get("received_at"))
		}
		if err := sealFields(s, rec); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordDeleteExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		// The tombstone and the delete commit together. e.App is restored
		// afterwards, as PocketBase's own delete does: handlers that run
		// after the commit must not hold the finished transaction.
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := writeTombstone(tx, s, e.Record); err != nil {
				return err
			}
			return e.Next()
		})
	})
}

// serverFields are the engine's bookkeeping fields of s, which only the
// server writes by any door. (A capability's ServerFields are only kept
// from phones: its own rules decide who edits them through REST, e.g. the
// presidium's moderation of a topic comment.)
func (s *Collection) serverFields() []string {
	f := []string{"version", "seq", "received_at", "content_hash", "schema_version", "device"}
	if s.PhotoField != "" {
		f = append(f, "photo_manifest", "complete")
	}
	return f
}

// guardServerFields refuses, for anyone but the office, a request that
// changes a server-owned field from what it was (before: the stored
// record, or a new record's defaults); the office's values are put back.
func guardServerFields(e *core.RecordRequestEvent, s *Collection, before *core.Record) error {
	office := access.IsOffice(e.Auth)
	for _, f := range s.serverFields() {
		if e.Collection.Fields.GetByName(f) == nil || e.Record.GetString(f) == before.GetString(f) {
			continue
		}
		if !office {
			return fielderr.New(f, "validation_server_owned", "由服务器维护，不能修改。")
		}
		e.Record.Set(f, before.Get(f))
	}
	return nil
}

// storedHash is rec's content hash. Records created outside the sync path
// (admin UI, seeders) are hashed lazily, the first time a phone's upload is
// compared with them or they are edited: an empty content_hash means "not
// hashed yet", never "empty content".
func storedHash(s *Collection, rec *core.Record) string {
	if h := rec.GetString("content_hash"); h != "" {
		return h
	}
	return s.hashContent(rec)
}

// stampSyncFields takes the record's seq; call done once the write has
// run (see takeSeq).
func stampSyncFields(app core.App, s *Collection, rec *core.Record) (done func(), err error) {
	seq, done, err := takeSeq(app)
	if err != nil {
		return nil, err
	}
	fieldset.Set(rec, "seq", seq)
	if s.PhotoField != "" {
		fieldset.Set(rec, "complete", photosComplete(rec, s.PhotoField))
	}
	return done, nil
}

// The server sequence. Every change of a synced record takes the next
// value when it is written. A pull must never skip a change that commits
// later with a smaller seq, so a value is "in flight" from the moment it is
// taken until its write has committed or failed, and pulls read only up to
// just below the smallest value in flight (safeSeq). PocketBase writes
// through a single connection, so in-flight values are few and short-lived.
//
// The counter lives in memory (a counter row updated on every write would
// double the cost of a save) and is loaded, on first use, from the largest
// seq stored anywhere: the synced collections, the tombstones, and the
// floor kept in sync_counters, which is raised after every push and before
// tombstones are purged, so the sequence never goes back after a restart.
// A rolled-back write leaves a gap, which is harmless.
type seqCounter struct {
	mu       sync.Mutex
	last     int64
	loaded   bool
	inFlight map[int64]bool
}

const seqCounterKey = "simeng.seqCounter"

func counterOf(app core.App) *seqCounter {
	return app.Store().GetOrSet(seqCounterKey, func() any { return &seqCounter{inFlight: map[int64]bool{}} }).(*seqCounter)
}

// takeSeq hands out the next sequence value. In a transaction the value
// stays in flight until the transaction ends; otherwise until the caller
// calls done, right after its write.
func takeSeq(app core.App) (seq int64, done func(), err error) {
	c := counterOf(app)
	if seq, err = c.advance(app, 1); err != nil {
		return 0, nil, err
	}
	c.mu.Lock()
	c.inFlight[seq] = true
	c.mu.Unlock()
	land := func() {
		c.mu.Lock()
		delete(c.inFlight, seq)
		c.mu.Unlock()
	}
	if tx := app.TxInfo(); tx != nil {
		tx.OnComplete(func(error) error { land(); return nil })
		return seq, func() {}, nil
	}
	return seq, land, nil
}

// currentSeq is the last sequence handed out.
func currentSeq(app core.App) (int64, error) {
	return counterOf(app).advance(app, 0)
}

// CurrentSeq is the last sequence value handed out: every change of a
// synced record (a create, an edit, a deletion's tombstone) takes the next
// one, so an unchanged value means no synced record changed since. A
// capability may key what it keeps in memory about synced records by it.
func CurrentSeq(app core.App) (int64, error) { return currentSeq(app) }

// safeSeq is the largest seq below which every change has committed (or
// will never exist): what a pull may read up to.
func safeSeq(app core.App) (int64, error) {
	c := counterOf(app)
	last, err := c.advance(app, 0)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.inFlight {
		if s-1 < last {
			last = s - 1
		}
	}
	return last, nil
}

func (c *seqCounter) advance(app core.App, by int64) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		last, err := storedMaxSeq(app)
		if err != nil {
			return 0, err
		}
		c.last, c.loaded = last, true
	}
	c.last += by
	return c.last, nil
}

func storedMaxSeq(app core.App) (int64, error) {
	parts := []string{"SELECT COALESCE(MAX(value), 0) AS m FROM sync_counters WHERE name = 'seq'",
		"SELECT COALESCE(MAX(seq), 0) FROM sync_tombstones"}
	for _, s := range registryOf(app).all() {
		parts = append(parts, "SELECT COALESCE(MAX(seq), 0) FROM {{"+s.Name+"}}")
	}
	var m int64
	err := app.DB().NewQuery("SELECT MAX(m) FROM (" + strings.Join(parts, " UNION ALL ") + ")").Row(&m)
	return m, err
}

// saveSeqFloor raises the stored floor of the sequence to the counter.
func saveSeqFloor(tx core.App) error {
	last, err := currentSeq(tx)
	if err != nil {
		return err
	}
	_, err = tx.DB().NewQuery("UPDATE sync_counters SET value = {:v} WHERE name = 'seq' AND value < {:v}").
		Bind(dbx.Params{"v": last}).Execute()
	return err
}

func writeTombstone(tx core.App, s *Collection, rec *core.Record) error {
	seq, _, err := takeSeq(tx) // tx: in flight until it ends
	if err != nil {
		return err
	}
	col, err := tx.FindCachedCollectionByNameOrId("sync_tombstones")
	if err != nil {
		return err
	}
	t, err := tx.FindFirstRecordByFilter(col, "collection = {:c} && record_id = {:id}", dbx.Params{"c": s.Name, "id": rec.Id})
	if err != nil {
		t = core.NewRecord(col)
	}
	t.Set("collection", s.Name)
	t.Set("record_id", rec.Id)
	t.Set("deputy", rec.GetString(s.OwnerField))
	if s.TombstoneVillage != "" {
		t.Set("village", rec.GetString(s.TombstoneVillage))
	}
	t.Set("seq", seq)
	t.Set("deleted_at", types.NowDateTime())
	return tx.Save(t)
}

// purgeTombstones deletes tombstones older than tombstoneDays.
func purgeTombstones(app core.App) error {
	if err := saveSeqFloor(app); err != nil {
		return err
	}
	cutoff := types.NowDateTime().Add(-tombstoneDays * 24 * time.Hour)
	old, err := app.FindRecordsByFilter("sync_tombstones", "deleted_at < {:cutoff}", "", 0, 0, dbx.Params{"cutoff": cutoff})
	if err != nil {
		return err
	}
	for _, t := range old {
		if err := app.Delete(t); err != nil {
			return err
		}
	}
	return nil
}
