package analysis

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/demand"
)

// indexRow is one demand as demand_index holds it (migrations:
// 1765600000_analysis.go).
type indexRow struct {
	Record   string `db:"record"` // "<collection>/<id>"
	Kind     string `db:"kind"`   // the collection
	Channel  string `db:"channel"`
	Village  string `db:"village"`
	Category string `db:"category"`
	Status   string `db:"status"`
	State    string `db:"state"`
	Deputy   string `db:"deputy"`
	At       string `db:"at"`    // stored UTC, PocketBase's format
	Month    string `db:"month"` // China month, 2025-03
}

func recordKey(collection, id string) string { return collection + "/" + id }

// splitKey is recordKey undone; ok is false for anything else.
func splitKey(key string) (collection, id string, ok bool) {
	collection, id, ok = strings.Cut(key, "/")
	return collection, id, ok && keyPart.MatchString(collection) && keyPart.MatchString(id)
}

var keyPart = regexp.MustCompile(`^[a-z0-9_]{1,50}$`)

// rowOf is the index row of r, its text, and whether it is a demand at all.
func (s *Source) rowOf(r *core.Record) (indexRow, string, bool) {
	if s.Skip != nil && s.Skip(r) {
		return indexRow{}, "", false
	}
	text := s.text(r)
	if text == "" {
		return indexRow{}, "", false
	}
	at := s.at(r)
	status := s.field(r, s.StatusField)
	return indexRow{
		Record:   recordKey(s.Collection, r.Id),
		Kind:     s.Collection,
		Channel:  s.field(r, s.ChannelField),
		Village:  s.field(r, s.VillageField),
		Category: s.field(r, s.CategoryField),
		Status:   status,
		State:    s.state(status),
		Deputy:   s.field(r, s.DeputyField),
		At:       at.UTC().Format(chinatime.StoredLayout),
		Month:    chinatime.In(at).Format("2006-01"),
	}, text, true
}

// bindIndexHooks keeps demand_index and demand_fts in step with s's records,
// in the record's own transaction, whatever door the write comes in by
// (API, sync, admin UI, Go). Terms are extracted later (terms.go): a write
// never loads gse.
func bindIndexHooks(app core.App, d *desk, s *Source) {
	inTx := func(e *core.RecordEvent, after func(tx core.App) error) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			orig := e.App
			e.App = tx
			defer func() { e.App = orig }()
			if err := e.Next(); err != nil {
				return err
			}
			return after(tx)
		})
	}
	// The months a write touches lose their cached counts when it
	// commits (counts.go).
	touch := func(r *core.Record) {
		months := []string{s.month(r)}
		if old := r.Original(); old != nil && !r.IsNew() {
			months = append(months, s.month(old))
		}
		d.counts.touch(recordKey(s.Collection, r.Id), months...)
	}
	app.OnRecordCreateExecute(s.Collection).BindFunc(func(e *core.RecordEvent) error {
		touch(e.Record)
		return inTx(e, func(tx core.App) error { return putRecord(tx, s, e.Record, true) })
	})
	app.OnRecordUpdateExecute(s.Collection).BindFunc(func(e *core.RecordEvent) error {
		touch(e.Record)
		return inTx(e, func(tx core.App) error {
			changed := true
			if old := e.Record.Original(); old != nil {
				changed = s.text(old) != s.text(e.Record)
			}
			return putRecord(tx, s, e.Record, changed)
		})
	})
	app.OnRecordDeleteExecute(s.Collection).BindFunc(func(e *core.RecordEvent) error {
		touch(e.Record)
		return inTx(e, func(tx core.App) error { return removeKey(tx, recordKey(s.Collection, e.Record.Id)) })
	})
	after := func(e *core.RecordEvent) error {
		key := recordKey(s.Collection, e.Record.Id)
		d.counts.settle(key)
		d.synced(e.App, key)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(s.Collection).BindFunc(after)
	app.OnRecordAfterUpdateSuccess(s.Collection).BindFunc(after)
	app.OnRecordAfterDeleteSuccess(s.Collection).BindFunc(after)
	failed := func(e *core.RecordErrorEvent) error {
		d.counts.settle(recordKey(s.Collection, e.Record.Id))
		return e.Next()
	}
	app.OnRecordAfterCreateError(s.Collection).BindFunc(failed)
	app.OnRecordAfterUpdateError(s.Collection).BindFunc(failed)
	app.OnRecordAfterDeleteError(s.Collection).BindFunc(failed)
}

// month is the China month a record counts in.
func (s *Source) month(r *core.Record) string { return chinatime.In(s.at(r)).Format("2006-01") }

