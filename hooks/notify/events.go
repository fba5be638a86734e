package notify

import (
	"fmt"
	"slices"
	"time"

	"github.com/6tail/lunar-go/calendar"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	nt "simeng/notify"
	"simeng/vocab"
	"simeng/workdays"
)

// Cron schedules (the cron ticks in UTC; China time is UTC+8).
const (
	remindersCron = "*/10 * * * *" // suggestion reminders, every 10 minutes
	deadlinesCron = "10 0 * * *"   // 08:10 China time: deadlines soon and passed
	dayBeforeCron = "0 8 * * *"    // 16:00 China time: tomorrow's meetings and station duty
	paceCron      = "0 1 1 * *"    // 09:00 China time on the 1st: the monthly pace reminder
)

// soonWorkdays: a deadline within this many working days is "soon".
const soonWorkdays = 2

// bindEvents turns what happens in the other capabilities into messages.
// Record events are queued in the transaction of the change; scheduled
// reminders check their condition when they run, and the dedupe key makes
// each of them one message however often the job runs.
func bindEvents(app core.App) {
	app.OnRecordCreateExecute("suggestions").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return enqueueLogged(e.App, suggestionCreated(e.Record))
	})
	app.OnRecordUpdateExecute("suggestions").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return enqueueLogged(e.App, suggestionChanged(e.App, e.Record))
	})
	app.OnRecordCreateExecute("bookings").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return enqueueLogged(e.App, bookingCreated(e.App, e.Record))
	})
	bindUnitEvents(app)
	app.Cron().MustAdd("notify_reminders", remindersCron, func() { runJob(app, "reminders", RunReminders) })
	app.Cron().MustAdd("notify_deadlines", deadlinesCron, func() { runJob(app, "deadlines", RunDeadlines) })
	app.Cron().MustAdd("notify_day_before", dayBeforeCron, func() { runJob(app, "day before", RunDayBefore) })
	app.Cron().MustAdd("notify_pace", paceCron, func() { runJob(app, "pace", RunPace) })
}

// enqueueLogged queues msgs for a change under way; a message that cannot
// be queued is logged, never a reason to refuse the change itself.
func enqueueLogged(app core.App, msgs []nt.Message) error {
	if err := Enqueue(app, msgs...); err != nil {
		app.Logger().Error("notify: enqueue", "error", err)
	}
	return nil
}

func runJob(app core.App, name string, job func(core.App, time.Time) error) {
	if err := job(app, time.Now()); err != nil {
		app.Logger().Error("notify: "+name, "error", err)
	}
}

// both is m on in-app and SMS.
func both(m nt.Message) []nt.Message {
	s := m
	s.Channel = nt.SMS
	m.Channel = nt.InApp
	return []nt.Message{m, s}
}

// minute is t as people read it in China: 2025-06-01 09:30.
func minute(t time.Time) string { return chinatime.In(t).Format("2006-01-02 15:04") }

func day(t time.Time) string { return chinatime.In(t).Format("2006-01-02") }

func suggestionCreated(r *core.Record) []nt.Message {
	if r.GetString("moderation") == "spam" {
		return nil
	}
	var msgs []nt.Message
	// A deputy who recorded it (a visit, a reception at the station) knows.
	if dep := r.GetString("deputy"); dep != "" && r.GetString("source") != "station" && r.GetString("source") != "visit" {
		msgs = append(msgs, both(nt.Message{
			EventKey: nt.EventKey(nt.TplSuggestionNew, r.Id), Recipient: dep, Template: nt.TplSuggestionNew,
			Params: map[string]string{"category": r.GetString("category"), "due": minute(r.GetDateTime("ack_due").Time()),
				"source": vocab.Label(vocab.SuggestionSources, r.GetString("source")), "link": "#/suggestions"},
		})...)
	}
	if r.GetBool("consent") && r.GetString("resident_phone") != "" {
		msgs = append(msgs, nt.Message{EventKey: nt.EventKey(nt.TplResidentReceipt, r.Id), Recipient: ResidentRecipient(r.Id),
			Channel: nt.SMS, Template: nt.TplResidentReceipt, Params: map[string]string{"tracking": r.GetString("tracking")}})
	}
	return msgs
}

var answeredStatuses = []string{"answered", "transferred", "closed"}

