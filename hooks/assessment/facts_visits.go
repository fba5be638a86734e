package assessment

import (
	"slices"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/pii"
	"simeng/scoring"
	"simeng/visitpace"
)

// visitsSource reads the visit logs (走访日志, R2/R3) through package visits:
// distinct households visited in the year, and visits, counted by the ≥12
// households rule itself (visitpace), so visits flagged late (synced after
// the visits year was closed) do not count here either.
var visitsSource = factSource{
	name:    "走访日志",
	metrics: []string{scoring.MetricHouseholds, scoring.MetricVisits},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"visits": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			return []deputyYear{{r.GetString("deputy"), yearOf(r.GetDateTime("visited_at"))}}, nil
		},
	},
	gather:  gatherVisits,
	entries: visitEntries,
	kept:    keptVisits{},
}

func gatherVisits(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	list, err := visits.YearVisits(app, span.year, deputy, false)
	if err != nil {
		return err
	}
	for d, vs := range visits.ByDeputy(list) {
		// 12 visits to one household count once (R3); the household is the
		// record that counted.
		ids, households := visitpace.Counted(span.year, vs)
		sheet.addEach(d, scoring.MetricVisits, ids)
		sheet.addEach(d, scoring.MetricHouseholds, households)
	}
	return nil
}

// keptVisits keeps each deputy's year as the ≥12 households rule counts it:
// the counted visits and the households they reached. A write changes it by
// that one visit (read again by id), so rescoring a deputy after a push
// costs the same with 10 visits in the year as with 10,000.
type keptVisits struct{}

// visitTally is one deputy's counted visits of one year.
type visitTally struct {
	visits     map[string]string // counted visit id → household
	households map[string]int    // household → its counted visits
	ids        []string          // the counted visit ids, sorted, as the facts list them
}

func newVisitTally() *visitTally {
	return &visitTally{visits: map[string]string{}, households: map[string]int{}}
}

func (t *visitTally) add(id, household string) {
	t.remove(id)
	t.visits[id] = household
	t.households[household]++
	i, _ := slices.BinarySearch(t.ids, id)
	t.ids = slices.Insert(t.ids, i, id)
}

func (t *visitTally) remove(id string) {
	h, ok := t.visits[id]
	if !ok {
		return
	}
	delete(t.visits, id)
	if t.households[h]--; t.households[h] == 0 {
		delete(t.households, h)
	}
	if i, found := slices.BinarySearch(t.ids, id); found {
		t.ids = slices.Delete(t.ids, i, i+1)
	}
}

// visitTallies are an app's kept tallies, and where each kept visit counts.
type visitTallies struct {
	mu     sync.Mutex
	byPair map[deputyYear]*visitTally
	where  map[string]deputyYear // visit id → the tally counting it
}

// maxKeptTallies bounds the memory: a county's 1,500 deputies over two
// years fit; past it everything is dropped and read again as needed.
const maxKeptTallies = 4000

const keptVisitsKey = "assessment.keptVisits"

func talliesOf(app core.App) *visitTallies {
	return app.Store().GetOrSet(keptVisitsKey, func() any {
		return &visitTallies{byPair: map[deputyYear]*visitTally{}, where: map[string]deputyYear{}}
	}).(*visitTallies)
}

func (keptVisits) forget(app core.App) {
	t := talliesOf(app)
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.byPair)
	clear(t.where)
}

func (keptVisits) take(app core.App, _ string, ids []string) error {
	rows, err := visits.VisitsByID(app, ids)
	if err != nil {
		return err
	}
	t := talliesOf(app)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		if dy, ok := t.where[id]; ok {
			t.byPair[dy].remove(id)
			delete(t.where, id)
		}
	}
	for _, v := range rows {
		dy := deputyYear{v.Deputy, yearOf(v.VisitedAt)}
		if tally := t.byPair[dy]; tally != nil && !v.Late {
			tally.add(v.ID, v.Household)
			t.where[v.ID] = dy
		}
	}
	return nil
}

func (keptVisits) gather(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	if deputy == "" {
		return gatherVisits(app, span, deputy, sheet)
	}
	t := talliesOf(app)
	dy := deputyYear{deputy, span.year}
	t.mu.Lock()
	tally := t.byPair[dy]
	t.mu.Unlock()
	if tally == nil {
		list, err := visits.YearVisits(app, span.year, deputy, false)
		if err != nil {
			return err
		}
		tally = newVisitTally()
		for _, v := range list {
			if !v.Late && chinatime.Year(v.VisitedAt.Time()) == span.year {
				tally.visits[v.ID] = v.Household
				tally.households[v.Household]++
				tally.ids = append(tally.ids, v.ID)
			}
		}
		slices.Sort(tally.ids)
		t.mu.Lock()
		if len(t.byPair) >= maxKeptTallies {
			clear(t.byPair)
			clear(t.where)
		}
		t.byPair[dy] = tally
		for id := range tally.visits {
			t.where[id] = dy
		}
		t.mu.Unlock()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	sheet.addEach(deputy, scoring.MetricVisits, tally.ids)
	for h := range tally.households {
		sheet.add(deputy, scoring.MetricHouseholds, 1, h)
	}
	return nil
}

// visitEntries lists visits with the head of household's name masked
// (residents' names are personal data, X2).
func visitEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	list, err := visits.YearVisits(app, span.year, deputy, true)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, 0, len(list))
	for _, v := range list {
		if v.Late {
			continue
		}
		out = append(out, dossierEntry{DeputyID: v.Deputy, Date: v.VisitedAt.String(), Source: "走访", Kind: "入户走访",
			Title: "走访 " + pii.MaskName(v.HeadName) + " 户", Detail: v.Village, Collection: "visits", ID: v.ID})
	}
	return out, nil
}

// bindVisitYearClose freezes the assessment of a year when staff close that
// year of the visit logs (visit_years.closed_at is set): from then on the
// households count, and with it the year's scores, no longer change.
func bindVisitYearClose(app core.App) {
	freeze := func(e *core.RecordEvent) error {
		wasClosed := false
		if old := e.Record.Original(); old != nil && !e.Record.IsNew() {
			wasClosed = !old.GetDateTime("closed_at").IsZero()
		}
		app := e.App // see rescoreAround
		if err := e.Next(); err != nil {
			return err
		}
		if !wasClosed && !e.Record.GetDateTime("closed_at").IsZero() {
			if _, err := CloseYear(app, e.Record.GetInt("year")); err != nil {
				logRescoreError(app, err)
			}
		}
		return nil
	}
	app.OnRecordCreate("visit_years").BindFunc(freeze)
	app.OnRecordUpdate("visit_years").BindFunc(freeze)
}
