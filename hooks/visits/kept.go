package visits

import (
	"hash/maphash"
	"maps"
	"slices"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/syncengine"
	"simeng/plausibility"
	"simeng/visitpace"
)

// A year of visits as the ≥12 households rule counts them, kept in memory
// per app: read from the database once, then changed visit by visit as
// they are written, so that the presidium's progress of every deputy, and
// the assessment's rescore of one, read no year of visits again (a county
// holds 250,000 a year).
//
// Every write of a visit, whichever door it comes in by, marks its id
// pending as it is written and again once it has committed (or rolled
// back); a read first moves the counts of the pending visits. Once a write
// has committed, its pending entry holds the values it stored, and a read
// takes them from there; it reads a visit again by id when the values are
// not known to be the stored ones: before the commit, after a rollback, or
// when another write of the same visit was under way at any time between
// this write's start and its commit (their order is then not known here).
// So a kept year is the database's, whatever order the writes and the
// reads come in, at the latest from the first read after the commit.
// Writes made behind the record layer (plain SQL) are not seen: ForgetKept
// after them.
//
// Which visits count follows the township's counting setting (package
// plausibility through excludedBy): a review decision or a callback result
// is a write of the visit, so it moves that visit's count like any other;
// a change of the setting drops every kept year, read again under the new
// setting when next asked.

// keptVisit is what a visit adds to its deputy's year: its deputy's kept
// year, its household (the id its deputy's year keeps: "" for a visit
// that does not count), its month (0–11, China time), late and excluded.
// A county's year keeps 250,000 of them, each with a string of its own
// for the deputy's id and the household's before.
type keptVisit struct {
	deputy    *deputyYear
	household string
	month     int8
	late      bool
	excluded  bool
}

func (v keptVisit) group() visitpace.Group {
	return visitpace.Group{Household: v.household, Month: int(v.month), Late: v.late, Excluded: v.excluded}
}

// apartKey is how visits that do not count are kept: by late and excluded
// only (visitpace.CountGroups decides which total they go to).
func apartKey(g visitpace.Group) visitpace.Group {
	return visitpace.Group{Late: g.Late, Excluded: g.Excluded}
}

// deputyYear is one deputy's kept year.
type deputyYear struct {
	households map[idKey]*householdYear // counted visits by household
	apart      map[visitpace.Group]int  // visits that do not count, by apartKey
	// ids are the counted visit ids: sorted, then the last added of them
	// (added) in the order they came; sortedIDs merges those in.
	ids   []string
	added int
	// tallied is tally's answer until the next add or remove: the
	// presidium's progress asks every deputy's tally, and most deputies'
	// years have not changed since the last ask.
	tallied *visitpace.Tally
}

// householdYear is a household's counted visits of a deputy's year by
// month, and the one copy of its id that the year's visits to it share.
type householdYear struct {
	id     string
	months [12]int
}

func newDeputyYear() *deputyYear {
	return &deputyYear{households: map[idKey]*householdYear{}, apart: map[visitpace.Group]int{}}
}

// idKey is an id as a map key (a household's in a deputy's year, a
// visit's in the visit index): the id's bytes in the key itself, not
// behind a pointer. A county's year holds 30,000 households' and 250,000
// visits' ids across the heap, and comparing a string key fetched the
// stored id's bytes from memory at every visit read: a cache miss a visit
// at a county's size that its tenth, in cache, did not pay.
type idKey struct {
	short [16]byte // the id, when it has at most 16 bytes (PocketBase's and the phones' ids have 15)
	n     uint8
	long  string // else the whole id
}

func idKeyOf(id string) idKey {
	var k idKey
	if len(id) <= len(k.short) {
		k.n = uint8(copy(k.short[:], id))
	} else {
		k.long = id
	}
	return k
}