// putRecord writes r's row (or removes it when r is not a demand). When
// its text changed, its bigrams are rewritten and its terms cleared for
// extraction; otherwise the terms stay.
func putRecord(app core.App, s *Source, r *core.Record, textChanged bool) error {
	row, text, ok := s.rowOf(r)
	if !ok {
		return removeKey(app, recordKey(s.Collection, r.Id))
	}
	var rowid int64
	err := app.DB().NewQuery(`SELECT rowid FROM demand_index WHERE record = {:r}`).
		Bind(dbx.Params{"r": row.Record}).Row(&rowid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := app.DB().NewQuery(`INSERT INTO demand_index
			(record, kind, channel, village, category, status, state, deputy, at, month)
			VALUES ({:record}, {:kind}, {:channel}, {:village}, {:category}, {:status}, {:state}, {:deputy}, {:at}, {:month})`).
			Bind(row.params()).Execute()
		if err != nil {
			return fmt.Errorf("demand_index: %w", err)
		}
		if rowid, err = res.LastInsertId(); err != nil {
			return err
		}
		return writeGrams(app, rowid, text)
	case err != nil:
		return fmt.Errorf("demand_index: %w", err)
	}
	q := `UPDATE demand_index SET kind = {:kind}, channel = {:channel}, village = {:village}, category = {:category},
		status = {:status}, state = {:state}, deputy = {:deputy}, at = {:at}, month = {:month}`
	if textChanged {
		q += `, words = NULL, phrases = NULL, dict_version = 0`
	}
	p := row.params()
	p["rowid"] = rowid
	if _, err := app.DB().NewQuery(q + ` WHERE rowid = {:rowid}`).Bind(p).Execute(); err != nil {
		return fmt.Errorf("demand_index: %w", err)
	}
	if !textChanged {
		return nil
	}
	if _, err := app.DB().NewQuery(`DELETE FROM demand_fts WHERE rowid = {:rowid}`).Bind(dbx.Params{"rowid": rowid}).Execute(); err != nil {
		return fmt.Errorf("demand_fts: %w", err)
	}
	return writeGrams(app, rowid, text)
}

func writeGrams(app core.App, rowid int64, text string) error {
	_, err := app.DB().NewQuery(`INSERT INTO demand_fts (rowid, grams) VALUES ({:rowid}, {:grams})`).
		Bind(dbx.Params{"rowid": rowid, "grams": demand.IndexText(text)}).Execute()
	if err != nil {
		return fmt.Errorf("demand_fts: %w", err)
	}
	return nil
}

func (r indexRow) params() dbx.Params {
	return dbx.Params{"record": r.Record, "kind": r.Kind, "channel": r.Channel, "village": r.Village,
		"category": r.Category, "status": r.Status, "state": r.State, "deputy": r.Deputy, "at": r.At, "month": r.Month}
}

// removeKey deletes a record's row and bigrams, if any.
func removeKey(app core.App, key string) error {
	var rowid int64
	err := app.DB().NewQuery(`SELECT rowid FROM demand_index WHERE record = {:r}`).Bind(dbx.Params{"r": key}).Row(&rowid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := app.DB().NewQuery(`DELETE FROM demand_fts WHERE rowid = {:id}`).Bind(dbx.Params{"id": rowid}).Execute(); err != nil {
		return fmt.Errorf("demand_fts: %w", err)
	}
	_, err = app.DB().NewQuery(`DELETE FROM demand_index WHERE rowid = {:id}`).Bind(dbx.Params{"id": rowid}).Execute()
	return err
}

// rebuildBatch is how many records one transaction of a rebuild indexes.
const rebuildBatch = 1000

// Rebuild refills demand_index and demand_fts from every source's records
// (after writes that bypassed the hooks: direct SQL, a restored backup of
// another version) and returns how many demands it indexed. Terms are
// extracted afterwards, by the worker or the next view. Writes during a
// rebuild are kept: rows are written as the hooks write them.
func Rebuild(app core.App) (int, error) {
	d := deskOf(app)
	if _, err := app.DB().NewQuery(`DELETE FROM demand_index`).Execute(); err != nil {
		return 0, err
	}
	if _, err := app.DB().NewQuery(`INSERT INTO demand_fts (demand_fts) VALUES ('delete-all')`).Execute(); err != nil {
		return 0, err
	}
	total := 0
	for _, s := range d.allSources() {
		n, err := rebuildSource(app, s)
		if err != nil {
			return total, err
		}
		total += n
	}
	d.resetCorpus()
	d.counts.reset()
	d.kick()
	return total, nil
}

// rebuildSource indexes every record of s, a batch per transaction.
func rebuildSource(app core.App, s *Source) (int, error) {
	n, last := 0, ""
	for {
		records, err := app.FindRecordsByFilter(s.Collection, "id > {:last}", "id", rebuildBatch, 0, dbx.Params{"last": last})
		if err != nil {
			return n, fmt.Errorf("%s: %w", s.Collection, err)
		}
		if len(records) == 0 {
			return n, nil
		}
		err = app.RunInTransaction(func(tx core.App) error {
			for _, r := range records {
				if err := putRecord(tx, s, r, true); err != nil {
					return err
				}
				if _, _, ok := s.rowOf(r); ok {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		last = records[len(records)-1].Id
	}
}

// indexMissingSources rebuilds the sources whose collection has records
// but the index none of them: the index was created after the records (an
// upgrade), or a capability added its source later. Run at start.
func indexMissingSources(app core.App) error {
	d := deskOf(app)
	for _, s := range d.allSources() {
		var inIndex, inCollection int
		if err := app.DB().NewQuery(`SELECT count(*) FROM (SELECT 1 FROM demand_index WHERE kind = {:k} LIMIT 1)`).
			Bind(dbx.Params{"k": s.Collection}).Row(&inIndex); err != nil {
			return err
		}
		if inIndex > 0 {
			continue
		}
		if err := app.DB().NewQuery(fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1)`,
			app.DB().QuoteSimpleTableName(s.Collection))).Row(&inCollection); err != nil {
			return err
		}
		if inCollection == 0 {
			continue
		}
		n, err := rebuildSource(app, s)
		if err != nil {
			return err
		}
		app.Logger().Info("analysis: indexed a source that had no rows in the index", "collection", s.Collection, "demands", n)
	}
	d.resetCorpus()
	d.counts.reset()
	return nil
}

// parseStored reads a stored UTC time.
func parseStored(s string) time.Time {
	t, err := time.Parse(chinatime.StoredLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}
