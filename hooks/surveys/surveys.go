// Package surveys is 微调研 and 微协商 (small surveys and consultations,
// R14): the presidium writes a questionnaire (single choice, multiple
// choice, short text; optionally for some villages only), residents answer
// it on a public no-JavaScript page (/survey/{code}, with its QR code)
// behind the abuse guard, one response per phone or device as a soft
// limit, and the presidium reads the results per question and village and
// exports them to Excel.
//
// Answers are anonymous by construction, not by policy: the choice answers
// are kept only as counts on the survey (tally, hidden from every API
// response, superusers' too), the short texts as rows with no time, no
// order and no link to the other answers of the same resident, and the
// phone numbers of a one-per-phone survey as keyed hashes in a table of
// their own. The records API is closed to the last two for everyone, and
// the results never show a group of fewer than survey.MinGroup
// respondents (anonymity.go).
package surveys

import (
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/formguard"
	"simeng/hooks/roster"
	"simeng/survey"
)

// Collections.
const (
	surveysCollection        = "surveys"
	textsCollection          = "survey_texts"
	participationsCollection = "survey_participations"
)

// Statuses (vocab.SurveyStatuses): draft → open → closed.
const (
	statusDraft  = "draft"
	statusOpen   = "open"
	statusClosed = "closed"
)

var nextStatus = map[string][]string{statusDraft: {statusOpen}, statusOpen: {statusClosed}, statusClosed: {}}

var statusLabels = map[string]string{statusDraft: "草稿", statusOpen: "进行中", statusClosed: "已结束"}

// serverFields of a survey: only the server writes them.
var serverFields = []string{"code", "responses", "tally", "opened_at", "closed_at", "created_by"}

type desk struct {
	guard *formguard.Guard
}

const deskKey = "simeng.surveys"

// Register wires surveys: their rules, the public page, the results and
// the guards that keep answers anonymous.
func Register(app core.App) {
	d := &desk{guard: formguard.New()}
	app.Store().Set(deskKey, d)
	bindSurveys(app)
	bindAnonymity(app)
	bindPublicPage(app, d)
	bindResults(app)
}

// SetFormLimits replaces the public form's abuse limits (tests).
func SetFormLimits(app core.App, l formguard.Limits) {
	if d, ok := app.Store().Get(deskKey).(*desk); ok {
		d.guard.SetLimits(l)
	}
}

