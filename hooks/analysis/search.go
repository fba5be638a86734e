package analysis

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/demand"
	"simeng/pii"
)

// maxPerPage bounds a page of search results and a drill-down.
const maxPerPage = 50

// item is one demand as a list shows it: no resident's name or phone, and
// numbers typed into the text masked (pii.MaskNumbersInText), whoever asks.
type item struct {
	ID          string `json:"id"` // "<collection>/<id>"
	Kind        string `json:"kind"`
	Source      string `json:"source"` // 群众建议·热线
	Village     string `json:"village"`
	VillageName string `json:"village_name"`
	Category    string `json:"category"`
	At          string `json:"at"`
	State       string `json:"state"`
	StateLabel  string `json:"state_label"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Text        string `json:"text"`
	Reply       string `json:"reply"`
	DeputyName  string `json:"deputy_name"`
	Recurrence  *flag  `json:"recurrence,omitempty"`
}

func searchRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	page, err := intParam(e, "page", 1, 1, 10000)
	if err != nil {
		return err
	}
	perPage, err := intParam(e, "perPage", 20, 1, maxPerPage)
	if err != nil {
		return err
	}
	keys, total, err := search(e.App, v, f, page, perPage)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items, err := loadItems(e.App, keys, true)
	if err != nil {
		return e.InternalServerError("", err)
	}
	setResults(e, len(items))
	return e.JSON(http.StatusOK, map[string]any{"period": periodJSON(f.period), "page": page, "perPage": perPage,
		"totalItems": total, "items": items})
}

// search returns a page of the keys of f's demands, newest first, and how
// many there are. With words to search for, SQLite must drive from the
// FTS5 table (CROSS JOIN): with a plain JOIN and a filter it drives from
// the filter's index and probes FTS5 row by row (about a second at 100k).
func search(app core.App, v *viewer, f filters, page, perPage int) ([]string, int, error) {
	from, cond, params := searchQuery(v, f)
	if params["match"] != nil {
		return searchWords(app, from, cond, params, page, perPage)
	}
	var total int
	if err := app.DB().NewQuery(`SELECT count(*) FROM ` + from + cond).Bind(params).Row(&total); err != nil {
		return nil, 0, err
	}
	params["limit"], params["offset"] = perPage, (page-1)*perPage
	var keys []string
	err := app.DB().NewQuery(`SELECT s.record FROM ` + from + cond + searchOrder).Bind(params).Column(&keys)
	return keys, total, err
}

const searchOrder = ` ORDER BY s.at DESC, s.rowid DESC LIMIT {:limit} OFFSET {:offset}`

// searchWords is search with words. Every match must be visited to count
// them, and matching, not the page, is what a search costs (two thirds of
// it at a county's 100,000 demands, each match a probe of demand_index),
// so the matches are read once, in order, and kept (newSearchCache) until
// the next index write: counting and every page of the same search then
// cost a slice.
func searchWords(app core.App, from, cond string, params dbx.Params, page, perPage int) ([]string, int, error) {
	d := deskOf(app)
	key := searchKey(from+cond, params)
	gen := d.counts.generation()
	keys, ok := d.searches.get(key, gen)
	if !ok {
		err := app.DB().NewQuery(searchAllSQL(from, cond)).Bind(params).Column(&keys)
		if err != nil {
			return nil, 0, err
		}
		d.searches.put(key, gen, keys)
	}
	lo := min((page-1)*perPage, len(keys))
	hi := min(lo+perPage, len(keys))
	return slices.Clone(keys[lo:hi]), len(keys), nil
}

// searchAllSQL is every match's key, in the order of the pages.
func searchAllSQL(from, cond string) string {
	return `SELECT s.record FROM ` + from + cond + ` ORDER BY s.at DESC, s.rowid DESC`
}

// searchKey names a search by its SQL and parameters.
func searchKey(sql string, params dbx.Params) string {
	var b strings.Builder
	b.WriteString(sql)
	for _, k := range slices.Sorted(maps.Keys(params)) {
		fmt.Fprintf(&b, "\x00%s=%v", k, params[k])
	}
	return b.String()
}

// searchQuery is the FROM and WHERE of f's demands for v.
func searchQuery(v *viewer, f filters) (from, cond string, params dbx.Params) {
	where, params := f.where(v, true)
	from = "demand_index s"
	if match := demand.Query(f.q); match != "" {
		from = "demand_fts f CROSS JOIN demand_index s ON s.rowid = f.rowid"
		where = append([]string{"demand_fts MATCH {:match}"}, where...)
		params["match"] = match
	}
	return from, whereSQL(where), params
}

// allKeys is every key of f's demands, newest first, up to limit (the
// export).
func allKeys(app core.App, v *viewer, f filters, limit int) ([]string, error) {
	keys, _, err := search(app, v, f, 1, limit)
	return keys, err
}

func recordsRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	raw := strings.Split(e.Request.URL.Query().Get("ids"), ",")
	var keys []string
	for _, k := range raw {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if _, _, ok := splitKey(k); !ok {
			return badParam(e, "ids", "记录编号格式应为 来源/编号，例如 suggestions/abc123")
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 || len(keys) > maxPerPage {
		return badParam(e, "ids", "请给出1到50个记录编号")
	}
	visible, err := visibleKeys(e.App, v, keys)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items, err := loadItems(e.App, visible, true)
	if err != nil {
		return e.InternalServerError("", err)
	}
	setResults(e, len(items))
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// visibleKeys keeps, in order, the keys of demands the viewer may see.
func visibleKeys(app core.App, v *viewer, keys []string) ([]string, error) {
	params := dbx.Params{}
	names := make([]string, len(keys))
	for i, k := range keys {
		p := "k" + itoa(i)
		params[p] = k
		names[i] = "{:" + p + "}"
	}
	where := v.scoped([]string{"s.record IN (" + strings.Join(names, ", ") + ")"}, params)
	var found []string
	if err := app.DB().NewQuery(`SELECT s.record FROM demand_index s` + whereSQL(where)).Bind(params).Column(&found); err != nil {
		return nil, err
	}
	ok := map[string]bool{}
	for _, k := range found {
		ok[k] = true
	}
	var out []string
	for _, k := range keys {
		if ok[k] {
			ok[k] = false // once
			out = append(out, k)
		}
	}
	return out, nil
}

// loadItems reads the records behind keys, in order, as items; with flags,
// each carries its recurrence flag if it has one.
func loadItems(app core.App, keys []string, flags bool) ([]item, error) {
	records, err := loadRecords(app, keys)
	if err != nil {
		return nil, err
	}
	names, err := villageNames(app)
	if err != nil {
		return nil, err
	}
	d := deskOf(app)
	deputies, err := deputyNames(app, d, records)
	if err != nil {
		return nil, err
	}
	out := make([]item, 0, len(keys))
	for _, k := range keys {
		r := records[k]
		if r == nil {
			continue
		}
		it, ok := itemOf(app, d, r, names, deputies)
		if !ok {
			continue
		}
		if flags {
			if fl, err := d.recurrenceFlags(app, parseStored(it.At)); err == nil {
				if f, ok := fl[k]; ok {
					it.Recurrence = &f
				}
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// deputyNames are the names of the deputies of records, read in one query
// (a page of 50 demands asked them one by one); a deputy not found has "".
func deputyNames(app core.App, d *desk, records map[string]*core.Record) (map[string]string, error) {
	names := map[string]string{}
	var ids []any
	for _, r := range records {
		s := d.sourceOf(r.Collection().Name)
		if s == nil {
			continue
		}
		if id := s.field(r, s.DeputyField); id != "" {
			if _, ok := names[id]; !ok {
				names[id] = ""
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return names, nil
	}
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	err := app.DB().Select("id", "COALESCE(name, '') AS name").From("deputies").Where(dbx.In("id", ids...)).All(&rows)
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, err
}

// loadRecords reads the records of keys, by collection.
func loadRecords(app core.App, keys []string) (map[string]*core.Record, error) {
	ids := map[string][]string{}
	for _, k := range keys {
		c, id, _ := splitKey(k)
		ids[c] = append(ids[c], id)
	}
	out := make(map[string]*core.Record, len(keys))
	for c, list := range ids {
		if deskOf(app).sourceOf(c) == nil {
			continue
		}
		rs, err := app.FindRecordsByIds(c, list)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out[recordKey(c, r.Id)] = r
		}
	}
	return out, nil
}

func itemOf(app core.App, d *desk, r *core.Record, names, deputies map[string]string) (item, bool) {
	s := d.sourceOf(r.Collection().Name)
	if s == nil {
		return item{}, false
	}
	row, text, ok := s.rowOf(r)
	if !ok {
		return item{}, false
	}
	it := item{
		ID: row.Record, Kind: row.Kind, Source: s.channelLabel(row.Channel),
		Village: row.Village, VillageName: villageLabel(names, row.Village), Category: row.Category,
		At: row.At, State: row.State, StateLabel: stateLabels[row.State],
		Status: row.Status, StatusLabel: s.StatusLabels[row.Status],
		Text:  pii.MaskNumbersInText(text),
		Reply: pii.MaskNumbersInText(s.field(r, s.ReplyField)),
	}
	if it.StatusLabel == "" {
		it.StatusLabel = it.StateLabel
	}
	if row.Deputy != "" {
		name, ok := deputies[row.Deputy]
		if !ok {
			if dep, err := app.FindRecordById("deputies", row.Deputy); err == nil {
				name = dep.GetString("name")
			}
			deputies[row.Deputy] = name
		}
		it.DeputyName = name
	}
	return it, true
}

// displayTime is a stored time as people read it: 2025-03-05 09:30.
func displayTime(stored string) string {
	t := parseStored(stored)
	if t.IsZero() {
		return ""
	}
	return chinatime.In(t).Format("2006-01-02 15:04")
}
