// Package problems is the shared list of urgent problems residents raise
// (急难愁盼, R4): visits, residents' suggestions, the hotline, the liaison
// stations and inspections all feed it (source, source_id), and the
// presidium forwards each through 代表直通车 to a unit until it is answered
// and closed, within a deadline in working days, escalated when late. The
// rules are package problem's; this package applies them whatever the
// door, keeps each step (problem_events), and gives the presidium, the
// handling units (承办单位) and staff their actions. Other capabilities add
// to the list and move it along only through the functions here.
package problems

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/problem"
	"simeng/syncrule"
	"simeng/vocab"
)

// Statuses: open → forwarded (代表直通车, to a unit) → answered → closed.
const (
	Open      = string(problem.Open)
	Forwarded = string(problem.Forwarded)
	Answered  = string(problem.Answered)
	Closed    = string(problem.Closed)
)

// Register binds the problems' lifecycle to every door: the rules of
// package problem run on every save (REST, the admin UI, other
// capabilities' Go code), each step lands in problem_events, the
// presidium's action routes, and the overdue job.
func Register(app core.App) {
	// Every change through the records API (the PWA, the admin UI) is
	// audited; the routes and the overdue job write their own entries.
	audit.Watch(app, "problems", "status", "category", "description", "village", "deputy",
		"unit", "forwarded_to", "reply", "reopen_reason")
	bindLifecycle(app)
	bindSettings(app)
	bindRoutes(app)
	bindOverdue(app)
}

// Raised is a problem as the record that raised it carries it (a visit's
// problems field, made on the phone with its own id).
type Raised struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
}

// Where a problem came from (source).
const (
	FromVisit      = "visit"
	FromSuggestion = "suggestion"
)

// CheckRaised validates the problems a record (source, sourceID) raises: ids
// made on the phone, unique and not taken by another record, a category
// from vocab.Topics, a description. It returns the field's error.
func CheckRaised(app core.App, source, sourceID string, list []Raised) error {
	seen := map[string]bool{}
	for i, p := range list {
		switch {
		case !syncrule.ValidID(p.ID) || seen[p.ID]:
			return validation.NewError("invalid_problem_id", fmt.Sprintf("第%d个问题的编号无效或重复。", i+1))
		case !slices.Contains(vocab.Topics, p.Category):
			return validation.NewError("invalid_category", fmt.Sprintf("第%d个问题的类别无效。", i+1))
		case p.Description == "" || len([]rune(p.Description)) > 1000:
			return validation.NewError("invalid_description", fmt.Sprintf("第%d个问题请填写描述（不超过1000字）。", i+1))
		}
		seen[p.ID] = true
		existing, err := app.FindRecordById("problems", p.ID)
		if err == nil && (existing.GetString("source") != source || existing.GetString("source_id") != sourceID) {
			return validation.NewError("invalid_problem_id", fmt.Sprintf("第%d个问题的编号已被其他记录使用。", i+1))
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// Origin is who raised problems, and where.
type Origin struct {
	Source, SourceID           string
	Village, Household, Deputy string
}

// SyncRaised makes the list match what the record o names raised: new
// problems are created open, edited ones updated, withdrawn ones that are
// still open deleted (ones already forwarded stay: someone works on them).
func SyncRaised(app core.App, o Origin, list []Raised) error {
	col, err := app.FindCachedCollectionByNameOrId("problems")
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, p := range list {
		keep[p.ID] = true
		rec, err := app.FindRecordById(col, p.ID)
		if errors.Is(err, sql.ErrNoRows) {
			rec = core.NewRecord(col)
			rec.Id = p.ID
			rec.Set("status", Open)
			rec.Set("source", o.Source)
			rec.Set("source_id", o.SourceID)
		} else if err != nil {
			return err
		}
		rec.Set("category", p.Category)
		rec.Set("description", p.Description)
		rec.Set("village", o.Village)
		rec.Set("household", o.Household)
		rec.Set("deputy", o.Deputy)
		if err := app.Save(rec); err != nil {
			return err
		}
	}
	old, err := app.FindAllRecords(col, dbx.HashExp{"source": o.Source, "source_id": o.SourceID, "status": Open})
	if err != nil {
		return err
	}
	for _, r := range old {
		if !keep[r.Id] {
			if err := app.Delete(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// OpenFor puts one problem on the list for the record o names, unless that
// record already has one (a retry finds the same problem), and returns its
// id.
func OpenFor(app core.App, o Origin, category, description string) (string, error) {
	existing, err := app.FindFirstRecordByFilter("problems", "source = {:s} && source_id = {:id}", dbx.Params{"s": o.Source, "id": o.SourceID})
	if err == nil {
		return existing.Id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	col, err := app.FindCachedCollectionByNameOrId("problems")
	if err != nil {
		return "", err
	}
	p := core.NewRecord(col)
	p.Set("category", category)
	p.Set("description", description)
	p.Set("village", o.Village)
	p.Set("household", o.Household)
	p.Set("deputy", o.Deputy)
	p.Set("status", Open)
	p.Set("source", o.Source)
	p.Set("source_id", o.SourceID)
	if err := app.Save(p); err != nil {
		return "", err
	}
	return p.Id, nil
}

// ErrNotFound: no problem has that id.
var ErrNotFound = errors.New("problems: no such problem")

// Forward sends an open problem on to the body named unit (代表直通车),
// with the deadline of a forward, as the system; a problem already past
// open is left as it is.
func Forward(app core.App, id, unit string) error {
	p, err := app.FindRecordById("problems", id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if p.GetString("status") != Open {
		return nil
	}
	p.Set("status", Forwarded)
	p.Set("forwarded_to", unit)
	return app.Save(p)
}

// RaisedBy is the deputy who raised problem id.
func RaisedBy(app core.App, id string) (string, error) {
	p, err := app.FindRecordById("problems", id)
	if err != nil {
		return "", err
	}
	return p.GetString("deputy"), nil
}