func suggestionChanged(app core.App, r *core.Record) []nt.Message {
	old := r.Original()
	var msgs []nt.Message
	if r.GetString("escalated_to") != "" && old.GetDateTime("escalated_at").IsZero() && !r.GetDateTime("escalated_at").IsZero() {
		stage := "回应"
		if r.GetBool("feedback_overdue") {
			stage = "反馈"
		}
		params := map[string]string{"village": recordName(app, "villages", r.GetString("village")), "stage": stage,
			"deputy": recordName(app, "deputies", r.GetString("deputy")), "category": r.GetString("category"), "link": "#/suggestions"}
		key := nt.EventKey(nt.TplEscalation, r.Id, stage)
		msgs = append(msgs, both(nt.Message{EventKey: key, Recipient: r.GetString("escalated_to"), Template: nt.TplEscalation, Params: params})...)
		msgs = append(msgs, nt.Message{EventKey: key, Recipient: OfficeRobot, Channel: nt.WeCom, Template: nt.TplEscalation, Params: params})
	}
	st := r.GetString("status")
	if slices.Contains(answeredStatuses, st) && !slices.Contains(answeredStatuses, old.GetString("status")) &&
		r.GetBool("consent") && r.GetString("resident_phone") != "" {
		msgs = append(msgs, nt.Message{EventKey: nt.EventKey(nt.TplResidentAnswered, r.Id), Recipient: ResidentRecipient(r.Id),
			Channel: nt.SMS, Template: nt.TplResidentAnswered, Params: map[string]string{"tracking": r.GetString("tracking")}})
	}
	return msgs
}

func bookingCreated(app core.App, r *core.Record) []nt.Message {
	dep := r.GetString("deputy")
	if dep == "" || r.GetString("status") != "booked" {
		return nil
	}
	return both(nt.Message{
		EventKey: nt.EventKey(nt.TplBookingNew, r.Id), Recipient: dep, Template: nt.TplBookingNew,
		Params: map[string]string{"when": r.GetString("date"), "place": recordName(app, "stations", r.GetString("station")), "link": "#/station"},
	})
}

// recordName is a record's name field, "" when it is not found.
func recordName(app core.App, col, id string) string {
	if id == "" {
		return ""
	}
	r, err := app.FindRecordById(col, id)
	if err != nil {
		return ""
	}
	return r.GetString("name")
}

// loadCalendar is the working-day calendar with the staff's overrides.
func loadCalendar(app core.App) (*workdays.Calendar, error) {
	records, err := app.FindAllRecords("calendar_overrides")
	if err != nil {
		return nil, err
	}
	overrides := make([]workdays.Override, 0, len(records))
	for _, r := range records {
		overrides = append(overrides, workdays.Override{Date: r.GetString("date"), Workday: r.GetBool("workday"), Name: r.GetString("name")})
	}
	return workdays.New(overrides...), nil
}

// RunReminders queues the suggestion reminders due at now: the 24-hour
// acknowledgement reminder at 20 hours (pulled before 21:00 when it would
// fall at night) and the feedback reminder at 09:00 the working day before
// feedback is due.
func RunReminders(app core.App, now time.Time) error {
	cal, err := loadCalendar(app)
	if err != nil {
		return err
	}
	at := now.UTC().Format("2006-01-02 15:04:05.000Z")
	open, err := app.FindRecordsByFilter("suggestions",
		`moderation != "spam" && deputy != "" && (status = "received" || status = "acknowledged") && feedback_due > {:now}`,
		"", 0, 0, dbx.Params{"now": at})
	if err != nil {
		return err
	}
	var msgs []nt.Message
	for _, r := range open {
		params := map[string]string{"category": r.GetString("category"), "link": "#/suggestions"}
		ackDue := r.GetDateTime("ack_due").Time()
		if r.GetString("status") == "received" && !ackDue.IsZero() && now.Before(ackDue) &&
			!now.Before(nt.RemindAt(r.GetDateTime("received_at").Time(), ackDue, 4*time.Hour, nt.NightQuiet)) {
			p := clone(params)
			p["due"] = minute(ackDue)
			msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplAckReminder, r.Id), Recipient: r.GetString("deputy"),
				Template: nt.TplAckReminder, Params: p, NotAfter: ackDue})...)
		}
		fbDue := r.GetDateTime("feedback_due").Time()
		if !now.Before(nt.WorkdayBefore(fbDue, cal.IsWorkday, 9, 0)) {
			p := clone(params)
			p["due"] = minute(fbDue)
			msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplFeedbackReminder, r.Id, day(fbDue)), Recipient: r.GetString("deputy"),
				Template: nt.TplFeedbackReminder, Params: p, NotAfter: fbDue})...)
		}
	}
	return Enqueue(app, msgs...)
}

