package proposals

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/fielderr"
	"simeng/proposal"
)

// fromRecord reads a stored proposal into the rules' shape.
func fromRecord(r *core.Record) proposal.Proposal {
	p := proposal.Proposal{
		ID:            r.Id,
		Type:          proposal.Type(r.GetString("type")),
		Status:        proposal.Status(r.GetString("status")),
		Title:         r.GetString("title"),
		Body:          r.GetString("body"),
		Category:      r.GetString("category"),
		Sponsor:       r.GetString("sponsor"),
		SubmittedAt:   r.GetDateTime("submitted_at").Time(),
		Converted:     r.GetBool("converted"),
		Decision:      r.GetString("decision"),
		Grade:         proposal.Grade(r.GetString("grade")),
		MainID:        r.GetString("main"),
		MainUnit:      r.GetString("main_unit"),
		CoUnits:       r.GetStringSlice("co_units"),
		AssignedAt:    r.GetDateTime("assigned_at").Time(),
		Deadline:      r.GetDateTime("deadline").Time(),
		Round:         r.GetInt("round"),
		RedoReason:    r.GetString("redo_reason"),
		ReplyClass:    proposal.ReplyClass(r.GetString("reply_class")),
		Reply:         r.GetString("reply"),
		AnsweredAt:    r.GetDateTime("answered_at").Time(),
		Rating:        proposal.Rating(r.GetString("rating")),
		RatingComment: r.GetString("rating_comment"),
		ClosedAt:      r.GetDateTime("closed_at").Time(),
		Closure:       proposal.Closure(r.GetString("closure")),
	}
	confirmed := r.GetStringSlice("co_confirmed")
	for _, d := range r.GetStringSlice("co_invited") {
		p.CoSponsors = append(p.CoSponsors, proposal.CoSponsor{Deputy: d, Confirmed: slices.Contains(confirmed, d)})
	}
	return p
}

// toRecord writes p onto r (the fields the rules own).
func toRecord(r *core.Record, p proposal.Proposal) {
	invited, confirmed := []string{}, []string{}
	for _, c := range p.CoSponsors {
		invited = append(invited, c.Deputy)
		if c.Confirmed {
			confirmed = append(confirmed, c.Deputy)
		}
	}
	setTime := func(field string, t time.Time) {
		if t.IsZero() {
			r.Set(field, "")
		} else {
			r.Set(field, t)
		}
	}
	r.Set("type", string(p.Type))
	r.Set("status", string(p.Status))
	r.Set("title", p.Title)
	r.Set("body", p.Body)
	r.Set("category", p.Category)
	r.Set("sponsor", p.Sponsor)
	r.Set("co_invited", invited)
	r.Set("co_confirmed", confirmed)
	setTime("submitted_at", p.SubmittedAt)
	if !p.SubmittedAt.IsZero() {
		r.Set("year", chinatime.Year(p.SubmittedAt))
	}
	r.Set("converted", p.Converted)
	r.Set("decision", p.Decision)
	r.Set("grade", string(p.Grade))
	r.Set("main", p.MainID)
	r.Set("main_unit", p.MainUnit)
	r.Set("co_units", p.CoUnits)
	setTime("assigned_at", p.AssignedAt)
	setTime("deadline", p.Deadline)
	r.Set("round", p.Round)
	r.Set("redo_reason", p.RedoReason)
	r.Set("reply_class", string(p.ReplyClass))
	r.Set("reply", p.Reply)
	setTime("answered_at", p.AnsweredAt)
	r.Set("rating", string(p.Rating))
	r.Set("rating_comment", p.RatingComment)
	setTime("closed_at", p.ClosedAt)
	r.Set("closure", string(p.Closure))
	if p.Status != proposal.Assigned {
		r.Set("overdue", false)
		r.Set("escalation", string(deadline.StageNone))
		r.Set("escalated_at", "")
	}
}

