package verification

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/fieldset"
	"simeng/hooks/internal/idlist"
	"simeng/hooks/syncengine"
	"simeng/plausibility"
)

// Plausibility flags are computed as each visit is written, in the same
// transaction, whichever door it came in by (the sync push, the admin UI,
// a seeder). A visit's open flags are on the visit itself (flags, which
// the phone pulls and the review queue reads through a partial index):
// raising one writes nothing but the visit. An edit never clears a flag
// (keepOpenFlags); a flag that stops being open (a callback denial the
// household later confirms) is never deleted: it becomes a visit_flags
// row (resolved), the visit's flag history.

// visitFlag is what the visit row carries of each open flag.
type visitFlag struct {
	Kind     plausibility.Kind `json:"kind"`
	Label    string            `json:"label"`
	Reason   string            `json:"reason"`
	Related  []string          `json:"related,omitempty"`
	RaisedAt string            `json:"raised_at,omitempty"`
}

// openFlagsWhere is true of a visit (its flags column named col) that
// has an open flag. It is the WHERE of the partial index
// idx_visits_flagged, written term by term the same so SQLite can use the
// index (PocketBase's index parser takes no parentheses after WHERE).
func openFlagsWhere(col string) string {
	return col + " != '' AND " + col + " != '[]' AND " + col + " != 'null'"
}

func bindFlags(app core.App) {
	app.OnRecordCreateExecute("visits").BindFunc(func(e *core.RecordEvent) error {
		markSigned(e.Record)
		flags, v, err := evaluate(e.Context, e.App, e.Record)
		if err != nil {
			return err
		}
		setVisitFlags(e.Record, flags)
		if err := e.Next(); err != nil {
			return err
		}
		remember(e.Context, e.App, v, e.Record)
		// A new visit has no photo hashes stored yet.
		return insertPhotoHashes(e.App, e.Record)
	})
	app.OnRecordDeleteExecute("visits").BindFunc(forgetPhotos)
	app.OnRecordUpdateExecute("visits").BindFunc(func(e *core.RecordEvent) error {
		markSigned(e.Record)
		if !judgedFieldsChanged(e.Record) {
			if err := e.Next(); err != nil {
				return err
			}
			keptWindowsOf(e.App).unchanged(e.App, e.Record.GetString("deputy"), int64(e.Record.GetInt("seq")))
			return nil
		}
		flags, v, err := evaluate(e.Context, e.App, e.Record)
		if err != nil {
			return err
		}
		setVisitFlags(e.Record, keepOpenFlags(openFlags(e.Record.Original()), flags))
		photosChanged := !slices.Equal(photoSHAs(e.Record), photoSHAs(e.Record.Original()))
		if err := e.Next(); err != nil {
			return err
		}
		if d := e.Record.Original().GetString("deputy"); d != e.Record.GetString("deputy") {
			keptWindowsOf(e.App).forget(d) // the visit left that deputy's visits
		}
		remember(e.Context, e.App, v, e.Record)
		if photosChanged {
			if _, err := e.App.DB().Delete("visit_photo_hashes", dbx.HashExp{"visit": e.Record.Id}).Execute(); err != nil {
				return err
			}
			if err := insertPhotoHashes(e.App, e.Record); err != nil {
				return err
			}
		}
		return nil
	})
}

// forgetPhotos drops a deleted visit's photo hashes, so no later visit is
// flagged against it.
func forgetPhotos(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	keptWindowsOf(e.App).forget(e.Record.GetString("deputy"))
	_, err := e.App.DB().Delete("visit_photo_hashes", dbx.HashExp{"visit": e.Record.Id}).Execute()
	return err
}

const editedNote = "（走访记录此后被修改）"

// keepOpenFlags adds to flags the visit's open flags (before) the edit no
// longer raises: an edit (a fix added afterwards, a time moved) never
// clears a flag; only the presidium's review settles it.
func keepOpenFlags(before []visitFlag, flags []plausibility.Flag) []plausibility.Flag {
	for _, o := range before {
		if o.Kind == plausibility.CallbackDenied || slices.ContainsFunc(flags, func(f plausibility.Flag) bool { return f.Kind == o.Kind }) {
			continue // kept by the callback path, or raised again
		}
		reason := o.Reason
		if !strings.HasSuffix(reason, editedNote) {
			reason += editedNote
		}
		flags = append(flags, plausibility.Flag{Kind: o.Kind, Reason: reason, Related: o.Related})
	}
	return flags
}

