package vocab_test

import (
	"slices"
	"testing"

	"simeng/vocab"
)

func TestListsHaveNoDuplicates(t *testing.T) {
	lists := map[string][]string{
		"topics": vocab.Topics, "enterprise topics": vocab.EnterpriseTopics, "departments": vocab.Departments,
		"inspection kinds": vocab.Values(vocab.InspectionKinds), "problem statuses": vocab.Values(vocab.ProblemStatuses),
		"hazard statuses": vocab.Values(vocab.HazardStatuses), "suggestion statuses": vocab.Values(vocab.SuggestionStatuses),
		"suggestion sources": vocab.Values(vocab.SuggestionSources),
	}
	for name, l := range lists {
		s := slices.Clone(l)
		slices.Sort(s)
		if len(slices.Compact(s)) != len(l) {
			t.Errorf("%s: duplicate values in %v", name, l)
		}
	}
	if !slices.Equal(vocab.Values(vocab.InspectionKinds), vocab.Values(vocab.InspectionKindShort)) {
		t.Error("inspection kinds and their short names differ")
	}
}

func TestLabel(t *testing.T) {
	if got := vocab.Label(vocab.InspectionKindShort, "safety"); got != "安全生产" {
		t.Errorf("Label = %q", got)
	}
	if got := vocab.Label(vocab.InspectionKindShort, "unknown"); got != "unknown" {
		t.Errorf("Label of an unknown value = %q", got)
	}
}