func clone(m map[string]string) map[string]string {
	c := make(map[string]string, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	return c
}

// deadlineItem is a thing with a deadline and those who answer for it.
type deadlineItem struct {
	id, kind, title, link string
	owners                []string
	deadline              time.Time
}

// deadlineItems lists what is open with a deadline, from the capabilities'
// collections: hazards (to the deputy who follows them and the unit that
// rectifies), meeting tasks (to their deputy), proposals waiting for their
// reply (to the 主办 unit), problems forwarded to a unit (急难愁盼, to the
// unit), rectification items of issued supervision reports and milestones of the
// 民生实事 projects not done (to the responsible unit).
func deadlineItems(app core.App) ([]deadlineItem, error) {
	var items []deadlineItem
	add := func(col, filter string, each func(*core.Record) deadlineItem) error {
		recs, err := app.FindRecordsByFilter(col, filter, "", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range recs {
			it := each(r)
			it.id = r.Id
			items = append(items, it)
		}
		return nil
	}
	deadline := func(r *core.Record, field string) time.Time { return r.GetDateTime(field).Time() }
	steps := []struct {
		col, filter string
		each        func(*core.Record) deadlineItem
	}{
		{"hazards", `status != "rectified" && status != "verified" && status != "closed" && (deputy != "" || unit != "")`, func(h *core.Record) deadlineItem {
			link := "#/ledger"
			if h.GetString("deputy") == "" {
				link = unitLink
			}
			return deadlineItem{kind: kindHazard, title: h.GetString("title"), owners: []string{h.GetString("deputy"), h.GetString("unit")},
				deadline: deadline(h, "deadline"), link: link}
		}},
		{"meeting_tasks", `status != "done" && owner_deputy != ""`, func(t *core.Record) deadlineItem {
			return deadlineItem{kind: kindTask, title: t.GetString("title"), owners: []string{t.GetString("owner_deputy")}, deadline: deadline(t, "deadline"), link: "#/tasks"}
		}},
		{"proposals", `status = "assigned" && main_unit != "" && deadline != ""`, func(p *core.Record) deadlineItem {
			return deadlineItem{kind: kindProposal, title: p.GetString("title"), owners: []string{p.GetString("main_unit")}, deadline: deadline(p, "deadline"), link: unitLink}
		}},
		{"problems", `status = "forwarded" && unit != "" && deadline != ""`, func(p *core.Record) deadlineItem {
			return deadlineItem{kind: kindProblem, title: p.GetString("description"), owners: []string{p.GetString("unit")}, deadline: deadline(p, "deadline"), link: unitLink}
		}},
		{"rectification_items", `(status = "open" || status = "rectifying") && unit != "" && report.status = "issued"`, func(r *core.Record) deadlineItem {
			return deadlineItem{kind: kindRectification, title: r.GetString("problem_text"), owners: []string{r.GetString("unit")}, deadline: deadline(r, "deadline"), link: unitLink}
		}},
	}
	for _, st := range steps {
		if err := add(st.col, st.filter, st.each); err != nil {
			return nil, err
		}
	}
	// Milestones answer through their project's unit.
	projects := map[string]*core.Record{}
	milestones, err := app.FindRecordsByFilter("project_milestones", `done_at = ""`, "", 0, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range milestones {
		pid := m.GetString("project")
		p, ok := projects[pid]
		if !ok {
			p, _ = app.FindRecordById("projects", pid)
			projects[pid] = p
		}
		if p == nil || p.GetString("unit") == "" || (p.GetString("status") != "chosen" && p.GetString("status") != "in_progress") {
			continue
		}
		items = append(items, deadlineItem{id: m.Id, kind: kindMilestone, title: p.GetString("title") + "：" + m.GetString("title"),
			owners: []string{p.GetString("unit")}, deadline: deadline(m, "due"), link: unitLink})
	}
	return items, nil
}

// RunDeadlines queues the deadline messages of the day: what is due within
// soonWorkdays working days (deadline_soon) or past (deadline_passed, also
// to the office robot), to each who answers for it (deadlineItems). The
// key holds the deadline's date: an extended deadline is a new event.
func RunDeadlines(app core.App, now time.Time) error {
	cal, err := loadCalendar(app)
	if err != nil {
		return err
	}
	items, err := deadlineItems(app)
	if err != nil {
		return err
	}
	soonLimit := cal.AddWorkdays(chinatime.In(now), soonWorkdays)
	var msgs []nt.Message
	for _, it := range items {
		if it.deadline.IsZero() {
			continue
		}
		params := map[string]string{"kind": it.kind, "title": itemTitle(it.title), "due": day(it.deadline), "link": it.link}
		switch {
		case now.After(it.deadline):
			key := nt.EventKey(nt.TplDeadlinePassed, it.id, day(it.deadline))
			msgs = append(msgs, toEach(nt.Message{EventKey: key, Template: nt.TplDeadlinePassed, Params: params}, it.owners...)...)
			msgs = append(msgs, nt.Message{EventKey: key, Recipient: OfficeRobot, Channel: nt.WeCom, Template: nt.TplDeadlinePassed, Params: params})
		case day(it.deadline) <= day(soonLimit):
			msgs = append(msgs, toEach(nt.Message{EventKey: nt.EventKey(nt.TplDeadlineSoon, it.id, day(it.deadline)),
				Template: nt.TplDeadlineSoon, Params: params, NotAfter: it.deadline}, it.owners...)...)
		}
	}
	return Enqueue(app, msgs...)
}

// RunDayBefore queues tomorrow's reminders (China dates): the meeting
// reminder to those expected who did not ask for leave, and the station
// duty reminder to the deputies on duty.
func RunDayBefore(app core.App, now time.Time) error {
	tomorrow := chinatime.In(now).AddDate(0, 0, 1)
	from := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 0, 0, 0, 0, chinatime.Location())
	to := from.AddDate(0, 0, 1)
	meetings, err := app.FindRecordsByFilter("meetings", `starts_at >= {:from} && starts_at < {:to}`, "", 0, 0,
		dbx.Params{"from": from.UTC().Format("2006-01-02 15:04:05.000Z"), "to": to.UTC().Format("2006-01-02 15:04:05.000Z")})
	if err != nil {
		return err
	}
	var msgs []nt.Message
	for _, m := range meetings {
		onLeave := map[string]bool{}
		att, err := app.FindRecordsByFilter("meeting_attendance", `meeting = {:m} && status = "leave"`, "", 0, 0, dbx.Params{"m": m.Id})
		if err != nil {
			return err
		}
		for _, a := range att {
			onLeave[a.GetString("deputy")] = true
		}
		start := m.GetDateTime("starts_at").Time()
		params := map[string]string{"meeting": m.GetString("title"), "start": minute(start), "place": m.GetString("place"), "link": "#/meetings"}
		for _, dep := range m.GetStringSlice("expected") {
			if onLeave[dep] {
				continue
			}
			msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplMeetingReminder, m.Id, day(start)), Recipient: dep,
				Template: nt.TplMeetingReminder, Params: params, NotAfter: start})...)
		}
	}
	date := from.Format(chinatime.DateLayout)
	duties, err := app.FindRecordsByFilter("station_duties", `date = {:d} && status = "rostered"`, "", 0, 0, dbx.Params{"d": date})
	if err != nil {
		return err
	}
	for _, d := range duties {
		msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplMarketDuty, d.GetString("deputy"), date), Recipient: d.GetString("deputy"),
			Template: nt.TplMarketDuty, Params: map[string]string{"date": date, "lunar": lunarDay(from), "link": "#/station"}, NotAfter: to})...)
	}
	return Enqueue(app, msgs...)
}

