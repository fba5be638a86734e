package assessment

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// A push of visits is the write the rescore worker sees most: a deputy
// syncing a week of field work. Gathering every source again for that
// deputy, and asking every source whether the year recorded anything,
// cost more than the pushed visits' own hooks. When every record written
// since the worker's last run belongs to collections that only sources
// keeping their facts in memory watch (the visits), and no other source
// adds to those sources' metrics, nothing any other source reads has
// changed: the deputy's other facts are as their stored row holds them,
// and the year's other metrics recorded as the stored status says. Then
// only the kept sources are gathered and asked again. Any other write, a
// deputy without a stored row, or a row whose facts cannot be read takes
// the full path; TestIncrementalScoresEqualFullRecompute holds both to a
// full recompute.

// keptOnly returns the sources to gather again when only kept sources'
// collections changed, else nil (gather every source).
func keptOnly(sources []factSource, changed map[string][]string) []factSource {
	if len(changed) == 0 {
		return nil
	}
	var dirty []factSource
	for collection := range changed {
		watched := false
		for _, s := range sources {
			if _, ok := s.watch[collection]; !ok {
				continue
			}
			if s.kept == nil {
				return nil
			}
			watched = true
			if !slices.ContainsFunc(dirty, func(d factSource) bool { return d.name == s.name }) {
				dirty = append(dirty, s)
			}
		}
		if !watched {
			return nil
		}
	}
	for _, s := range sources {
		if slices.ContainsFunc(dirty, func(d factSource) bool { return d.name == s.name }) {
			continue
		}
		for _, d := range dirty {
			for _, m := range d.metrics {
				if slices.Contains(s.metrics, m) {
					return nil
				}
			}
		}
	}
	return dirty
}

// keptStatus is the year's status (yearStatus) when only the kept
// sources changed: stored, the status the year's rows were scored with;
// the kept sources' metrics asked again.
func keptStatus(app core.App, all, kept []factSource, year int, stored map[string]string) (map[string]string, error) {
	fresh, err := recordedIn(app, kept, year)
	if err != nil {
		return nil, err
	}
	recorded := map[string]bool{}
	for _, m := range scoring.Metrics() {
		_, unrecorded := stored[m.Name]
		recorded[m.Name] = !unrecorded
	}
	for _, s := range kept {
		for _, m := range s.metrics {
			recorded[m] = fresh[m]
		}
	}
	return unrecordedOf(all, recorded), nil
}

// keptFactsOf is the deputy's facts of year for the stored row: the row's
// facts with the kept sources' metrics gathered again; false when the
// row's facts cannot be read (take the full path).
func keptFactsOf(app core.App, kept []factSource, row *core.Record, deputy string, year int) (scoring.Facts, bool, error) {
	var facts scoring.Facts
	if err := decodeJSONField(row, "facts", &facts); err != nil || facts.DeputyID != deputy || facts.Year != year {
		return facts, false, nil
	}
	if facts.Metrics == nil {
		facts.Metrics = map[string]scoring.Fact{}
	}
	sheet := factSheet{}
	span := spanOf(year)
	for _, s := range kept {
		if err := s.kept.gather(app, span, deputy, false, sheet); err != nil {
			return facts, false, err
		}
		for _, m := range s.metrics {
			delete(facts.Metrics, m)
		}
	}
	for m, f := range sheet.counts(deputy, year).Metrics {
		facts.Metrics[m] = f
	}
	return facts, true, nil
}
