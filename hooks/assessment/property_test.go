package assessment_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
)

// A random sequence of creates, updates and deletes on every record the
// assessment reads, some inside transactions that roll back, leaves the
// incrementally kept scores exactly equal to a full recompute.
func TestIncrementalScoresEqualFullRecompute(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			app := testapp.New(t)
			p := newPropertyRun(t, app, seed)
			for step := 1; step <= 120; step++ {
				p.step()
				if p.rnd.IntN(4) == 0 {
					// the worker runs between writes: what it keeps in
					// memory must follow every later write
					assessment.Flush(app)
				}
				if step%40 == 0 {
					p.checkAgainstFull(step)
				}
			}
		})
	}
}

type propertyRun struct {
	t          *testing.T
	app        core.App
	rnd        *rand.Rand
	deputies   []string
	years      []int
	households []string // households to visit
	rosters    []string // a published and a draft roster of a station, over the years
}

func newPropertyRun(t *testing.T, app core.App, seed uint64) *propertyRun {
	f := testapp.F(t)
	y := testapp.AssessmentDate().Year()
	p := &propertyRun{t: t, app: app, rnd: rand.New(rand.NewPCG(seed, 7)),
		deputies: []string{f.Deputy, f.Deputy2, f.Presidium, f.Inactive}, years: []int{y - 1, y}}
	for i := range 4 {
		p.households = append(p.households, saveHousehold(t, app, f.Deputy, f.VillageA, 90+i))
	}
	for _, status := range []string{"published", "draft"} {
		col, _ := app.FindCollectionByNameOrId("station_rosters")
		r := core.NewRecord(col)
		r.Load(map[string]any{"station": f.IDs["station"], "first_day": fmt.Sprintf("%d-01-01", y-1), "last_day": fmt.Sprintf("%d-12-31", y), "status": status})
		p.save(r)
		p.rosters = append(p.rosters, r.Id)
	}
	return p
}

func (p *propertyRun) pick(xs []string) string { return xs[p.rnd.IntN(len(xs))] }

// recordedKinds are typed kinds whose records the fixture township keeps
// for the current year (proposals, chosen projects): typed rows of them
// are refused there (facts_recorded.go), so they go to the year before.
var recordedKinds = []string{"proposal", "golden_idea", "project_tracking", "project_evaluation"}

// dateFor is a date in one of the years that a typed row of kind accepts.
func (p *propertyRun) dateFor(kind string) time.Time {
	d := p.date()
	if slices.Contains(recordedKinds, kind) && d.In(chinatime.Location()).Year() == p.years[len(p.years)-1] {
		return d.AddDate(-1, 0, 0)
	}
	return d
}

// date returns a time in one of the years, often at the edges of the year in
// Beijing time, where UTC and local years differ.
func (p *propertyRun) date() time.Time {
	loc := chinatime.Location()
	y := p.years[p.rnd.IntN(len(p.years))]
	switch p.rnd.IntN(4) {
	case 0:
		return time.Date(y, 1, 1, 0, 30, 0, 0, loc) // still the previous year in UTC
	case 1:
		return time.Date(y, 12, 31, 23, 30, 0, 0, loc)
	default:
		return time.Date(y, time.Month(1+p.rnd.IntN(12)), 1+p.rnd.IntN(28), 10, 0, 0, 0, loc)
	}
}

func (p *propertyRun) random(collection string) *core.Record {
	rows, err := p.app.FindAllRecords(collection)
	if err != nil {
		p.t.Fatal(err)
	}
	if len(rows) == 0 {
		return nil
	}
	return rows[p.rnd.IntN(len(rows))]
}

func (p *propertyRun) save(r *core.Record) {
	if err := p.app.Save(r); err != nil {
		p.t.Fatalf("save %s: %v", r.Collection().Name, err)
	}
}

var errRollback = errors.New("rollback")

