package assessment_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// The attendance item is scored only against congress sessions that were
// recorded (held, with a register): a year without one leaves it inert for
// everyone, with the reason, instead of handing out the full 10 points; a
// deputy registered for no session is not scored on it; leave and absence
// deduct from the sessions the deputy was registered for.
func TestAttendanceIsScoredOnlyAgainstRecordedSessions(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "congress_attendance")
	if it.Points != 0 || !it.NotScored || !it.Unrecorded || !strings.Contains(it.Explanation, "本年度未登记人代会出席情况") {
		t.Fatalf("no session registered, yet %+v", it)
	}

	col, _ := app.FindCachedCollectionByNameOrId("meeting_attendance")
	a := core.NewRecord(col)
	a.Load(map[string]any{"meeting": f.IDs["meeting_congress"], "deputy": f.Deputy, "status": "leave", "half_days": 1, "leave_reason": "住院治疗"})
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	it = testapp.Item(t, testapp.Score(t, app, f.Deputy), "congress_attendance")
	if it.Points != 8 || it.NotScored || it.Explanation != "应出席人代会 4 个半天：基础 10 − 人代会请假 1 个半天×2 = 8" {
		t.Fatalf("one half-day on leave: %+v", it)
	}
	// Deputy2 has no register row: no case, not scored (the default policy).
	it = testapp.Item(t, testapp.Score(t, app, f.Deputy2), "congress_attendance")
	if it.Points != 0 || !it.NotScored || it.Unrecorded || !strings.Contains(it.Explanation, "本年度没有该代表应出席的人代会，此项按规则不计分") {
		t.Fatalf("deputy without a register row: %+v", it)
	}
}
