package demand_test

import (
	"reflect"
	"testing"
	"time"

	"simeng/demand"
	"simeng/demand/sample"
)

// TestRecurrencesMatchRefOnSample checks on generated demands (hotspots and
// recurring problems in realistic texts, few villages so that each holds
// many clusters) that Recurrences, which skips the heavy clusters of a
// report's common words, answers exactly what the clustering that read
// every posting (RefRecurrences) answered.
func TestRecurrencesMatchRefOnSample(t *testing.T) {
	docs := extractAll(sample.Generate(4000, sample.Config{Seed: 5, Villages: sample.Villages[:2]}))
	clusters := 0
	for _, kind := range []demand.PeriodKind{demand.Quarter, demand.Year} {
		p := demand.PeriodOf(kind, time.Date(2025, 5, 1, 0, 0, 0, 0, demand.China))
		for _, o := range []demand.RecurOptions{{}, {MinReports: 5}, {MinReports: 2, Threshold: 0.3},
			{Threshold: 0.8}, {SameCategory: true, Threshold: 0.4}, {Village: sample.Villages[1], Threshold: 0.6}} {
			o.From, o.To = p.Start, p.End()
			want := demand.RefRecurrences(docs, o)
			clusters += len(want)
			if got := demand.Recurrences(docs, o); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %+v:\n got %v\nwant %v", kind, o, got, want)
			}
		}
	}
	if clusters < 50 {
		t.Fatalf("only %d clusters: the data do not exercise the clustering", clusters)
	}
}
