// Package analysis is the analysis of what residents ask for (高频诉求分析,
// R15): one view over every demand residents raise — suggestions of every
// source, problems raised on visits and elsewhere, and whatever later
// capabilities add with AddSource — with counts by category, village and
// month, the village × category hotspots, month-over-month trends, the
// recurring words (gse segmentation plus the township dictionary, 乡镇词典,
// staff edit), full-text search, recurring problems, charts, the Excel
// export shared with 信访/综治 and a read-only key for those departments.
//
// The pure work is package demand (segmentation, terms, the in-memory
// corpus, recurrence, the FTS5 text and query) and package charts. Here:
//   - sources.go: what a source is and the built-in ones (AddSource);
//   - index.go: demand_index and demand_fts, written in each record's own
//     transaction, rebuilt by `simeng analysis rebuild`;
//   - terms.go: terms extracted off the write path, the corpus;
//   - dictionary.go: the township dictionary and village names;
//   - viewer.go, deptkeys.go: who asks (roles, department keys) and the log;
//   - overview.go, termviews.go, search.go, export.go, chartviews.go: routes.
//
// Routes (presidium and staff unless said; departments by their scope):
//
//	GET  /api/simeng/analysis/overview?period=          counts, hotspots, months
//	GET  /api/simeng/analysis/terms?period=&village=&category=&limit=
//	GET  /api/simeng/analysis/terms/villages?period=
//	GET  /api/simeng/analysis/recurring?period=&village=&min=&threshold=&same_category=
//	GET  /api/simeng/analysis/search?q=&village=&category=&status=&source=&period=&page=&perPage=
//	                                                    deputies too: their own records
//	GET  /api/simeng/analysis/records?ids=suggestions/a,problems/b   deputies too
//	GET  /api/simeng/analysis/export.xlsx?…&include_pii=1&reason=   include_pii: staff
//	GET  /api/simeng/analysis/charts/{trend|categories|villages|sources}.svg?period=
//	POST /api/simeng/analysis/segment {text}             staff: 试分词
//	POST /api/simeng/analysis/words/import {text, replace}  staff
//	POST /api/simeng/analysis/rebuild                    staff
//	POST /api/simeng/analysis/dept-keys {name, scope, villages, expires}  staff
package analysis

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
)

const storeKey = "simeng.analysis"

// desk is the capability's per-app state.
type desk struct {
	mu      sync.Mutex
	sources []*Source

	// corpus holds every extracted record's terms, built on first use
	// (corpusMu guards building it).
	corpusMu sync.Mutex
	corpus   *demand.Corpus
	// generation counts changes to the corpus, for what is kept of what
	// is computed from it: quarters' recurrence flags, whole answers.
	generation uint64
	recurrence *keptCache[map[string]flag]
	rendered   *keptCache[renderedAnswer] // words by village

	dict     *dictState
	counts   *countCache
	searches *keptCache[[]string]
	worker   *worker
	guard    *rateGuard
}

func deskOf(app core.App) *desk {
	if d, ok := app.Store().Get(storeKey).(*desk); ok {
		return d
	}
	d := &desk{dict: &dictState{}, counts: newCountCache(), guard: newRateGuard(),
		searches: newSearchCache(), recurrence: newRecurrenceCache(), rendered: newRenderedCache()}
	app.Store().Set(storeKey, d)
	return d
}

// Register wires the analysis: the built-in sources (suggestions,
// problems), the index hooks, the township dictionary, the extraction
// worker (on a real serve only) and the routes.
func Register(app core.App) {
	d := deskOf(app)
	for _, s := range builtinSources() {
		AddSource(app, s)
	}
	bindDictionary(app, d)
	bindDeptKeys(app)
	bindAccessLog(app)
	bindRoutes(app)
	bindWorker(app, d)
}