// openFlags reads the open flags a visit carries.
func openFlags(rec *core.Record) []visitFlag {
	var out []visitFlag
	if raw, _ := rec.Get("flags").(types.JSONRaw); len(raw) > 0 {
		_ = json.Unmarshal(raw, &out)
	}
	return out
}

// judgedFieldsChanged: only what the checks read re-evaluates a visit, so
// a review, a callback or a photo arriving leaves its flags as they are.
func judgedFieldsChanged(rec *core.Record) bool {
	orig := rec.Original()
	if !slices.Equal(photoSHAs(rec), photoSHAs(orig)) {
		return true
	}
	for _, f := range []string{"household", "visited_at", "location", "location_accuracy", "deputy"} {
		a, _ := json.Marshal(rec.Get(f))
		b, _ := json.Marshal(orig.Get(f))
		if string(a) != string(b) {
			return true
		}
	}
	return false
}

// setVisitFlags puts the open flags on the visit; a kind already open
// keeps the time it was raised. A callback denial is raised by the
// callback, not by the checks: re-evaluating keeps it.
func setVisitFlags(rec *core.Record, flags []plausibility.Flag) {
	old := openFlags(rec)
	if len(flags) == 0 && len(old) == 0 {
		// Most visits: none, stored as such without encoding an empty list.
		fieldset.Set(rec, "flags", noFlags)
		return
	}
	out := make([]visitFlag, 0, len(flags))
	for _, f := range flags {
		out = append(out, openFlag(f, old))
	}
	for _, f := range old {
		if f.Kind == plausibility.CallbackDenied {
			out = append(out, f)
		}
	}
	fieldset.Set(rec, "flags", out)
}

// noFlags is what a visit without open flags carries.
var noFlags = types.JSONRaw("[]")

// openFlag is f as the visit carries it: raised now or, if the visit had
// its kind open already (before), when that was raised.
func openFlag(f plausibility.Flag, before []visitFlag) visitFlag {
	vf := visitFlag{Kind: f.Kind, Label: f.Kind.Label(), Reason: f.Reason, Related: f.Related, RaisedAt: types.NowDateTime().String()}
	if i := slices.IndexFunc(before, func(o visitFlag) bool { return o.Kind == f.Kind }); i >= 0 && before[i].RaisedAt != "" {
		vf.RaisedAt = before[i].RaisedAt
	}
	return vf
}

// replaceKind is flags with f (nil: none) in place of the flag of kind,
// and that flag, if flags had one. The flags raised after the push (a
// callback, a photo's hash) change one kind this way.
func replaceKind(flags []visitFlag, kind plausibility.Kind, f *plausibility.Flag) ([]visitFlag, *visitFlag) {
	out := make([]visitFlag, 0, len(flags)+1)
	var prior *visitFlag
	for _, x := range flags {
		if x.Kind == kind {
			prior = &x
		} else {
			out = append(out, x)
		}
	}
	if f != nil {
		out = append(out, openFlag(*f, flags))
	}
	return out, prior
}