// add adds visit id of g, and returns the id of its household as the
// deputy's year keeps it ("" for a visit that does not count: it is kept
// by apartKey).
func (d *deputyYear) add(id string, g visitpace.Group) string {
	d.tallied = nil
	if !g.Counts() {
		d.apart[apartKey(g)]++
		return ""
	}
	h := d.addCounted(g)
	d.ids = append(d.ids, id)
	d.added++
	return h
}

// sortedIDs is ids sorted, merging in those added since the last call: a
// push adds a hundred visits to a year of thousands, and an insert in
// order shifted the whole list at each.
func (d *deputyYear) sortedIDs() []string {
	if d.added == 0 {
		return d.ids
	}
	n := len(d.ids) - d.added
	old, tail := d.ids[:n], d.ids[n:]
	slices.Sort(tail)
	merged := make([]string, 0, len(d.ids))
	for len(old) > 0 && len(tail) > 0 {
		if old[0] <= tail[0] {
			merged, old = append(merged, old[0]), old[1:]
		} else {
			merged, tail = append(merged, tail[0]), tail[1:]
		}
	}
	merged = append(append(merged, old...), tail...)
	d.ids, d.added = merged, 0
	return d.ids
}

// addCounted adds a counted visit of g to its household's month, and
// returns the household's id as kept.
func (d *deputyYear) addCounted(g visitpace.Group) string {
	key := idKeyOf(g.Household)
	h := d.households[key]
	if h == nil {
		h = &householdYear{id: g.Household}
		d.households[key] = h
	}
	h.months[g.Month]++
	return h.id
}

func (d *deputyYear) remove(id string, g visitpace.Group) {
	d.tallied = nil
	if !g.Counts() {
		if d.apart[apartKey(g)]--; d.apart[apartKey(g)] <= 0 {
			delete(d.apart, apartKey(g))
		}
		return
	}
	key := idKeyOf(g.Household)
	if h := d.households[key]; h != nil {
		if h.months[g.Month]--; h.months == [12]int{} {
			delete(d.households, key)
		}
	}
	if i, found := slices.BinarySearch(d.sortedIDs(), id); found {
		d.ids = slices.Delete(d.ids, i, i+1)
	}
}

// tally is the year as visitpace counts it: the kept groups, counted by
// visitpace.CountGroups (the one rule).
func (d *deputyYear) tally() visitpace.Tally {
	if d.tallied != nil {
		return *d.tallied
	}
	t := d.count()
	d.tallied = &t
	return t
}

// count is tally without the kept answer.
func (d *deputyYear) count() visitpace.Tally {
	groups := make([]visitpace.Group, 0, len(d.apart)+2*len(d.households))
	for g, n := range d.apart {
		g.Visits = n
		groups = append(groups, g)
	}
	for _, hy := range d.households {
		for m, n := range hy.months {
			if n > 0 {
				groups = append(groups, visitpace.Group{Household: hy.id, Month: m, Visits: n})
			}
		}
	}
	return visitpace.CountGroups(groups)
}

// keptYear is one year of every deputy.
type keptYear struct {
	visits   visitIndex
	deputies map[string]*deputyYear
	used     uint64 // when it was last read (keptVisits.clock)
}

func newKeptYear(visits int) *keptYear {
	return &keptYear{visits: newVisitIndex(visits), deputies: map[string]*deputyYear{}}
}

// add adds visit id of deputy in group g.
func (y *keptYear) add(id, deputy string, g visitpace.Group) {
	y.visits.put(id, y.count(id, deputy, g))
}

// count adds visit id of deputy in group g to its deputy's year, and
// returns what the visit index keeps of it.
func (y *keptYear) count(id, deputy string, g visitpace.Group) keptVisit {
	d := y.deputy(deputy)
	return keptVisit{deputy: d, household: d.add(id, g), month: int8(g.Month), late: g.Late, excluded: g.Excluded}
}

func (y *keptYear) deputy(id string) *deputyYear {
	d := y.deputies[id]
	if d == nil {
		d = newDeputyYear()
		y.deputies[id] = d
	}
	return d
}

