package analysis_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/analysis"
	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
)

// The index follows every write whatever the door: a new suggestion is
// found at once, a changed text is found by its new words only, spam and a
// deleted record disappear, a suggestion transferred to the problems list
// is counted once.
func TestIndexFollowsWrites(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	found := func(words string) []string {
		t.Helper()
		var s searchResult
		getJSON(t, c, presidium, "/api/simeng/analysis/search?period=2025&q="+url.QueryEscape(words), &s)
		return s.ids()
	}
	// a deputy records a suggestion heard on a visit, through the API
	r := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/collections/suggestions/records",
		`{"source":"visit","deputy":"`+f.Deputy+`","category":"生态环境","content":"河道淤积杂草丛生，夏天蚊虫多。","received_at":"2025-07-02 02:00:00.000Z"}`)
	id := r.JSON(t)["id"].(string)
	key := "suggestions/" + id
	if got := found("河道淤积"); !slices.Equal(got, []string{key}) {
		t.Fatalf("new suggestion not found: %v", got)
	}
	total := func() int {
		t.Helper()
		var o overviewResult
		getJSON(t, c, presidium, "/api/simeng/analysis/overview?period=2025-Q3", &o)
		return o.Total
	}
	if n := total(); n != 1 {
		t.Errorf("overview of the new record's quarter counts %d, want 1", n)
	}
	var terms termsResult
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?period=2025-Q3&limit=50", &terms)
	if terms.Top.Records != 1 {
		t.Errorf("the new record is not counted in terms: %+v", terms.Top)
	}

	// staff correct its text: the old words no longer find it
	rec, err := c.App.FindRecordById("suggestions", id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("content", "垃圾清运不及时，集镇臭气熏天。")
	if err := c.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	if got := found("河道淤积"); len(got) != 0 {
		t.Errorf("old text still found: %v", got)
	}
	if got := found("垃圾清运"); !slices.Equal(got, []string{key}) {
		t.Errorf("new text not found: %v", got)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?period=2025-Q3&limit=50", &terms)
	for _, w := range terms.Top.Words {
		if w.Term == "淤积" {
			t.Error("the old text's words are still counted")
		}
	}

	// a status change keeps its terms and moves its state
	rec.Set("status", "acknowledged")
	if err := c.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	var s searchResult
	getJSON(t, c, presidium, "/api/simeng/analysis/search?period=2025-Q3&status=in_progress", &s)
	if !slices.Equal(s.ids(), []string{key}) {
		t.Errorf("state not updated: %v", s.ids())
	}

	// staff mark it spam: gone
	rec.Set("moderation", "spam")
	if err := c.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	if got := found("垃圾清运"); len(got) != 0 {
		t.Errorf("spam still found: %v", got)
	}
	if n := total(); n != 0 {
		t.Errorf("spam counted in the overview: %d", n)
	}
	// moved to another quarter: counted there, not here
	rec.Set("moderation", "ok")
	rec.Set("received_at", "2025-10-02 02:00:00.000Z")
	if err := c.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	var o overviewResult
	getJSON(t, c, presidium, "/api/simeng/analysis/overview?period=2025-Q4", &o)
	if n := total(); n != 0 || o.Total != 1 {
		t.Errorf("moved record: Q3 %d, Q4 %d", n, o.Total)
	}
	if err := c.App.Delete(rec); err != nil {
		t.Fatal(err)
	}
	if got := found("垃圾清运"); len(got) != 0 {
		t.Errorf("deleted record still found: %v", got)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?period=2025-Q4&limit=50", &terms)
	if terms.Top.Records != 0 {
		t.Errorf("deleted record still counted: %+v", terms.Top)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/overview?period=2025-Q4", &o)
	if o.Total != 0 {
		t.Errorf("deleted record still in the overview: %d", o.Total)
	}

	// the transferred suggestion and its problem are one demand
	transferred := "suggestions/" + f.IDs["demand_road_b2"]
	if got := found("大货车超载"); !slices.Equal(got, []string{transferred}) {
		t.Errorf("transferred suggestion found as %v, want only the suggestion", got)
	}
	if n := testapp.CountWhere(t, c.App, "problems", "source = 'suggestion'"); n == 0 {
		t.Fatal("the fixture's transfer made no problem")
	}
}

// A failed write leaves no index row behind: the index is written in the
// record's transaction.
func TestIndexRollsBackWithTheRecord(t *testing.T) {
	app := testapp.New(t)
	before := indexCount(t, app)
	err := app.RunInTransaction(func(tx core.App) error {
		col, _ := tx.FindCollectionByNameOrId("suggestions")
		r := newRecord(col, map[string]any{"source": "hotline", "category": "住房", "content": "危房改造补助没有到位。",
			"received_at": "2025-06-03 02:00:00.000Z"})
		if err := tx.Save(r); err != nil {
			return err
		}
		if indexCount(t, tx) != before+1 {
			t.Error("not indexed inside the transaction")
		}
		return fmt.Errorf("roll back")
	})
	if err == nil || indexCount(t, app) != before {
		t.Errorf("index rows after a rolled-back write: %d, want %d", indexCount(t, app), before)
	}
}

func indexCount(t testing.TB, app core.App) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT count(*) FROM demand_index").Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type indexedRow struct {
	Record, Kind, Channel, Village, Category, Status, State, Deputy, At, Month string
}

func indexSnapshot(t testing.TB, app core.App) []indexedRow {
	t.Helper()
	var rows []struct {
		Record   string `db:"record"`
		Kind     string `db:"kind"`
		Channel  string `db:"channel"`
		Village  string `db:"village"`
		Category string `db:"category"`
		Status   string `db:"status"`
		State    string `db:"state"`
		Deputy   string `db:"deputy"`
		At       string `db:"at"`
		Month    string `db:"month"`
	}
	if err := app.DB().NewQuery("SELECT record, kind, channel, village, category, status, state, deputy, at, month FROM demand_index ORDER BY record").All(&rows); err != nil {
		t.Fatal(err)
	}
	out := make([]indexedRow, len(rows))
	for i, r := range rows {
		out[i] = indexedRow{r.Record, r.Kind, r.Channel, r.Village, r.Category, r.Status, r.State, r.Deputy, r.At, r.Month}
	}
	return out
}

// A rebuild from the collections gives exactly the index the hooks kept,
// and the same search results.
func TestRebuildEqualsHooks(t *testing.T) {
	c := testapp.NewServer(t)
	before := indexSnapshot(t, c.App)
	if len(before) < 10 {
		t.Fatalf("only %d rows in the fixture's index", len(before))
	}
	search := func() []string {
		var s searchResult
		getJSON(t, c, presidium, "/api/simeng/analysis/search?period=2025&q="+url.QueryEscape("自来水"), &s)
		return s.ids()
	}
	want := search()
	var terms termsResult
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q, &terms)
	wantTop := terms.Top.Words

	n, err := analysis.Rebuild(c.App)
	if err != nil {
		t.Fatal(err)
	}
	after := indexSnapshot(t, c.App)
	if n != len(after) || !slices.Equal(before, after) {
		t.Fatalf("rebuild gave %d rows:\n%v\nhooks had:\n%v", n, after, before)
	}
	if got := search(); !slices.Equal(got, want) {
		t.Errorf("search after rebuild %v, before %v", got, want)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q, &terms)
	if fmt.Sprint(terms.Top.Words) != fmt.Sprint(wantTop) {
		t.Errorf("terms after rebuild differ:\n%v\n%v", terms.Top.Words, wantTop)
	}
}

// Rows written by direct SQL bypass the hooks; the rebuild command's
// route (staff) picks them up.
func TestRebuildRouteIndexesWhatHooksMissed(t *testing.T) {
	c := testapp.NewServer(t)
	if _, err := c.App.DB().NewQuery(`UPDATE suggestions SET content = '手机信号差，打电话都听不清。' WHERE content LIKE '%留守儿童%'`).Execute(); err != nil {
		t.Fatal(err)
	}
	var s searchResult
	getJSON(t, c, presidium, "/api/simeng/analysis/search?"+q+"&q="+url.QueryEscape("手机信号"), &s)
	if s.TotalItems != 0 {
		t.Fatal("direct SQL reached the index without a rebuild")
	}
	r := c.Must(http.StatusOK, superuser, http.MethodPost, "/api/simeng/analysis/rebuild", nil)
	if !strings.Contains(string(r.Body), `"demands":`) {
		t.Errorf("rebuild answer %s", r.Body)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/search?"+q+"&q="+url.QueryEscape("手机信号"), &s)
	if s.TotalItems != 1 {
		t.Errorf("after rebuild: %v", s.ids())
	}
}

// A reception at the liaison station (issue 15) becomes a suggestion of
// the station channel by the station's own path (suggestions.Record): the
// analysis counts it under 联络站 and finds it, with no source of its own.
func TestStationReceptionsAreDemands(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	var before overviewResult
	getJSON(t, c, presidium, "/api/simeng/analysis/overview?period=2025-08&source=suggestions:station", &before)
	s, err := suggestions.Record(c.App, suggestions.Intake{Source: suggestions.SourceStation, Deputy: f.Deputy,
		Station: f.IDs["station"], Category: "饮水安全", Content: "赶集日到联络站反映：五组井水浑浊，烧开后有沉淀。",
		ReceivedAt: time.Date(2025, 8, 4, 2, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var after overviewResult
	getJSON(t, c, presidium, "/api/simeng/analysis/overview?period=2025-08&source=suggestions:station", &after)
	if after.Total != before.Total+1 {
		t.Errorf("station demands in 2025-08: %d, then %d", before.Total, after.Total)
	}
	var found searchResult
	getJSON(t, c, presidium, "/api/simeng/analysis/search?period=2025&source=suggestions:station&q="+url.QueryEscape("井水浑浊"), &found)
	if got := found.ids(); !slices.Equal(got, []string{"suggestions/" + s.Id}) || !strings.Contains(found.Items[0].Source, "联络站") {
		t.Errorf("search for the reception: %+v", found.Items)
	}
}

// Residents' published comments on a topic (云端议事, issue 16) are
// demands, added by the deliberation capability with one AddSource call: a
// pending comment is not counted until approved, a deputy's comment never.
func TestTopicCommentsAreDemands(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	col, err := c.App.FindCollectionByNameOrId("topic_comments")
	if err != nil {
		t.Fatal(err)
	}
	add := func(author, deputy, moderation, body string) *core.Record {
		r := newRecord(col, map[string]any{"topic": f.IDs["topic_open"], "author": author, "deputy": deputy,
			"moderation": moderation, "body": body, "village": f.VillageA})
		if err := c.App.Save(r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	pending := add("resident", "", "pending", "集镇停车场请留出摩托车停放区域。")
	add("resident", "", "approved", "停车场入口请装路灯，晚上赶集回来太黑。")
	add("deputy", f.Deputy, "approved", "代表意见：停车场可设摩托车停放区域。")
	period := chinatime.In(time.Now()).Format("2006-01")
	found := func(words string) searchResult {
		t.Helper()
		var s searchResult
		getJSON(t, c, presidium, "/api/simeng/analysis/search?source=topic_comments&period="+period+"&q="+url.QueryEscape(words), &s)
		return s
	}
	if s := found("路灯"); s.TotalItems != 1 || !strings.Contains(s.Items[0].Source, "云端议事") {
		t.Errorf("an approved resident comment: %+v", s.Items)
	}
	if s := found("摩托车"); s.TotalItems != 0 {
		t.Errorf("a pending or a deputy's comment is counted: %+v", s.Items)
	}
	pending.Set("moderation", "approved")
	if err := c.App.Save(pending); err != nil {
		t.Fatal(err)
	}
	if s := found("摩托车"); s.TotalItems != 1 || s.Items[0].ID != "topic_comments/"+pending.Id {
		t.Errorf("the comment approved later: %+v", s.Items)
	}
}