// actorOf maps who is asking onto the rules' roles.
func actorOf(auth *core.Record) proposal.Actor {
	switch access.Of(auth) {
	case access.Deputy:
		return proposal.Actor{Role: proposal.RoleDeputy, ID: auth.Id}
	case access.Presidium:
		return proposal.Actor{Role: proposal.RolePresidium, ID: auth.Id}
	case access.Unit:
		return proposal.Actor{Role: proposal.RoleUnit, ID: auth.Id}
	case access.Staff, access.Superuser:
		return proposal.Actor{Role: proposal.RoleStaff, ID: auth.Id}
	}
	return proposal.Actor{Role: proposal.RoleGuest}
}

// errorsOf turns the rules' messages into PocketBase's 400 shape.
func errorsOf(fe proposal.FieldErrors) validation.Errors {
	if len(fe) == 0 {
		return nil
	}
	out := validation.Errors{}
	for f, msg := range fe {
		out[f] = validation.NewError("validation_"+f, msg)
	}
	return out
}

// refusalError is a refusal as the route answers it: 403 when the actor
// may not take the step, 400 otherwise, naming the fields.
func refusalError(e *core.RequestEvent, r *proposal.Refusal) error {
	errs := errorsOf(r.Fields)
	if r.Forbidden {
		for f, msg := range r.Fields {
			return fielderr.Forbidden(f, msg)
		}
	}
	return e.BadRequestError(firstMessage(r.Fields), errs)
}

func firstMessage(fe proposal.FieldErrors) string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "请求无效"
	}
	return fe[keys[0]]
}

// storedProposal is the record as stored before this save, read again:
// a record saved twice keeps the Original() of when it was loaded.
func storedProposal(app core.App, r *core.Record) *core.Record {
	if r.IsNew() {
		return nil
	}
	if old, err := app.FindRecordById(Collection, r.Id); err == nil {
		return old
	}
	return r.Original()
}

// bindLifecycle runs proposal.CheckSave on every save, whatever the door
// (the routes, the admin UI, imports), stamps the server's fields, and
// audits what superusers change through the admin UI.
func bindLifecycle(app core.App) {
	app.OnRecordValidate(Collection).BindFunc(func(e *core.RecordEvent) error {
		s, err := ReadSettings(e.App)
		if err != nil {
			return err
		}
		cur := fromRecord(e.Record)
		var old *proposal.Proposal
		if stored := storedProposal(e.App, e.Record); stored != nil {
			o := fromRecord(stored)
			old = &o
		}
		errs := errorsOf(proposal.CheckSave(old, cur, s.Config))
		if e.Record.GetString("escalation") == "" {
			e.Record.Set("escalation", string(deadline.StageNone))
		}
		if id := e.Record.GetString("main"); id != "" && id == e.Record.Id {
			errs = fielderr.Merge(errs, fielderr.New("main", "validation_self", "不能并入自己")).(validation.Errors)
		}
		return fielderr.Merge(e.Next(), errs)
	})
	audit.Watch(app, Collection, "type", "status", "title", "category", "grade", "main", "main_unit", "co_units",
		"deadline", "round", "reply_class", "rating", "closure", "decision", "golden_year")
}

// step is one applied action, ready to save.
type step struct {
	rec  *core.Record
	kind proposal.ActionKind
	note string
}

// applyStep applies act by actor to the stored record rec at now: the
// rules decide, the result is written back and saved, and the step goes
// on the timeline and into the audit trail, in one transaction.
func applyStep(app core.App, rec *core.Record, act proposal.Action, by proposal.Actor, who audit.Actor, label string, now time.Time) (*proposal.Refusal, error) {
	s, err := ReadSettings(app)
	if err != nil {
		return nil, err
	}
	cal, err := calendar.Of(app)
	if err != nil {
		return nil, err
	}
	p := fromRecord(rec)
	if rec.IsNew() {
		p.Status = proposal.Draft
	}
	next, refusal := proposal.Apply(p, act, by, s.Config, cal, now)
	if refusal != nil {
		return refusal, nil
	}
	old := rec.Original()
	if rec.IsNew() {
		old = nil
	}
	err = app.RunInTransaction(func(tx core.App) error {
		toRecord(rec, next)
		if act.Kind == proposal.ActSubmit && rec.GetString("number") == "" {
			n, err := nextNumber(tx, chinatime.Year(next.SubmittedAt))
			if err != nil {
				return err
			}
			rec.Set("number", n)
		}
		if err := tx.Save(rec); err != nil {
			return err
		}
		if err := writeEvent(tx, rec, string(act.Kind), by, label, eventNote(act, next), now); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: who, Action: "proposal_" + string(act.Kind), Collection: Collection,
			RecordID: rec.Id, Changes: audit.Diff(old, rec, "type", "status", "category", "grade", "main", "main_unit",
				"co_units", "deadline", "round", "reply_class", "rating", "closure"), Reason: act.Reason})
	})
	return nil, err
}

