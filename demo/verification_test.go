package demo_test

import (
	"testing"
)

// TestDemoVerification: the demo shows a flag of every kind the server
// checks at push and by callback, signed visits, and both review decisions
// with the deputy's answer.
func TestDemoVerification(t *testing.T) {
	app := seededDemo(t)
	for _, kind := range []string{"far_from_village", "no_fix", "too_fast", "too_soon", "same_photo", "one_sitting", "late_upload", "callback_denied"} {
		var n int
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM visits, json_each(visits.flags) f WHERE f.value ->> 'kind' = {:k}").
			Bind(map[string]any{"k": kind}).Row(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("no open %s flag in the demo", kind)
		}
	}
	for what, q := range map[string]string{
		"signed visits":       "SELECT COUNT(*) FROM visits WHERE signed = 1",
		"accepted reviews":    "SELECT COUNT(*) FROM visit_reviews WHERE decision = 'accepted'",
		"not counted reviews": "SELECT COUNT(*) FROM visit_reviews WHERE decision = 'not_counted'",
		"answers":             "SELECT COUNT(*) FROM visit_reviews WHERE decision = 'answer'",
		"callback results":    "SELECT COUNT(*) FROM callbacks WHERE result != ''",
		"village positions":   "SELECT COUNT(*) FROM villages WHERE position != ''",
	} {
		var n int
		if err := app.DB().NewQuery(q).Row(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("the demo has no %s", what)
		}
	}
	var signed int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM visits WHERE signed = 1").Row(&signed); err != nil || signed != 3 {
		t.Errorf("%d signed visits, want 3 (%v)", signed, err)
	}
	// Honest demo field work is not flooded with flags: most visits carry none.
	var flagged, total int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM visits WHERE json_array_length(flags) > 0").Row(&flagged)
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM visits").Row(&total)
	if flagged*5 > total {
		t.Errorf("%d of %d demo visits flagged: the demo's ordinary visits should pass the checks", flagged, total)
	}
}
