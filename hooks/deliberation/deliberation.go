// Package deliberation is 云端议事 (online deliberation, R14): topics the
// presidium opens to deputies, residents or both until a deadline; deputies
// comment from the PWA (offline, through the sync engine), residents on a
// public no-JavaScript page (/topic/{code}, with its QR code) behind the
// abuse guard and pre-moderation (nothing a resident writes is public
// before the presidium or staff approve it); the presidium closes a topic
// with its conclusion (结论) and may turn it into a problem (急难愁盼, with
// hooks/problems) or a proposal (议案建议), the link kept both ways.
//
// The rules of a topic's life and of who may comment when are package
// topic's; this package applies them on every save, whichever door it came
// in by.
package deliberation

import (
	"slices"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/formguard"
	"simeng/hooks/roster"
	"simeng/topic"
)

// Collections.
const (
	topicsCollection   = "topics"
	commentsCollection = "topic_comments"
)

// ProblemSource is the problems' source of a problem made from a topic.
const ProblemSource = "deliberation"

// desk is the per-app state: the public form's abuse guard.
type desk struct {
	guard *formguard.Guard
}

const deskKey = "simeng.deliberation"

// Register wires topics, comments, the public page and the conversions.
func Register(app core.App) {
	d := &desk{guard: formguard.New()}
	app.Store().Set(deskKey, d)
	bindTopics(app)
	bindComments(app)
	bindPublicPage(app, d)
	bindOutcomes(app)
	addDemandSource(app)
}

// SetFormLimits replaces the public comment form's abuse limits (tests).
func SetFormLimits(app core.App, l formguard.Limits) {
	if d, ok := app.Store().Get(deskKey).(*desk); ok {
		d.guard.SetLimits(l)
	}
}

// serverFields of a topic: the server stamps them; a presidium member's
// request cannot set them.
var serverFields = []string{"code", "opened_at", "closed_at", "opened_by", "closed_by", "outcome", "outcome_id"}

// ruleView is the record as package topic sees it.
func ruleView(r *core.Record) topic.Topic {
	return topic.Topic{
		Status:     topic.Status(r.GetString("status")),
		Audience:   topic.Audience(r.GetString("audience")),
		Deadline:   r.GetDateTime("deadline").Time(),
		Conclusion: r.GetString("conclusion"),
	}
}

func bindTopics(app core.App) {
	// Every save, whichever door: the lifecycle holds and is stamped. The
	// rules run with the field validators, so one 400 names every bad field.
	app.OnRecordCreate(topicsCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("code") == "" {
			e.Record.Set("code", roster.NewCode())
		}
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", string(topic.Draft))
		}
		return e.Next()
	})
	app.OnRecordValidate(topicsCollection).BindFunc(func(e *core.RecordEvent) error {
		var old *topic.Topic
		if !e.Record.IsNew() {
			o := ruleView(stored(e.App, e.Record))
			old = &o
		}
		return fielderr.Merge(e.Next(), checkTopic(old, e.Record))
	})

	// Who did it, from the request: the presidium member or staff.
	stampActor := func(e *core.RecordRequestEvent, old *core.Record) {
		r := e.Record
		if !access.IsOffice(e.Auth) {
			for _, f := range serverFields {
				if old == nil {
					if f != "code" {
						r.Set(f, nil)
					}
				} else {
					r.Set(f, old.Get(f))
				}
			}
		}
		from := ""
		if old != nil {
			from = old.GetString("status")
		}
		to := r.GetString("status")
		if to == string(topic.Open) && from != to {
			r.Set("opened_by", access.ActorLabel(e.Auth))
		}
		if to == string(topic.Closed) && from != to {
			r.Set("closed_by", access.ActorLabel(e.Auth))
		}
	}
	app.OnRecordCreateRequest(topicsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if !access.IsOffice(e.Auth) {
			e.Record.Set("code", "")
		}
		stampActor(e, nil)
		return e.Next()
	})
	app.OnRecordUpdateRequest(topicsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		stampActor(e, e.Record.Original())
		return e.Next()
	})
}

// checkTopic applies package topic's rules to a save of r (old: nil for a
// new topic) and stamps when it opened and closed.
func checkTopic(old *topic.Topic, r *core.Record) validation.Errors {
	now := time.Now()
	t := ruleView(r)
	if err := topic.CheckSave(old, t, now); err != nil {
		return fielderr.New(err.Field, err.Code, err.Message)
	}
	if t.Status == topic.Open && r.GetDateTime("opened_at").IsZero() {
		r.Set("opened_at", types.NowDateTime())
	}
	if t.Status == topic.Closed && r.GetDateTime("closed_at").IsZero() {
		r.Set("closed_at", types.NowDateTime())
	}
	if o := r.GetString("outcome"); o != "" && !slices.Contains(topic.Outcomes, topic.Outcome(o)) {
		return fielderr.New("outcome", "invalid_outcome", "转办结果无效。")
	}
	return nil
}

// stored is r as stored before this save. Original() is that only for
// records loaded from the database: one created in memory and saved twice
// still has a blank original, so then the stored row is read.
func stored(app core.App, r *core.Record) *core.Record {
	if o := r.Original(); o.Id != "" {
		return o
	}
	if fresh, err := app.FindRecordById(r.Collection(), r.Id); err == nil {
		return fresh
	}
	return r.Original()
}
