package projects

import (
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
)

// 跟踪问效: the responsible unit reports progress and funds spent with
// photos (project_reports); milestones (project_milestones) are flagged
// when overdue, like hazards; deputies' 专题视察 link to the project
// (inspections.project, hooks/ledger).

func nowDateTime() types.DateTime { return types.NowDateTime() }

// dbxContains matches records whose multi-relation field holds id.
func dbxContains(field, id string) dbx.Expression {
	return dbx.NewExp("EXISTS (SELECT 1 FROM json_each(["+field+"]) WHERE value = {:id})", dbx.Params{"id": id})
}

func checkAllMilestonesDone(app core.App, projectID string) validation.Errors {
	n, err := app.CountRecords(MilestonesCol, dbx.HashExp{"project": projectID, "done_at": ""})
	if err != nil || n > 0 {
		return fielderr.New("status", "validation_milestones_open", "还有节点未完成，全部节点完成后才能标记项目已完成")
	}
	return nil
}

// tracked: a project the vote chose, being carried out or done.
func tracked(status string) bool { return status == Chosen || status == InProgress || status == Done }

func bindTracking(app core.App) {
	// A report names its unit from the login; staff typing in a paper
	// report give the project's. Photos are required; the project takes
	// the report's progress and funds, and starts when the first arrives.
	app.OnRecordCreateRequest(ReportsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		project, err := e.App.FindRecordById(Collection, e.Record.GetString("project"))
		if err != nil {
			return e.BadRequestError("项目不存在", fielderr.New("project", "validation_not_found", "项目不存在"))
		}
		if !tracked(project.GetString("status")) {
			return e.BadRequestError("项目未入选", fielderr.New("project", "validation_not_chosen", "只有票决入选的项目才报告进展"))
		}
		if access.IsUnit(e.Auth) {
			e.Record.Set("unit", e.Auth.Id)
		} else {
			e.Record.Set("unit", project.GetString("unit"))
		}
		if len(e.Record.GetUnsavedFiles("photos")) == 0 && len(e.Record.GetStringSlice("photos")) == 0 {
			return e.BadRequestError("请附照片", fielderr.New("photos", "validation_required", "请至少附1张现场照片"))
		}
		return e.Next()
	})
	app.OnRecordAfterCreateSuccess(ReportsCol).BindFunc(func(e *core.RecordEvent) error {
		if err := applyReport(e.App, e.Record); err != nil {
			e.App.Logger().Error("apply project report", "error", err)
		}
		return e.Next()
	})
	app.OnRecordValidate(ReportsCol).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if p, err := e.App.FindRecordById(Collection, e.Record.GetString("project")); err == nil {
			if b := p.GetFloat("budget"); b > 0 && e.Record.GetFloat("spent_total") > b*1.5 {
				errs["spent_total"] = validation.NewError("validation_implausible", "已使用资金超过预算的1.5倍，请核对（单位：万元）")
			}
		}
		return fielderr.Merge(e.Next(), errs)
	})

	app.OnRecordCreateRequest(MilestonesCol).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range []string{"overdue", "escalation", "escalated_at"} {
			e.Record.Set(f, nil)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(MilestonesCol).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range []string{"overdue", "escalation", "escalated_at"} {
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
	app.OnRecordValidate(MilestonesCol).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if done := e.Record.GetDateTime("done_at"); !done.IsZero() {
			if done.Time().After(time.Now().Add(24 * time.Hour)) {
				errs["done_at"] = validation.NewError("validation_in_future", "完成日期不能晚于今天")
			}
			e.Record.Set("overdue", false)
			e.Record.Set("escalation", string(deadline.StageNone))
		}
		if e.Record.GetString("escalation") == "" {
			e.Record.Set("escalation", string(deadline.StageNone))
		}
		return fielderr.Merge(e.Next(), errs)
	})
}

// applyReport carries a report's progress and funds onto its project, and
// starts a chosen project.
func applyReport(app core.App, rep *core.Record) error {
	p, err := app.FindRecordById(Collection, rep.GetString("project"))
	if err != nil {
		return err
	}
	p.Set("progress_pct", rep.GetInt("progress_pct"))
	if rep.GetFloat("spent_total") > 0 {
		p.Set("spent", rep.GetFloat("spent_total"))
	}
	if p.GetString("status") == Chosen {
		p.Set("status", InProgress)
	}
	return app.Save(p)
}

// FlagOverdueMilestones is the milestones' part of the daily job: a
// milestone not done by the end of its due day (China time) is flagged and
// reported to the presidium, and listed for 挂牌督办 after
// deadline.EscalateAfterWorkdays more working days. It returns how many
// changed.
func FlagOverdueMilestones(app core.App, now time.Time) (int, error) {
	cal, err := calendar.Of(app)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = app.RunInTransaction(func(tx core.App) error {
		open, err := tx.FindRecordsByFilter(MilestonesCol, "done_at = ''", "due", 0, 0)
		if err != nil {
			return err
		}
		for _, m := range open {
			stage := deadline.StageAt(cal, m.GetDateTime("due").Time(), now, deadline.EscalateAfterWorkdays)
			if string(stage) == m.GetString("escalation") {
				continue
			}
			old := m.Fresh()
			m.Set("overdue", stage != deadline.StageNone)
			m.Set("escalation", string(stage))
			m.Set("escalated_at", now)
			if err := tx.Save(m); err != nil {
				return err
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:projects_daily"), Action: audit.ActionUpdate,
				Collection: MilestonesCol, RecordID: m.Id, Reason: "节点逾期",
				Changes: audit.Diff(old, m, "overdue", "escalation")}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// dailyCron runs at 08:25 China time (00:25 UTC).
const dailyCron = "25 0 * * *"

func bindDaily(app core.App) {
	app.Cron().MustAdd("projects_daily", dailyCron, func() {
		if _, err := FlagOverdueMilestones(app, time.Now()); err != nil {
			app.Logger().Error("projects daily job failed", "error", err)
		}
	})
}

// Assigned is an item a handling unit must act on, for its home screen.
type Assigned struct {
	Kind       string `json:"kind"` // project, milestone
	ID         string `json:"id"`
	Project    string `json:"project"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	Due        string `json:"due,omitempty"` // China date
	Overdue    bool   `json:"overdue"`
	Escalation string `json:"escalation"`
	Note       string `json:"note,omitempty"`
}

// AssignedTo lists what the unit must do on its projects: each project it
// is responsible for that is not done (reports due), and each of their
// milestones not done.
func AssignedTo(app core.App, unitID string) ([]Assigned, error) {
	out := []Assigned{}
	projects, err := app.FindRecordsByFilter(Collection, "unit = {:u} && (status = 'chosen' || status = 'in_progress')", "year,title", 0, 0, dbx.Params{"u": unitID})
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		out = append(out, Assigned{Kind: "project", ID: p.Id, Project: p.Id, Title: p.GetString("title"), Status: p.GetString("status"),
			Escalation: string(deadline.StageNone), Note: "进度 " + strconv.Itoa(p.GetInt("progress_pct")) + "%"})
		ms, err := app.FindRecordsByFilter(MilestonesCol, "project = {:p} && done_at = ''", "due", 0, 0, dbx.Params{"p": p.Id})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out = append(out, Assigned{Kind: "milestone", ID: m.Id, Project: p.Id, Title: p.GetString("title") + "：" + m.GetString("title"),
				Status: "open", Due: chinatime.Date(m.GetDateTime("due").Time()), Overdue: m.GetBool("overdue"),
				Escalation: m.GetString("escalation")})
		}
	}
	return out, nil
}
