// Package projects is the township's livelihood projects (民生实事, R12):
// candidates (from residents' suggestions, 急难愁盼 problems and
// proposals, keeping the link), the congress's secret 票决 with its public,
// reproducible count, the year's projects tracked by their responsible
// unit (milestones flagged when overdue, progress and funds reports with
// photos, deputies' 专题视察 linked), the year-end 年终评议 by anonymous
// sheets, the public page /projects/{year} and the Excel ledger.
//
// Ballot secrecy (designs/14.md §5): the server keeps who voted
// (ballot_register) apart from what was chosen (ballot_urn, a plain
// WITHOUT ROWID table that is not a collection, with random ids and no
// time), writes both in one transaction, returns no receipt, logs no
// successful vote, refuses view collections over the urns and backups
// while a vote is open, and checkpoints the write-ahead log on closing.
package projects

import (
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/vocab"
)

// Collections.
const (
	Collection     = "projects"
	MilestonesCol  = "project_milestones"
	ReportsCol     = "project_reports"
	VotesCol       = "votes"
	RegisterCol    = "ballot_register"
	EvaluationsCol = "evaluations"
	EvalRegister   = "evaluation_register"
)

// Project statuses.
const (
	Candidate  = "candidate"
	Chosen     = "chosen"
	NotChosen  = "not_chosen"
	InProgress = "in_progress"
	Done       = "done"
)

// Register binds the projects' rules, the vote and the evaluation, the
// tracking, the daily job and the public page.
func Register(app core.App) {
	bindProjects(app)
	bindTracking(app)
	bindVotes(app)
	bindEvaluations(app)
	bindSecrecy(app)
	bindDaily(app)
	bindPublic(app)
	bindExport(app)
	audit.Watch(app, Collection, "year", "title", "status", "unit", "budget", "source_kind", "source_id")
	audit.Watch(app, MilestonesCol, "title", "due", "done_at")
	audit.Watch(app, VotesCol, "meeting", "year", "title", "candidates", "seats", "max_choices", "majority")
	audit.Watch(app, EvaluationsCol, "year", "title")
}

// serverProjectFields are the project's fields only the server writes.
var serverProjectFields = []string{"spent", "progress_pct", "votes", "rank", "done_at", "evaluation"}

// moves are the status changes people make (presidium, staff); candidate
// → chosen / not_chosen is the count's alone.
var moves = map[string][]string{
	Chosen:     {InProgress, Done},
	InProgress: {Done},
}

func bindProjects(app core.App) {
	app.OnRecordCreateRequest(Collection).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range serverProjectFields {
			e.Record.Set(f, nil)
		}
		if s := e.Record.GetString("status"); s != "" && s != Candidate {
			return e.BadRequestError("新项目只能是候选项目", fielderr.New("status", "validation_candidate_only",
				"新建的民生实事项目只能是「候选」；入选与否由人代会票决决定"))
		}
		e.Record.Set("status", Candidate)
		if e.Record.GetString("source_kind") == "" {
			e.Record.Set("source_kind", "other")
		}
		if err := fillFromSource(e.App, e.Record); err != nil {
			return e.BadRequestError("来源无效", err)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(Collection).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range serverProjectFields {
			e.Record.Set(f, old.Get(f))
		}
		for _, f := range []string{"source_kind", "source_id", "year"} {
			if e.Record.GetString(f) != old.GetString(f) && old.GetString("status") != Candidate {
				return e.BadRequestError("不能修改", fielderr.New(f, "validation_locked", "票决后不能修改项目的年度和来源"))
			}
		}
		from, to := old.GetString("status"), e.Record.GetString("status")
		if from != to {
			ok := false
			for _, s := range moves[from] {
				ok = ok || s == to
			}
			if !ok {
				return e.BadRequestError("状态不能这样改", fielderr.New("status", "validation_invalid_status_change",
					"不能从「"+statusLabel(from)+"」改为「"+statusLabel(to)+"」：入选与否由票决决定，之后为 实施中 → 已完成"))
			}
			if to == Done {
				if err := checkAllMilestonesDone(e.App, e.Record.Id); err != nil {
					return e.BadRequestError("还有节点未完成", err)
				}
			}
		}
		if (from == Chosen || from == InProgress || from == Done) && e.Record.GetString("unit") == "" {
			return e.BadRequestError("请确定责任单位", fielderr.New("unit", "validation_required", "入选项目须确定责任单位"))
		}
		return e.Next()
	})
	app.OnRecordValidate(Collection).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if id := e.Record.GetString("unit"); id != "" {
			if u, err := e.App.FindRecordById("units", id); err != nil || !u.GetBool("active") {
				errs["unit"] = validation.NewError("validation_not_unit", "责任单位不在册或已停用")
			}
		}
		if e.Record.GetString("status") == Done && e.Record.GetDateTime("done_at").IsZero() {
			e.Record.Set("done_at", nowDateTime())
		}
		return fielderr.Merge(e.Next(), errs)
	})
	app.OnRecordDeleteRequest(Collection).BindFunc(func(e *core.RecordRequestEvent) error {
		n, err := e.App.CountRecords(VotesCol, dbxContains("candidates", e.Record.Id))
		if err != nil {
			return err
		}
		if n > 0 {
			return e.BadRequestError("已列入票决", fielderr.New("id", "validation_in_vote", "已列入票决候选名单的项目不能删除"))
		}
		return e.Next()
	})
}

// fillFromSource checks a candidate's source record and fills an empty
// title or description from it: a candidate made from a suggestion, a
// problem or a proposal keeps the link (source_kind, source_id).
func fillFromSource(app core.App, r *core.Record) validation.Errors {
	kind, id := r.GetString("source_kind"), r.GetString("source_id")
	var col, text, title string
	switch kind {
	case "suggestion":
		col = "suggestions"
	case "problem":
		col = "problems"
	case "proposal":
		col = "proposals"
	default:
		if id != "" {
			return fielderr.New("source_id", "validation_no_source", "来源为「其他」时不填来源记录")
		}
		return nil
	}
	if id == "" {
		return fielderr.New("source_id", "validation_required", "请选择来源记录")
	}
	src, err := app.FindRecordById(col, id)
	if err != nil {
		return fielderr.New("source_id", "validation_not_found", "来源记录不存在")
	}
	switch kind {
	case "suggestion":
		text = src.GetString("content")
		title = src.GetString("category") + "：" + firstLine(text)
	case "problem":
		text = src.GetString("description")
		title = src.GetString("category") + "：" + firstLine(text)
	case "proposal":
		if s := src.GetString("status"); s == "inviting" || s == "withdrawn" || s == "rejected" {
			return fielderr.New("source_id", "validation_not_submitted", "只能从已提交的议案建议生成候选项目")
		}
		text, title = src.GetString("body"), src.GetString("title")
	}
	if strings.TrimSpace(r.GetString("title")) == "" {
		r.Set("title", truncate(title, 60))
	}
	if strings.TrimSpace(r.GetString("description")) == "" {
		r.Set("description", truncate(text, 4000))
	}
	if len(r.GetStringSlice("villages")) == 0 {
		if v := src.GetString("village"); v != "" {
			r.Set("villages", []string{v})
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\n。；;"); i > 0 {
		s = s[:i]
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func statusLabel(s string) string { return vocab.Label(vocab.ProjectStatuses, s) }

// canManage: the presidium and the office manage the projects.
func canManage(auth *core.Record) bool { return access.IsPresidiumOrOffice(auth) }
