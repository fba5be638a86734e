package assessment

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/scoring"
)

// A factSource is one kind of record the assessment (量化考核) reads. Each
// lives in a file of its own (facts_<source>.go). A rule item reading a
// metric that no source recorded anything for this year (or that no
// source provides at all) is not scored, with the reason, instead of being
// scored from nothing (yearStatus).
type factSource struct {
	name    string   // Chinese, shown in the 履职档案
	metrics []string // the scoring metrics it fills in
	// watch maps each collection whose writes change the facts to the
	// (deputy, year) pairs a record of it touches.
	watch map[string]func(app core.App, r *core.Record) ([]deputyYear, error)
	// gather adds the facts of year for one deputy, or all when deputy is "".
	gather func(app core.App, span yearSpan, deputy string, sheet factSheet) error
	// entries lists the records for the 履职档案, for one deputy or all.
	entries func(app core.App, span yearSpan, deputy string) ([]dossierEntry, error)
	// recorded reports which of its metrics have at least one record in
	// the year, for any deputy. For ratio and mean metrics and for
	// deductions it means the cases were recorded at all (a session with
	// its register, a suggestion decided), not that one went wrong.
	recorded func(app core.App, span yearSpan) (map[string]bool, error)
	// reasons word, per metric, why nothing counts when this source
	// recorded nothing; the default names the metric and the source.
	reasons map[string]string
	// kept, if set, keeps the source's facts per deputy and year in memory,
	// brought up to date by each change of the watched records, so that
	// rescoring a deputy after a write does not read their year again.
	kept keptFacts
}

// keptFacts are a source's facts kept in memory, per app. Only the rescore
// worker reads and updates them (one run at a time, in its transaction).
type keptFacts interface {
	// take brings the kept facts up to date with the records of collection
	// whose ids were written (reading those records again).
	take(app core.App, collection string, ids []string) error
	// gather adds the kept facts of the year to sheet, reading them first
	// if they are not kept yet: one deputy's counts only (a sheet read by
	// counts, to rescore them), or every deputy's when deputy is "", with
	// their records' ids if withIDs (a sheet read by facts, as closing a
	// year does) else counts only (a year recomputed).
	gather(app core.App, span yearSpan, deputy string, withIDs bool, sheet factSheet) error
	// forget drops everything kept.
	forget(app core.App)
}

// factSources are every source the assessment reads. A missing collection
// is an error, never a source quietly left out.
var factSources = []factSource{meetingsSource, activitiesSource, visitsSource, suggestionsSource, inspectionsSource, stationSource, researchSource, proposalsSource, projectsSource, reviewsSource}

type deputyYear struct {
	deputy string
	year   int
}

// yearSpan is a calendar year in China Standard Time, as the UTC date strings
// PocketBase stores, so that a meeting at 2025-01-01 07:00 (Beijing) counts
// for 2025 although it is still 2024 in UTC.
type yearSpan struct {
	year     int
	from, to string // [from, to)
}

func spanOf(year int) yearSpan {
	from, to := chinatime.Span(year)
	return yearSpan{year: year, from: from, to: to}
}

// yearOf is the year in China Standard Time of a stored date; 0 when unset.
func yearOf(d types.DateTime) int { return chinatime.Year(d.Time()) }

// factSheet accumulates facts per deputy and metric; several sources may add
// to one metric (activities come from meetings and from recorded activities).
type factSheet map[string]map[string]*factTally

// factTally is one metric's count so far and the ids of the records it
// came from: ids one by one (add), lists as handed over (addEach), so that
// counting a busy deputy's 10,000 visits touches no id until the ids are
// asked for (facts with ids), which the rescore after a write never does.
type factTally struct {
	value, total float64
	ids          []string
	lists        [][]string // read only: a gatherer's slices, never changed here
}

func (s factSheet) factTally(deputy, metric string) *factTally {
	m := s[deputy]
	if m == nil {
		m = map[string]*factTally{}
		s[deputy] = m
	}
	t := m[metric]
	if t == nil {
		t = &factTally{}
		m[metric] = t
	}
	return t
}

// add counts value units of metric for deputy, from record id.
func (s factSheet) add(deputy, metric string, value float64, id string) {
	t := s.factTally(deputy, metric)
	t.value += value
	t.ids = append(t.ids, id)
}