func (y *keptYear) remove(id string) {
	if v, ok := y.visits.get(id); ok {
		v.deputy.remove(id, v.group())
		y.visits.remove(id)
	}
}

// visitIndex maps the ids of a year's visits to what each added, in
// shards of one map table each. A Go map made for n entries takes tables
// of 1,024 slots in a directory of a power of two of them: made for a
// county's 250,000 visits it took 524,288 slots, twice what they need,
// where a tenth's 25,000 took 32,768; so a county's year took 16 times the
// memory of its tenth, and reading it again (the recompute) cost page
// faults and collection well beyond ten times. Shards made for
// shardVisits each (a table of 1,024 slots, 3/4 full: ids spread over the
// shards unevenly, and a table 7/8 full splits in two) hold n visits in
// about 4n/3 slots, whatever n. The ids are kept in the keys (idKey), so
// that finding one reads no string elsewhere on the heap.
type visitIndex struct {
	seed   maphash.Seed
	shards []map[idKey]keptVisit
}

const shardVisits = 768

// newVisitIndex makes an index for n visits.
func newVisitIndex(n int) visitIndex {
	shards := make([]map[idKey]keptVisit, max(1, (n+shardVisits-1)/shardVisits))
	per := (n + len(shards) - 1) / len(shards)
	for i := range shards {
		shards[i] = make(map[idKey]keptVisit, per)
	}
	return visitIndex{seed: maphash.MakeSeed(), shards: shards}
}

func (x visitIndex) shard(id string) map[idKey]keptVisit {
	return x.shards[maphash.String(x.seed, id)%uint64(len(x.shards))]
}

func (x visitIndex) get(id string) (keptVisit, bool) {
	v, ok := x.shard(id)[idKeyOf(id)]
	return v, ok
}

func (x visitIndex) put(id string, v keptVisit) { x.shard(id)[idKeyOf(id)] = v }

func (x visitIndex) remove(id string) { delete(x.shard(id), idKeyOf(id)) }

// stagedVisit is a visit of a year read, on its way into its shard.
type stagedVisit struct {
	key idKey
	v   keptVisit
}

// staging collects a year read's visits by shard, so that each shard's
// table takes its visits in one go (putAll), in the processor's cache
// while it does: put one at a time, each visit of a county's year went
// into a table out of cache. It holds stagingVisits at a time (a couple
// of MB, used again): staged whole, a county's year raised the county
// server's RSS by some 90 MB.
type staging struct {
	index visitIndex
	lists [][]stagedVisit
	n     int
}

// stagingVisits are about a hundred visits a shard at a county's size.
const stagingVisits = 1 << 15

func (x visitIndex) staging() *staging {
	st := &staging{index: x, lists: make([][]stagedVisit, len(x.shards))}
	per := 2 * stagingVisits / len(x.shards)
	for i := range st.lists {
		st.lists[i] = make([]stagedVisit, 0, min(per, shardVisits))
	}
	return st
}

func (st *staging) add(id string, v keptVisit) {
	i := maphash.String(st.index.seed, id) % uint64(len(st.lists))
	st.lists[i] = append(st.lists[i], stagedVisit{key: idKeyOf(id), v: v})
	if st.n++; st.n == stagingVisits {
		st.putAll()
	}
}

// putAll puts the staged visits into their shards, shard by shard.
func (st *staging) putAll() {
	for i, list := range st.lists {
		shard := st.index.shards[i]
		for _, s := range list {
			shard[s.key] = s.v
		}
		clear(list) // no staged visit keeps its deputy's year alive
		st.lists[i] = list[:0]
	}
	st.n = 0
}

// maxKeptYears bounds the memory (a county's year is some tens of MB): the
// least recently read year goes first.
const maxKeptYears = 3

