package queryplan

import "testing"

func TestViolates(t *testing.T) {
	tables := map[string]string{"v": "visits", "visits": "visits", "d": "deputies"}
	partial := map[string]bool{"idx_visits_flagged": true}
	q := "SELECT * FROM visits v LEFT JOIN deputies d ON d.id = v.deputy ORDER BY v.visited_at"
	for _, c := range []struct {
		rule string
		plan []string
		want bool
	}{
		{"SCAN visits", []string{"SCAN v"}, true},
		{"SCAN visits", []string{"SCAN v USING INDEX idx_visits_deputy_visited_at"}, true},
		{"SCAN visits", []string{"SCAN v USING COVERING INDEX idx_visits_deputy_visited_at"}, true},
		{"SCAN visits", []string{"SCAN v USING INDEX idx_visits_flagged"}, false},
		{"SCAN visits", []string{"SCAN v USING COVERING INDEX idx_visits_flagged"}, false},
		{"SCAN visits", []string{"SEARCH v USING INDEX idx_visits_deputy_visited_at (deputy=?)", "SCAN d"}, false},
		{"SORT visits", []string{"SCAN v", "USE TEMP B-TREE FOR ORDER BY"}, true},
		{"SORT visits", []string{"SCAN v USING INDEX idx_visits_flagged", "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"}, false},
	} {
		if got := violates(c.rule, c.plan, tables, partial, q); got != c.want {
			t.Errorf("%s on %q = %v, want %v", c.rule, c.plan, got, c.want)
		}
	}
}
