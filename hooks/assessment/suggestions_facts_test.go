package assessment_test

import (
	"fmt"
	"net/http"
	"net/url"
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

	// Deputy2 has one fresh, undecided suggestion: no case yet, so under
	// the default policy the item is not scored (and says so).
	res := testapp.Score(t, app, f.Deputy2)
	if it := testapp.Item(t, res, "ack_on_time"); it.Points != 0 || !it.NotScored || !strings.Contains(it.Explanation, "本年度无计入考核的群众建议，此项按规则不计分") {
		t.Fatalf("undecided case counted: %+v", it)
	}
	// Answered at once: on time.
	answered := saveSuggestion(t, app, f.Deputy2, testapp.InThisYear(time.Now().Add(-time.Hour)), "answered")
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

// The abuse the issue found: a deputy logs suggestions "from a visit" and
// answers them at once to lift their 24-hour ratio, then rates them 满意
// through the tracking code the create response carries. Their own
// entries never count toward their timeliness or satisfaction, and the
// tracking code cannot rate.
func TestOwnSuggestionsDoNotRaiseTheScore(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	srv := testapp.Serve(t, app, nil)
	before := testapp.Score(t, app, f.Deputy)
	received := testapp.InThisYear(time.Now().Add(-time.Hour)).UTC().Format("2006-01-02 15:04:05.000Z")
	for i := range 6 {
		status, made := srv.Do(deputy, http.MethodPost, "/api/collections/suggestions/records", map[string]any{
			"source": "visit", "deputy": f.Deputy, "category": "道路交通", "received_at": received,
			"content": fmt.Sprintf("走访中听到第%d户反映村道坑洼，需要修补。", i+1)})
		if status != 200 {
			t.Fatalf("create: %d %v", status, made)
		}
		id, tracking := made["id"].(string), made["tracking"].(string)
		if status, res := srv.Do(deputy, http.MethodPatch, "/api/collections/suggestions/records/"+id,
			map[string]any{"status": "answered", "reply": "已当场答复，下周安排修补。"}); status != 200 {
			t.Fatalf("answer: %d %v", status, res)
		}
		stored, _ := app.FindRecordById("suggestions", id)
		if stored.GetString("entered_by") != f.Deputy || stored.GetString("rating_key") != "" {
			t.Fatalf("entered_by %q, rating key %q", stored.GetString("entered_by"), stored.GetString("rating_key"))
		}
		form := url.Values{"satisfaction": {"satisfied"}, "k": {tracking}}
		res, err := http.PostForm(srv.URL+"/t/"+tracking, form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("rated with the tracking code: %d", res.StatusCode)
		}
	}
	// A body naming who entered it is refused, not believed.
	if status, res := srv.Do(deputy, http.MethodPost, "/api/collections/suggestions/records", map[string]any{
		"source": "visit", "deputy": f.Deputy, "category": "其他", "content": "代填他人登记人", "received_at": received,
		"entered_by": f.Deputy2}); status != 400 || !strings.Contains(fmt.Sprint(res), "entered_by") {
		t.Fatalf("entered_by in the body: %d %v", status, res)
	}
	after := testapp.Score(t, app, f.Deputy)
	for _, key := range []string{"ack_on_time", "feedback_on_time", "satisfaction"} {
		b, a := testapp.Item(t, before, key), testapp.Item(t, after, key)
		if a.Points != b.Points || a.Explanation != b.Explanation {
			t.Errorf("%s moved from %v (%s) to %v (%s) on the deputy's own entries", key, b.Points, b.Explanation, a.Points, a.Explanation)
		}
	}
	if after.Total != before.Total {
		t.Errorf("total moved from %v to %v", before.Total, after.Total)
	}
	// The dossier lists them, saying why they do not count.
	status, d := srv.Do(deputy, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, nil)
	if status != 200 || strings.Count(fmt.Sprint(d["entries"]), "代表本人登记") != 6 {
		t.Fatalf("dossier: %d, %d own entries explained", status, strings.Count(fmt.Sprint(d["entries"]), "代表本人登记"))
	}
}
