// Package research is the research reports (调研报告, R14) deputies file
// after 微调研 and 微协商: a document and its summary, linked to the
// 云端议事 topics and surveys they drew on. The presidium accepts a report
// (it then counts for its authors in the assessment, from these records:
// hooks/assessment/facts_research.go) or returns it for rework.
//
// Before these records existed, staff typed research reports into
// deputy_activities as a count; those rows keep counting, and new ones of
// that kind are refused so that a report is never counted twice.
package research

import (
	"slices"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
)

// Collection of the reports.
const Collection = "research_reports"

// Statuses (vocab.ResearchStatuses).
const (
	Submitted = "submitted"
	Accepted  = "accepted"
	Returned  = "returned"
)

// LegacyActivityKind is the deputy_activities kind staff used for a
// research report before these records.
const LegacyActivityKind = "research_report"

// MinSummaryRunes is the shortest summary: enough to say what was studied
// and what is proposed.
const MinSummaryRunes = 50

var statusLabels = map[string]string{Submitted: "已提交", Accepted: "已采纳", Returned: "退回修改"}

// next: the presidium accepts or returns a submitted report; a returned
// one is submitted again (by its author editing it).
var next = map[string][]string{Submitted: {Accepted, Returned}, Returned: {Submitted}, Accepted: {}}

// authorFields are what an author may change, while the report is not
// accepted; reviewFields what the presidium changes.
var (
	authorFields = []string{"title", "summary", "document", "coauthors", "topics", "surveys"}
	reviewFields = []string{"status", "review_note"}
)

// Register binds the reports' rules and the refusal of new staff-typed
// research report activities.
func Register(app core.App) {
	app.OnRecordCreate(Collection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", Submitted)
		}
		if e.Record.GetDateTime("filed_at").IsZero() {
			e.Record.Set("filed_at", types.NowDateTime())
		}
		return e.Next()
	})
	app.OnRecordValidate(Collection).BindFunc(func(e *core.RecordEvent) error {
		var old *core.Record
		if !e.Record.IsNew() {
			old = stored(e.App, e.Record)
		}
		return fielderr.Merge(e.Next(), check(old, e.Record))
	})
	app.OnRecordCreateRequest(Collection).BindFunc(func(e *core.RecordRequestEvent) error {
		if !access.IsOffice(e.Auth) {
			for _, f := range []string{"status", "review_note", "reviewed_by", "reviewed_at", "filed_at"} {
				e.Record.Set(f, nil)
			}
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(Collection).BindFunc(authorOrReviewer)

	app.OnRecordCreate("deputy_activities").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("kind") == LegacyActivityKind {
			return legacyRefusal()
		}
		return e.Next()
	})
	app.OnRecordUpdate("deputy_activities").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("kind") == LegacyActivityKind && stored(e.App, e.Record).GetString("kind") != LegacyActivityKind {
			return legacyRefusal()
		}
		return e.Next()
	})
}

func legacyRefusal() error {
	return fielderr.New("kind", "validation_moved", "调研报告请在「调研报告」中登记（附报告全文），经主席团采纳后自动计入考核，这里不再登记。")
}

// check applies the report's rules to a save of r (old: the stored report,
// nil if new).
func check(old, r *core.Record) validation.Errors {
	errs := validation.Errors{}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.GetString("summary"))); n > 0 && n < MinSummaryRunes {
		errs["summary"] = validation.NewError("validation_too_short", "内容摘要至少50个字：调研了什么、发现什么问题、提出什么建议。")
	}
	// The lead author is not a co-author of their own report.
	co := slices.DeleteFunc(slices.Clone(r.GetStringSlice("coauthors")), func(d string) bool { return d == r.GetString("deputy") })
	r.Set("coauthors", co)
	from, to := Submitted, r.GetString("status")
	if old != nil {
		from = old.GetString("status")
		if old.GetString("deputy") != r.GetString("deputy") {
			errs["deputy"] = validation.NewError("validation_locked", "报告的执笔代表不能更改。")
		}
	}
	if to != from && !slices.Contains(next[from], to) {
		errs["status"] = validation.NewError("validation_bad_transition", "不能从“"+statusLabels[from]+"”改为“"+statusLabels[to]+"”。")
	}
	if to == Returned && strings.TrimSpace(r.GetString("review_note")) == "" {
		errs["review_note"] = validation.NewError("validation_required", "退回时请写明修改意见。")
	}
	if to != from && (to == Accepted || to == Returned) {
		r.Set("reviewed_at", types.NowDateTime())
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// authorOrReviewer keeps each to their part: the author edits the report
// until it is accepted (an edit of a returned report submits it again);
// the presidium accepts or returns it, never one they wrote or co-wrote;
// staff do anything.
func authorOrReviewer(e *core.RecordRequestEvent) error {
	if access.IsOffice(e.Auth) {
		if changed(e.Record, e.Record.Original(), "status") {
			e.Record.Set("reviewed_by", access.ActorLabel(e.Auth))
		}
		return e.Next()
	}
	r, old := e.Record, e.Record.Original()
	author := access.IsSelf(e.Auth, old.GetString("deputy"))
	involved := author || (e.Auth != nil && slices.Contains(old.GetStringSlice("coauthors"), e.Auth.Id))
	for _, f := range e.Collection.Fields {
		name := f.GetName()
		if f.Type() == core.FieldTypeAutodate || !changed(r, old, name) {
			continue
		}
		switch {
		case slices.Contains(authorFields, name) && author:
			if old.GetString("status") == Accepted {
				return fielderr.New(name, "validation_locked", "报告已被采纳，不能再修改。")
			}
		case slices.Contains(reviewFields, name) && access.IsPresidiumOrOffice(e.Auth) && !involved:
		case name == "status" && author && old.GetString("status") == Returned && r.GetString("status") == Submitted:
		case slices.Contains(reviewFields, name) && involved && access.IsPresidiumOrOffice(e.Auth):
			return fielderr.New(name, "validation_own_report", "不能审阅自己执笔或参与的报告，请由其他主席团成员审阅。")
		default:
			return fielderr.New(name, "validation_not_allowed", "执笔代表只能修改报告内容，主席团只能审阅（采纳或退回）。")
		}
	}
	if author && old.GetString("status") == Returned && r.GetString("status") == Returned {
		r.Set("status", Submitted) // a reworked report goes back to the presidium
	}
	if changed(r, old, "status") && r.GetString("status") != Submitted {
		r.Set("reviewed_by", access.ActorLabel(e.Auth))
	}
	return e.Next()
}

func changed(r, old *core.Record, field string) bool {
	return r.GetString(field) != old.GetString(field) || !slices.Equal(r.GetStringSlice(field), old.GetStringSlice(field))
}

// stored is r as stored before this save (records created in memory and
// saved twice have a blank Original).
func stored(app core.App, r *core.Record) *core.Record {
	if o := r.Original(); o.Id != "" {
		return o
	}
	if fresh, err := app.FindRecordById(r.Collection(), r.Id); err == nil {
		return fresh
	}
	return r.Original()
}
