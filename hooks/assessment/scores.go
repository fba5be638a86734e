package assessment

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/internal/yearlog"
	"simeng/hooks/visits"
	"simeng/scoring"
)

// incrementalOffKey in app.Store() switches the incremental score hooks off,
// for bulk imports followed by one RecomputeYear (and for the benchmark).
const incrementalOffKey = "assessment.incremental.off"

// SetIncrementalScoring switches the per-write score updates on or off.
func SetIncrementalScoring(app core.App, on bool) {
	if on {
		app.Store().Remove(incrementalOffKey)
	} else {
		app.Store().Set(incrementalOffKey, true)
	}
	// Writes made while it was off told nothing to the facts kept in memory.
	forgetKeptFacts(app)
}

func incrementalOn(app core.App) bool {
	return !app.Store().Has(incrementalOffKey)
}

// bindAssessmentScores keeps assessment_scores current: a write to any
// record a fact source reads rescores only the deputies and years that
// record touches, before and after the write.
func bindAssessmentScores(app core.App) {
	pending := newPendingRescores(app)
	for _, src := range factSources {
		for collection, touches := range src.watch {
			app.OnRecordCreate(collection).BindFunc(func(e *core.RecordEvent) error {
				return rescoreAround(e, nil, touches, pending)
			})
			app.OnRecordUpdate(collection).BindFunc(func(e *core.RecordEvent) error {
				return rescoreAround(e, storedState(e), touches, pending)
			})
			app.OnRecordDelete(collection).BindFunc(func(e *core.RecordEvent) error {
				return rescoreAround(e, e.Record, touches, pending)
			})
		}
	}
	bindVisitYearClose(app)
	// Every deputy has a row for the current year from the start, so the
	// ranking lists deputies who have done nothing yet too.
	app.OnRecordCreate("deputies").BindFunc(func(e *core.RecordEvent) error {
		app := e.App
		if err := e.Next(); err != nil {
			return err
		}
		if incrementalOn(app) {
			pending.rescore(app, []deputyYear{{e.Record.Id, chinatime.CurrentYear()}}, recordRef{})
		}
		return nil
	})
}

// storedState is the record as stored before this update. Original() is
// that state only for records loaded from the database: a record created in
// memory and saved twice still has a blank original (PocketBase fills it on
// scan), so then the stored row is read.
func storedState(e *core.RecordEvent) *core.Record {
	if old := e.Record.Original(); old.Id != "" {
		return old
	}
	old, err := e.App.FindRecordById(e.Record.Collection(), e.Record.Id)
	if err != nil {
		logRescoreError(e.App, err)
		return nil
	}
	return old
}

// rescoreAround runs the write, then rescores the pairs the record touched
// before (old) and after it. A scoring failure is logged and never fails
// the write itself: a visit synced from a village must not be lost over a
// broken rule; `assessment recompute` repairs the scores.
func rescoreAround(e *core.RecordEvent, old *core.Record, touches func(core.App, *core.Record) ([]deputyYear, error), pending *pendingRescores) error {
	// The app of this write, kept: a hook further down the chain may swap
	// e.App for a transaction of its own that is over when it returns.
	app := e.App
	if !incrementalOn(app) {
		return e.Next()
	}
	var pairs []deputyYear
	if old != nil {
		before, err := touches(app, old)
		logRescoreError(app, err)
		pairs = append(pairs, before...)
	}
	if err := e.Next(); err != nil {
		return err
	}
	if old != e.Record { // not a delete
		after, err := touches(app, e.Record)
		if err != nil {
			logRescoreError(app, err)
			return nil
		}
		pairs = append(pairs, after...)
	}
	pending.rescore(app, pairs, recordRef{e.Record.Collection().Name, e.Record.Id})
	return nil
}

// pendingRescores coalesces rescores and runs them off the write path: a
// write only notes which deputies and years it touched, and a background
// worker rescores them a moment later, many writes at once. A synced batch
// of 100 visits by one deputy rescores that deputy once, after the commit;
// a rolled-back transaction rescores nothing. Reads that must be current
// (ranking, dossiers, exports, tests) call Flush first.
type pendingRescores struct {
	root core.App
	mu   sync.Mutex
	byTx map[*core.TxAppInfo]*noted

	queued  map[deputyYear]bool // waiting for the worker
	changed map[recordRef]bool  // records written since the last drain
	started bool
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	working sync.Mutex // held while a drain rescores

	closeOnce sync.Once
}

