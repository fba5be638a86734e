package analysis_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/hooks/analysis"
	"simeng/internal/testapp"
)

// A search with words reads its matches once and keeps them until the next
// write to the index: every page, and the count, are those the count and
// LIMIT … OFFSET queries give (analysis.SearchBySQL), before and after a
// demand is added, closed and deleted, at every page size.
func TestSearchKeptUntilTheNextWrite(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	words := "停水"
	same := func(step, status string) {
		t.Helper()
		for _, perPage := range []int{1, 2, 50} {
			for page := 1; page <= 7; page++ {
				var s searchResult
				query := fmt.Sprintf("/api/simeng/analysis/search?%s&q=%s&page=%d&perPage=%d", q, url.QueryEscape(words), page, perPage)
				if status != "" {
					query += "&status=" + status
				}
				getJSON(t, c, staff, query, &s)
				want, total, err := analysis.SearchBySQL(c.App, testapp.AnalysisQuarter, words, status, page, perPage)
				if err != nil {
					t.Fatal(err)
				}
				if s.TotalItems != total || !slices.Equal(s.ids(), want) && !(len(want) == 0 && len(s.Items) == 0) {
					t.Fatalf("%s, status %q, page %d of %d: %d %v, want %d %v", step, status, page, perPage, s.TotalItems, s.ids(), total, want)
				}
			}
		}
	}
	same("fixtures", "")
	same("fixtures again (kept)", "")

	// Each item names its record's deputy (read for the page in one query).
	var s searchResult
	getJSON(t, c, staff, "/api/simeng/analysis/search?"+q+"&perPage=50", &s)
	named := 0
	for _, it := range s.Items {
		collection, id, _ := strings.Cut(it.ID, "/")
		r, err := c.App.FindRecordById(collection, id)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if dep, err := c.App.FindRecordById("deputies", r.GetString("deputy")); err == nil {
			want = dep.GetString("name")
			named++
		}
		if it.DeputyName != want {
			t.Errorf("%s: deputy %q, want %q", it.ID, it.DeputyName, want)
		}
	}
	if named < 5 {
		t.Errorf("only %d of %d items have a deputy", named, len(s.Items))
	}
	same("fixtures", "closed")

	col := testapp.Collection(t, c.App, "suggestions")
	r := newRecord(col, map[string]any{"source": "qr", "deputy": f.Deputy, "category": "饮水安全",
		"content": "五组自来水停水三天了。", "received_at": time.Date(2025, 5, 9, 2, 0, 0, 0, time.UTC), "status": "received"})
	if err := c.App.Save(r); err != nil {
		t.Fatal(err)
	}
	same("one added", "")
	r.Set("status", "closed")
	r.Set("acknowledged_at", time.Date(2025, 5, 9, 3, 0, 0, 0, time.UTC))
	r.Set("answered_at", time.Date(2025, 5, 9, 4, 0, 0, 0, time.UTC))
	r.Set("closed_at", time.Date(2025, 5, 9, 5, 0, 0, 0, time.UTC))
	r.Set("reply", "已恢复供水。")
	if err := c.App.Save(r); err != nil {
		t.Fatal(err)
	}
	same("one closed", "closed")
	same("one closed", "")
	if err := c.App.Delete(r); err != nil {
		t.Fatal(err)
	}
	same("one deleted", "")
	same("one deleted", "closed")
}
