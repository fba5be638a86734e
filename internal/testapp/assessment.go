package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// AssessmentDate is a day in the current year (15 March, Beijing time) on
// which the assessment fixtures happen.
func AssessmentDate() time.Time {
	return time.Date(time.Now().In(chinatime.Location()).Year(), 3, 15, 9, 0, 0, 0, chinatime.Location())
}

// Assessment fixtures, in F(t).IDs:
//
//	meeting_congress   congress session, 4 half-days, Deputy and Deputy2 expected
//	meeting_presidium  presidium meeting, only Presidium expected
//	activity_station   a station duty (值班接待) of Deputy
func seedAssessment(app core.App, f *Fixture) error {
	day := AssessmentDate()
	meetings := mustCollection(app, "meetings")
	for _, m := range []struct {
		key, title, kind string
		halfDays         int
		expected         []string
	}{
		{"meeting_congress", "思蒙镇第十九届人民代表大会第六次会议", "congress_session", 4, []string{f.Deputy, f.Deputy2}},
		{"meeting_presidium", "第一季度主席团会议", "presidium", 1, []string{f.Presidium}},
	} {
		r := core.NewRecord(meetings)
		r.Set("title", m.title)
		r.Set("kind", m.kind)
		r.Set("starts_at", day)
		r.Set("place", "镇政府三楼会议室")
		r.Set("half_days", m.halfDays)
		r.Set("expected", m.expected)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[m.key] = r.Id
	}
	a := core.NewRecord(mustCollection(app, "deputy_activities"))
	a.Set("deputy", f.Deputy)
	a.Set("kind", "station_duty")
	a.Set("occurred_on", day)
	a.Set("title", "思蒙湾村联络站逢九接待选民")
	if err := app.Save(a); err != nil {
		return err
	}
	f.IDs["activity_station"] = a.Id
	return nil
}