// keptVisits is an app's kept years.
type keptVisits struct {
	mu    sync.Mutex // the years; held while reading the database for them
	years map[int]*keptYear
	clock uint64
	mode  plausibility.CountMode // the counting setting the years were kept under

	pmu sync.Mutex // pending, writing and started
	// pending are the visits written since the kept years last caught
	// up, each with the values its last write committed when known (nil:
	// read the visit again).
	pending map[string]*YearVisit
	writing map[string]*visitWrites // visits with a write under way
	started uint64                  // writes of a visit started, in all
}

// visitWrites are the writes of one visit under way (started, not yet
// committed or rolled back), and the number of the last to start.
type visitWrites struct {
	n    int
	last uint64
}

// visitWrite is one write of a visit under way.
type visitWrite struct {
	id    string
	n     uint64
	alone bool // no other write of the visit was under way as it started
}

const keptKey = "simeng.visits.kept"

func keptOf(app core.App) *keptVisits {
	return app.Store().GetOrSet(keptKey, func() any {
		return &keptVisits{years: map[int]*keptYear{}, pending: map[string]*YearVisit{}, writing: map[string]*visitWrites{}}
	}).(*keptVisits)
}

// bindKept marks every visit written pending, as it is written and once
// it has committed or rolled back, with the values it stored when they are
// known to be the database's.
func bindKept(app core.App) {
	write := func(stores bool) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			// The app of this write, kept: a hook further down the chain
			// may swap e.App for a transaction of its own, over when it
			// returns (and then committed).
			app := e.App
			k := keptOf(app)
			w := k.begin(e.Record.Id)
			if err := e.Next(); err != nil {
				k.end(w, nil)
				return err
			}
			var stored *YearVisit
			if stores && !syncengine.MayRollBackAlone(app) {
				v := yearVisitOf(e.Record)
				stored = &v
			}
			if tx := app.TxInfo(); tx != nil {
				tx.OnComplete(func(err error) error {
					if err != nil {
						stored = nil
					}
					k.end(w, stored)
					return nil
				})
			} else {
				k.end(w, stored) // written and committed
			}
			return nil
		}
	}
	app.OnRecordCreateExecute("visits").BindFunc(write(true))
	app.OnRecordUpdateExecute("visits").BindFunc(write(true))
	app.OnRecordDeleteExecute("visits").BindFunc(write(false))

	// A server reads this year in the background as it starts, so the
	// first progress asked for is as quick as the next. (Route tables
	// built by tests have no server.)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if se.Server != nil {
			go func() {
				if err := ReadAhead(se.App); err != nil {
					se.App.Logger().Warn("visits: reading this year ahead failed", "error", err)
				}
			}()
		}
		return se.Next()
	})
}

// begin marks the visit pending as a write of it starts.
func (k *keptVisits) begin(id string) visitWrite {
	k.pmu.Lock()
	defer k.pmu.Unlock()
	k.pending[id] = nil
	ws := k.writing[id]
	if ws == nil {
		ws = &visitWrites{}
		k.writing[id] = ws
	}
	k.started++
	w := visitWrite{id: id, n: k.started, alone: ws.n == 0}
	ws.n++
	ws.last = w.n
	return w
}

// end marks the visit pending again as the write w has committed, with the
// values it stored (nil: rolled back, a deletion, or not known), which are
// kept only if no other write of the visit was under way at any time
// during w.
func (k *keptVisits) end(w visitWrite, stored *YearVisit) {
	k.pmu.Lock()
	defer k.pmu.Unlock()
	ws := k.writing[w.id]
	ws.n--
	if !w.alone || ws.last != w.n {
		stored = nil
	}
	if ws.n == 0 {
		delete(k.writing, w.id)
	}
	k.pending[w.id] = stored
}

// yearVisitOf is what the kept year counts of a visit record just written.
func yearVisitOf(r *core.Record) YearVisit {
	return YearVisit{ID: r.Id, Deputy: r.GetString("deputy"), Household: r.GetString("household"),
		VisitedAt: r.GetDateTime("visited_at"), Late: r.GetBool("late"),
		Review: r.GetString("review"), Callback: r.GetString("callback"), Signed: r.GetBool("signed")}
}