// rescoreDelay lets a burst of single writes (a deputy's records saved one
// by one, an admin editing several rows) coalesce into one rescore.
const rescoreDelay = 200 * time.Millisecond

const rescoreQueueKey = "assessment.rescoreQueue"

func newPendingRescores(app core.App) *pendingRescores {
	p := &pendingRescores{
		root:    app,
		byTx:    map[*core.TxAppInfo]*noted{},
		queued:  map[deputyYear]bool{},
		changed: map[recordRef]bool{},
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	app.Store().Set(rescoreQueueKey, p)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		p.close()
		return e.Next()
	})
	return p
}

// recordRef names a record a write changed; the zero value names none.
type recordRef struct{ collection, id string }

// noted is what the writes of one transaction told the worker.
type noted struct {
	pairs   []deputyYear
	changed []recordRef
}

func (n *noted) add(pairs []deputyYear, ref recordRef) {
	n.pairs = append(n.pairs, pairs...)
	if ref.id != "" {
		n.changed = append(n.changed, ref)
	}
}

// rescore notes that the write of ref touched pairs: they are rescored
// once the write has committed.
func (p *pendingRescores) rescore(app core.App, pairs []deputyYear, ref recordRef) {
	if len(pairs) == 0 && ref.id == "" {
		return
	}
	tx := app.TxInfo()
	if tx == nil {
		n := &noted{}
		n.add(pairs, ref)
		p.enqueue(n)
		return
	}
	p.mu.Lock()
	n, registered := p.byTx[tx]
	if !registered {
		n = &noted{}
		p.byTx[tx] = n
	}
	n.add(pairs, ref)
	p.mu.Unlock()
	if registered {
		return
	}
	// Registered outside p.mu: the callback takes p.mu while PocketBase
	// holds the transaction's own lock.
	tx.OnComplete(func(txErr error) error {
		p.mu.Lock()
		n := p.byTx[tx]
		delete(p.byTx, tx)
		p.mu.Unlock()
		if txErr == nil {
			p.enqueue(n)
		}
		return nil
	})
}

func (p *pendingRescores) enqueue(n *noted) {
	p.mu.Lock()
	for _, dy := range n.pairs {
		p.queued[dy] = true
	}
	for _, ref := range n.changed {
		p.changed[ref] = true
	}
	if !p.started {
		p.started = true
		go p.run()
	}
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default: // a drain is already due
	}
}

func (p *pendingRescores) run() {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		case <-p.kick:
		}
		select {
		case <-p.stop:
			return
		case <-time.After(rescoreDelay):
		}
		p.drain()
	}
}

// drain rescores everything queued so far.
func (p *pendingRescores) drain() {
	p.working.Lock()
	defer p.working.Unlock()
	p.mu.Lock()
	pairs := make([]deputyYear, 0, len(p.queued))
	for dy := range p.queued {
		pairs = append(pairs, dy)
	}
	clear(p.queued)
	changed := map[string][]string{}
	for ref := range p.changed {
		changed[ref.collection] = append(changed[ref.collection], ref.id)
	}
	clear(p.changed)
	p.mu.Unlock()
	if len(pairs) == 0 && len(changed) == 0 {
		return // a wake-up after a flush took it all
	}
	if err := recomputeDeputies(p.root, pairs, changed); err != nil {
		// What is kept in memory may have missed these changes: read afresh.
		forgetKeptFacts(p.root)
		logRescoreError(p.root, err)
	}
}

// close stops the worker and rescores what is still queued, so a shutdown
// right after a write loses no score update.
func (p *pendingRescores) close() {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		started := p.started
		p.started = true // no new worker after this
		p.mu.Unlock()
		if started {
			close(p.stop)
			<-p.done
		}
	})
	p.drain()
}

// Flush runs every queued rescore now and returns when the
// stored scores reflect every committed write.
func Flush(app core.App) {
	if p, ok := app.Store().Get(rescoreQueueKey).(*pendingRescores); ok {
		p.drain()
	}
}

