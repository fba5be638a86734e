package hooks

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"
)

// tombstoneDays is how long a deletion stays pullable: longer than any
// offline period (docs/SYNC.md).
const tombstoneDays = 400

// bindSyncedRecordHooks keeps the server-owned sync fields right on every
// write of s's records. The seq is taken inside the write's transaction, so
// seq order is commit order (SQLite has one writer) and a pull never skips
// a change that commits later with a smaller seq.
func bindSyncedRecordHooks(app core.App, s *SyncedCollection) {
	app.OnRecordCreateExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			rec := e.Record
			if err := stampSyncFields(tx, s, rec); err != nil {
				return err
			}
			if rec.GetInt("version") < 1 {
				rec.Set("version", 1)
			}
			if rec.GetDateTime("received_at").IsZero() {
				rec.Set("received_at", types.NowDateTime())
			}
			return e.Next()
		})
	})
	app.OnRecordUpdateExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			rec := e.Record
			orig := rec.Original()
			if err := stampSyncFields(tx, s, rec); err != nil {
				return err
			}
			// A content change that did not come with a new version (an
			// edit in the admin UI) still makes phones' copies stale.
			if rec.GetString("content_hash") != orig.GetString("content_hash") &&
				rec.GetInt("version") == orig.GetInt("version") {
				rec.Set("version", orig.GetInt("version")+1)
			}
			return e.Next()
		})
	})
	app.OnRecordDeleteExecute(s.Name).BindFunc(func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := writeTombstone(tx, s, e.Record); err != nil {
				return err
			}
			return e.Next()
		})
	})
}

func stampSyncFields(tx core.App, s *SyncedCollection, rec *core.Record) error {
	seq, err := nextSeq(tx)
	if err != nil {
		return err
	}
	rec.Set("seq", seq)
	rec.Set("content_hash", s.hashContent(rec))
	if s.PhotoField != "" {
		rec.Set("complete", photosComplete(rec, s.PhotoField))
	}
	return nil
}

// nextSeq bumps the one server sequence. Call it inside the transaction of
// the write it stamps.
func nextSeq(tx core.App) (int64, error) {
	var v int64
	err := tx.DB().NewQuery("UPDATE sync_counters SET value = value + 1 WHERE name = 'seq' RETURNING value").Row(&v)
	return v, err
}

// currentSeq is the last sequence handed out.
func currentSeq(app core.App) (int64, error) {
	var v int64
	err := app.DB().NewQuery("SELECT value FROM sync_counters WHERE name = 'seq'").Row(&v)
	return v, err
}

func writeTombstone(tx core.App, s *SyncedCollection, rec *core.Record) error {
	seq, err := nextSeq(tx)
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

// photoEntry is one photo a phone declared for a record.
type photoEntry struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	File   string `json:"file,omitempty"` // stored file name once it arrived
}

func readManifest(rec *core.Record) []photoEntry {
	var m []photoEntry
	raw, _ := rec.Get("photo_manifest").(types.JSONRaw)
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

func writeManifest(rec *core.Record, m []photoEntry) {
	if m == nil {
		m = []photoEntry{}
	}
	rec.Set("photo_manifest", m)
}

// manifestContent is the part of the manifest the phone wrote: the stored
// file names are the server's and do not change the content.
func manifestContent(m []photoEntry) []map[string]any {
	out := make([]map[string]any, len(m))
	for i, p := range m {
		out[i] = map[string]any{"key": p.Key, "sha256": p.SHA256, "size": p.Size}
	}
	return out
}

// photoStatus lists the declared keys and those whose file arrived.
func photoStatus(rec *core.Record, field string) (expected, present []string) {
	files := fileNames(rec, field)
	expected, present = []string{}, []string{}
	for _, p := range readManifest(rec) {
		expected = append(expected, p.Key)
		if p.File != "" && slices.Contains(files, p.File) {
			present = append(present, p.Key)
		}
	}
	return expected, present
}

func photosComplete(rec *core.Record, field string) bool {
	expected, present := photoStatus(rec, field)
	return len(expected) == len(present)
}

// fileNames lists the names in a file field, including files being saved
// (the field holds them as *filesystem.File until they are uploaded).
func fileNames(rec *core.Record, field string) []string {
	var names []string
	switch v := rec.Get(field).(type) {
	case []string:
		names = append(names, v...)
	case []any:
		for _, x := range v {
			switch f := x.(type) {
			case string:
				names = append(names, f)
			case *filesystem.File:
				names = append(names, f.Name)
			}
		}
	case string:
		names = append(names, v)
	}
	return names
}
