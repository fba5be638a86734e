package suggestions

import (
	"sync"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/workdays"
)

// calendarCache holds the working-day calendar built from lunar-go's official
// schedules plus the staff's calendar_overrides; it is rebuilt on the first
// use after an override changes.
type calendarCache struct {
	app core.App
	mu  sync.Mutex
	cal *workdays.Calendar
}

func (c *calendarCache) get() (*workdays.Calendar, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil {
		return c.cal, nil
	}
	records, err := c.app.FindAllRecords("calendar_overrides")
	if err != nil {
		return nil, err
	}
	overrides := make([]workdays.Override, 0, len(records))
	for _, r := range records {
		overrides = append(overrides, workdays.Override{
			Date: r.GetString("date"), Workday: r.GetBool("workday"), Name: r.GetString("name"),
		})
	}
	c.cal = workdays.New(overrides...)
	return c.cal, nil
}

func (c *calendarCache) reset() {
	c.mu.Lock()
	c.cal = nil
	c.mu.Unlock()
}

func bindCalendarOverrides(app core.App, desk *suggestionDesk) {
	app.OnRecordValidate("calendar_overrides").BindFunc(func(e *core.RecordEvent) error {
		o := workdays.Override{Date: e.Record.GetString("date")}
		if err := o.Validate(); err != nil {
			return validation.Errors{"date": validation.NewError("validation_invalid_date", "日期无效，格式应为 2026-10-08")}
		}
		return e.Next()
	})
	changed := func(e *core.RecordEvent) error {
		desk.cal.reset()
		if err := recomputeOpenDeadlines(e.App); err != nil {
			e.App.Logger().Error("recompute suggestion deadlines after a calendar change", "error", err)
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("calendar_overrides").BindFunc(changed)
	app.OnRecordAfterUpdateSuccess("calendar_overrides").BindFunc(changed)
	app.OnRecordAfterDeleteSuccess("calendar_overrides").BindFunc(changed)
}

// recomputeOpenDeadlines applies a corrected calendar to every suggestion
// still waiting for feedback.
func recomputeOpenDeadlines(app core.App) error {
	open, err := app.FindRecordsByFilter("suggestions", "status = 'received' || status = 'acknowledged'", "", 0, 0)
	if err != nil {
		return err
	}
	for _, r := range open {
		old := r.Original()
		r.Set("feedback_due", "") // forces setDeadlines to recompute
		err := app.RunInTransaction(func(tx core.App) error {
			if err := tx.Save(r); err != nil {
				return err
			}
			changes := audit.Diff(old, r, "ack_due", "feedback_due")
			if changes == nil {
				return nil
			}
			return audit.Write(tx, audit.Entry{Actor: audit.System("calendar_overrides"), Action: audit.ActionRecompute,
				Collection: "suggestions", RecordID: r.Id, Changes: changes, Reason: "节假日调整后重新计算期限"})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// setDeadlines fills ack_due (24 hours) and feedback_due (end of the 5th
// working day after the day received, China time) from received_at.
func setDeadlines(desk *suggestionDesk, r *core.Record) error {
	received := r.GetDateTime("received_at")
	if received.IsZero() {
		return nil
	}
	if !r.GetDateTime("feedback_due").IsZero() && r.Original() != nil &&
		r.Original().GetDateTime("received_at").Equal(received) && !r.IsNew() {
		return nil
	}
	cal, err := desk.cal.get()
	if err != nil {
		return err
	}
	at := received.Time().In(chinatime.Location())
	r.Set("ack_due", workdays.AckDue(at).UTC())
	r.Set("feedback_due", cal.FeedbackDue(at).UTC())
	return nil
}

// chinaTime formats t for residents and staff in China.
func chinaTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinatime.Location()).Format("2006年1月2日 15:04")
}
