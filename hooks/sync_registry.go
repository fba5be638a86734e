package hooks

import (
	"slices"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/syncrule"
)

// SyncedCollection describes a collection that phones write offline and
// sync through the generic routes of docs/SYNC.md (/api/sync/push, pull,
// photos, status). Register one with RegisterSynced from the capability's
// bind function. The collection must carry the server-owned sync fields
// (migrations.AddSyncFields) and, when PhotoField is set, the photo fields
// (migrations.AddPhotoFields).
type SyncedCollection struct {
	// Name of the collection.
	Name string
	// OwnerField is the relation to deputies that the server sets from the
	// auth token ("deputy"). A body naming another owner is forbidden.
	OwnerField string
	// Schema is the [min, max] client schema_version the server accepts.
	// Older versions go through Migrate; newer ones are rejected
	// (schema_too_new) and kept on the phone.
	Schema [2]int
	// Fields are the data keys copied as they are onto the record. They and
	// HashFields make the content that idempotency compares.
	Fields []string
	// ExtraKeys are further data keys that Apply handles itself.
	ExtraKeys []string
	// HashFields are record fields hashed besides Fields (e.g. fields that
	// Apply derives from ExtraKeys). The photo manifest is hashed when
	// PhotoField is set.
	HashFields []string
	// PhotoField is the file field of the record's photos, "" if none.
	PhotoField string
	// Migrate turns data written by an older client schema into the current
	// shape. Nil when every accepted version has the current shape.
	Migrate func(schemaVersion int, data map[string]any) map[string]any
	// Apply handles ExtraKeys and checks what field validation cannot
	// (references, time ranges), in the push transaction. It returns
	// validation.Errors naming the fields for bad input; any other error
	// aborts the whole push.
	Apply func(app core.App, auth, rec *core.Record, data map[string]any) error
	// Dedupe, if set, returns the id of another record that rec duplicates
	// (households: the same normalised key). A new record that duplicates
	// one is not created: its id becomes an alias (outcome "merged").
	// Only households use it: the merged id is kept in household_aliases.
	Dedupe func(app core.App, rec *core.Record) (string, error)
	// DedupeField is the field named when an edit would make a duplicate.
	DedupeField string
	// PullScope selects the records a deputy pulls. Nil: the records the
	// deputy owns.
	PullScope func(auth *core.Record) dbx.Expression
	// TombstoneVillage, if set, names the relation field whose value is
	// stored on tombstones so the village's deputies pull the deletion too.
	TombstoneVillage string
	// Export adjusts the data a pull returns for rec (e.g. unhide fields
	// the puller may see). Nil: the record's public fields.
	Export func(auth, rec *core.Record, data map[string]any)
}

func (s *SyncedCollection) accepts(key string) bool {
	return slices.Contains(s.Fields, key) || slices.Contains(s.ExtraKeys, key)
}

// hashContent is the ContentHash of the record's client content: what two
// uploads must share to be "the same record".
func (s *SyncedCollection) hashContent(rec *core.Record) string {
	content := make(map[string]any, len(s.Fields)+len(s.HashFields)+1)
	for _, f := range s.Fields {
		content[f] = rec.Get(f)
	}
	for _, f := range s.HashFields {
		content[f] = rec.Get(f)
	}
	if s.PhotoField != "" {
		content["photo_manifest"] = manifestContent(readManifest(rec))
	}
	return syncrule.ContentHash(content)
}

// syncRegistry holds an app's synced collections, in registration order
// (the order pulls merge them in at equal seq, which cannot happen).
type syncRegistry struct {
	mu   sync.RWMutex
	list []*SyncedCollection
}

const syncRegistryKey = "simeng.syncRegistry"

func registryOf(app core.App) *syncRegistry {
	return app.Store().GetOrSet(syncRegistryKey, func() any { return &syncRegistry{} }).(*syncRegistry)
}

func (r *syncRegistry) get(name string) *SyncedCollection {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.list {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (r *syncRegistry) all() []*SyncedCollection {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.list)
}

// RegisterSynced plugs a collection into the sync routes and binds the
// record hooks that keep its sync fields (seq, version, content_hash,
// received_at, complete) and tombstones right for every write, whether it
// comes from a phone, the admin UI or another hook. Call it once per app
// from the capability's bind function.
func RegisterSynced(app core.App, s SyncedCollection) {
	if s.OwnerField == "" {
		s.OwnerField = "deputy"
	}
	if s.Schema == [2]int{} {
		s.Schema = [2]int{1, 1}
	}
	reg := registryOf(app)
	reg.mu.Lock()
	reg.list = slices.DeleteFunc(reg.list, func(o *SyncedCollection) bool { return o.Name == s.Name })
	reg.list = append(reg.list, &s)
	reg.mu.Unlock()
	bindSyncedRecordHooks(app, &s)
}
