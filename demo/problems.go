package demo

import (
	"math/rand/v2"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hooks/problems"
	"simeng/workdays"
)

// The problems list (急难愁盼) followed to the end: the closed year's
// problems forwarded through 代表直通车 to the handling unit of their
// topic, answered (most on time, some late), closed, one reopened and
// closed again; this year's, and those of the last two months (the
// closed year's December in January), in every state, with forwards past
// their deadline escalated to the presidium and one listed for supervision.
// Every step goes through the lifecycle's own rules and lands on the
// timeline, then is dated when it happened.

func seedProblems(app core.App) error {
	last, this, now := demoYears()
	cal := workdays.New() // the demo has no calendar overrides
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	presidium := deputies[0]
	rng := rand.New(rand.NewPCG(2025, 13))
	list, err := app.FindRecordsByFilter("problems", "", "created", 0, 0)
	if err != nil {
		return err
	}
	for i, p := range list {
		raised := raisedAt(app, p)
		th := themeByTopic(p.GetString("category"))
		reply := answerTo(th, p.GetString("description"))
		unit := unitRecord(app, th.unit)
		w := walker{app: app, p: p}
		inFlight := chinatime.Year(raised) == this || raised.After(now.AddDate(0, 0, -60))
		switch y := chinatime.Year(raised); {
		case y == last && !inFlight:
			fwd := raised.AddDate(0, 0, 3)
			answered := deadline.Due(cal, fwd, 8).Add(-6 * time.Hour) // on time
			if i%6 == 2 {
				answered = deadline.Due(cal, fwd, 22).Add(-6 * time.Hour) // a week past the deadline
			}
			if !w.forward(presidium, th.unit, unit, fwd) || !w.answer(unit, reply, answered) || !w.close(presidium, answered.AddDate(0, 0, 4)) {
				return w.err
			}
			if i%9 == 4 { // the resident was not satisfied: reopened, answered again, closed
				again := answered.AddDate(0, 0, 10)
				if !w.reopen(presidium, "群众反映问题仍未解决", again) || !w.forward(presidium, th.unit, unit, again.AddDate(0, 0, 1)) ||
					!w.answer(unit, "已二次处理并回访，群众表示满意。", deadline.Due(cal, again, 6)) || !w.close(presidium, deadline.Due(cal, again, 8)) {
					return w.err
				}
			}
		case inFlight:
			switch i % 5 {
			case 0: // still open: the presidium has it on its list
			case 1: // forwarded, within its deadline
				if !w.forward(presidium, th.unit, unit, maxTime(raised, now.AddDate(0, 0, -3))) {
					return w.err
				}
			case 2: // forwarded weeks ago and not answered: overdue
				if !w.forward(presidium, th.unit, unit, minTime(raised.AddDate(0, 0, 2), now.AddDate(0, 0, -25-rng.IntN(20)))) {
					return w.err
				}
			case 3: // answered, waiting to be closed
				fwd := minTime(raised.AddDate(0, 0, 2), now.AddDate(0, 0, -10))
				if !w.forward(presidium, th.unit, unit, fwd) || !w.answer(unit, reply, minTime(deadline.Due(cal, fwd, 5), now.Add(-time.Hour))) {
					return w.err
				}
			case 4:
				fwd := minTime(raised.AddDate(0, 0, 2), now.AddDate(0, 0, -20))
				answered := minTime(deadline.Due(cal, fwd, 7), now.AddDate(0, 0, -2))
				if !w.forward(presidium, th.unit, unit, fwd) || !w.answer(unit, reply, answered) || !w.close(presidium, answered.Add(24*time.Hour)) {
					return w.err
				}
				if i%10 == 9 {
					if !w.reopen(presidium, "回访发现仍有两户未解决", answered.Add(48*time.Hour)) {
						return w.err
					}
				}
			}
		}
	}
	_, err = problems.FlagOverdue(app, now)
	return err
}

// walker takes a problem through its steps, each as the rules allow, and
// dates it when it happened.
type walker struct {
	app core.App
	p   *core.Record
	err error
}

func (w *walker) step(by *core.Record, at time.Time, fields map[string]any, stamps ...string) bool {
	if w.err != nil {
		return false
	}
	for k, v := range fields {
		w.p.Set(k, v)
	}
	if w.err = problems.SaveAs(w.app, w.p, by); w.err != nil {
		return false
	}
	// Date the step when it happened: the stamps the rules set, and the
	// timeline entry it wrote.
	for _, f := range stamps {
		w.p.Set(f, at.UTC())
	}
	if w.err = w.app.SaveNoValidate(w.p); w.err != nil {
		return false
	}
	return w.dateLastEvent("at", at, "")
}

// dateLastEvent sets field of the problem's latest timeline entry (of
// action, if given) to t.
func (w *walker) dateLastEvent(field string, t time.Time, action string) bool {
	d, _ := types.ParseDateTime(t)
	where := "problem = {:p}"
	if action != "" {
		where += " AND action = {:a}"
	}
	_, w.err = w.app.DB().NewQuery("UPDATE problem_events SET " + field + " = {:d} WHERE id = (SELECT id FROM problem_events WHERE " +
		where + " ORDER BY at DESC, rowid DESC LIMIT 1)").Bind(dbx.Params{"d": d.String(), "p": w.p.Id, "a": action}).Execute()
	return w.err == nil
}

func (w *walker) forward(by *core.Record, name string, unit *core.Record, at time.Time) bool {
	fields := map[string]any{"status": "forwarded", "forwarded_to": name}
	if unit != nil && w.p.Collection().Fields.GetByName("unit") != nil {
		fields["unit"] = unit.Id
	}
	if !w.step(by, at, fields, "forwarded_at") {
		return false
	}
	due := problemsDeadline(w.app, at)
	w.p.Set("deadline", due.UTC())
	if w.err = w.app.SaveNoValidate(w.p); w.err != nil {
		return false
	}
	return w.dateLastEvent("deadline", due, "forward")
}

func (w *walker) answer(by *core.Record, reply string, at time.Time) bool {
	return w.step(by, at, map[string]any{"status": "answered", "reply": reply}, "answered_at")
}

func (w *walker) close(by *core.Record, at time.Time) bool {
	return w.step(by, at, map[string]any{"status": "closed"}, "closed_at")
}

func (w *walker) reopen(by *core.Record, reason string, at time.Time) bool {
	return w.step(by, at, map[string]any{"status": "open", "reopen_reason": reason})
}

// problemsDeadline is the deadline of a forward at at (15 working days,
// the default setting).
func problemsDeadline(_ core.App, at time.Time) time.Time {
	return deadline.Due(workdays.New(), at, 15)
}

// raisedAt is when the problem was raised: the visit's time, or the
// suggestion's.
func raisedAt(app core.App, p *core.Record) time.Time {
	switch p.GetString("source") {
	case problems.FromVisit:
		if v, err := app.FindRecordById("visits", p.GetString("source_id")); err == nil {
			return v.GetDateTime("visited_at").Time()
		}
	case problems.FromSuggestion:
		if s, err := app.FindRecordById("suggestions", p.GetString("source_id")); err == nil {
			return s.GetDateTime("received_at").Time().Add(36 * time.Hour)
		}
	}
	return p.GetDateTime("created").Time()
}

func themeByTopic(topic string) theme {
	for _, t := range themes {
		if t.topic == topic {
			return t
		}
	}
	return themes[0]
}

// unitRecord is the handling unit's account, or nil (no unit accounts).
func unitRecord(app core.App, name string) *core.Record {
	if u, err := app.FindFirstRecordByData("units", "name", name); err == nil {
		return u
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
