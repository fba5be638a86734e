// Package syncengine is the server side of offline sync (docs/SYNC.md):
// POST /api/sync/push, GET /api/sync/pull, PUT /api/sync/photos/…,
// GET /api/sync/status/…, the server sequence, tombstones and conflict
// copies. It knows no capability: a capability whose records phones write
// offline hands it a typed contract (Collection) with AddCollection, and
// the engine keeps that collection's sync fields right on every write,
// whichever door it comes in by.
//
// (Named syncengine, not sync: its own files use the standard library's
// sync, and `sync.Mutex` next to `sync.Collection` would read badly.)
package syncengine

import (
	"encoding/json"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/syncrule"
	"simeng/vocab"
)

// Register binds the sync routes (deputies only) and the daily purge of
// old tombstones.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/sync")
		g.BindFunc(access.RequireActiveDeputy)
		// Route body limits answer 413 from Content-Length before a byte of
		// an oversized body is read (and cut a chunked one at the limit).
		g.POST("/push", handlePush).Bind(apis.BodyLimit(maxPushBody))
		g.GET("/pull", handlePull)
		g.PUT("/photos/{collection}/{id}/{key}", handlePhotoUpload).Bind(apis.BodyLimit(maxPhotoBody))
		g.GET("/status/{collection}/{id}", handleSyncStatus)
		// A conflict copy whole, sealed fields opened: its deputy and staff.
		se.Router.GET("/api/sync/conflicts/{id}", handleConflictCopy)
		sealLegacy(se.App)
		return se.Next()
	})
	app.Cron().MustAdd("syncPurgeTombstones", "40 19 * * *", func() {
		if err := purgeTombstones(app); err != nil {
			app.Logger().Error("purge sync tombstones", "error", err)
		}
	})
}

// Collection is a capability's contract with the engine: a collection that
// phones write offline. The collection must carry the server-owned sync
// fields (version, seq, received_at, content_hash, schema_version, device)
// and, when PhotoField is set, the photo fields (the file field,
// photo_manifest, complete).
type Collection struct {
	// Name of the collection.
	Name string
	// OwnerField is the relation to deputies that the server sets from the
	// auth token (default "deputy"). A body naming another owner is
	// forbidden.
	OwnerField string
	// Schema is the [min, max] client schema_version the server accepts
	// (default [1, 1]). Older versions go through Migrate; newer ones are
	// rejected (schema_too_new) and kept on the phone.
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
	// ServerFields are record fields only the server writes: a phone that
	// sends them back (from a pulled copy) is ignored, not refused.
	ServerFields []string
	// Sealed are hidden fields of personal data (a household's phone),
	// among Fields: stored sealed by the PII vault (pii.VaultFromEnv),
	// hashed and pulled in the clear, and kept out of conflict copies'
	// readable data (sync_conflicts.sealed).
	Sealed []string

	// PhotoField is the file field of the record's photos, "" if none. The
	// data key "photos" then carries the phone's photo manifest, which the
	// engine applies (ApplyManifest) before Apply runs.
	PhotoField string
	// MaxPhotos a phone may declare per record (default
	// vocab.PhotosPerRecord); PhotosPer words the limit ("每次走访").
	MaxPhotos int
	PhotosPer string

	// Migrate turns data written by an older client schema into the
	// current shape. Nil when every accepted version has the current shape.
	Migrate func(schemaVersion int, data Data) Data
	// Prefetch, if set, reads once per push what Apply would otherwise look
	// up record by record (the households a push's visits name). It gets
	// the data of every record of this collection in the push; what it
	// returns reaches each Apply as ApplyContext.Prefetched. It sees the
	// database as the push starts: records the push itself writes are not
	// in it.
	Prefetch func(app core.App, auth *core.Record, data []Data) (any, error)
	// Apply handles ExtraKeys and checks what field validation cannot
	// (references, device times), in the push transaction. It returns
	// validation.Errors naming the fields for bad input; any other error
	// aborts the whole push.
	Apply func(c *ApplyContext) error
	// Dedupe, if set, keeps one record where two phones created the same
	// thing twice (households).
	Dedupe Deduper

	// ReadOnly: phones pull the collection but never write it (the
	// learning board's articles, which staff publish). A pushed record is
	// forbidden (read_only); with a nil PullScope every deputy pulls every
	// record, and its deletions reach every deputy.
	ReadOnly bool

	// PullScope selects the records a deputy pulls, as alternatives that
	// are each one indexed lookup (village = theirs, deputy = them, …): the
	// engine reads each within the pull's seq window, on an index that has
	// seq after the lookup's columns, and merges them. (An OR of them in one
	// query can use no index in seq order.) Nil: the records the deputy
	// owns (every record, for a ReadOnly collection).
	PullScope func(auth *core.Record) []dbx.Expression
	// TombstoneVillage, if set, names the relation field whose value is
	// stored on tombstones so the village's deputies pull the deletion too.
	TombstoneVillage string
	// Export adjusts the data a pull returns for rec (e.g. unhide fields
	// the puller may see). Nil: the record's public fields.
	Export func(auth, rec *core.Record, data map[string]any)
}