func lunarDay(t time.Time) string {
	l := calendar.NewLunarFromSolar(calendar.NewSolarFromYmd(t.Year(), int(t.Month()), t.Day()))
	return l.GetMonthInChinese() + "月" + l.GetDayInChinese()
}

// RunPace queues the monthly pace reminder to the deputies flagged behind
// the 12-households pace in the month that just ended.
func RunPace(app core.App, now time.Time) error {
	prev := chinatime.PrevMonthStart(now)
	flags, err := app.FindRecordsByFilter("visit_pace_flags", `year = {:y} && month = {:m}`, "", 0, 0,
		dbx.Params{"y": prev.Year(), "m": int(prev.Month())})
	if err != nil {
		return err
	}
	var msgs []nt.Message
	for _, f := range flags {
		if !slices.Contains(f.GetStringSlice("reasons"), "households_behind") {
			continue
		}
		month := fmt.Sprintf("%d-%02d", prev.Year(), int(prev.Month()))
		msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplPaceReminder, f.GetString("deputy"), month), Recipient: f.GetString("deputy"),
			Template: nt.TplPaceReminder, Params: map[string]string{"done": fmt.Sprint(f.GetInt("households")), "expected": fmt.Sprint(f.GetInt("expected")), "link": "#/progress"}})...)
	}
	return Enqueue(app, msgs...)
}
