package deliberation_test

import (
	"net/http"
	"testing"
	"time"

	"simeng/internal/testapp"
)

func commentRec(id, topic, body string, written time.Time) map[string]any {
	return map[string]any{"collection": "topic_comments", "id": id, "base_version": 0, "schema_version": 1,
		"data": map[string]any{"topic": topic, "body": body, "written_at": written.Format(time.RFC3339)}}
}

// Deputies comment from the phone through the offline outbox: a comment is
// taken while its topic asks deputies and is open, including one written
// offline before the deadline; it is public to deputies at once, pulled
// back by its author, and an edit goes through like any synced record.
func TestDeputiesCommentThroughTheOutbox(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	now := time.Now()
	ok, edited := testapp.ClientID(), testapp.ClientID()
	res := srv.Push(deputy,
		commentRec(ok, f.IDs["topic_deputies"], "集训希望多讲讲走访群众的方法。", now.Add(-time.Hour)),
		commentRec(edited, f.IDs["topic_open"], "停车场要考虑赶集日的大车。", now),
		commentRec(testapp.ClientID(), f.IDs["topic_closed"], "我还有意见。", now),
		commentRec(testapp.ClientID(), f.IDs["topic_draft"], "草稿也想评论。", now),
		commentRec(testapp.ClientID(), "nosuchtopic0000", "没有这个议题。", now),
		commentRec(testapp.ClientID(), f.IDs["topic_open"], "x", now),
		commentRec(testapp.ClientID(), f.IDs["topic_open"], "手机时间太靠后了。", now.Add(3*time.Hour)),
		map[string]any{"collection": "topic_comments", "id": testapp.ClientID(), "base_version": 0, "schema_version": 1,
			"data": map[string]any{"topic": f.IDs["topic_open"], "body": "冒充审核通过", "written_at": now.Format(time.RFC3339), "moderation": "approved", "author": "resident"}},
		map[string]any{"collection": "topic_comments", "id": testapp.ClientID(), "base_version": 0, "schema_version": 1,
			"data": map[string]any{"topic": f.IDs["topic_open"], "body": "替别人发言", "written_at": now.Format(time.RFC3339), "deputy": f.Deputy2}},
	)
	testapp.WantOutcomes(t, res, "created", "created", "rejected", "rejected", "rejected", "rejected", "rejected", "created", "forbidden")
	for i, field := range map[int]string{2: "topic", 3: "topic", 4: "topic", 5: "body", 6: "written_at"} {
		if errs, _ := res[i]["errors"].(map[string]any); errs[field] == nil {
			t.Errorf("result %d names %v, want %s", i, res[i]["errors"], field)
		}
	}
	// The server's fields in the body are ignored: still a deputy's, approved.
	sneaky, err := srv.App.FindRecordById("topic_comments", res[7]["id"].(string))
	if err != nil || sneaky.GetString("author") != "deputy" || sneaky.GetString("deputy") != f.Deputy {
		t.Fatalf("a pushed comment's author: %v %v", sneaky, err)
	}
	c, err := srv.App.FindRecordById("topic_comments", ok)
	if err != nil {
		t.Fatal(err)
	}
	if c.GetString("author") != "deputy" || c.GetString("moderation") != "approved" || c.GetString("village") != f.VillageA {
		t.Errorf("a deputy's comment: author %s, moderation %s, village %s", c.GetString("author"), c.GetString("moderation"), c.GetString("village"))
	}

	// Another deputy reads it at once; the author pulls it back.
	status, list := srv.Do(deputy2, http.MethodGet, "/api/collections/topic_comments/records?filter="+testapp.URLQuery(`topic="`+f.IDs["topic_deputies"]+`"`), nil)
	if status != 200 || list["totalItems"].(float64) != 1 {
		t.Fatalf("deputy2 reads %v", list)
	}
	changes, _ := srv.PullAll(0)
	pulled := map[string]bool{}
	for _, ch := range changes {
		if ch["collection"] == "topic_comments" {
			pulled[ch["id"].(string)] = true
		}
	}
	if !pulled[ok] || !pulled[edited] {
		t.Errorf("the author pulled %v, want %s and %s", pulled, ok, edited)
	}

	// An edit, while the topic is open.
	again := commentRec(edited, f.IDs["topic_open"], "停车场要考虑赶集日的大车和摩托车。", now)
	testapp.WantOutcomes(t, srv.Push(deputy, testapp.WithBase(again, 1)), "updated")
	// Moving a comment to another topic is refused.
	moved := commentRec(edited, f.IDs["topic_deputies"], "停车场要考虑赶集日的大车和摩托车。", now)
	testapp.WantOutcomes(t, srv.Push(deputy, testapp.WithBase(moved, 2)), "rejected")
	// Written offline before the deadline, pushed after it passed: taken.
	late, _ := srv.App.FindRecordById("topics", f.IDs["topic_deputies"])
	late.Set("deadline", now.Add(-time.Minute))
	if err := srv.App.Save(late); err != nil {
		t.Fatal(err)
	}
	testapp.WantOutcomes(t, srv.Push(deputy,
		commentRec(testapp.ClientID(), f.IDs["topic_deputies"], "离线时写的，截止前。", now.Add(-2*time.Hour)),
		commentRec(testapp.ClientID(), f.IDs["topic_deputies"], "截止以后才写的。", now)),
		"created", "rejected")
}

// A deputy cannot comment on a topic put to residents only.
func TestDeputiesDoNotCommentOnResidentsTopics(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	t2, _ := srv.App.FindRecordById("topics", f.IDs["topic_draft"])
	t2.Set("status", "open")
	if err := srv.App.Save(t2); err != nil {
		t.Fatal(err)
	}
	res := srv.Push(deputy, commentRec(testapp.ClientID(), t2.Id, "代表也想说几句。", time.Now()))
	testapp.WantOutcomes(t, res, "rejected")
	if errs := res[0]["errors"].(map[string]any); errs["topic"] == nil {
		t.Fatalf("errors %v", errs)
	}
}