func logRescoreError(app core.App, err error) {
	if err != nil {
		app.Logger().Error("assessment: rescore failed; run `assessment recompute`", "error", err.Error())
	}
}

// recomputeDeputies rescores the given deputies and years, skipping closed
// (frozen) years, in one transaction. changed names, by collection, the
// records written since the last run: the facts kept in memory take them
// in first. When what was recorded in a year changed for everyone (its
// first congress session registered, its first suggestion decided), the
// whole year is rescored: every deputy's items read the same year-wide
// status. Only the worker calls it (drain), one run at a time.
func recomputeDeputies(app core.App, pairs []deputyYear, changed map[string][]string) error {
	pairs = uniquePairs(pairs)
	if len(pairs) == 0 && len(changed) == 0 {
		return nil
	}
	return app.RunInTransaction(func(tx core.App) error {
		sc, err := newScorer(tx)
		if err != nil {
			return err
		}
		if err := takeChanges(tx, sc.sources, changed); err != nil {
			return err
		}
		kept := keptOnly(sc.sources, changed) // rescore_kept.go
		wholeYear := map[int]bool{}
		for _, p := range pairs {
			if _, seen := wholeYear[p.year]; seen {
				continue
			}
			statusChanged, err := sc.yearStatusChanged(tx, p.year, kept)
			if err != nil {
				return err
			}
			wholeYear[p.year] = statusChanged
			if statusChanged {
				if _, err := rescoreWith(tx, sc, p.year, false); err != nil {
					return err
				}
			}
		}
		for _, p := range pairs {
			if wholeYear[p.year] {
				continue
			}
			// The stored row without its result (save writes it anew); its
			// facts are counts (an open year's row lists no record ids).
			existing := &core.Record{}
			err := tx.RecordQuery(sc.scores).Select("id", "deputy", "year", "frozen", "created", "facts").
				AndWhere(dbx.HashExp{"deputy": p.deputy, "year": p.year}).Limit(1).One(existing)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				existing = nil
				// a deputy without a row in a closed year stays without one
				if closed, err := scoresFrozen(tx, p.year); err != nil || closed {
					if err != nil {
						return err
					}
					continue
				}
			case err != nil:
				return err
			case existing.GetBool("frozen"):
				continue
			}
			if kept != nil && existing != nil {
				facts, ok, err := keptFactsOf(tx, kept, existing, p.deputy, p.year)
				if err != nil {
					return err
				}
				if ok {
					if err := sc.save(tx, existing, facts); err != nil {
						return err
					}
					continue
				}
			}
			sheet, err := gatherKeptFacts(tx, sc.sources, p.year, p.deputy, false)
			if err != nil {
				return err
			}
			// Counts only: an open year's row lists no record ids (withRecords).
			if err := sc.save(tx, existing, sheet.counts(p.deputy, p.year)); err != nil {
				return err
			}
		}
		return nil
	})
}

func uniquePairs(pairs []deputyYear) []deputyYear {
	out := make([]deputyYear, 0, len(pairs))
	seen := make(map[deputyYear]bool, len(pairs))
	for _, p := range pairs {
		if p.deputy != "" && p.year > 0 && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// RecomputeYear rescores every deputy for year from all records: after a
// rule change, or to repair. A closed year is left as frozen.
func RecomputeYear(app core.App, year int) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		closed, err := scoresFrozen(tx, year)
		if err != nil || closed {
			return err
		}
		n, err = rescoreAll(tx, year, false)
		return err
	})
	return n, err
}

func rescoreAll(tx core.App, year int, withIDs bool) (int, error) {
	// A full recompute repairs: what is kept in memory is read afresh too.
	forgetKeptFacts(tx)
	sc, err := newScorer(tx)
	if err != nil {
		return 0, err
	}
	return rescoreWith(tx, sc, year, withIDs)
}