// addEach counts one unit of metric for deputy from each record id. The
// list is kept as it is (not copied): the caller must not change it after.
func (s factSheet) addEach(deputy, metric string, ids []string) {
	if len(ids) == 0 {
		return
	}
	t := s.factTally(deputy, metric)
	t.value += float64(len(ids))
	t.lists = append(t.lists, ids)
}

// addCount counts n units of metric for deputy without their records'
// ids: only for a sheet read by counts (the rescore of one deputy).
func (s factSheet) addCount(deputy, metric string, n int) {
	if n == 0 {
		return
	}
	s.factTally(deputy, metric).value += float64(n)
}

// addOutOf counts one case of a ratio or mean metric: value (1 on time, 0
// late; or a rating) out of one case.
func (s factSheet) addOutOf(deputy, metric string, value float64, id string) {
	t := s.factTally(deputy, metric)
	t.value += value
	t.total++
	t.ids = append(t.ids, id)
}

// recordIDs are every id the tally counted, sorted so that what is stored
// does not depend on query order.
func (t *factTally) recordIDs() []string {
	n := len(t.ids)
	for _, l := range t.lists {
		n += len(l)
	}
	ids := make([]string, 0, n)
	ids = append(ids, t.ids...)
	for _, l := range t.lists {
		ids = append(ids, l...)
	}
	sort.Strings(ids)
	return ids
}

// facts returns the deputy's scoring.Facts with the ids of the records
// behind every metric (for a frozen year's row, the 履职档案 and tests).
func (s factSheet) facts(deputy string, year int) scoring.Facts {
	return s.factsOf(deputy, year, true)
}

// counts returns the deputy's scoring.Facts without record ids: what an
// open year's score row stores, so that rescoring a deputy after a write
// costs the same whatever the number of records they hold (the ids are
// listed on demand: withRecords).
func (s factSheet) counts(deputy string, year int) scoring.Facts {
	return s.factsOf(deputy, year, false)
}

func (s factSheet) factsOf(deputy string, year int, withIDs bool) scoring.Facts {
	f := scoring.Facts{DeputyID: deputy, Year: year, Metrics: map[string]scoring.Fact{}}
	for metric, t := range s[deputy] {
		var ids []string
		if withIDs {
			ids = t.recordIDs()
		}
		if m, _ := scoring.LookupMetric(metric); m.Type == scoring.TypeRatio || m.Type == scoring.TypeMean {
			f.SetOutOf(metric, t.value, t.total, ids...)
		} else {
			f.Set(metric, t.value, ids...)
		}
	}
	return f
}

// gatherFacts collects the facts of year for one deputy ("" = all) from
// every source.
func gatherFacts(app core.App, sources []factSource, year int, deputy string) (factSheet, error) {
	sheet := factSheet{}
	span := spanOf(year)
	for _, s := range sources {
		if err := s.gather(app, span, deputy, sheet); err != nil {
			return nil, err
		}
	}
	return sheet, nil
}

// gatherKeptFacts is gatherFacts in the rescore worker and the recompute:
// sources that keep their facts in memory serve them from there, with
// their records' ids only if withIDs (the sheet is read by facts, not
// counts).
func gatherKeptFacts(app core.App, sources []factSource, year int, deputy string, withIDs bool) (factSheet, error) {
	sheet := factSheet{}
	span := spanOf(year)
	for _, s := range sources {
		var err error
		if s.kept != nil {
			err = s.kept.gather(app, span, deputy, withIDs, sheet)
		} else {
			err = s.gather(app, span, deputy, sheet)
		}
		if err != nil {
			return nil, err
		}
	}
	return sheet, nil
}