// year returns the kept year, reading what is pending and, the first time,
// the year itself. Call with k.mu held.
func (k *keptVisits) year(app core.App, year int) (*keptYear, error) {
	if err := k.catchUp(app); err != nil {
		return nil, err
	}
	k.clock++
	if y := k.years[year]; y != nil {
		y.used = k.clock
		return y, nil
	}
	y, err := readYear(app, k.mode, year)
	if err != nil {
		return nil, err
	}
	y.used = k.clock
	if len(k.years) >= maxKeptYears {
		oldest := slices.MinFunc(slices.Collect(maps.Keys(k.years)), func(a, b int) int {
			return int(k.years[a].used) - int(k.years[b].used)
		})
		delete(k.years, oldest)
	}
	k.years[year] = y
	return y, nil
}

// readYear reads a year of visits deputy by deputy, each deputy's from the
// covering index idx_visits_deputy_visited: a county's year is 250,000
// rows over 1,500 deputies, and read in date order each visit reached
// another deputy's counts, out of the processor's cache at that size. The
// rows are scanned by hand and each deputy's ids sorted once, when first
// asked for (sortedIDs): a scan by reflection or a sorted insert per row
// cost several times the read itself. Visits are written through the
// record layer, which keeps their deputy (a required relation): the
// deputies table lists every deputy a visit names.
func readYear(app core.App, mode plausibility.CountMode, year int) (*keptYear, error) {
	from, to := chinatime.Span(year)
	params := dbx.Params{"from": from, "to": to}
	// Counted first, from the year's index, so that the map of visits is
	// made at its size: growing it a row at a time rehashed it a dozen
	// times over, most of the read at a county's size.
	var n int
	err := app.DB().Select("COUNT(*)").From("visits").
		Where(dbx.NewExp("visited_at >= {:from} AND visited_at < {:to}", params)).Row(&n)
	if err != nil {
		return nil, err
	}
	y := newKeptYear(n)
	staged := y.visits.staging()
	err = scanCounted(app.DB().NewQuery(yearByDeputySQL).Bind(params), func(v YearVisit) {
		staged.add(v.ID, y.count(v.ID, v.Deputy, groupOf(mode, v)))
	})
	if err != nil {
		return nil, err
	}
	staged.putAll()
	return y, nil
}

// yearByDeputySQL selects the countedColumns of a year's visits
// ({:from}, {:to}), deputy after deputy.
var yearByDeputySQL = "SELECT " + qualified("v", countedColumns) + " FROM deputies d " +
	"CROSS JOIN visits v INDEXED BY idx_visits_deputy_visited " +
	"ON v.deputy = d.id AND v.visited_at >= {:from} AND v.visited_at < {:to}"

// ReadAhead reads this year's visits into memory, as a server does in the
// background as it starts, so that the first progress or rescore asked for
// is as quick as the next.
func ReadAhead(app core.App) error {
	_, err := keptTallies(app, chinatime.CurrentYear(), "")
	return err
}

// groupOf is the group visit v adds to its deputy's year under mode.
func groupOf(mode plausibility.CountMode, v YearVisit) visitpace.Group {
	return visitpace.Group{Household: v.Household, Month: int(chinatime.In(v.VisitedAt.Time()).Month()) - 1,
		Late: v.Late, Excluded: excludedBy(mode, v.Review, v.Callback, v.Signed)}
}

