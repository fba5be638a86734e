package visits

import (
	"maps"
	"slices"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/visitpace"
)

// A year of visits as the ≥12 households rule counts them, kept in memory
// per app: read from the database once, then changed visit by visit as
// they are written, so that the presidium's progress of every deputy, and
// the assessment's rescore of one, read no year of visits again (a county
// holds 250,000 a year).
//
// Every write of a visit, whichever door it comes in by, marks its id
// pending, once as it is written and again once it has committed (or rolled
// back); a read first reads the pending visits again by id and moves their
// counts. So a kept year is the database's, whatever order the writes and
// the reads come in, at the latest from the first read after the commit.
// Writes made behind the record layer (plain SQL) are not seen: ForgetKept
// after them.

// keptVisit is what a visit adds to its deputy's year.
type keptVisit struct {
	deputy, household string
	month             int // 0–11, China time
	late              bool
}

// deputyYear is one deputy's kept year.
type deputyYear struct {
	months     [12]int             // counted visits by month
	late       int                 // late visits (dated in the year after it closed)
	households map[string]*[12]int // counted visits by household and month
	ids        []string            // counted visit ids, sorted
}

func (d *deputyYear) add(id string, v keptVisit) {
	if v.late {
		d.late++
		return
	}
	d.months[v.month]++
	h := d.households[v.household]
	if h == nil {
		h = new([12]int)
		d.households[v.household] = h
	}
	h[v.month]++
	i, _ := slices.BinarySearch(d.ids, id)
	d.ids = slices.Insert(d.ids, i, id)
}

func (d *deputyYear) remove(id string, v keptVisit) {
	if v.late {
		d.late--
		return
	}
	d.months[v.month]--
	if h := d.households[v.household]; h != nil {
		if h[v.month]--; *h == [12]int{} {
			delete(d.households, v.household)
		}
	}
	if i, found := slices.BinarySearch(d.ids, id); found {
		d.ids = slices.Delete(d.ids, i, i+1)
	}
}

// tally is the year as visitpace.Count tallies it.
func (d *deputyYear) tally() visitpace.Tally {
	t := visitpace.Tally{MonthVisits: d.months, LateVisits: d.late, Households: len(d.households)}
	for _, n := range d.months {
		t.Visits += n
	}
	for _, h := range d.households {
		first := slices.IndexFunc(h[:], func(n int) bool { return n > 0 })
		for m := first; m < 12; m++ {
			t.HouseholdsBy[m]++
		}
	}
	return t
}

// keptYear is one year of every deputy.
type keptYear struct {
	visits   map[string]keptVisit
	deputies map[string]*deputyYear
	used     uint64 // when it was last read (keptVisits.clock)
}

func (y *keptYear) add(id string, v keptVisit) {
	d := y.deputies[v.deputy]
	if d == nil {
		d = &deputyYear{households: map[string]*[12]int{}}
		y.deputies[v.deputy] = d
	}
	d.add(id, v)
	y.visits[id] = v
}

func (y *keptYear) remove(id string) {
	if v, ok := y.visits[id]; ok {
		y.deputies[v.deputy].remove(id, v)
		delete(y.visits, id)
	}
}

// maxKeptYears bounds the memory (a county's year is some 40 MB): the
// least recently read year goes first.
const maxKeptYears = 3

// keptVisits is an app's kept years.
type keptVisits struct {
	mu    sync.Mutex // the years; held while reading the database for them
	years map[int]*keptYear
	clock uint64

	pmu     sync.Mutex // the pending ids, marked by writes
	pending map[string]bool
}

const keptKey = "simeng.visits.kept"

func keptOf(app core.App) *keptVisits {
	return app.Store().GetOrSet(keptKey, func() any {
		return &keptVisits{years: map[int]*keptYear{}, pending: map[string]bool{}}
	}).(*keptVisits)
}

// bindKept marks every visit written pending, as it is written and once
// it has committed or rolled back.
func bindKept(app core.App) {
	mark := func(e *core.RecordEvent) error {
		keptOf(e.App).mark(e.Record.Id)
		return e.Next()
	}
	markAfter := func(e *core.RecordErrorEvent) error {
		keptOf(e.App).mark(e.Record.Id)
		return e.Next()
	}
	app.OnRecordCreate("visits").BindFunc(mark)
	app.OnRecordUpdate("visits").BindFunc(mark)
	app.OnRecordDelete("visits").BindFunc(mark)
	app.OnRecordAfterCreateSuccess("visits").BindFunc(mark)
	app.OnRecordAfterUpdateSuccess("visits").BindFunc(mark)
	app.OnRecordAfterDeleteSuccess("visits").BindFunc(mark)
	app.OnRecordAfterCreateError("visits").BindFunc(markAfter)
	app.OnRecordAfterUpdateError("visits").BindFunc(markAfter)
	app.OnRecordAfterDeleteError("visits").BindFunc(markAfter)

	// A server reads this year in the background as it starts, so the
	// first progress asked for is as quick as the next. (Route tables
	// built by tests have no server.)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if se.Server != nil {
			go func() {
				if _, err := keptTallies(se.App, chinatime.CurrentYear(), ""); err != nil {
					se.App.Logger().Warn("visits: reading this year ahead failed", "error", err)
				}
			}()
		}
		return se.Next()
	})
}