// takeChanges hands the records written since the worker's last run to the
// sources that keep facts of their collections.
func takeChanges(app core.App, sources []factSource, changed map[string][]string) error {
	for _, s := range sources {
		if s.kept == nil {
			continue
		}
		for collection := range s.watch {
			if ids := changed[collection]; len(ids) > 0 {
				if err := s.kept.take(app, collection, ids); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// forgetKeptFacts drops every source's kept facts: they are read afresh
// when next needed (after a full recompute, or writes not told about).
func forgetKeptFacts(app core.App) {
	for _, s := range factSources {
		if s.kept != nil {
			s.kept.forget(app)
		}
	}
}

// notConnected is the reason of a metric no source provides.
const notConnected = "数据来源尚未接入本平台"

// yearStatus returns the metrics nothing was recorded for in the year,
// each with its reason in Chinese: metrics no source provides, and
// metrics whose every source recorded nothing that year.
func yearStatus(app core.App, sources []factSource, year int) (map[string]string, error) {
	recorded, err := recordedIn(app, sources, year)
	if err != nil {
		return nil, err
	}
	return unrecordedOf(sources, recorded), nil
}

// recordedIn is which metrics the sources recorded anything for in year.
func recordedIn(app core.App, sources []factSource, year int) (map[string]bool, error) {
	span := spanOf(year)
	recorded := map[string]bool{}
	for _, s := range sources {
		if s.recorded == nil {
			return nil, fmt.Errorf("assessment: the fact source %s cannot say what it recorded (no recorded func)", s.name)
		}
		got, err := s.recorded(app, span)
		if err != nil {
			return nil, err
		}
		for m, ok := range got {
			recorded[m] = recorded[m] || ok
		}
	}
	return recorded, nil
}

// unrecordedOf is yearStatus's answer from what was recorded (every
// source of sources asked).
func unrecordedOf(sources []factSource, recorded map[string]bool) map[string]string {
	providers := map[string][]factSource{}
	for _, s := range sources {
		for _, m := range s.metrics {
			providers[m] = append(providers[m], s)
		}
	}
	out := map[string]string{}
	for _, m := range scoring.Metrics() {
		ps := providers[m.Name]
		switch {
		case len(ps) == 0:
			out[m.Name] = notConnected
		case !recorded[m.Name]:
			if len(ps) == 1 && ps[0].reasons[m.Name] != "" {
				out[m.Name] = ps[0].reasons[m.Name]
				continue
			}
			names := make([]string, len(ps))
			for i, p := range ps {
				names[i] = p.name
			}
			out[m.Name] = fmt.Sprintf("本年度全镇没有「%s」的记录（来源：%s）", m.Label, strings.Join(names, "、"))
		}
	}
	return out
}

// metricSources names, per metric, the sources it is gathered from.
func metricSources(sources []factSource) map[string][]string {
	out := map[string][]string{}
	for _, s := range sources {
		for _, m := range s.metrics {
			out[m] = append(out[m], s.name)
		}
	}
	return out
}

// inertItem is a rule item that is not scored this year for anyone,
// because nothing was recorded for a metric it reads.
type inertItem struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Max     float64  `json:"max"`
	Metrics []string `json:"metrics"`
	Reason  string   `json:"reason"`
}

// inertItems lists the items of rules that unrecorded leaves unscored,
// and the households grade cap when no visit was recorded: scoring them
// would give free points (no suggestions means "none late") or punish
// everyone (no visits means "0 households"). A year with an empty source
// never has an empty list.
func inertItems(rules scoring.Rules, unrecorded map[string]string) []inertItem {
	inert := []inertItem{}
	for _, item := range rules.Items {
		var missing, reasons []string
		for _, m := range append([]string{item.Metric}, deductionMetrics(item)...) {
			if r, ok := unrecorded[m]; ok && m != "" {
				missing = append(missing, m)
				if !slices.Contains(reasons, r) {
					reasons = append(reasons, r)
				}
			}
		}
		if len(missing) == 0 {
			continue
		}
		inert = append(inert, inertItem{Key: item.Key, Title: item.Title, Max: item.Cap, Metrics: missing,
			Reason: strings.Join(reasons, "；") + "，本项本年度不计分"})
	}
	if r, ok := unrecorded[scoring.MetricHouseholds]; ok && rules.HouseholdsRequired > 0 {
		inert = append(inert, inertItem{Key: "households_required",
			Title:   fmt.Sprintf("全年走访不少于%d户（等次封顶）", rules.HouseholdsRequired),
			Metrics: []string{scoring.MetricHouseholds}, Reason: r + "，本年度不据此限制等次"})
	}
	return inert
}

func deductionMetrics(item scoring.Rule) []string {
	out := make([]string, len(item.Deductions))
	for i, d := range item.Deductions {
		out[i] = d.Metric
	}
	return out
}
