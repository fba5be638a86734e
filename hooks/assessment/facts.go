package assessment

import (
	"sort"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/scoring"
)

// A factSource is one kind of record the assessment (量化考核) reads. Each
// lives in a file of its own (facts_<source>.go). A rule item whose metric
// no source fills in stays inert instead of being scored from nothing
// (effectiveRules).
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
}

// factSources are every source the assessment reads. A missing collection
// is an error, never a source quietly left out.
var factSources = []factSource{meetingsSource, activitiesSource, visitsSource, suggestionsSource, inspectionsSource, stationSource, researchSource}

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

type factTally struct {
	value, total float64
	ids          []string
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

// addEach counts one unit of metric for deputy from each record id.
func (s factSheet) addEach(deputy, metric string, ids []string) {
	for _, id := range ids {
		s.add(deputy, metric, 1, id)
	}
}

// addOutOf counts one case of a ratio or mean metric: value (1 on time, 0
// late; or a rating) out of one case.
func (s factSheet) addOutOf(deputy, metric string, value float64, id string) {
	t := s.factTally(deputy, metric)
	t.value += value
	t.total++
	t.ids = append(t.ids, id)
}

// facts returns the deputy's scoring.Facts; record ids are sorted so that
// the stored facts do not depend on query order.
func (s factSheet) facts(deputy string, year int) scoring.Facts {
	f := scoring.Facts{DeputyID: deputy, Year: year, Metrics: map[string]scoring.Fact{}}
	for metric, t := range s[deputy] {
		ids := append([]string(nil), t.ids...)
		sort.Strings(ids)
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

// providedMetrics are the metrics the sources fill in.
func providedMetrics(sources []factSource) map[string]bool {
	out := map[string]bool{}
	for _, s := range sources {
		for _, m := range s.metrics {
			out[m] = true
		}
	}
	return out
}

// inertItem is a rule item that is not scored because no source provides
// a metric it reads.
type inertItem struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Max     float64  `json:"max"`
	Metrics []string `json:"metrics"`
	Reason  string   `json:"reason"`
}

// effectiveRules drops the items whose metrics no source provides, and the
// households grade cap when no source counts households: scoring them from
// missing data would give free points (no suggestions means "none late") or
// punish everyone (no visits means "0 households").
func effectiveRules(rules scoring.Rules, provided map[string]bool) (scoring.Rules, []inertItem) {
	out := rules
	out.Items = nil
	inert := []inertItem{}
	for _, item := range rules.Items {
		var missing []string
		if item.Metric != "" && !provided[item.Metric] {
			missing = append(missing, item.Metric)
		}
		for _, d := range item.Deductions {
			if !provided[d.Metric] {
				missing = append(missing, d.Metric)
			}
		}
		if len(missing) == 0 {
			out.Items = append(out.Items, item)
			continue
		}
		inert = append(inert, inertItem{Key: item.Key, Title: item.Title, Max: item.Cap, Metrics: missing,
			Reason: "数据来源尚未接入本平台，本项暂不计分"})
	}
	if out.HouseholdsRequired > 0 && !provided[scoring.MetricHouseholds] {
		out.HouseholdsRequired = 0
		out.CappedGrade = ""
		inert = append(inert, inertItem{Key: "households_required", Title: "全年走访不少于12户（等次封顶）",
			Metrics: []string{scoring.MetricHouseholds}, Reason: "走访记录尚未接入本平台，暂不据此限制等次"})
	}
	return out, inert
}