func (k *keptVisits) mark(id string) {
	k.pmu.Lock()
	k.pending[id] = true
	k.pmu.Unlock()
}

// year returns the kept year, reading what is pending and, the first time,
// the year itself. Call with k.mu held.
func (k *keptVisits) year(app core.App, year int) (*keptYear, error) {
	if err := k.catchUp(app, nil); err != nil {
		return nil, err
	}
	k.clock++
	if y := k.years[year]; y != nil {
		y.used = k.clock
		return y, nil
	}
	// The year from the covering index idx_visits_year_tally, in no order.
	from, to := chinatime.Span(year)
	var list []YearVisit
	err := app.DB().Select("id", "deputy", "household", "visited_at", "late").From("visits").
		Where(dbx.NewExp("visited_at >= {:from} AND visited_at < {:to}", dbx.Params{"from": from, "to": to})).All(&list)
	if err != nil {
		return nil, err
	}
	y := &keptYear{visits: make(map[string]keptVisit, len(list)), deputies: map[string]*deputyYear{}, used: k.clock}
	for _, v := range list {
		y.add(v.ID, keep(v))
	}
	if len(k.years) >= maxKeptYears {
		oldest := slices.MinFunc(slices.Collect(maps.Keys(k.years)), func(a, b int) int {
			return int(k.years[a].used) - int(k.years[b].used)
		})
		delete(k.years, oldest)
	}
	k.years[year] = y
	return y, nil
}

func keep(v YearVisit) keptVisit {
	return keptVisit{deputy: v.Deputy, household: v.Household, month: int(chinatime.In(v.VisitedAt.Time()).Month()) - 1, late: v.Late}
}

// catchUp reads again the pending visits and ids, and moves their counts.
// Call with k.mu held.
func (k *keptVisits) catchUp(app core.App, ids []string) error {
	k.pmu.Lock()
	for id := range k.pending {
		ids = append(ids, id)
	}
	clear(k.pending)
	k.pmu.Unlock()
	if len(ids) == 0 || len(k.years) == 0 {
		return nil
	}
	rows, err := VisitsByID(app, ids)
	if err != nil {
		// Read them again next time.
		k.pmu.Lock()
		for _, id := range ids {
			k.pending[id] = true
		}
		k.pmu.Unlock()
		return err
	}
	for _, id := range ids {
		for _, y := range k.years {
			y.remove(id)
		}
	}
	for _, v := range rows {
		if y := k.years[chinatime.Year(v.VisitedAt.Time())]; y != nil {
			y.add(v.ID, keep(v))
		}
	}
	return nil
}

// keptTallies is keptYear's tally of every deputy (one deputy: deputyID).
func keptTallies(app core.App, year int, deputyID string) (map[string]visitpace.Tally, error) {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	y, err := k.year(app, year)
	if err != nil {
		return nil, err
	}
	out := map[string]visitpace.Tally{}
	for id, d := range y.deputies {
		if deputyID == "" || id == deputyID {
			out[id] = d.tally()
		}
	}
	return out, nil
}

// CountedVisits lists what the ≥12 households rule counts of a deputy's
// year (visitpace.Counted): the visits, and the distinct households they
// reached, each sorted. It reads from the kept year.
func CountedVisits(app core.App, year int, deputy string) (visitIDs, households []string, err error) {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	y, err := k.year(app, year)
	if err != nil {
		return nil, nil, err
	}
	d := y.deputies[deputy]
	if d == nil {
		return nil, nil, nil
	}
	return slices.Clone(d.ids), slices.Sorted(maps.Keys(d.households)), nil
}

// EachCounted calls fn with what CountedVisits gives for every deputy who
// has visits in the year (in no order), from one read of the kept year.
func EachCounted(app core.App, year int, fn func(deputy string, visitIDs, households []string)) error {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	y, err := k.year(app, year)
	if err != nil {
		return err
	}
	for id, d := range y.deputies {
		if len(d.ids) > 0 {
			fn(id, slices.Clone(d.ids), slices.Sorted(maps.Keys(d.households)))
		}
	}
	return nil
}

// RefreshVisits reads the visits with ids again into the kept years now:
// for a reader that was told of those writes and must see them.
func RefreshVisits(app core.App, ids []string) error {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.catchUp(app, ids)
}

// ForgetKept drops the kept years: they are read again when next needed
// (after writes made behind the record layer, or a repair).
func ForgetKept(app core.App) {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	clear(k.years)
}
