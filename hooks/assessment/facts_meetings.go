package assessment

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
	"simeng/vocab"
)

var attendanceLabels = map[string]string{"present": "出席", "leave": "请假", "absent": "无故缺席"}

// meetingActivityKinds count as 主席团活动 (the activities item); the other
// kinds count as meetings attended, and congress sessions also feed the
// attendance item through leave and absence.
var meetingActivityKinds = map[string]bool{"presidium": true, "party_committee": true, "inquiry": true}

// congressUnrecorded is why the attendance item is not scored in a year
// without a registered congress session: attendance is scored only against
// sessions that were recorded.
const congressUnrecorded = "本年度未登记人代会出席情况（没有已召开并登记出席的人代会）"

var meetingsSource = factSource{
	name: "会议签到",
	metrics: []string{scoring.MetricCongressHalfdays, scoring.MetricCongressLeaveHalfdays, scoring.MetricCongressAbsences,
		scoring.MetricMeetingsAttended, scoring.MetricActivities},
	recorded: meetingsRecorded,
	reasons: map[string]string{
		scoring.MetricCongressHalfdays:      congressUnrecorded,
		scoring.MetricCongressLeaveHalfdays: congressUnrecorded,
		scoring.MetricCongressAbsences:      congressUnrecorded,
		scoring.MetricMeetingsAttended:      "本年度未登记会议培训的签到",
	},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"meeting_attendance": attendanceTouches,
		"meetings":           meetingTouches,
	},
	gather:  gatherMeetings,
	entries: meetingEntries,
}

func attendanceTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	m, err := app.FindRecordById("meetings", r.GetString("meeting"))
	if err != nil {
		return nil, nil // the meeting is gone: its own hook covers its attendees
	}
	return []deputyYear{{r.GetString("deputy"), yearOf(m.GetDateTime("starts_at"))}}, nil
}

func meetingTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	var deputies []string
	err := app.DB().Select("deputy").From("meeting_attendance").
		Where(dbx.HashExp{"meeting": r.Id}).Column(&deputies)
	if err != nil {
		return nil, err
	}
	year := yearOf(r.GetDateTime("starts_at"))
	out := make([]deputyYear, len(deputies))
	for i, d := range deputies {
		out[i] = deputyYear{d, year}
	}
	return out, nil
}

type attendanceRow struct {
	ID       string  `db:"id"`
	Deputy   string  `db:"deputy"`
	Status   string  `db:"status"`
	HalfDays float64 `db:"half_days"`
	Kind     string  `db:"kind"`
	Title    string  `db:"title"`
	StartsAt string  `db:"starts_at"`
	Place    string  `db:"place"`
	Reason   string  `db:"leave_reason"`
	Length   float64 `db:"length"`
}

func attendanceRows(app core.App, span yearSpan, deputy string) ([]attendanceRow, error) {
	q := app.DB().Select("a.id", "a.deputy", "a.status", "a.half_days", "a.leave_reason",
		"m.kind", "m.title", "m.starts_at", "m.place", "MAX(m.half_days, 1) AS length").
		From("meeting_attendance a").
		InnerJoin("meetings m", dbx.NewExp("m.id = a.meeting")).
		Where(dbx.NewExp("m.starts_at >= {:from} AND m.starts_at < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"a.deputy": deputy})
	}
	var rows []attendanceRow
	return rows, q.All(&rows)
}

func gatherMeetings(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := attendanceRows(app, span, deputy)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Kind == "congress_session" {
			// the session is one of the deputy's cases, whatever happened
			sheet.add(r.Deputy, scoring.MetricCongressHalfdays, r.Length, r.ID)
		}
		switch {
		case r.Kind == "congress_session" && r.Status == "leave":
			sheet.add(r.Deputy, scoring.MetricCongressLeaveHalfdays, r.HalfDays, r.ID)
		case r.Kind == "congress_session" && r.Status == "absent":
			sheet.add(r.Deputy, scoring.MetricCongressAbsences, r.HalfDays, r.ID)
		case r.Status != "present":
			// leave or absence from other meetings costs nothing but earns nothing
		case meetingActivityKinds[r.Kind]:
			sheet.add(r.Deputy, scoring.MetricActivities, 1, r.ID)
		default:
			sheet.add(r.Deputy, scoring.MetricMeetingsAttended, 1, r.ID)
		}
	}
	return nil
}

// meetingsRecorded: a congress session counts as recorded once it has a
// register (any attendance row); the other metrics once anyone was present.
func meetingsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	exists := func(where string) (bool, error) {
		var n int
		err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting" +
			" WHERE m.starts_at >= {:from} AND m.starts_at < {:to} AND " + where + ")").
			Bind(dbx.Params{"from": span.from, "to": span.to}).Row(&n)
		return n == 1, err
	}
	congress, err := exists("m.kind = 'congress_session'")
	if err != nil {
		return nil, err
	}
	activity, err := exists("a.status = 'present' AND m.kind IN ('presidium', 'party_committee', 'inquiry')")
	if err != nil {
		return nil, err
	}
	other, err := exists("a.status = 'present' AND m.kind NOT IN ('congress_session', 'presidium', 'party_committee', 'inquiry')")
	if err != nil {
		return nil, err
	}
	return map[string]bool{scoring.MetricCongressHalfdays: congress, scoring.MetricCongressLeaveHalfdays: congress,
		scoring.MetricCongressAbsences: congress, scoring.MetricActivities: activity, scoring.MetricMeetingsAttended: other}, nil
}

func meetingEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := attendanceRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, 0, len(rows))
	for _, r := range rows {
		detail := attendanceLabels[r.Status]
		if r.Status != "present" && r.HalfDays > 0 {
			detail += fmt.Sprintf(" %g 个半天", r.HalfDays)
		}
		if r.Reason != "" {
			detail += "（" + r.Reason + "）"
		}
		out = append(out, dossierEntry{DeputyID: r.Deputy, Date: r.StartsAt, Source: "会议",
			Kind: vocab.Label(vocab.MeetingKinds, r.Kind), Title: r.Title, Detail: detail + "，" + r.Place,
			Collection: "meeting_attendance", ID: r.ID})
	}

	var tasks []struct {
		ID       string `db:"id"`
		Deputy   string `db:"owner_deputy"`
		Title    string `db:"title"`
		Owner    string `db:"owner"`
		Deadline string `db:"deadline"`
		Status   string `db:"status"`
		Overdue  bool   `db:"overdue"`
	}
	q := app.DB().Select("id", "owner_deputy", "title", "owner", "deadline", "status", "overdue").From("meeting_tasks").
		Where(dbx.NewExp("owner_deputy != '' AND deadline >= {:from} AND deadline < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"owner_deputy": deputy})
	}
	if err := q.All(&tasks); err != nil {
		return nil, err
	}
	for _, t := range tasks {
		detail := "责任单位：" + t.Owner + "，办结时限"
		if t.Overdue {
			detail += "（已逾期，已报主席团督办）"
		}
		out = append(out, dossierEntry{DeputyID: t.Deputy, Date: t.Deadline, Source: "会后督办",
			Kind: vocab.Label(vocab.TaskStatuses, t.Status), Title: t.Title, Detail: detail,
			Collection: "meeting_tasks", ID: t.ID})
	}
	return out, nil
}