// eventNote is what the timeline says of a step.
func eventNote(act proposal.Action, p proposal.Proposal) string {
	switch act.Kind {
	case proposal.ActRegister:
		if act.Reason != "" {
			return act.Outcome.Label() + "：" + act.Reason
		}
		return act.Outcome.Label()
	case proposal.ActExtend, proposal.ActReturn:
		return act.Reason
	case proposal.ActAnswer:
		return p.ReplyClass.Label() + "\n" + p.Reply
	case proposal.ActRate:
		if act.Rating == proposal.Unsatisfied && p.Status == proposal.Assigned {
			return "不满意，退回重新办理：" + act.Comment
		}
		note := act.Rating.Label()
		if act.Comment != "" {
			note += "：" + act.Comment
		}
		return note
	case proposal.ActClassify:
		note := ""
		if act.Category != "" {
			note = "分类：" + act.Category
		}
		if act.Grade != "" {
			if note != "" {
				note += "；"
			}
			note += "分级：" + act.Grade.Label()
		}
		return note
	case proposal.ActMerge:
		if act.Main != nil {
			return "并入《" + act.Main.Title + "》"
		}
	}
	return ""
}

// writeEvent appends a step to the proposal's timeline.
func writeEvent(app core.App, rec *core.Record, action string, by proposal.Actor, label, note string, now time.Time) error {
	col, err := app.FindCachedCollectionByNameOrId(EventsCollection)
	if err != nil {
		return err
	}
	ev := core.NewRecord(col)
	kind := string(by.Role)
	if by.Role == proposal.RoleGuest || kind == "" {
		kind = "system"
	}
	if len([]rune(note)) > 10000 {
		note = string([]rune(note)[:10000])
	}
	ev.Load(map[string]any{
		"proposal": rec.Id, "action": action, "status": rec.GetString("status"), "actor_kind": kind,
		"actor_label": label, "note": note, "at": types.NowDateTime(),
	})
	if d := rec.GetDateTime("deadline"); !d.IsZero() {
		ev.Set("deadline", d)
	}
	if !now.IsZero() {
		ev.Set("at", now)
	}
	return app.Save(ev)
}

// nextNumber is the year's next proposal number: 2026-001, 2026-002, …
func nextNumber(app core.App, year int) (string, error) {
	var last struct {
		Number string `db:"number"`
	}
	prefix := strconv.Itoa(year) + "-"
	err := app.DB().Select("number").From(Collection).
		Where(dbx.NewExp("number LIKE {:p}", dbx.Params{"p": prefix + "%"})).OrderBy("number DESC").Limit(1).One(&last)
	n := 0
	switch {
	case err == nil:
		n, _ = strconv.Atoi(last.Number[len(prefix):])
	case !errors.Is(err, sql.ErrNoRows):
		return "", err
	}
	return fmt.Sprintf("%s%03d", prefix, n+1), nil
}

// Step applies act by the account auth to rec as of now, through the same
// rules, timeline and audit trail as the routes; a refusal is an error
// naming its fields. The demo uses it to walk proposals through their
// life at past dates.
func Step(app core.App, rec *core.Record, act proposal.Action, auth *core.Record, now time.Time) error {
	who := audit.Actor{Kind: string(access.Of(auth)), Name: access.ActorName(auth), Via: "demo"}
	refusal, err := applyStep(app, rec, act, actorOf(auth), who, access.ActorLabel(auth), now)
	if err != nil {
		return err
	}
	if refusal != nil {
		return fmt.Errorf("proposal %s %s refused: %s", rec.GetString("title"), act.Kind, firstMessage(refusal.Fields))
	}
	return nil
}
