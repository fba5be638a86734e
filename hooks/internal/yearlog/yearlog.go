// Package yearlog is the history of closing and reopening a year (年度关账、
// 重新开账) that the assessment and the visit logs share (collection
// year_events): who, when, why, each deputy's figure before and after,
// and on a reopen the closed snapshot as it was. Entries are only added,
// in the transaction of the close or reopen they describe.
package yearlog

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
)

// The ledgers that close by year.
const (
	Assessment = "assessment"
	Visits     = "visits"
)

// The actions.
const (
	Close  = "close"
	Reopen = "reopen"
)

// Change is one deputy's figure before and after (a score, or households).
type Change struct {
	Deputy      string  `json:"deputy"`
	Name        string  `json:"name"`
	Before      float64 `json:"before"`
	After       float64 `json:"after"`
	GradeBefore string  `json:"grade_before,omitempty"`
	GradeAfter  string  `json:"grade_after,omitempty"`
	HadBefore   bool    `json:"had_before"` // false: no figure before (a first close)
}

// Event is one entry.
type Event struct {
	Ledger, Action string
	Year           int
	By             *core.Record // nil: the system
	Reason         string
	CountLate      bool
	Changes        []Change
	Snapshot       any
}

// ReasonMin and ReasonMax bound a reopen's written reason, in characters.
const (
	ReasonMin = 4
	ReasonMax = 1000
)

// CheckReason validates a reopen's reason: written, not too long.
func CheckReason(reason string) error {
	r := strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(r); {
	case n < ReasonMin:
		return fielderr.New("reason", "validation_required", "重新开账须写明理由（至少4个字），例如 补录12月值班记录")
	case n > ReasonMax:
		return fielderr.New("reason", "validation_length", "理由不能超过1000字")
	}
	return nil
}

// Write adds e to the history, in app's transaction.
func Write(app core.App, e Event) error {
	col, err := app.FindCachedCollectionByNameOrId("year_events")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("ledger", e.Ledger)
	r.Set("year", e.Year)
	r.Set("action", e.Action)
	r.Set("at", types.NowDateTime())
	if e.By != nil {
		r.Set("actor", e.By.Id)
	}
	label := access.ActorLabel(e.By)
	if len([]rune(label)) > 120 {
		label = string([]rune(label)[:120])
	}
	r.Set("actor_label", label)
	r.Set("reason", strings.TrimSpace(e.Reason))
	r.Set("count_late", e.CountLate)
	if e.Changes == nil {
		e.Changes = []Change{}
	}
	r.Set("changes", e.Changes)
	if e.Snapshot != nil {
		r.Set("snapshot", e.Snapshot)
	}
	return app.Save(r)
}

// Entry is one line of the history as the dossier and the history route
// show it (the snapshot left out).
type Entry struct {
	ID         string         `json:"id"`
	Ledger     string         `json:"ledger"`
	Year       int            `json:"year"`
	Action     string         `json:"action"`
	At         types.DateTime `json:"at"`
	ActorLabel string         `json:"actor_label"`
	Reason     string         `json:"reason"`
	CountLate  bool           `json:"count_late"`
	Changes    []Change       `json:"changes"`
}

// List returns the history of year, oldest first, of the given ledgers
// (all when none).
func List(app core.App, year int, ledgers ...string) ([]Entry, error) {
	q := dbx.HashExp{"year": year}
	rows, err := app.FindAllRecords("year_events", q)
	if err != nil {
		return nil, err
	}
	out := []Entry{}
	for _, r := range rows {
		if len(ledgers) > 0 && !slices.Contains(ledgers, r.GetString("ledger")) {
			continue
		}
		e := Entry{ID: r.Id, Ledger: r.GetString("ledger"), Year: r.GetInt("year"), Action: r.GetString("action"),
			At: r.GetDateTime("at"), ActorLabel: r.GetString("actor_label"), Reason: r.GetString("reason"),
			CountLate: r.GetBool("count_late")}
		raw, _ := json.Marshal(r.Get("changes"))
		_ = json.Unmarshal(raw, &e.Changes)
		if e.Changes == nil {
			e.Changes = []Change{}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Entry) int { return strings.Compare(a.At.String(), b.At.String()) })
	return out, nil
}

// ForDeputy keeps, in each entry, only the deputy's own change.
func ForDeputy(entries []Entry, deputy string) []Entry {
	out := make([]Entry, len(entries))
	for i, e := range entries {
		e.Changes = []Change{}
		for _, c := range entries[i].Changes {
			if c.Deputy == deputy {
				e.Changes = append(e.Changes, c)
			}
		}
		out[i] = e
	}
	return out
}