// catchUp moves the counts of the pending visits, from the values their
// committed writes stored when known, else reading them again; under a
// counting setting other than the years were kept under, it drops them all
// first. Call with k.mu held.
//
// A visit is pending from the start of each write of it until a catch-up
// after that write has committed or rolled back (end marks it again): one
// that is not pending is counted as stored.
func (k *keptVisits) catchUp(app core.App) error {
	if mode := countMode(app); mode != k.mode {
		clear(k.years)
		k.mode = mode
	}
	var stored []YearVisit
	k.pmu.Lock()
	pending := k.pending
	k.pending = map[string]*YearVisit{}
	k.pmu.Unlock()
	again := make([]string, 0, len(pending))
	for id, v := range pending {
		if v != nil {
			stored = append(stored, *v)
		} else {
			again = append(again, id)
		}
	}
	if len(k.years) == 0 {
		return nil
	}
	rows, err := VisitsByID(app, again)
	if err != nil {
		// Catch up next time; a write since has the last word.
		k.pmu.Lock()
		for id, v := range pending {
			if _, ok := k.pending[id]; !ok {
				k.pending[id] = v
			}
		}
		k.pmu.Unlock()
		return err
	}
	for _, y := range k.years {
		for _, v := range stored {
			y.remove(v.ID)
		}
		for _, id := range again { // those not read again are gone
			y.remove(id)
		}
	}
	for _, list := range [][]YearVisit{stored, rows} {
		for _, v := range list {
			if y := k.years[chinatime.Year(v.VisitedAt.Time())]; y != nil {
				y.add(v.ID, v.Deputy, groupOf(k.mode, v))
			}
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

// CountedTotals is what the ≥12 households rule counts of a deputy's year
// (visitpace.Counted), counted: the visits and the distinct households
// they reached, from the kept year. The rescore after a push needs no id:
// listing a busy deputy's 10,000 ids (merging in the push's own, then
// copying them) at every push grew with their year.
func CountedTotals(app core.App, year int, deputy string) (visits, households int, err error) {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	y, err := k.year(app, year)
	if err != nil {
		return 0, 0, err
	}
	d := y.deputies[deputy]
	if d == nil {
		return 0, 0, nil
	}
	return len(d.ids), len(d.households), nil
}

// EachCounted lists what the ≥12 households rule counts of every deputy's
// year who has visits in it (visitpace.Counted), in no order: fn gets the
// visits and the distinct households they reached, each sorted. It reads
// from the kept year.
func EachCounted(app core.App, year int, fn func(deputy string, visitIDs, households []string)) error {
	return eachCountedDeputy(app, year, func(id string, d *deputyYear) {
		households := make([]string, 0, len(d.households))
		for _, h := range d.households {
			households = append(households, h.id)
		}
		slices.Sort(households)
		fn(id, slices.Clone(d.sortedIDs()), households)
	})
}

// EachCountedTotal is EachCounted counted, as CountedTotals counts one
// deputy: the visits and the distinct households of every deputy's year
// who has visits in it, in no order. A recompute stores counts: copying
// and sorting a county's 250,000 ids to count them cost more than ten
// times a tenth's.
func EachCountedTotal(app core.App, year int, fn func(deputy string, visits, households int)) error {
	return eachCountedDeputy(app, year, func(id string, d *deputyYear) {
		fn(id, len(d.ids), len(d.households))
	})
}

// eachCountedDeputy calls fn, under the kept visits' lock, for every
// deputy of the kept year with counted visits.
func eachCountedDeputy(app core.App, year int, fn func(deputy string, d *deputyYear)) error {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	y, err := k.year(app, year)
	if err != nil {
		return err
	}
	for id, d := range y.deputies {
		if len(d.ids) > 0 {
			fn(id, d)
		}
	}
	return nil
}

// RefreshVisits brings the kept years up to date with the visits written
// so far, the visits with ids among them (every write of a visit is
// pending from its start: catching up covers them): for a reader that was
// told of those writes and must see them.
func RefreshVisits(app core.App, ids []string) error {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.catchUp(app)
}

// ForgetKept drops the kept years: they are read again when next needed
// (after writes made behind the record layer, or a repair).
func ForgetKept(app core.App) {
	k := keptOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	clear(k.years)
}