// rescoreWith rescores every deputy of year with sc; frozen rows stay.
// What is kept in memory serves the facts (after a full recompute it was
// just forgotten, so it is read afresh and kept again for what follows).
// withIDs stores the ids of the records behind every figure, as closing a
// year does (they must not move with later edits); an open year's rows
// store counts only, their ids listed on demand (withRecords).
func rescoreWith(tx core.App, sc *scorer, year int, withIDs bool) (int, error) {
	sheet, err := gatherKeptFacts(tx, sc.sources, year, "", withIDs)
	if err != nil {
		return 0, err
	}
	var deputies []string
	if err := tx.DB().Select("id").From("deputies").OrderBy("id").Column(&deputies); err != nil {
		return 0, err
	}
	// The rows without the facts and results they are about to replace.
	var rows []*core.Record
	err = tx.RecordQuery("assessment_scores").Select("id", "deputy", "year", "frozen", "created").
		AndWhere(dbx.HashExp{"year": year}).All(&rows)
	if err != nil {
		return 0, err
	}
	existing := make(map[string]*core.Record, len(rows))
	for _, r := range rows {
		existing[r.GetString("deputy")] = r
	}
	for _, d := range deputies {
		facts := sheet.counts(d, year)
		if withIDs {
			facts = sheet.facts(d, year)
		}
		if err := sc.save(tx, existing[d], facts); err != nil {
			return 0, err
		}
	}
	return len(deputies), nil
}

// CloseYear recomputes year one last time and freezes its scores: after
// this, records dated in that year no longer change them (年度关账). The
// system closes it (e.g. with the visit logs' year).
func CloseYear(app core.App, year int) (int, error) {
	return CloseYearBy(app, year, nil, "")
}

// CloseYearBy closes year as by (nil: the system) and records the close in
// the year's history with each deputy's total before and after: before is
// what the previous close froze when the year was reopened, otherwise the
// total as it stood. Closing a closed year does nothing.
func CloseYearBy(app core.App, year int, by *core.Record, reason string) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		closed, err := scoresFrozen(tx, year)
		if err != nil || closed {
			return err
		}
		before, err := yearTotals(tx, year)
		if err != nil {
			return err
		}
		if prev, err := lastFrozenTotals(tx, year); err != nil {
			return err
		} else if prev != nil {
			before = prev
		}
		if n, err = rescoreAll(tx, year, true); err != nil {
			return err
		}
		if _, err = tx.DB().Update("assessment_scores", dbx.Params{"frozen": true}, dbx.HashExp{"year": year}).Execute(); err != nil {
			return err
		}
		after, err := yearTotals(tx, year)
		if err != nil {
			return err
		}
		return yearlog.Write(tx, yearlog.Event{Ledger: yearlog.Assessment, Action: yearlog.Close, Year: year, By: by,
			Reason: reason, Changes: changesBetween(before, after)})
	})
	return n, err
}

// ErrYearOpen: the year is not closed, there is nothing to reopen.
var ErrYearOpen = errors.New("assessment: year not closed")

// ReopenYear reopens a closed year (重新开账) as by, for a written reason:
// the frozen scores are kept as they were in the year's history (the
// snapshot, with who, when and why), then every deputy is rescored from
// the records as they are now, and the year can be closed again.
func ReopenYear(app core.App, year int, by *core.Record, reason string) ([]yearlog.Change, error) {
	var changes []yearlog.Change
	err := app.RunInTransaction(func(tx core.App) error {
		closed, err := scoresFrozen(tx, year)
		if err != nil {
			return err
		}
		if !closed {
			return ErrYearOpen
		}
		before, err := yearTotals(tx, year)
		if err != nil {
			return err
		}
		snapshot, err := frozenSnapshot(tx, year)
		if err != nil {
			return err
		}
		if _, err := tx.DB().Update("assessment_scores", dbx.Params{"frozen": false}, dbx.HashExp{"year": year}).Execute(); err != nil {
			return err
		}
		if _, err := rescoreAll(tx, year, false); err != nil {
			return err
		}
		after, err := yearTotals(tx, year)
		if err != nil {
			return err
		}
		changes = changesBetween(before, after)
		return yearlog.Write(tx, yearlog.Event{Ledger: yearlog.Assessment, Action: yearlog.Reopen, Year: year, By: by,
			Reason: reason, Changes: changes, Snapshot: snapshot})
	})
	return changes, err
}

