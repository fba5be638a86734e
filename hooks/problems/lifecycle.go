package problems

import (
	"sync"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/fielderr"
	"simeng/problem"
)

// The lifecycle on every door. The rules of package problem (Check, then
// Stamp) run in the problems' validate hook, so a save through the records
// API, the admin UI or another capability's Go code can only move a
// problem forward in order, and the server's fields (the stamps, the
// deadline, the reopen count, the escalation) are never taken from a
// request. Each step is written to problem_events in the save's
// transaction, with whoever took it.

// serverFields are never taken from a request body.
var serverFields = []string{"forwarded_at", "deadline", "answered_at", "closed_at", "reopens",
	"overdue", "escalation", "escalated_at", "escalated_to"}

// actor is who takes a step, for the timeline.
type actor struct {
	id, label string
}

var systemActor = actor{label: "系统"}

// actors remembers, per record being saved, who is saving it: the request
// hooks and the routes note it, the save's hooks read it. The key is the
// record itself (the pointer the save is given).
var actors sync.Map

func actorOf(auth *core.Record) actor {
	if auth == nil {
		return systemActor
	}
	return actor{id: auth.Id, label: access.ActorLabel(auth)}
}

// SaveAs saves problem p (its lifecycle checked and stamped as on every
// save) with by as the one who took the step on its timeline; nil is the
// system.
func SaveAs(app core.App, p *core.Record, by *core.Record) error {
	return saveAs(app, p, actorOf(by))
}

// saveAs saves p in app as who took the step.
func saveAs(app core.App, p *core.Record, who actor) error {
	actors.Store(p, who)
	defer actors.Delete(p)
	return app.Save(p)
}

func stateOf(r *core.Record) problem.State {
	return problem.State{
		Status:       problem.Status(r.GetString("status")),
		Unit:         r.GetString("unit"),
		ForwardedTo:  r.GetString("forwarded_to"),
		ForwardedAt:  r.GetDateTime("forwarded_at").Time(),
		Deadline:     r.GetDateTime("deadline").Time(),
		Reply:        r.GetString("reply"),
		AnsweredAt:   r.GetDateTime("answered_at").Time(),
		ClosedAt:     r.GetDateTime("closed_at").Time(),
		ReopenReason: r.GetString("reopen_reason"),
		Reopens:      r.GetInt("reopens"),
	}
}

func dateOrEmpty(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return t.UTC()
}

func writeState(r *core.Record, s problem.State) {
	r.Set("status", string(s.Status))
	if r.Collection().Fields.GetByName("unit") != nil {
		r.Set("unit", s.Unit)
	}
	r.Set("forwarded_to", s.ForwardedTo)
	r.Set("forwarded_at", dateOrEmpty(s.ForwardedAt))
	r.Set("deadline", dateOrEmpty(s.Deadline))
	r.Set("reply", s.Reply)
	r.Set("answered_at", dateOrEmpty(s.AnsweredAt))
	r.Set("closed_at", dateOrEmpty(s.ClosedAt))
	r.Set("reopen_reason", s.ReopenReason)
	r.Set("reopens", s.Reopens)
}

// fieldErrors turns the rules' refusal into PocketBase's 400 shape.
func fieldErrors(errs problem.FieldErrors) validation.Errors {
	out := validation.Errors{}
	for f, m := range errs {
		out[f] = validation.NewError("validation_problem_"+f, m)
	}
	return out
}

func bindLifecycle(app core.App) {
	app.OnRecordValidate("problems").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "" {
			r.Set("status", Open)
		}
		var old *problem.State
		if !r.IsNew() {
			o := stateOf(storedState(e))
			old = &o
		}
		// A unit newly named must be an active account; chosen without its
		// name shown, the forward shows the unit's own name.
		if id := r.GetString("unit"); id != "" && (old == nil || id != old.Unit) {
			u, err := e.App.FindRecordById("units", id)
			if err != nil || !u.GetBool("active") {
				return fielderr.New("unit", "validation_unit", "请选择在册的承办单位。")
			}
			if old == nil || r.GetString("forwarded_to") == old.ForwardedTo || r.GetString("forwarded_to") == "" {
				r.Set("forwarded_to", u.GetString("name"))
			}
		}
		cur := stateOf(r)
		if errs := problem.Check(old, cur); errs != nil {
			return fieldErrors(errs)
		}
		cfg, err := loadConfig(e.App)
		if err != nil {
			return err
		}
		cal, err := calendar.Of(e.App)
		if err != nil {
			return err
		}
		stamped := problem.Stamp(old, cur, cfg, cal, time.Now())
		writeState(r, stamped)
		// A new step ends the wait the escalation was about.
		if old == nil || old.Status != stamped.Status || !old.ForwardedAt.Equal(stamped.ForwardedAt) {
			r.Set("overdue", false)
			r.Set("escalation", "none")
			r.Set("escalated_at", "")
			r.Set("escalated_to", "")
		}
		return e.Next()
	})

	// The timeline: each step, in the save's transaction.
	app.OnRecordCreate("problems").BindFunc(func(e *core.RecordEvent) error {
		tx := e.App
		if err := e.Next(); err != nil {
			return err
		}
		return writeEvent(tx, e.Record, nil)
	})
	app.OnRecordUpdate("problems").BindFunc(func(e *core.RecordEvent) error {
		tx, old := e.App, stateOf(storedState(e))
		if err := e.Next(); err != nil {
			return err
		}
		return writeEvent(tx, e.Record, &old)
	})

	// Requests never set the server's fields, and a handling unit may only
	// record its answer; whoever sends the request is the step's actor.
	app.OnRecordCreateRequest("problems").BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range serverFields {
			e.Record.Set(f, nil)
		}
		e.Record.Set("reopen_reason", "")
		return inTransactionAs(e)
	})
	app.OnRecordUpdateRequest("problems").BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range serverFields {
			e.Record.Set(f, old.Get(f))
		}
		if access.IsUnit(e.Auth) {
			if err := unitMayAnswer(e.Record, old, e.Auth.Id); err != nil {
				return err
			}
		}
		return inTransactionAs(e)
	})
}

