package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// bindMeetings wires meetings (会议, R10): attendance defaults, follow-up
// tasks tracked to done, and check-in by signed QR (meetings_checkin.go).
func bindMeetings(app core.App) {
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