// frozenSnapshot is the year's frozen scores as they are, one object per
// deputy (the result with its breakdown included), for the history.
func frozenSnapshot(app core.App, year int) ([]map[string]any, error) {
	rows, err := app.FindAllRecords("assessment_scores", dbx.HashExp{"year": year})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		out = append(out, map[string]any{"deputy": r.GetString("deputy"), "total": r.GetFloat("total"),
			"base": r.GetFloat("base"), "bonus": r.GetFloat("bonus"), "grade": r.GetString("grade"),
			"grade_capped": r.GetBool("grade_capped"), "computed_at": r.GetString("computed_at"), "result": r.Get("result")})
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return strings.Compare(a["deputy"].(string), b["deputy"].(string)) })
	return out, nil
}

// deputyTotal is a deputy's stored total and grade in a year.
type deputyTotal struct {
	Deputy string  `db:"deputy"`
	Name   string  `db:"name"`
	Total  float64 `db:"total"`
	Grade  string  `db:"grade"`
}

func yearTotals(app core.App, year int) (map[string]deputyTotal, error) {
	var rows []deputyTotal
	err := app.DB().Select("s.deputy", "COALESCE(d.name, '') AS name", "s.total", "s.grade").From("assessment_scores s").
		LeftJoin("deputies d", dbx.NewExp("d.id = s.deputy")).Where(dbx.HashExp{"s.year": year}).All(&rows)
	out := make(map[string]deputyTotal, len(rows))
	for _, r := range rows {
		out[r.Deputy] = r
	}
	return out, err
}

// lastFrozenTotals are the totals the year's last reopen found frozen, nil
// if it was never reopened.
func lastFrozenTotals(app core.App, year int) (map[string]deputyTotal, error) {
	entries, err := yearlog.List(app, year, yearlog.Assessment)
	if err != nil {
		return nil, err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Action != yearlog.Reopen {
			continue
		}
		out := map[string]deputyTotal{}
		for _, c := range entries[i].Changes {
			if c.HadBefore {
				out[c.Deputy] = deputyTotal{Deputy: c.Deputy, Name: c.Name, Total: c.Before, Grade: c.GradeBefore}
			}
		}
		return out, nil
	}
	return nil, nil
}

// changesBetween lists every deputy of either side, by name.
func changesBetween(before, after map[string]deputyTotal) []yearlog.Change {
	out := []yearlog.Change{}
	for d, a := range after {
		b, had := before[d]
		out = append(out, yearlog.Change{Deputy: d, Name: a.Name, Before: b.Total, After: a.Total,
			GradeBefore: b.Grade, GradeAfter: a.Grade, HadBefore: had})
	}
	for d, b := range before {
		if _, ok := after[d]; !ok {
			out = append(out, yearlog.Change{Deputy: d, Name: b.Name, Before: b.Total, GradeBefore: b.Grade, HadBefore: true})
		}
	}
	slices.SortFunc(out, func(x, y yearlog.Change) int { return strings.Compare(x.Name+x.Deputy, y.Name+y.Deputy) })
	return out
}

func scoresFrozen(app core.App, year int) (bool, error) {
	var n int
	err := app.DB().Select("count(*)").From("assessment_scores").
		Where(dbx.HashExp{"year": year, "frozen": true}).Row(&n)
	return n > 0, err
}

// scorer holds what every score of one run shares: the rules and, per
// year, the rules' households setting and what was recorded that year.
type scorer struct {
	sources    []factSource
	rules      scoring.Rules
	scores     *core.Collection
	now        types.DateTime
	byYear     map[int]scoring.Rules
	unrecorded map[int]map[string]string
	from       map[string][]string // metric → the sources it is gathered from
}

func newScorer(app core.App) (*scorer, error) {
	rules, err := loadRules(app)
	if err != nil {
		return nil, err
	}
	sources := factSources
	scores, err := app.FindCachedCollectionByNameOrId("assessment_scores")
	if err != nil {
		return nil, err
	}
	now, _ := types.ParseDateTime(time.Now())
	return &scorer{sources: sources, rules: rules, scores: scores, now: now, byYear: map[int]scoring.Rules{},
		unrecorded: map[int]map[string]string{}, from: metricSources(sources)}, nil
}

// unrecordedIn is what nothing was recorded for in year (yearStatus), once
// per run.
func (sc *scorer) unrecordedIn(app core.App, year int) (map[string]string, error) {
	if u, ok := sc.unrecorded[year]; ok {
		return u, nil
	}
	u, err := yearStatus(app, sc.sources, year)
	if err != nil {
		return nil, err
	}
	sc.unrecorded[year] = u
	return u, nil
}

