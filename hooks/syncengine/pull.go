package syncengine

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"simeng/hooks/internal/fielderr"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

const (
	defaultPullLimit = 200
	maxPullLimit     = 500
)

// pullChange is one changed record, or a deletion, in a pull.
type pullChange struct {
	Collection string         `json:"collection"`
	ID         string         `json:"id"`
	Seq        int64          `json:"seq"`
	Version    int            `json:"version,omitempty"`
	Deleted    bool           `json:"deleted"`
	Data       map[string]any `json:"data,omitempty"`
	Photos     []pulledPhoto  `json:"photos,omitempty"`
	Complete   *bool          `json:"complete,omitempty"`
}

// pulledPhoto is a received photo. The files are protected: append
// ?token= (POST /api/files/token) to the URLs.
type pulledPhoto struct {
	Key   string `json:"key"`
	URL   string `json:"url"`
	Thumb string `json:"thumb"`
}

func handlePull(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	since, err := strconv.ParseInt(q.Get("since"), 10, 64)
	if q.Get("since") == "" {
		since, err = 0, nil
	}
	if err != nil || since < 0 {
		return e.BadRequestError("since 应为服务器给出的游标（非负整数）。", fielderr.New("since", "invalid_cursor", "since 应为非负整数。"))
	}
	limit := defaultPullLimit
	if s := q.Get("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 || limit > maxPullLimit {
			return e.BadRequestError("limit 应为1到500之间的整数。", fielderr.New("limit", "invalid_limit", "limit 应为1到500之间的整数。"))
		}
	}

	changes, more, err := pullChanges(e.App, e.Auth, since, limit)
	if err != nil {
		return e.InternalServerError("", err)
	}
	cursor := since
	if len(changes) > 0 {
		cursor = changes[len(changes)-1].Seq
	}
	return e.JSON(http.StatusOK, map[string]any{"changes": changes, "cursor": cursor, "more": more})
}

// pullChanges merges, in seq order, the deputy's changes after since from
// every synced collection and the tombstones. Each source is read as one
// or more indexed lookups (its PullScope's alternatives), each up to
// limit+1 rows, so "more" is exact.
func pullChanges(app core.App, auth *core.Record, since int64, limit int) ([]pullChange, bool, error) {
	// Read only what has surely committed (see safeSeq), so a later page
	// never has to go back below the cursor.
	upto, err := safeSeq(app)
	if err != nil {
		return nil, false, err
	}
	window := dbx.NewExp("seq > {:since} AND seq <= {:upto}", dbx.Params{"since": since, "upto": upto})
	var all []pullChange
	more := false
	var shared []string // read-only collections: their deletions reach everyone
	for _, s := range registryOf(app).all() {
		if s.ReadOnly {
			shared = append(shared, s.Name)
		}
		recs, cut, err := readScope(app, s.Name, pullScope(s, auth), window, limit)
		if err != nil {
			return nil, false, err
		}
		more = more || cut
		for _, r := range recs {
			all = append(all, exportChange(s, auth, r))
		}
	}

	tombs, cut, err := readScope(app, "sync_tombstones", tombstoneScope(auth, shared), window, limit)
	if err != nil {
		return nil, false, err
	}
	more = more || cut
	for _, t := range tombs {
		all = append(all, pullChange{Collection: t.GetString("collection"), ID: t.GetString("record_id"), Seq: int64(t.GetInt("seq")), Deleted: true})
	}

	slices.SortFunc(all, func(a, b pullChange) int { return int(a.Seq - b.Seq) })
	if len(all) > limit {
		all, more = all[:limit], true
	}
	// A source cut at limit holds limit rows up to its cut, so the first
	// limit rows of the merge never skip one of its rows.
	if all == nil {
		all = []pullChange{}
	}
	return all, more, nil
}

// pullScope is what auth pulls of s: its PullScope, or the records auth
// owns.
func pullScope(s *Collection, auth *core.Record) []dbx.Expression {
	switch {
	case s.PullScope != nil:
		return s.PullScope(auth)
	case s.ReadOnly:
		return []dbx.Expression{dbx.NewExp("1 = 1")} // the seq index alone
	}
	return []dbx.Expression{dbx.HashExp{s.OwnerField: auth.Id}}
}

// tombstoneScope: deletions of auth's own records, of records shared with
// auth's village, and of the shared (read-only) collections' records, each
// on its (…, seq) index.
func tombstoneScope(auth *core.Record, shared []string) []dbx.Expression {
	scope := []dbx.Expression{dbx.HashExp{"deputy": auth.Id}}
	if v := auth.GetString("village"); v != "" {
		scope = append(scope, dbx.HashExp{"village": v})
	}
	for _, name := range shared {
		scope = append(scope, dbx.HashExp{"collection": name})
	}
	return scope
}

// readScope reads the records of collection in window that match any of
// the alternatives, by seq, at most limit; cut reports that there were
// more. Each alternative is its own query, so each runs on its index in
// seq order (one query with an OR of them cannot); records two
// alternatives both find are read once.
func readScope(app core.App, collection string, alternatives []dbx.Expression, window dbx.Expression, limit int) (recs []*core.Record, cut bool, err error) {
	seen := map[string]bool{}
	for _, alt := range alternatives {
		var part []*core.Record
		err := app.RecordQuery(collection).AndWhere(alt).AndWhere(window).
			OrderBy("seq ASC").Limit(int64(limit + 1)).All(&part)
		if err != nil {
			return nil, false, err
		}
		if len(part) > limit {
			part, cut = part[:limit], true
		}
		for _, r := range part {
			if !seen[r.Id] {
				seen[r.Id] = true
				recs = append(recs, r)
			}
		}
	}
	if len(alternatives) > 1 {
		slices.SortFunc(recs, func(a, b *core.Record) int { return a.GetInt("seq") - b.GetInt("seq") })
	}
	return recs, cut, nil
}

func exportChange(s *Collection, auth, r *core.Record) pullChange {
	data := r.PublicExport()
	for _, k := range []string{"collectionId", "collectionName", "seq", "version", "content_hash", "device", "photo_manifest", s.PhotoField} {
		delete(data, k)
	}
	if s.Export != nil {
		s.Export(auth, r, data)
	}
	for _, f := range s.Sealed {
		if v, ok := data[f].(string); ok {
			data[f] = openSealed(v)
		}
	}
	c := pullChange{Collection: s.Name, ID: r.Id, Seq: int64(r.GetInt("seq")), Version: r.GetInt("version"), Data: data}
	if s.PhotoField != "" {
		c.Photos = []pulledPhoto{}
		files := fileNames(r, s.PhotoField)
		for _, p := range ReadManifest(r) {
			if p.File == "" || !slices.Contains(files, p.File) {
				continue
			}
			u := "/api/files/" + url.PathEscape(r.Collection().Id) + "/" + url.PathEscape(r.Id) + "/" + url.PathEscape(p.File)
			c.Photos = append(c.Photos, pulledPhoto{Key: p.Key, URL: u, Thumb: u + "?thumb=320x320"})
		}
		data["photos"] = manifestContent(ReadManifest(r))
		complete := r.GetBool("complete")
		c.Complete = &complete
	}
	return c
}
