package meetings

import (
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/roster"
)

// 会后督办 followed to the end: a task past its deadline and not done is
// flagged overdue and escalated to the presidium member paired (包联) with
// its owner deputy's village (the whole presidium when none is paired), by
// a daily job; the owner deputy reports progress (meeting_task_progress),
// which moves an open task to in progress. The flag and the escalation
// are the server's: no request body sets them.

// taskServerFields are set only by the overdue job.
var taskServerFields = []string{"overdue", "escalated_at", "escalated_to"}

func bindTasks(app core.App) {
	app.OnRecordCreateRequest("meeting_tasks").BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range taskServerFields {
			e.Record.Set(f, nil)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("meeting_tasks").BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range taskServerFields {
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
	// A task moved to a later deadline is no longer overdue until it passes.
	app.OnRecordUpdate("meeting_tasks").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetBool("overdue") && r.GetDateTime("deadline").Time().After(time.Now()) && r.GetString("status") != "done" {
			r.Set("overdue", false)
			r.Set("escalated_at", "")
			r.Set("escalated_to", "")
		}
		return e.Next()
	})

	// A progress report: its author is whoever sent it; the task it is on
	// starts moving.
	app.OnRecordCreateRequest("meeting_task_progress").BindFunc(func(e *core.RecordRequestEvent) error {
		if access.IsDeputyAccount(e.Auth) {
			e.Record.Set("author", e.Auth.Id)
		}
		e.Record.Set("note", strings.TrimSpace(e.Record.GetString("note")))
		return e.Next()
	})
	app.OnRecordCreate("meeting_task_progress").BindFunc(func(e *core.RecordEvent) error {
		tx := e.App
		task, err := tx.FindRecordById("meeting_tasks", e.Record.GetString("task"))
		if err != nil {
			return fielderr.New("task", "not_found", "督办事项不存在。")
		}
		if task.GetString("status") == "done" {
			return fielderr.New("task", "task_done", "该事项已办结，不能再报告进展。")
		}
		if err := e.Next(); err != nil {
			return err
		}
		if task.GetString("status") == "open" {
			task.Set("status", "in_progress")
			return tx.Save(task)
		}
		return nil
	})

	// 08:20 China time every day.
	app.Cron().MustAdd("meetingTasksOverdue", "20 0 * * *", func() {
		if _, err := FlagOverdueTasks(app, time.Now()); err != nil {
			app.Logger().Error("meeting tasks overdue", "error", err)
		}
	})
}

// FlagOverdueTasks flags the tasks past their deadline at now and not done,
// and escalates each once to the presidium member paired with its owner
// deputy's village. It returns how many it flagged.
func FlagOverdueTasks(app core.App, now time.Time) (int, error) {
	at := now.UTC().Format("2006-01-02 15:04:05.000Z")
	late, err := app.FindRecordsByFilter("meeting_tasks", `status != "done" && overdue = false && deadline < {:now}`,
		"deadline", 0, 0, dbx.Params{"now": at})
	if err != nil {
		return 0, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, t := range late {
			old := t.Clone()
			t.Set("overdue", true)
			if t.GetDateTime("escalated_at").IsZero() {
				t.Set("escalated_at", now.UTC())
				if d, err := tx.FindRecordById("deputies", t.GetString("owner_deputy")); err == nil {
					t.Set("escalated_to", roster.VillageLiaison(tx, d.GetString("village")))
				}
			}
			if err := tx.Save(t); err != nil {
				return err
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:meeting_tasks_overdue"), Action: audit.ActionUpdate,
				Collection: "meeting_tasks", RecordID: t.Id, Changes: audit.Diff(old, t, "overdue", "escalated_at", "escalated_to")}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(late), nil
}