// inTransactionAs runs the rest of the request's save in a transaction,
// with the requester noted as the step's actor.
func inTransactionAs(e *core.RecordRequestEvent) error {
	who := actorOf(e.Auth)
	orig := e.App
	defer func() { e.App = orig }()
	return orig.RunInTransaction(func(tx core.App) error {
		e.App = tx
		actors.Store(e.Record, who)
		defer actors.Delete(e.Record)
		return e.Next()
	})
}

// unitEditable are the fields a handling unit changes: its answer.
var unitEditable = []string{"status", "reply"}

// unitMayAnswer lets a unit only answer what was forwarded to it.
func unitMayAnswer(r, old *core.Record, unitID string) error {
	if old.GetString("unit") != unitID {
		return fielderr.New("unit", "validation_not_yours", "该问题没有转办给本单位。")
	}
	for _, f := range r.Collection().Fields {
		name := f.GetName()
		if f.Type() == core.FieldTypeAutodate || name == "status" || name == "reply" {
			continue
		}
		if r.GetString(name) != old.GetString(name) {
			return fielderr.New(name, "validation_not_allowed", "承办单位只能填写答复。")
		}
	}
	if r.GetString("status") != old.GetString("status") && r.GetString("status") != Answered {
		return fielderr.New("status", "validation_not_allowed", "承办单位只能答复，办结和重新办理由主席团或工作人员决定。")
	}
	return nil
}

// storedState is the record as stored before this save, read again: a
// record saved twice keeps the Original() of when it was loaded, so
// Original() alone could let a second save skip a step.
func storedState(e *core.RecordEvent) *core.Record {
	if old, err := e.App.FindRecordById(e.Record.Collection(), e.Record.Id); err == nil {
		return old
	}
	return e.Record.Original()
}

// writeEvent records the step a save made, if it made one.
func writeEvent(app core.App, r *core.Record, old *problem.State) error {
	cur := stateOf(r)
	action, note := "", ""
	switch {
	case old == nil:
		action, note = "raise", sourceLabel(r.GetString("source"))
	case cur.Status == problem.Forwarded && (old.Status != problem.Forwarded || !old.ForwardedAt.Equal(cur.ForwardedAt)):
		action, note = "forward", cur.ForwardedTo
	case cur.Status == problem.Answered && old.Status != problem.Answered:
		action, note = "answer", cur.Reply
	case cur.Status == problem.Closed && old.Status != problem.Closed:
		action = "close"
	case cur.Status == problem.Open && old.Status != problem.Open:
		action, note = "reopen", cur.ReopenReason
	default:
		return nil
	}
	who := systemActor
	if v, ok := actors.Load(r); ok {
		who = v.(actor)
	}
	return addEvent(app, r.Id, action, cur, who, note)
}

func addEvent(app core.App, problemID, action string, s problem.State, who actor, note string) error {
	col, err := app.FindCachedCollectionByNameOrId("problem_events")
	if err != nil {
		return err
	}
	ev := core.NewRecord(col)
	ev.Set("problem", problemID)
	ev.Set("action", action)
	ev.Set("status", string(s.Status))
	ev.Set("at", types.NowDateTime())
	ev.Set("actor", who.id)
	label := []rune(who.label)
	if len(label) > 120 {
		label = label[:120]
	}
	ev.Set("actor_label", string(label))
	if n := []rune(note); len(n) > 2000 {
		note = string(n[:2000])
	}
	ev.Set("note", note)
	if action == "forward" {
		ev.Set("deadline", dateOrEmpty(s.Deadline))
	}
	return app.Save(ev)
}

var sourceLabels = map[string]string{
	FromVisit: "代表走访中提出", FromSuggestion: "群众建议转入", "hotline": "民情直通车热线",
	"station": "代表联络站", "inspection": "视察、执法检查中发现",
}

func sourceLabel(s string) string {
	if l, ok := sourceLabels[s]; ok {
		return l
	}
	return s
}