func bindSurveys(app core.App) {
	app.OnRecordCreate(surveysCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("code") == "" {
			e.Record.Set("code", roster.NewCode())
		}
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", statusDraft)
		}
		return e.Next()
	})
	// The counts are RecordResponse's alone: whatever else saves a survey
	// (the admin UI, a presidium member, a stale copy in code) writes back
	// what is stored, read inside the write's transaction, so no answer
	// counted meanwhile is lost.
	app.OnRecordUpdateExecute(surveysCollection).BindFunc(func(e *core.RecordEvent) error {
		tally, responses, err := storedCounts(e.App, e.Record.Id)
		if err != nil {
			return err
		}
		e.Record.Set("tally", tally)
		e.Record.Set("responses", responses)
		return e.Next()
	})
	app.OnRecordValidate(surveysCollection).BindFunc(func(e *core.RecordEvent) error {
		var old *core.Record
		if !e.Record.IsNew() {
			old = stored(e.App, e.Record)
		}
		answered := 0
		if old != nil {
			var err error
			if _, answered, err = storedCounts(e.App, e.Record.Id); err != nil {
				return err
			}
		}
		return fielderr.Merge(e.Next(), checkSurvey(old, e.Record, answered))
	})
	app.OnRecordCreateRequest(surveysCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range serverFields {
			if f != "created_by" || !access.IsOffice(e.Auth) {
				e.Record.Set(f, nil)
			}
		}
		e.Record.Set("created_by", access.ActorLabel(e.Auth))
		return e.Next()
	})
	// Whoever edits a survey, staff in the admin UI too, the counts stay
	// the server's: the admin UI never even loads the tally (hidden), so a
	// save from it must not wipe it.
	app.OnRecordUpdateRequest(surveysCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range serverFields {
			if f == "opened_at" || f == "closed_at" || f == "code" && access.IsOffice(e.Auth) {
				continue
			}
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
}

// checkSurvey checks a save of r (old: the stored survey, nil if new;
// answered: the responses it has): the questionnaire can be asked, the
// lifecycle moves forward, and what a response was counted against does
// not change once responses exist.
func checkSurvey(old, r *core.Record, answered int) validation.Errors {
	errs := validation.Errors{}
	qs, err := survey.ParseQuestions(jsonOf(r.Get("questions")))
	if err != nil {
		errs["questions"] = validation.NewError("invalid_questions", err.Error())
	} else {
		r.Set("questions", qs)
	}
	from, to := statusDraft, r.GetString("status")
	if old != nil {
		from = old.GetString("status")
	}
	if to != from && !slices.Contains(nextStatus[from], to) {
		errs["status"] = validation.NewError("validation_bad_transition", "不能从“"+statusLabels[from]+"”改为“"+statusLabels[to]+"”。")
	}
	closes := r.GetDateTime("closes_at").Time()
	if to == statusOpen && from != statusOpen && !closes.IsZero() && !closes.After(time.Now()) {
		errs["closes_at"] = validation.NewError("validation_past", "截止时间应晚于现在。")
	}
	if old != nil && answered > 0 {
		if !sameQuestions(old.Get("questions"), r.Get("questions")) {
			errs["questions"] = validation.NewError("validation_locked", "已经收到答卷，题目不能再修改。")
		}
		if !slices.Equal(old.GetStringSlice("villages"), r.GetStringSlice("villages")) {
			errs["villages"] = validation.NewError("validation_locked", "已经收到答卷，面向的村不能再修改。")
		}
		if old.GetBool("require_phone") != r.GetBool("require_phone") {
			errs["require_phone"] = validation.NewError("validation_locked", "已经收到答卷，不能再更改是否限填一次。")
		}
	}
	if to == statusOpen && r.GetDateTime("opened_at").IsZero() {
		r.Set("opened_at", types.NowDateTime())
	}
	if to == statusClosed && r.GetDateTime("closed_at").IsZero() {
		r.Set("closed_at", types.NowDateTime())
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// storedCounts are a survey's counts as stored now.
func storedCounts(app core.App, id string) (types.JSONRaw, int, error) {
	var row struct {
		Tally     sql.NullString `db:"tally"`
		Responses sql.NullInt64  `db:"responses"`
	}
	err := app.DB().Select("tally", "responses").From(surveysCollection).Where(dbx.HashExp{"id": id}).One(&row)
	tally := types.JSONRaw("null")
	if row.Tally.Valid && row.Tally.String != "" {
		tally = types.JSONRaw(row.Tally.String)
	}
	return tally, int(row.Responses.Int64), err
}

// sameQuestions compares two questionnaires by what they ask, not by how
// their JSON was spaced.
func sameQuestions(a, b any) bool {
	var qa, qb []survey.Question
	if json.Unmarshal(jsonOf(a), &qa) != nil || json.Unmarshal(jsonOf(b), &qb) != nil {
		return false
	}
	ja, _ := json.Marshal(qa)
	jb, _ := json.Marshal(qb)
	return string(ja) == string(jb)
}

// questionsOf reads a stored questionnaire.
func questionsOf(r *core.Record) []survey.Question {
	var qs []survey.Question
	_ = json.Unmarshal(jsonOf(r.Get("questions")), &qs)
	return qs
}

// tallyOf reads a survey's counts.
func tallyOf(r *core.Record) survey.Tally {
	var t survey.Tally
	_ = json.Unmarshal(jsonOf(r.Get("tally")), &t)
	return t
}

// jsonOf is a JSON field's value as bytes (PocketBase holds it as
// types.JSONRaw once loaded, as whatever was set before that).
func jsonOf(v any) []byte {
	switch x := v.(type) {
	case types.JSONRaw:
		return x
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	b, _ := json.Marshal(v)
	return b
}

// acceptsAnswers reports whether r takes answers at now.
func acceptsAnswers(r *core.Record, now time.Time) bool {
	return r.GetString("status") == statusOpen && now.Before(r.GetDateTime("closes_at").Time())
}

// stored is r as stored before this save (see deliberation.stored).
func stored(app core.App, r *core.Record) *core.Record {
	if o := r.Original(); o.Id != "" {
		return o
	}
	if fresh, err := app.FindRecordById(r.Collection(), r.Id); err == nil {
		return fresh
	}
	return r.Original()
}
