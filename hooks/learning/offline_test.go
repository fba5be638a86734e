package learning_test

import (
	"bytes"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"simeng/hooks/learning"
	"simeng/internal/testapp"
)

func readRec(id, article string, at time.Time) map[string]any {
	return map[string]any{"collection": "article_reads", "id": id, "base_version": 0, "schema_version": 1,
		"data": map[string]any{"article": article, "read_at": at.Format(time.RFC3339)}}
}

// Articles reach every deputy's phone with the sync pull, whole, so they
// can be read offline; one taken down reaches it as taken down, a deleted
// one as a deletion; phones cannot push them.
func TestArticlesArePulledForOfflineReading(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	changes, cursor := srv.PullAll(0)
	got := map[string]map[string]any{}
	for _, c := range changes {
		if c["collection"] == "articles" {
			got[c["id"].(string)] = c["data"].(map[string]any)
		}
	}
	if len(got) != 4 {
		t.Fatalf("pulled %d articles, want the 4 (one as taken down)", len(got))
	}
	if p := got[f.IDs["article_policy"]]; p["published"] != true || p["body"] == "" || p["category"] != "policy" {
		t.Fatalf("a published article: %v", p)
	}
	if d := got[f.IDs["article_draft"]]; d["published"] != false || d["body"] != nil || d["title"] != nil {
		t.Fatalf("an unpublished article shows %v", d)
	}

	// A phone cannot write an article.
	res := srv.Push(deputy, map[string]any{"collection": "articles", "id": f.IDs["article_policy"], "base_version": 1, "schema_version": 1,
		"data": map[string]any{"title": "手机改的标题"}})
	testapp.WantOutcomes(t, res, "forbidden")
	if res[0]["code"] != "read_only" {
		t.Fatalf("code %v", res[0]["code"])
	}

	// Taken down and deleted: the next pull says so.
	a, _ := srv.App.FindRecordById("articles", f.IDs["article_training"])
	a.Set("published", false)
	if err := srv.App.Save(a); err != nil {
		t.Fatal(err)
	}
	gone, _ := srv.App.FindRecordById("articles", f.IDs["article_rules"])
	if err := srv.App.Delete(gone); err != nil {
		t.Fatal(err)
	}
	changes, _ = srv.PullAll(cursor)
	seen := map[string]string{}
	for _, c := range changes {
		if c["collection"] != "articles" {
			continue
		}
		if c["deleted"] == true {
			seen[c["id"].(string)] = "deleted"
		} else if c["data"].(map[string]any)["published"] == false {
			seen[c["id"].(string)] = "taken down"
		}
	}
	if seen[f.IDs["article_training"]] != "taken down" || seen[f.IDs["article_rules"]] != "deleted" {
		t.Fatalf("after taking down and deleting: %v", seen)
	}
}

// Read receipts go through the outbox with an id made from the deputy and
// the article, so two phones (or a retry) make one receipt; the earliest
// reading time is kept.
func TestReadReceiptsThroughTheOutbox(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	article := f.IDs["article_rules"]
	id := learning.ReadID(f.Deputy, article)
	now := time.Now()
	testapp.WantOutcomes(t, srv.Push(deputy, readRec(id, article, now.Add(-time.Hour))), "created")
	testapp.WantOutcomes(t, srv.PushFrom("secondphone0001", readRec(id, article, now.Add(-2*time.Hour))), "already_have")
	res := srv.Push(deputy,
		readRec(testapp.ClientID(), article, now),
		readRec(learning.ReadID(f.Deputy, f.IDs["article_draft"]), f.IDs["article_draft"], now),
		readRec(learning.ReadID(f.Deputy, f.IDs["article_training"]), f.IDs["article_training"], now.Add(48*time.Hour)),
		readRec(learning.ReadID(f.Deputy2, article), article, now),
	)
	testapp.WantOutcomes(t, res, "rejected", "rejected", "rejected", "rejected")
	for i, field := range []string{"id", "article", "read_at", "id"} {
		if errs, _ := res[i]["errors"].(map[string]any); errs[field] == nil {
			t.Errorf("result %d names %v, want %s", i, res[i]["errors"], field)
		}
	}
	r, err := srv.App.FindRecordById("article_reads", id)
	if err != nil || r.GetString("deputy") != f.Deputy || r.GetDateTime("read_at").Time().After(now.Add(-time.Hour+time.Second)) {
		t.Fatalf("receipt %v %v", r, err)
	}
	readers, _ := learning.Readers(srv.App, article)
	if readers[0].Deputy != f.Deputy || readers[0].ReadAt == "" || readers[1].ReadAt != "" {
		t.Fatalf("readers %+v", readers)
	}
}

// Staff and the presidium export who has read what: one row per article
// in the overview, one per deputy in the detail.
func TestReadingExport(t *testing.T) {
	srv := testapp.NewServer(t)
	status, raw := srv.DoRaw(testapp.Token(t, presidium), http.MethodGet, "/api/learning/reads.xlsx", "", nil)
	if status != 200 {
		t.Fatalf("export: %d %s", status, raw)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x.GetSheetList(), []string{learning.SheetOverview, learning.SheetMatrix}) {
		t.Fatalf("sheets %v", x.GetSheetList())
	}
	rows, _ := x.GetRows(learning.SheetOverview)
	if !slices.Equal(rows[1], learning.OverviewHeaders) || len(rows) != 5 {
		t.Fatalf("overview %v", rows)
	}
	detail, _ := x.GetRows(learning.SheetMatrix)
	col := slices.Index(detail[1], "一图读懂代表建议办理流程")
	if col < 0 || len(detail) != 5 {
		t.Fatalf("detail %v", detail)
	}
	// The fixture's read is dated when the template was made, which may
	// be the day before (China time) a test run just after midnight.
	read, err := srv.App.FindRecordById("article_reads", testapp.F(t).IDs["read_policy"])
	if err != nil {
		t.Fatal(err)
	}
	readOn := read.GetDateTime("read_at").Time().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	for _, row := range detail[2:] {
		want := "未读"
		if row[1] == "张三" {
			want = readOn
		}
		if row[col] != want {
			t.Errorf("%s read %q, want %q", row[1], row[col], want)
		}
	}
}
