// Package meetings is the township's meetings (会议, R10): attendance with
// its defaults, the loop 会前调研—会中审议—会后督办 with follow-up tasks
// tracked to done, and check-in by a short-lived signed QR code shown on
// the meeting room's screen (screen.html, screen.js) and scanned in the PWA.
package meetings

import (
	"net/http"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Register wires meetings, attendance, tasks, check-in and the screen.
func Register(app core.App) {
	// Attendance counts in the assessment: every change is audited, by
	// whatever door (the records API here, QR check-in and the absences
	// close where they write).
	audit.Watch(app, "meeting_attendance")
	audit.Watch(app, "meetings", "title", "kind", "starts_at", "ends_at", "half_days", "expected")
	app.OnRecordValidate("meeting_attendance").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("method") == "" {
			r.Set("method", "staff")
		}
		switch r.GetString("status") {
		case "present":
			if r.GetDateTime("checked_in_at").IsZero() {
				r.Set("checked_in_at", types.NowDateTime())
			}
			r.Set("half_days", 0)
		case "leave", "absent":
			r.Set("checked_in_at", "")
			if r.GetInt("half_days") == 0 {
				r.Set("half_days", defaultMissedHalfDays(e.App, r.GetString("meeting")))
			}
		}
		return e.Next()
	})

	// 会后督办: a task is done only with its result written down; done_at is
	// the server's.
	app.OnRecordValidate("meeting_tasks").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "done" {
			if r.GetString("result") == "" {
				return validation.Errors{"result": validation.NewError("validation_required", "办结须填写办理结果")}
			}
			if r.GetDateTime("done_at").IsZero() {
				r.Set("done_at", types.NowDateTime())
			}
		} else {
			r.Set("done_at", "")
		}
		return e.Next()
	})

	bindMeetingCheckin(app)
	bindTasks(app)
	bindPlan(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/meetings/{id}/absences", recordAbsences)
		return se.Next()
	})
}

// recordAbsences closes a meeting's register (staff): every expected
// deputy with no check-in and no leave is recorded absent (无故缺席), and
// from then on QR check-in for the meeting is refused.
func recordAbsences(e *core.RequestEvent) error {
	if !access.IsOffice(e.Auth) {
		return e.ForbiddenError("只有工作人员可以登记缺席", nil)
	}
	m, err := e.App.FindRecordById("meetings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("会议不存在", nil)
	}
	var absent []string
	err = e.App.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("meeting_attendance")
		if err != nil {
			return err
		}
		for _, d := range m.GetStringSlice("expected") {
			if _, err := tx.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}",
				map[string]any{"m": m.Id, "d": d}); err == nil {
				continue
			}
			r := core.NewRecord(col)
			r.Set("meeting", m.Id)
			r.Set("deputy", d)
			r.Set("status", "absent")
			if err := tx.Save(r); err != nil {
				return err
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "absences"), Action: audit.ActionAbsences,
				Collection: "meeting_attendance", RecordID: r.Id, Changes: audit.Diff(nil, r), Reason: "关闭签到，登记无故缺席"}); err != nil {
				return err
			}
			absent = append(absent, d)
		}
		if m.GetDateTime("register_closed_at").IsZero() {
			m.Set("register_closed_at", types.NowDateTime())
			return tx.Save(m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if absent == nil {
		absent = []string{}
	}
	return e.JSON(http.StatusOK, map[string]any{"meeting": m.Id, "absent": absent})
}

// defaultMissedHalfDays: leave or absence from a congress session counts
// its whole length unless staff say otherwise; other meetings count one.
func defaultMissedHalfDays(app core.App, meetingID string) int {
	m, err := app.FindRecordById("meetings", meetingID)
	if err != nil || m.GetString("kind") != "congress_session" {
		return 1
	}
	if n := m.GetInt("half_days"); n > 0 {
		return n
	}
	return 1
}