// yearStatusChanged reports whether the year's stored (unfrozen) scores
// were computed with another set of unrecorded metrics than now. With kept
// (only kept sources changed: keptOnly), only those sources are asked, and
// the status found is the run's when it has not changed.
func (sc *scorer) yearStatusChanged(app core.App, year int, kept []factSource) (bool, error) {
	var stored string
	err := app.DB().Select("facts").From("assessment_scores").
		Where(dbx.HashExp{"year": year, "frozen": false}).Limit(1).Row(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var facts scoring.Facts
	if err := json.Unmarshal([]byte(stored), &facts); err != nil {
		return true, nil
	}
	var now map[string]string
	if kept != nil {
		now, err = keptStatus(app, sc.sources, kept, year, facts.Unrecorded)
	} else {
		now, err = sc.unrecordedIn(app, year)
	}
	if err != nil {
		return false, err
	}
	if len(now) != len(facts.Unrecorded) {
		return true, nil // the whole year is rescored, its status asked of every source
	}
	for m := range now {
		if _, ok := facts.Unrecorded[m]; !ok {
			return true, nil
		}
	}
	sc.unrecorded[year] = now
	return false, nil
}

// rulesFor are the rules of year: the households a deputy must visit to
// escape the grade cap are the ≥12 households rule's own setting for that
// year (visit_years.households_required), not a second number.
func (sc *scorer) rulesFor(app core.App, year int) (scoring.Rules, error) {
	if r, ok := sc.byYear[year]; ok {
		return r, nil
	}
	r := sc.rules
	if r.CappedGrade != "" {
		rule, err := visits.Rule(app, year)
		if err != nil {
			return r, err
		}
		r.HouseholdsRequired = rule.Required
	}
	sc.byYear[year] = r
	return r, nil
}

// score scores facts (their Unrecorded set from the year's status) and
// names, on every item, the sources its numbers came from.
func (sc *scorer) score(app core.App, facts *scoring.Facts) (scoring.Result, error) {
	rules, err := sc.rulesFor(app, facts.Year)
	if err != nil {
		return scoring.Result{}, err
	}
	if facts.Unrecorded, err = sc.unrecordedIn(app, facts.Year); err != nil {
		return scoring.Result{}, err
	}
	res, err := scoring.Score(rules, *facts)
	if err != nil {
		return res, fmt.Errorf("score deputy %s year %d: %w", facts.DeputyID, facts.Year, err)
	}
	for i := range res.Items {
		rule := rules.Items[i]
		for _, m := range append([]string{rule.Metric}, deductionMetrics(rule)...) {
			for _, name := range sc.from[m] {
				if !slices.Contains(res.Items[i].Sources, name) {
					res.Items[i].Sources = append(res.Items[i].Sources, name)
				}
			}
		}
	}
	return res, nil
}

// inert lists the items of year nobody is scored on (inertItems).
func (sc *scorer) inert(app core.App, year int) ([]inertItem, error) {
	rules, err := sc.rulesFor(app, year)
	if err != nil {
		return nil, err
	}
	u, err := sc.unrecordedIn(app, year)
	if err != nil {
		return nil, err
	}
	return inertItems(rules, u), nil
}

// save writes the score of facts into row (a new row when nil). Frozen rows
// are never touched.
func (sc *scorer) save(app core.App, row *core.Record, facts scoring.Facts) error {
	if row != nil && row.GetBool("frozen") {
		return nil
	}
	res, err := sc.score(app, &facts)
	if err != nil {
		return err
	}
	inert, err := sc.inert(app, facts.Year)
	if err != nil {
		return err
	}
	if row == nil {
		row = core.NewRecord(sc.scores)
		row.Set("deputy", facts.DeputyID)
		row.Set("year", facts.Year)
	}
	row.Set("total", res.Total)
	row.Set("base", res.Base)
	row.Set("bonus", res.Bonus)
	row.Set("grade", res.Grade)
	row.Set("grade_capped", res.GradeCapped)
	row.Set("result", res)
	row.Set("facts", facts)
	row.Set("inert", inert)
	row.Set("computed_at", sc.now)
	return app.SaveNoValidate(row)
}