func (p *propertyRun) step() {
	app := p.app
	kinds := []string{"station_duty", "report_to_voters", "proposal", "golden_idea", "commendation_town",
		"commendation_county", "project_tracking", "project_evaluation", "supervision_activity"}
	meetingKinds := []string{"congress_session", "presidium", "party_committee", "training", "wuchang", "inquiry"}
	statuses := []string{"present", "leave", "absent"}
	switch op := p.rnd.IntN(18); op {
	case 0, 1: // new activity
		col, _ := app.FindCollectionByNameOrId("deputy_activities")
		r := core.NewRecord(col)
		kind := p.pick(kinds)
		r.Load(map[string]any{"deputy": p.pick(p.deputies), "kind": kind, "occurred_on": p.dateFor(kind), "title": "事项"})
		p.save(r)
	case 2: // edit an activity: another deputy, kind or year
		if r := p.random("deputy_activities"); r != nil {
			switch p.rnd.IntN(3) {
			case 0:
				r.Set("deputy", p.pick(p.deputies))
			case 1:
				kind := p.pick(kinds)
				r.Set("kind", kind)
				r.Set("occurred_on", p.dateFor(kind))
			default:
				r.Set("occurred_on", p.dateFor(r.GetString("kind")))
			}
			p.save(r)
		}
	case 3: // new meeting
		col, _ := app.FindCollectionByNameOrId("meetings")
		r := core.NewRecord(col)
		r.Load(map[string]any{"title": "会议", "kind": p.pick(meetingKinds), "starts_at": p.date(), "place": "镇政府", "half_days": 1 + p.rnd.IntN(4)})
		p.save(r)
	case 4, 5: // attendance: new, or a changed status
		m := p.random("meetings")
		if m == nil {
			return
		}
		d := p.pick(p.deputies)
		r, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": m.Id, "d": d})
		if err != nil {
			col, _ := app.FindCollectionByNameOrId("meeting_attendance")
			r = core.NewRecord(col)
			r.Load(map[string]any{"meeting": m.Id, "deputy": d})
		}
		r.Set("status", p.pick(statuses))
		r.Set("half_days", p.rnd.IntN(3))
		p.save(r)
	case 6: // a meeting moves to another kind or date: all its attendees change
		if r := p.random("meetings"); r != nil {
			if p.rnd.IntN(2) == 0 {
				r.Set("kind", p.pick(meetingKinds))
			} else {
				r.Set("starts_at", p.date())
			}
			p.save(r)
		}
	case 7: // delete something; a meeting takes its attendance with it
		c := p.pick([]string{"deputy_activities", "meeting_attendance", "meetings"})
		if r := p.random(c); r != nil && !p.holdsVote(r) {
			if err := app.Delete(r); err != nil {
				p.t.Fatal(err)
			}
		}
	case 8: // a batch that fails half-way leaves no trace, score included
		err := app.RunInTransaction(func(tx core.App) error {
			col, _ := tx.FindCollectionByNameOrId("deputy_activities")
			r := core.NewRecord(col)
			r.Load(map[string]any{"deputy": p.pick(p.deputies), "kind": "golden_idea", "occurred_on": p.dateFor("golden_idea"), "title": "回滚"})
			if err := tx.Save(r); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			p.t.Fatal(err)
		}
	case 9: // a transaction that commits several writes
		err := app.RunInTransaction(func(tx core.App) error {
			col, _ := tx.FindCollectionByNameOrId("deputy_activities")
			for range 3 {
				r := core.NewRecord(col)
				kind := p.pick(kinds)
				r.Load(map[string]any{"deputy": p.pick(p.deputies), "kind": kind, "occurred_on": p.dateFor(kind), "title": "批量"})
				if err := tx.Save(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			p.t.Fatal(err)
		}
	case 10: // a visit (in the past: the visits refuse future times)
		saveVisit(p.t, app, p.pick(p.deputies), p.pick(p.households), p.pastDate())
	case 11: // a visit moves to another household, day or deputy, or is deleted
		if r := p.random("visits"); r != nil {
			switch p.rnd.IntN(4) {
			case 0:
				r.Set("household", p.pick(p.households))
				p.save(r)
			case 1:
				r.Set("visited_at", p.pastDate())
				p.save(r)
			case 2:
				r.Set("deputy", p.pick(p.deputies))
				p.save(r)
			default:
				if err := app.Delete(r); err != nil {
					p.t.Fatal(err)
				}
			}
		}
	case 16: // visits written and moved in a transaction that rolls back
		err := app.RunInTransaction(func(tx core.App) error {
			saveVisit(p.t, tx, p.pick(p.deputies), p.pick(p.households), p.pastDate())
			if r := p.random("visits"); r != nil {
				r.Set("household", p.pick(p.households))
				if err := tx.Save(r); err != nil {
					return err
				}
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			p.t.Fatal(err)
		}
	case 17: // a push: the worker runs on visits alone (only their facts are gathered again)
		assessment.Flush(app)
		for range 1 + p.rnd.IntN(3) {
			saveVisit(p.t, app, p.pick(p.deputies), p.pick(p.households), p.pastDate())
		}
		if r := p.random("visits"); r != nil && p.rnd.IntN(2) == 0 {
			r.Set("visited_at", p.pastDate())
			p.save(r)
		}
		assessment.Flush(app)
	case 12: // a resident's suggestion, in any state
		saveSuggestion(p.t, app, p.pick(p.deputies), p.pastDate(), p.pick([]string{"received", "acknowledged", "answered"}))
	case 14: // a station duty, attended or not, on a published or a draft roster, sometimes on a day with a typed station_duty
		day := p.date()
		if p.rnd.IntN(3) == 0 {
			if a := p.random("deputy_activities"); a != nil {
				day = a.GetDateTime("occurred_on").Time()
			}
		}
		col, _ := app.FindCollectionByNameOrId("station_duties")
		r := core.NewRecord(col)
		r.Load(map[string]any{"roster": p.pick(p.rosters), "date": chinatime.Date(day), "deputy": p.pick(p.deputies), "source": "generated"})
		if p.rnd.IntN(2) == 0 {
			r.Set("checkin_method", p.pick([]string{"qr", "staff"}))
		}
		// the duty takes its station from the roster when saved
		roster, _ := app.FindRecordById("station_rosters", r.GetString("roster"))
		if n, _ := app.CountRecords("station_duties", dbx.HashExp{"station": roster.GetString("station"), "date": r.GetString("date"), "deputy": r.GetString("deputy")}); n == 0 {
			if err := app.Save(r); err != nil {
				p.t.Fatalf("save duty: %v", err)
			}
		}
	case 15: // a check-in, a swap to another deputy, a duty gone, a roster (un)published
		if p.rnd.IntN(4) == 0 {
			roster, _ := app.FindRecordById("station_rosters", p.pick(p.rosters))
			roster.Set("status", p.pick([]string{"published", "draft"}))
			p.save(roster)
			return
		}
		if r := p.random("station_duties"); r != nil {
			switch p.rnd.IntN(3) {
			case 0:
				r.Set("checkin_method", p.pick([]string{"", "qr", "staff"}))
			case 1:
				d := p.pick(p.deputies)
				if n, _ := app.CountRecords("station_duties", dbx.HashExp{"station": r.GetString("station"), "date": r.GetString("date"), "deputy": d}); n > 0 {
					return
				}
				r.Set("deputy", d)
			default:
				if err := app.Delete(r); err != nil {
					p.t.Fatal(err)
				}
				return
			}
			p.save(r)
		}
	case 13: // the cron flags one overdue, a resident rates it, staff mark spam, or it goes
		if r := p.random("suggestions"); r != nil {
			switch p.rnd.IntN(5) {
			case 0:
				r.Set("ack_overdue", true)
			case 1:
				r.Set("feedback_overdue", true)
			case 2:
				r.Set("satisfaction", p.pick([]string{"satisfied", "basic", "unsatisfied"}))
			case 3:
				r.Set("moderation", p.pick([]string{"spam", "ok"}))
			default:
				if err := app.Delete(r); err != nil {
					p.t.Fatal(err)
				}
				return
			}
			p.save(r)
		}
	}
}

// holdsVote: a meeting with a 票决 cannot be deleted (the vote refers to it).
func (p *propertyRun) holdsVote(r *core.Record) bool {
	if r.Collection().Name != "meetings" {
		return false
	}
	n, err := p.app.CountRecords("votes", dbx.HashExp{"meeting": r.Id})
	if err != nil {
		p.t.Fatal(err)
	}
	return n > 0
}

func (p *propertyRun) pastDate() time.Time {
	d := p.date()
	if now := time.Now(); d.After(now) {
		return now.Add(-time.Duration(1+p.rnd.IntN(48)) * time.Hour)
	}
	return d
}

type scoreSnap struct {
	total         float64
	result, facts string
}

func (p *propertyRun) snapshot() map[string]scoreSnap {
	assessment.Flush(p.app)
	rows, err := p.app.FindAllRecords("assessment_scores")
	if err != nil {
		p.t.Fatal(err)
	}
	out := map[string]scoreSnap{}
	for _, r := range rows {
		out[fmt.Sprint(r.GetString("deputy"), "/", r.GetInt("year"))] = scoreSnap{r.GetFloat("total"), r.GetString("result"), r.GetString("facts")}
	}
	return out
}

func (p *propertyRun) checkAgainstFull(step int) {
	incremental := p.snapshot()
	for _, y := range p.years {
		if _, err := assessment.RecomputeYear(p.app, y); err != nil {
			p.t.Fatal(err)
		}
	}
	full := p.snapshot()
	keys := make([]string, 0, len(full))
	for k := range full {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		inc, ok := incremental[k]
		if !ok {
			// a deputy the hooks never touched in that year has no facts
			var facts struct{ Metrics map[string]any }
			if err := json.Unmarshal([]byte(full[k].facts), &facts); err != nil || len(facts.Metrics) != 0 {
				p.t.Fatalf("step %d: %s has facts but no incremental score: %s", step, k, full[k].facts)
			}
			continue
		}
		if inc != full[k] {
			p.t.Fatalf("step %d: %s incremental != full\nincremental %v %s\nfull        %v %s", step, k, inc.total, inc.facts, full[k].total, full[k].facts)
		}
	}
	if len(incremental) > len(full) {
		p.t.Fatalf("step %d: %d incremental rows, %d full", step, len(incremental), len(full))
	}
}