// evaluate judges rec against the deputy's visits around its time, the
// household's village and the township's photos. The deputy's visits are
// read once for a span of time (pushWindow) and kept for the push, and
// beyond it while nothing else changes (keptWindows), not once per record.
func evaluate(ctx context.Context, app core.App, rec *core.Record) ([]plausibility.Flag, *plausibility.Visit, error) {
	s := Load(app)
	if s.FlagsOff {
		return nil, nil, nil
	}
	th := s.Thresholds.Normalized()
	v := plausibility.Visit{ID: rec.Id, Deputy: rec.GetString("deputy"), Household: rec.GetString("household"),
		VisitedAt: rec.GetDateTime("visited_at").Time(), ReceivedAt: rec.GetDateTime("received_at").Time()}
	if loc, ok := rec.Get("location").(types.GeoPoint); ok && !(loc.Lat == 0 && loc.Lon == 0) {
		v.Fix = &plausibility.Fix{Lat: loc.Lat, Lon: loc.Lon, AccuracyM: rec.GetFloat("location_accuracy")}
	}
	d := windowsFor(ctx, app, v.Deputy, int64(rec.GetInt("seq")))
	// What the checks read once per push, or, outside a push, once while
	// the deputy's kept windows stay current.
	memo := syncengine.PushScratch(ctx)
	if memo == nil {
		memo = d.memo
	}
	if hh, ok := householdOf(ctx, memo, app, v.Household); ok {
		v.Village, v.HouseholdCreated, v.HouseholdCreator = hh.Village, hh.Created.Time(), hh.Deputy
	}
	for _, p := range syncengine.ReadManifest(rec) {
		if p.SHA256 != "" && p.Key != SignatureKey {
			v.Photos = append(v.Photos, plausibility.Photo{Key: p.Key, SHA256: strings.ToLower(p.SHA256)})
		}
	}
	if v.ReceivedAt.IsZero() {
		v.ReceivedAt = time.Now()
	}

	in := plausibility.Inputs{Settings: th, Villages: map[string]plausibility.Village{}}
	if vil, err := loadVillage(memo, app, v.Village); err != nil {
		return nil, nil, err
	} else if vil != nil {
		in.Villages[v.Village] = *vil
	}
	if !v.VisitedAt.IsZero() && v.Deputy != "" {
		// The checks pass over the visit itself in nearby; the slice is
		// the kept window's own, read before the visit is put in it
		// (remember), so a crowd of visits at one time is not copied at
		// every visit.
		near, err := nearbyVisits(ctx, app, d, v, th)
		if err != nil {
			return nil, nil, err
		}
		in.Nearby = near
	}
	if len(v.Photos) > 0 {
		refs, err := photoRefs(app, v)
		if err != nil {
			return nil, nil, err
		}
		in.Photos = refs
	}
	return plausibility.Evaluate(v, in), &v, nil
}

// householdInfo is what the checks need of a household.
type householdInfo struct {
	Village string         `db:"village"`
	Created types.DateTime `db:"created"`
	Deputy  string         `db:"deputy"`
}

// householdOf reads a household once per push (or memo): in a push, the
// first call reads every stored household the push's visits name in one
// query; one made or merged later in the push is read on its own.
func householdOf(ctx context.Context, scratch map[string]any, app core.App, id string) (householdInfo, bool) {
	key := "verification.household." + id
	if hh, ok := scratch[key].(householdInfo); ok {
		return hh, true
	}
	if scratch != nil && scratch["verification.households"] == nil {
		scratch["verification.households"] = true
		ids := []string{id}
		for _, d := range syncengine.PushedData(ctx, "visits") {
			if h := d.String("household"); h != "" && h != id {
				ids = append(ids, h)
			}
		}
		var rows []struct {
			ID string `db:"id"`
			householdInfo
		}
		if err := app.DB().NewQuery("SELECT t.id, t.village, t.created, t.deputy FROM " + idlist.ByID("households")).
			Bind(idlist.Params(ids)).All(&rows); err == nil {
			for _, r := range rows {
				scratch["verification.household."+r.ID] = r.householdInfo
			}
			if hh, ok := scratch[key].(householdInfo); ok {
				return hh, true
			}
		}
	}
	var hh householdInfo
	if err := app.DB().Select("village", "created", "deputy").From("households").
		Where(dbx.HashExp{"id": id}).Limit(1).One(&hh); err != nil {
		return hh, false
	}
	if scratch != nil {
		scratch[key] = hh
	}
	return hh, true
}

// pushSpan is how far around a visit of a push the push's other visits
// share its window of the deputy's visits (pushedSpan): a push holds what a
// phone kept offline, usually the last few days.
const pushSpan = 4 * 24 * time.Hour

// pushedSpan is the window read for v in a push: the span of the push's
// visits within pushSpan of v's time, widened by need, so that one read
// serves every visit of a push that keeps to a few days (the visits
// already stored on either side are read only as far as the push's own
// reach). It always covers v's own need.
func pushedSpan(ctx context.Context, v plausibility.Visit, need time.Duration) (from, to time.Time) {
	times := pushedTimes(ctx, v.Deputy)
	first, last := v.VisitedAt, v.VisitedAt
	lo, _ := slices.BinarySearchFunc(times, v.VisitedAt.Add(-pushSpan), time.Time.Compare)
	for _, t := range times[lo:] {
		if t.After(v.VisitedAt.Add(pushSpan)) {
			break
		}
		if t.Before(first) {
			first = t
		}
		last = t // sorted: the latest so far
	}
	if last.Before(v.VisitedAt) {
		last = v.VisitedAt
	}
	return first.Add(-need), last.Add(need)
}

