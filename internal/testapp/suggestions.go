package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// ResidentPhone is the phone of the resident who wrote suggestion_a.
const ResidentPhone = "13912345678"

// ResidentName is the name of the resident who wrote suggestion_a.
const ResidentName = "陈秀兰"

// Suggestions: IDs["suggestion_a"] (Deputy, received, with the resident's name
// and phone), IDs["suggestion_a_answered"] (Deputy, answered) and
// IDs["suggestion_b"] (Deputy2, received); IDs["tracking_…"] hold their
// tracking codes.
func seedSuggestions(app core.App, f *Fixture) error {
	col := mustCollection(app, "suggestions")
	now := time.Now().UTC()
	rows := []struct {
		key, deputy, status, reply, name, phone string
	}{
		{"suggestion_a", f.Deputy, "received", "", ResidentName, ResidentPhone},
		{"suggestion_a_answered", f.Deputy, "answered", "已联系村委会，下周修好路灯。", "", ""},
		{"suggestion_b", f.Deputy2, "received", "", "", ""},
	}
	for _, row := range rows {
		r := core.NewRecord(col)
		r.Set("source", "qr")
		r.Set("deputy", row.deputy)
		r.Set("category", "道路交通")
		r.Set("content", "村口路灯坏了三个月，晚上出行不安全。")
		r.Set("received_at", InThisYear(now.Add(-time.Hour)))
		r.Set("status", row.status)
		r.Set("reply", row.reply)
		r.Set("resident_name", row.name)
		r.Set("resident_phone", row.phone)
		r.Set("consent", row.phone != "")
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[row.key] = r.Id
		f.IDs["tracking_"+row.key[len("suggestion_"):]] = r.GetString("tracking")
	}
	return nil
}