// ApplyContext is what Collection.Apply gets for one pushed record.
type ApplyContext struct {
	App    core.App     // the push's transaction
	Auth   *core.Record // the deputy pushing
	Record *core.Record // the record being written, Fields already set from Data
	Data   Data
	// Prefetched is what the collection's Prefetch returned for this push
	// (nil without one).
	Prefetched any
	// DeviceLead is how far ahead of the server the phone's clock ran when
	// it pushed (0 when it did not say, runs behind, or runs absurdly
	// ahead); CheckDeviceTime allows for it.
	DeviceLead time.Duration
}

// CheckDeviceTime checks a time the phone stamped on the record, at now.
func (c *ApplyContext) CheckDeviceTime(t, now time.Time) TimeCheck {
	return checkDeviceTime(t, now, c.DeviceLead)
}

// Data is a pushed record's data: each key's JSON as the phone sent it.
// Whoever handles a key decodes it once, straight into its own type.
type Data map[string]json.RawMessage

// Has reports whether the phone sent key (null included).
func (d Data) Has(key string) bool {
	_, ok := d[key]
	return ok
}

// IsNull reports whether the phone sent key as null.
func (d Data) IsNull(key string) bool {
	raw, ok := d[key]
	return ok && string(raw) == "null"
}

// Decode decodes key's JSON into v; a key the phone did not send leaves v
// as it is.
func (d Data) Decode(key string, v any) error {
	raw, ok := d[key]
	if !ok {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// String is key's value when it is a JSON string, else "".
func (d Data) String(key string) string {
	raw, ok := d[key]
	if !ok {
		return ""
	}
	if s, ok := plainString(raw); ok {
		return s
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// plainString is the value of a JSON string token without escapes, in
// valid UTF-8, as json.Unmarshal decodes it; ok is false for any other
// token, which the caller decodes in full. A push's ids and times are such
// strings, read several times each by several hooks: decoding them with
// encoding/json cost a decoder's setup and scan every time.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	for _, c := range body {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return "", false
	}
	return string(body), true
}

// Deduper is implemented by a collection whose records two phones may
// create twice offline (households). The server keeps the first to arrive;
// a later duplicate is not created: its id becomes an alias of the kept
// record and the push answers "merged" with merged_into.
type Deduper interface {
	// Duplicate returns the id of another stored record that rec
	// duplicates, "" if none.
	Duplicate(app core.App, rec *core.Record) (string, error)
	// AliasTarget returns the record id was merged into earlier, nil if none.
	AliasTarget(app core.App, id string) (*core.Record, error)
	// Merge records id, pushed by auth, as an alias of target. Validation
	// errors reject the pushed record; any other error aborts the push.
	Merge(app core.App, auth *core.Record, id string, target *core.Record) error
	// Visible reports whether auth may know target (its id, that it
	// exists as such): a duplicate of a record auth cannot read is
	// rejected without naming it, never merged into it.
	Visible(app core.App, auth *core.Record, target *core.Record) (bool, error)
	// DuplicateField is the field named when an edit would make a duplicate.
	DuplicateField() string
	// MergedReason tells the deputy, in Chinese, why their record was merged.
	MergedReason() string
}

func (s *Collection) accepts(key string) bool {
	return slices.Contains(s.Fields, key) || slices.Contains(s.ExtraKeys, key) ||
		(s.PhotoField != "" && key == manifestKey)
}

// hashContent is the ContentHash of the record's client content: what two
// uploads must share to be "the same record".
func (s *Collection) hashContent(rec *core.Record) string {
	content := make(map[string]any, len(s.Fields)+len(s.HashFields)+1)
	for _, f := range s.Fields {
		content[f] = rec.Get(f)
		if slices.Contains(s.Sealed, f) {
			content[f] = openSealed(rec.GetString(f))
		}
	}
	for _, f := range s.HashFields {
		content[f] = rec.Get(f)
	}
	if s.PhotoField != "" {
		content["photo_manifest"] = manifestContent(ReadManifest(rec))
	}
	return syncrule.ContentHash(content)
}

// registry holds an app's synced collections, in registration order (the
// order pulls merge them in at equal seq, which cannot happen).
type registry struct {
	mu   sync.RWMutex
	list []*Collection
}

const registryKey = "simeng.syncRegistry"

func registryOf(app core.App) *registry {
	return app.Store().GetOrSet(registryKey, func() any { return &registry{} }).(*registry)
}

func (r *registry) get(name string) *Collection {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.list {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (r *registry) all() []*Collection {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.list)
}

// AddCollection plugs a collection into the sync routes and binds the
// record hooks that keep its sync fields (seq, version, content_hash,
// received_at, complete) and tombstones right for every write, whether it
// comes from a phone, the admin UI or another hook. Call it once per app
// from the capability's Register.
func AddCollection(app core.App, s Collection) {
	if s.OwnerField == "" {
		s.OwnerField = "deputy"
	}
	if s.Schema == [2]int{} {
		s.Schema = [2]int{1, 1}
	}
	if s.PhotoField != "" && s.MaxPhotos == 0 {
		s.MaxPhotos = vocab.PhotosPerRecord
	}
	reg := registryOf(app)
	reg.mu.Lock()
	reg.list = slices.DeleteFunc(reg.list, func(o *Collection) bool { return o.Name == s.Name })
	reg.list = append(reg.list, &s)
	reg.mu.Unlock()
	bindRecordHooks(app, &s)
}
