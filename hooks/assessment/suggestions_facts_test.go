package assessment_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

func saveSuggestion(t testing.TB, app core.App, deputyID string, received time.Time, status string) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("suggestions")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"source": "station", "deputy": deputyID, "category": "道路交通",
		"content": "村口路灯坏了三个月，晚上出行不安全。", "received_at": received, "status": status})
	if status == "answered" {
		r.Set("reply", "已联系村委会，下周修好路灯。")
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Residents' suggestions feed the responsiveness items from stored state:
// the acknowledgement and answer stamps against their deadlines, the
// overdue flags the cron sets, and the residents' satisfaction; spam does
// not count.
func TestSuggestionsFeedResponsiveness(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)

	// Deputy2 has one fresh, undecided suggestion: no case yet.
	res := testapp.Score(t, app, f.Deputy2)
	if it := testapp.Item(t, res, "ack_on_time"); it.Points != 8 || !strings.Contains(it.Explanation, "全年无相关事项") {
		t.Fatalf("undecided case counted: %+v", it)
	}
	// Answered at once: on time.
	answered := saveSuggestion(t, app, f.Deputy2, time.Now().Add(-time.Hour), "answered")
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "feedback_on_time"); it.Points != 5 || !strings.Contains(it.Explanation, "1/1") {
		t.Fatalf("answered on time: %+v", it)
	}
	// The cron flags the other one overdue: 1 of 2 on time, below 80%.
	pending, err := app.FindRecordById("suggestions", f.IDs["suggestion_b"])
	if err != nil {
		t.Fatal(err)
	}
	pending.Set("ack_overdue", true)
	if err := app.Save(pending); err != nil {
		t.Fatal(err)
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "ack_on_time"); it.Points != 0 || !strings.Contains(it.Explanation, "1/2") {
		t.Fatalf("one overdue: %+v", it)
	}
	// Marked spam by staff: no longer a case.
	pending.Set("moderation", "spam")
	if err := app.Save(pending); err != nil {
		t.Fatal(err)
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "ack_on_time"); it.Points != 8 || !strings.Contains(it.Explanation, "1/1") {
		t.Fatalf("spam counted: %+v", it)
	}
	// 基本满意 on the answered case: 5×(2−1)÷(3−1) = 2.5.
	answered.Set("satisfaction", "basic")
	if err := app.Save(answered); err != nil {
		t.Fatal(err)
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "satisfaction"); it.Points != 2.5 {
		t.Fatalf("satisfaction: %+v", it)
	}
}
