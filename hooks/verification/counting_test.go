package verification_test

import (
	"net/http"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// TestCountingSettings: the three counting settings drive the ≥12
// households count (GET /api/visits/progress) and the assessment's
// households item alike. The deputy's year holds the seeded visit_a
// (unreviewed, unconfirmed) and three pushed visits to new households:
// one plain, one not counted on review, one confirmed by a callback.
func TestCountingSettings(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	// Hours ago, but in this year, whose households are counted (on
	// 1 January the hours before are last year's).
	now := time.Now()
	plain := pushFlagged(t, s, deputy, f.VillageA, testapp.InThisYear(now.Add(-2*time.Hour)))
	excluded := pushFlagged(t, s, deputy, f.VillageA, testapp.InThisYear(now.Add(-3*time.Hour)))
	confirmed := pushFlagged(t, s, deputy, f.VillageA, testapp.InThisYear(now.Add(-4*time.Hour)))
	_ = plain
	if status, out := s.Do(presidium, http.MethodPost, "/api/verification/visits/"+excluded+"/review",
		map[string]any{"decision": "not_counted", "note": "照片与定位都不符"}); status != 200 {
		t.Fatalf("review: %d %v", status, out)
	}
	markCallbackConfirmed(t, s, confirmed)

	settings, err := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(settings) != 1 {
		t.Fatal("no settings row")
	}
	url := "/api/collections/verification_settings/records/" + settings[0].Id
	for _, c := range []struct {
		mode       string
		households float64
	}{
		{"not_excluded", 3}, // the default: all but the one not counted
		{"all", 4},
		{"confirmed", 1},
		{"not_excluded", 3},
	} {
		if status, out := s.Do(staff, http.MethodPatch, url, map[string]any{"count_mode": c.mode}); status != 200 {
			t.Fatalf("set %s: %d %v", c.mode, status, out)
		}
		if got := households(t, s); got != c.households {
			t.Errorf("%s: progress counts %v households, want %v", c.mode, got, c.households)
		}
		ids := testapp.Item(t, testapp.Score(t, s.App, f.Deputy), "households").RecordIDs
		if float64(len(ids)) != c.households {
			t.Errorf("%s: the assessment counts %d households %v, want %v", c.mode, len(ids), ids, c.households)
		}
	}
	// confirmation required forces confirmed counting
	if status, out := s.Do(staff, http.MethodPatch, url, map[string]any{"confirmation": "required", "count_mode": "not_excluded"}); status != 200 {
		t.Fatalf("set required: %d %v", status, out)
	}
	if got := households(t, s); got != 1 {
		t.Errorf("confirmation required: %v households, want 1", got)
	}
}
