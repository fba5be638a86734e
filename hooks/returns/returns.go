// Package returns is 退办: a handling unit (承办单位) given something
// outside its remit — a proposal it handles as 主办单位, a 急难愁盼 problem
// forwarded through 代表直通车, a rectification item of a 监督通报, a
// hazard to rectify — asks, with a written reason and within a limit of
// working days after assignment (supervision_settings.return_workdays,
// default 5; package unitreturn says why), to give it back; the office
// (staff, the presidium) sees the requests waiting first and reassigns
// the item to another unit with a new deadline, or insists that the unit
// keep it, saying why. Each step is in the audit trail (and, for
// proposals and problems, on their own timelines). The rules are package
// unitreturn's.
//
// Routes:
//
//	POST /api/units/me/returns {kind, id, reason}          a unit: 申请退办
//	GET  /api/returns                                     presidium, staff: waiting first, then decided
//	POST /api/returns/{id}/decide {decision, unit, deadline, note}  presidium, staff: 改派 or 维持交办
//
// unit_returns is read through the records API (a unit its own requests,
// the presidium and staff all) and written only here.
package returns

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/calendar"
	"simeng/unitreturn"
)

// Collection holds the requests.
const Collection = "unit_returns"

// Register binds the routes.
func Register(app core.App) {
	bindRoutes(app)
}

// LimitWorkdays is the setting: working days after assignment within
// which a unit may ask to return an item.
func LimitWorkdays(app core.App) int {
	s, err := app.FindFirstRecordByFilter("supervision_settings", "id != ''")
	if err != nil {
		return unitreturn.DefaultLimitWorkdays
	}
	n := s.GetInt("return_workdays")
	if n < unitreturn.MinLimitWorkdays || n > unitreturn.MaxLimitWorkdays {
		return unitreturn.DefaultLimitWorkdays
	}
	return n
}

// item is a returnable record and what the rule looks at in it.
type item struct {
	rec      *core.Record
	rule     unitreturn.Item
	title    string
	deadline time.Time
}

var collections = map[unitreturn.Kind]string{
	unitreturn.Proposal: "proposals", unitreturn.Problem: "problems",
	unitreturn.Rectification: "rectification_items", unitreturn.Hazard: "hazards",
}

// load reads the item of kind with id, as the rule sees it; a missing
// record is sql.ErrNoRows.
func load(app core.App, kind unitreturn.Kind, id string) (*item, error) {
	col, ok := collections[kind]
	if !ok || id == "" {
		return nil, sql.ErrNoRows
	}
	r, err := app.FindRecordById(col, id)
	if err != nil {
		return nil, err
	}
	it := &item{rec: r, rule: unitreturn.Item{Kind: kind}, deadline: r.GetDateTime("deadline").Time()}
	status := r.GetString("status")
	switch kind {
	case unitreturn.Proposal:
		it.rule.Unit = r.GetString("main_unit")
		it.rule.AssignedAt = r.GetDateTime("assigned_at").Time()
		it.rule.Answered = status == "answered" || status == "closed"
		if status != "assigned" && !it.rule.Answered {
			it.rule.Unit = "" // not with a unit now (returned, merged…)
		}
		it.title = strings.TrimSpace(r.GetString("number") + " " + r.GetString("title"))
	case unitreturn.Problem:
		it.rule.Unit = r.GetString("unit")
		it.rule.AssignedAt = r.GetDateTime("forwarded_at").Time()
		it.rule.Answered = status == "answered" || status == "closed"
		if status == "open" {
			it.rule.Unit = ""
		}
		it.title = r.GetString("category") + "：" + cut(r.GetString("description"), 60)
	case unitreturn.Rectification:
		it.rule.Unit = r.GetString("unit")
		it.rule.Answered = status != "open" && status != "rectifying"
		rep, err := app.FindRecordById("supervision_reports", r.GetString("report"))
		if err != nil || rep.GetString("status") != "issued" {
			it.rule.Unit = "" // a draft's items are not assigned yet
		} else {
			it.rule.AssignedAt = later(rep.GetDateTime("issued_at").Time(), unitChangedAt(app, col, r.Id))
		}
		it.title = cut(r.GetString("problem_text"), 80)
	case unitreturn.Hazard:
		it.rule.Unit = r.GetString("unit")
		it.rule.Answered = status != "open" && status != "rectifying"
		it.rule.AssignedAt = unitChangedAt(app, col, r.Id)
		if it.rule.AssignedAt.IsZero() {
			it.rule.AssignedAt = r.GetDateTime("created").Time()
		}
		it.title = r.GetString("title")
	}
	pending, err := app.CountRecords(Collection, dbx.HashExp{"kind": string(kind), "record_id": id, "status": string(unitreturn.Pending)})
	if err != nil {
		return nil, err
	}
	it.rule.Pending = pending > 0
	if it.rule.Unit != "" {
		insisted, err := app.CountRecords(Collection, dbx.HashExp{"kind": string(kind), "record_id": id,
			"unit": it.rule.Unit, "status": string(unitreturn.Insisted)})
		if err != nil {
			return nil, err
		}
		it.rule.Insisted = insisted > 0
	}
	return it, nil
}

// unitChangedAt is when the audit trail last saw the record's unit set:
// the time a hazard (or a rectification item) was assigned to the unit it
// has now. Zero when the trail has no such entry.
func unitChangedAt(app core.App, collection, id string) time.Time {
	var at string
	err := app.DB().NewQuery(`SELECT at FROM audit_log WHERE collection = {:c} AND record_id = {:id}
		AND json_extract(changes, '$.unit') IS NOT NULL ORDER BY seq DESC LIMIT 1`).
		Bind(dbx.Params{"c": collection, "id": id}).Row(&at)
	if err != nil {
		return time.Time{}
	}
	t, err := time.Parse(chinatime.StoredLayout, at)
	if err != nil {
		return time.Time{}
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func cut(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// Mark is what a unit's inbox shows of 退办 on one of its items.
type Mark struct {
	Returnable bool   `json:"returnable"`             // the kind may be returned and the unit has not answered
	Until      string `json:"return_until,omitempty"` // China date: the last day to ask
	Status     string `json:"return_status,omitempty"`
	Note       string `json:"return_note,omitempty"` // the office's words when it insisted
}

// MarkFor is the inbox's 退办 mark of item kind/id held by unitID.
func MarkFor(app core.App, unitID, kind, id string) (Mark, error) {
	k := unitreturn.Kind(kind)
	if !k.Valid() {
		return Mark{}, nil
	}
	it, err := load(app, k, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Mark{}, nil
	}
	if err != nil {
		return Mark{}, err
	}
	var m Mark
	if it.rule.Unit == unitID && !it.rule.Answered && !it.rule.Insisted && !it.rule.AssignedAt.IsZero() {
		cal, err := calendar.Of(app)
		if err != nil {
			return m, err
		}
		m.Returnable = true
		m.Until = chinatime.Date(unitreturn.LastDay(cal, it.rule.AssignedAt, LimitWorkdays(app)))
	}
	last, err := app.FindRecordsByFilter(Collection, "kind = {:k} && record_id = {:id} && unit = {:u}", "-created", 1, 0,
		dbx.Params{"k": kind, "id": id, "u": unitID})
	if err != nil {
		return m, err
	}
	if len(last) == 1 && last[0].GetString("status") != string(unitreturn.Reassigned) {
		m.Status = last[0].GetString("status")
		m.Note = last[0].GetString("note")
	}
	return m, nil
}
