package plausibility

import (
	"slices"
	"testing"
)

func TestCounts(t *testing.T) {
	standings := []Standing{
		{Visit: "plain"},
		{Visit: "accepted", Decision: Accepted},
		{Visit: "excluded", Decision: NotCounted},
		{Visit: "signed", Signed: true},
		{Visit: "signed_excluded", Signed: true, Decision: NotCounted},
		{Visit: "callback_ok", Callback: Confirmed},
		{Visit: "callback_unreachable", Callback: Unreachable},
		{Visit: "signed_but_denied", Signed: true, Callback: Denied},
		{Visit: "denied_accepted", Callback: Denied, Decision: Accepted},
	}
	tests := []struct {
		mode CountMode
		want []string
	}{
		{CountAll, []string{"plain", "accepted", "excluded", "signed", "signed_excluded", "callback_ok",
			"callback_unreachable", "signed_but_denied", "denied_accepted"}},
		{CountNotExcluded, []string{"plain", "accepted", "signed", "callback_ok", "callback_unreachable",
			"signed_but_denied", "denied_accepted"}},
		{"", []string{"plain", "accepted", "signed", "callback_ok", "callback_unreachable",
			"signed_but_denied", "denied_accepted"}}, // the default
		{"bogus", []string{"plain", "accepted", "signed", "callback_ok", "callback_unreachable",
			"signed_but_denied", "denied_accepted"}},
		{CountConfirmedOnly, []string{"signed", "callback_ok"}},
	}
	for _, tt := range tests {
		if got := Counted(tt.mode, standings); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v\nwant %v", tt.mode, got, tt.want)
		}
	}
	if CountMode("").Normalized() != CountNotExcluded || CountModes[0] != CountNotExcluded {
		t.Error("the default mode is not_excluded")
	}
}