// pushedTimes are the visit times of the push's visits of deputy, sorted,
// parsed once per push.
func pushedTimes(ctx context.Context, deputy string) []time.Time {
	scratch := syncengine.PushScratch(ctx)
	key := "verification.pushedTimes." + deputy
	if times, ok := scratch[key].([]time.Time); ok {
		return times
	}
	var times []time.Time
	for _, d := range syncengine.PushedData(ctx, "visits") {
		if owner := d.String("deputy"); owner != "" && owner != deputy {
			continue
		}
		if at, err := types.ParseDateTime(d.String("visited_at")); err == nil && !at.IsZero() {
			times = append(times, at.Time())
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	if scratch != nil {
		scratch[key] = times
	}
	return times
}

// windowKey names a deputy's windows in a push's scratch.
func windowKey(deputy string) string { return "verification.window." + deputy }

// windowsFor is the deputy's windows of visits for the record being saved
// with sequence value seq: in a push, the push's own for all its records;
// the kept ones while they are current (keptWindows), else new ones.
func windowsFor(ctx context.Context, app core.App, deputy string, seq int64) *deputyWindows {
	scratch := syncengine.PushScratch(ctx)
	if d, ok := scratch[windowKey(deputy)].(*deputyWindows); ok {
		return d
	}
	k := keptWindowsOf(app)
	d := k.current(app, deputy, seq)
	if d == nil {
		d = k.fresh(app, deputy, seq)
	}
	if scratch != nil {
		scratch[windowKey(deputy)] = d
	}
	return d
}

// nearbySQL reads a deputy's visits in a span of time, with what the checks
// need of each visit's household; the fix's coordinates are taken out of
// the stored JSON by SQLite, and the rows are scanned by hand (readSpan).
// The index is named: statistics taken while visits was nearly empty
// (PocketBase runs PRAGMA optimize after its migrations) say the table
// holds one row, and the planner then read every visit at each save (3 ms
// a read at 10,000 visits) until the nightly PRAGMA optimize took new
// statistics.
const nearbySQL = "SELECT v.id, v.household, v.visited_at, " +
	"COALESCE(iif(json_valid(v.location), json_extract(v.location, '$.lat')), 0), " +
	"COALESCE(iif(json_valid(v.location), json_extract(v.location, '$.lon')), 0), " +
	"COALESCE(v.location_accuracy, 0), " +
	"COALESCE(h.village, ''), COALESCE(h.created, ''), COALESCE(h.deputy, '') " +
	"FROM visits v INDEXED BY idx_visits_deputy_visited LEFT JOIN households h ON h.id = v.household " +
	"WHERE v.deputy = {:d} AND v.visited_at >= {:from} AND v.visited_at <= {:to}"

// readSpan is the deputy's stored visits with visited_at in [from, to].
func readSpan(app core.App, deputy string, from, to time.Time) ([]plausibility.Visit, error) {
	rows, err := app.DB().NewQuery(nearbySQL).Bind(dbx.Params{"d": deputy, "from": dateString(from), "to": dateString(to)}).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plausibility.Visit
	for rows.Next() {
		v := plausibility.Visit{Deputy: deputy}
		var at, created types.DateTime
		var lat, lon, accuracy float64
		if err := rows.Scan(&v.ID, &v.Household, &at, &lat, &lon, &accuracy, &v.Village, &created, &v.HouseholdCreator); err != nil {
			return nil, err
		}
		v.VisitedAt, v.HouseholdCreated = at.Time(), created.Time()
		if !(lat == 0 && lon == 0) {
			v.Fix = &plausibility.Fix{Lat: lat, Lon: lon, AccuracyM: accuracy}
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// maxKeptSpan bounds how far a kept window that has grown (nearbyVisits)
// reaches before it lets go of what it has left behind.
const maxKeptSpan = 4 * 24 * time.Hour

// nearbyVisits is the deputy's visits within th.Window() of v's time (v
// itself among them, if stored): from one of d's windows when v is inside
// it, else read and kept as another window (a push of paper records may
// jump between months, and re-reading one window at every jump made such
// pushes grow with the deputy's year). Outside a push, a kept window that
// v's span overlaps grows by the part it lacks instead: a deputy's visits
// typed in one by one move on through time, and each is then read once,
// not again with every window. The caller reads the slice before the next
// save.
func nearbyVisits(ctx context.Context, app core.App, d *deputyWindows, v plausibility.Visit, th plausibility.Settings) ([]plausibility.Visit, error) {
	need := th.Window()
	if w := d.covering(v.VisitedAt, need); w != nil {
		return w.hist.Near(v.VisitedAt, need), nil
	}
	lo, hi := v.VisitedAt.Add(-need), v.VisitedAt.Add(need)
	inPush := syncengine.PushScratch(ctx) != nil
	if w := d.overlapping(lo, hi); w != nil && !inPush {
		if err := grow(app, v.Deputy, w, lo.Add(-keptPad), hi.Add(keptPad)); err != nil {
			return nil, err
		}
		keptWindowsOf(app).grew()
		return w.hist.Near(v.VisitedAt, need), nil
	}
	from, to := lo.Add(-keptPad), hi.Add(keptPad)
	if inPush {
		from, to = pushedSpan(ctx, v, need)
	}
	visits, err := readSpan(app, v.Deputy, from, to)
	if err != nil {
		return nil, err
	}
	w := &pushWindow{from: from, to: to, hist: plausibility.NewHistory(visits...)}
	d.add(w)
	return w.hist.Near(v.VisitedAt, need), nil
}

// grow extends w to cover [from, to], reading only the spans it lacks,
// then, if it has grown beyond maxKeptSpan, lets go of all but [from, to].
func grow(app core.App, deputy string, w *pushWindow, from, to time.Time) error {
	// Each span read from the window's own end, inclusive: a visit at that
	// instant is held already and is put again as it is stored.
	if to.After(w.to) {
		if err := putSpan(app, deputy, w, w.to, to); err != nil {
			return err
		}
		w.to = to
	}
	if from.Before(w.from) {
		if err := putSpan(app, deputy, w, from, w.from); err != nil {
			return err
		}
		w.from = from
	}
	if w.to.Sub(w.from) > maxKeptSpan {
		w.from, w.to = from, to
		w.hist.Keep(from, to)
	}
	return nil
}

func putSpan(app core.App, deputy string, w *pushWindow, from, to time.Time) error {
	more, err := readSpan(app, deputy, from, to)
	if err != nil {
		return err
	}
	for _, v := range more {
		w.hist.Put(v)
	}
	return nil
}

// remember puts a visit just stored into the deputy's windows (each that
// holds its time; dropped from those that no longer do) and moves the kept
// windows on past its write.
func remember(ctx context.Context, app core.App, v *plausibility.Visit, rec *core.Record) {
	if v == nil {
		return
	}
	k := keptWindowsOf(app)
	d, ok := syncengine.PushScratch(ctx)[windowKey(v.Deputy)].(*deputyWindows)
	if !ok {
		k.mu.Lock()
		d = k.byDeputy[v.Deputy]
		k.mu.Unlock()
	}
	if d == nil {
		return
	}
	kept := *v // as the database read gives it back (readSpan)
	kept.ReceivedAt, kept.SentAt, kept.Photos = time.Time{}, time.Time{}, nil
	d.put(kept)
	k.moved(app, v.Deputy, d, int64(rec.GetInt("seq")))
}

func photoSHAs(rec *core.Record) []string {
	var out []string
	for _, p := range syncengine.ReadManifest(rec) {
		out = append(out, strings.ToLower(p.SHA256))
	}
	return out
}

func dateString(t time.Time) string {
	d, _ := types.ParseDateTime(t)
	return d.String()
}

// loadVillage is the village's position, nil when staff have not set it;
// read once per push or memo (villages are synced: a change to one moves
// the sync sequence, which a kept window's memo does not outlive).
func loadVillage(scratch map[string]any, app core.App, id string) (*plausibility.Village, error) {
	if id == "" {
		return nil, nil
	}
	key := "verification.village." + id
	if v, ok := scratch[key].(*plausibility.Village); ok {
		return v, nil
	}
	v, err := readVillage(app, id)
	if err != nil {
		return nil, err
	}
	if scratch != nil {
		scratch[key] = v
	}
	return v, nil
}

func readVillage(app core.App, id string) (*plausibility.Village, error) {
	var row struct {
		Name     string  `db:"name"`
		Position string  `db:"position"`
		Radius   float64 `db:"radius_m"`
	}
	if err := app.DB().Select("name", "position", "radius_m").From("villages").
		Where(dbx.HashExp{"id": id}).Limit(1).One(&row); err != nil {
		return nil, nil // a household without a village is refused elsewhere
	}
	var p types.GeoPoint
	if row.Position == "" || json.Unmarshal([]byte(row.Position), &p) != nil || (p.Lat == 0 && p.Lon == 0) {
		return nil, nil
	}
	if row.Radius <= 0 {
		row.Radius = defaultVillageRadiusM
	}
	return &plausibility.Village{ID: id, Name: row.Name, Lat: p.Lat, Lon: p.Lon, RadiusM: row.Radius}, nil
}

// defaultVillageRadiusM is a village's radius when staff set only its
// centre: the villages of 思蒙镇 spread 1–2 km along their valleys.
const defaultVillageRadiusM = 1500

// photoRefs are the stored photos of other visits with one of v's sha256s.
func photoRefs(app core.App, v plausibility.Visit) ([]plausibility.PhotoRef, error) {
	shas := make([]any, 0, len(v.Photos))
	for _, p := range v.Photos {
		shas = append(shas, p.SHA256)
	}
	var rows []struct {
		Visit     string         `db:"visit"`
		Key       string         `db:"key"`
		Household string         `db:"household"`
		Deputy    string         `db:"deputy"`
		VisitedAt types.DateTime `db:"visited_at"`
		SHA256    string         `db:"sha256"`
		PHash     string         `db:"phash"`
	}
	err := app.DB().Select("visit", "key", "household", "deputy", "visited_at", "sha256", "phash").
		From("visit_photo_hashes").Where(dbx.In("sha256", shas...)).
		AndWhere(dbx.Not(dbx.HashExp{"visit": v.ID})).Limit(200).All(&rows)
	if err != nil {
		return nil, err
	}
	refs := make([]plausibility.PhotoRef, 0, len(rows))
	for _, r := range rows {
		ref := plausibility.PhotoRef{Visit: r.Visit, Household: r.Household, Deputy: r.Deputy, VisitedAt: r.VisitedAt.Time(),
			Photo: plausibility.Photo{Key: r.Key, SHA256: r.SHA256}}
		if h, err := plausibility.ParsePHash(r.PHash); err == nil && r.PHash != "" {
			ref.PHash, ref.Hashed = h, true
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// insertPhotoHashes keeps the visit's declared photos in
// visit_photo_hashes (one row per key), for the same-photo check of later
// visits.
func insertPhotoHashes(app core.App, rec *core.Record) error {
	for _, p := range syncengine.ReadManifest(rec) {
		if p.SHA256 == "" {
			continue
		}
		_, err := app.DB().Insert("visit_photo_hashes", dbx.Params{"id": security.RandomString(15), "visit": rec.Id,
			"key": p.Key, "household": rec.GetString("household"), "deputy": rec.GetString("deputy"),
			"visited_at": rec.GetDateTime("visited_at").String(), "sha256": strings.ToLower(p.SHA256), "phash": ""}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}

// resolveFlag writes a flag that is no longer open as the visit's
// visit_flags row of its kind: one row a kind, the latest resolution.
func resolveFlag(app core.App, visit, deputy string, f visitFlag) error {
	raised := f.RaisedAt
	if raised == "" {
		raised = types.NowDateTime().String()
	}
	_, err := app.DB().NewQuery(resolveFlagSQL).Bind(dbx.Params{
		"id":    security.PseudorandomStringWithAlphabet(core.DefaultIdLength, core.DefaultIdAlphabet),
		"visit": visit, "deputy": deputy, "kind": string(f.Kind), "reason": f.Reason, "related": relatedJSON(f.Related),
		"raised_at": raised, "resolved_at": types.NowDateTime().String(),
	}).Execute()
	return err
}

const resolveFlagSQL = "INSERT INTO visit_flags (id, visit, deputy, kind, reason, related, status, raised_at, resolved_at)" +
	" VALUES ({:id}, {:visit}, {:deputy}, {:kind}, {:reason}, {:related}, 'resolved', {:raised_at}, {:resolved_at})" +
	" ON CONFLICT (visit, kind) DO UPDATE SET reason = excluded.reason, related = excluded.related, status = 'resolved'," +
	" raised_at = excluded.raised_at, resolved_at = excluded.resolved_at"

func relatedJSON(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}
