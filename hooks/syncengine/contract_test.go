package syncengine_test

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/syncengine"
	"simeng/internal/testapp"
)

func TestSyncRetrySameBatchThreeTimes(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	h, v1, v2 := testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	batch := []map[string]any{
		testapp.HouseholdRec(h, f.VillageA, "米建国", "5组3号"),
		testapp.VisitRec(v1, h, visitRecently, nil),
		testapp.VisitRec(v2, h, visitRecently, map[string]any{"problems": []map[string]any{{"id": testapp.ClientID(), "category": "道路交通", "description": "村道塌方"}}}),
	}
	testapp.WantOutcomes(t, s.Push(deputy, batch...), "created", "created", "created")
	cursor := s.Cursor()
	for range 2 {
		res := s.Push(deputy, batch...)
		testapp.WantOutcomes(t, res, "already_have", "already_have", "already_have")
		if res[1]["version"].(float64) != 1 {
			t.Fatalf("version after retries: %v", res[1])
		}
	}
	if n := testapp.CountWhere(t, s.App, "visits", "id IN ('"+v1+"','"+v2+"')"); n != 2 {
		t.Fatalf("%d visits after 3 tries, want 2", n)
	}
	if n := testapp.CountWhere(t, s.App, "households", "id = '"+h+"'"); n != 1 {
		t.Fatalf("%d households, want 1", n)
	}
	if n := testapp.CountWhere(t, s.App, "problems", "source_id = '"+v2+"'"); n != 1 {
		t.Fatalf("%d problems, want 1", n)
	}
	if s.Cursor() != cursor {
		t.Fatal("retries changed records: the sequence moved")
	}
}

// dropReply runs the request to completion on the server, then cuts the
// connection without answering: the commit happened, the phone never
// heard of it.
func dropReply(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Drop-Reply") == "" {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
}

func TestSyncReplyLostAfterCommitThenRetry(t *testing.T) {
	s := testapp.Serve(t, testapp.New(t), dropReply)
	f := testapp.F(t)
	h, v := testapp.ClientID(), testapp.ClientID()
	body := testapp.JSONBody(t, map[string]any{"device": "d1", "records": []map[string]any{
		testapp.HouseholdRec(h, f.VillageA, "谌永福", "2组7号"), testapp.VisitRec(v, h, visitRecently, nil)}})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/sync/push", body)
	req.Header.Set("Authorization", testapp.Token(t, deputy))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Drop-Reply", "1")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatal("the reply was not dropped")
	}
	if testapp.CountWhere(t, s.App, "visits", "id = '"+v+"'") != 1 {
		t.Fatal("the push did not commit before the reply was lost")
	}
	res := s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "谌永福", "2组7号"), testapp.VisitRec(v, h, visitRecently, nil))
	testapp.WantOutcomes(t, res, "already_have", "already_have")
	if res[1]["status"].(float64) != 200 || testapp.CountWhere(t, s.App, "visits", "id = '"+v+"'") != 1 {
		t.Fatalf("retry after a lost reply: %v", res)
	}
}

func TestSyncSameIDDifferentContent(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	v := testapp.ClientID()
	first := testapp.VisitRec(v, f.IDs["household_a"], visitRecently, nil)
	testapp.WantOutcomes(t, s.Push(deputy, first), "created")

	// An edit that states the version it edited is an update.
	edited := testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "补充：已联系村委"})
	res := s.Push(deputy, testapp.WithBase(edited, 1))
	testapp.WantOutcomes(t, res, "updated")
	if res[0]["version"].(float64) != 2 {
		t.Fatalf("version after edit: %v", res[0])
	}

	// A second phone still editing version 1: conflict, both kept.
	stale := testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "另一台手机的修改"})
	for range 2 {
		res = s.Push(deputy, testapp.WithBase(stale, 1))
		testapp.WantOutcomes(t, res, "conflict")
		if res[0]["status"].(float64) != 409 || res[0]["version"].(float64) != 2 {
			t.Fatalf("conflict answer: %v", res[0])
		}
	}
	// Same id, new content, base_version 0 (the phone thinks it is new): conflict too.
	testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "重装后重新录入"})), "conflict")

	rec, err := s.App.FindRecordById("visits", v)
	if err != nil || rec.GetString("notes") != "补充：已联系村委" || rec.GetInt("version") != 2 {
		t.Fatalf("server copy overwritten: %v %v", rec, err)
	}
	if n := testapp.CountWhere(t, s.App, "sync_conflicts", "record_id = '"+v+"'"); n != 2 {
		t.Fatalf("%d conflict copies, want 2 (one per distinct content)", n)
	}
	// The deputy sees their conflict copies; another deputy does not.
	status, out := s.Do(deputy, http.MethodGet, "/api/collections/sync_conflicts/records?filter=record_id%3D%27"+v+"%27", nil)
	if status != 200 || out["totalItems"].(float64) != 2 {
		t.Fatalf("deputy's conflicts: %d %v", status, out)
	}
	_, out = s.Do(deputy2, http.MethodGet, "/api/collections/sync_conflicts/records", nil)
	if out["totalItems"].(float64) != 0 {
		t.Fatalf("another deputy sees conflicts: %v", out)
	}
}

func TestSyncBatchWithOneInvalidRecord(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	h, good1, future, orphan, bad, good2 := testapp.ClientID(), testapp.ClientID(), testapp.ClientID(), testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	prob := testapp.ClientID()
	res := s.Push(deputy,
		testapp.HouseholdRec(h, f.VillageA, "唐卫东", "1组1号"),
		testapp.VisitRec(good1, h, visitRecently, nil),
		testapp.VisitRec(future, h, time.Now().Add(2*time.Hour).Format(time.RFC3339), map[string]any{
			"problems": []map[string]any{{"id": prob, "category": "住房", "description": "危房"}}}),
		testapp.VisitRec(orphan, testapp.ClientID(), visitRecently, nil),
		testapp.VisitRec(bad, h, visitRecently, map[string]any{"topics": []string{"不存在的议题"}, "location": map[string]any{"lat": 200, "lon": 1}}),
		testapp.VisitRec(good2, h, visitRecently, nil),
	)
	testapp.WantOutcomes(t, res, "created", "created", "rejected", "rejected", "rejected", "created")
	errs := func(i int) map[string]any { return res[i]["errors"].(map[string]any) }
	if errs(2)["visited_at"] == nil || errs(3)["household"] == nil || errs(4)["location"] == nil {
		t.Fatalf("errors do not name the fields: %v %v %v", errs(2), errs(3), errs(4))
	}
	if res[2]["status"].(float64) != 400 || res[2]["reason"] == "" {
		t.Fatalf("rejected record lacks status or reason: %v", res[2])
	}
	for _, id := range []string{future, orphan, bad} {
		if testapp.CountWhere(t, s.App, "visits", "id = '"+id+"'") != 0 {
			t.Fatalf("rejected visit %s stored", id)
		}
	}
	if testapp.CountWhere(t, s.App, "problems", "id = '"+prob+"'") != 0 {
		t.Fatal("the problem of a rejected visit was stored")
	}
	if testapp.CountWhere(t, s.App, "visits", "id IN ('"+good1+"','"+good2+"')") != 2 {
		t.Fatal("good records of the batch were not stored")
	}
	// A topic the server does not know is rejected by field validation too.
	res = s.Push(deputy, testapp.VisitRec(testapp.ClientID(), h, visitRecently, map[string]any{"topics": []string{"不存在的议题"}}))
	if res[0]["outcome"] != "rejected" || res[0]["errors"].(map[string]any)["topics"] == nil {
		t.Fatalf("unknown topic: %v", res[0])
	}
}

func photoLists(out map[string]any) (expected, present string) {
	p := out["photos"].(map[string]any)
	return fmt.Sprint(p["expected"]), fmt.Sprint(p["present"])
}

func TestSyncPhotoInterruptedThenResumed(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	ph1, ph2 := testapp.PNG(t, 40, 30, 0), testapp.PNG(t, 20, 20, 0)
	notImage := []byte("这不是图片，只是一段文字。这不是图片，只是一段文字。")
	v := testapp.ClientID()
	res := s.Push(deputy, testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{testapp.PhotoDecl("ph1", ph1), testapp.PhotoDecl("ph2", ph2), testapp.PhotoDecl("ph3", notImage)}}))
	testapp.WantOutcomes(t, res, "created")
	if e, p := photoLists(res[0]); e != "[ph1 ph2 ph3]" || p != "[]" || res[0]["complete"] != false {
		t.Fatalf("after push: expected %s present %s complete %v", e, p, res[0]["complete"])
	}

	// The connection broke half-way: the bytes do not match the declaration.
	status, out := s.PutPhoto(deputy, v, "ph1", ph1[:len(ph1)/2], "image/png")
	if status != 400 || out["data"].(map[string]any)["photo"] == nil {
		t.Fatalf("truncated upload: %d %v", status, out)
	}
	status, out = s.Do(deputy, http.MethodGet, "/api/sync/status/visits/"+v, nil)
	if _, p := photoLists(out); status != 200 || p != "[]" || out["complete"] != false {
		t.Fatalf("status after a broken upload: %d %v", status, out)
	}
	// Resumed: the whole photo, then the same again (idempotent).
	for range 2 {
		status, out = s.PutPhoto(deputy, v, "ph1", ph1, "image/png")
		if _, p := photoLists(out); status != 200 || p != "[ph1]" {
			t.Fatalf("resumed upload: %d %v", status, out)
		}
	}
	rec, _ := s.App.FindRecordById("visits", v)
	if n := len(rec.GetStringSlice("photos")); n != 1 {
		t.Fatalf("%d files stored after a repeated upload, want 1", n)
	}
	// Not an image, even though declared: refused.
	if status, out = s.PutPhoto(deputy, v, "ph3", notImage, "image/jpeg"); status != 400 || out["data"].(map[string]any)["photo"] == nil {
		t.Fatalf("not an image: %d %v", status, out)
	}
	// A key the record did not declare.
	if status, out = s.PutPhoto(deputy, v, "nope", ph2, "image/png"); status != 400 || out["data"].(map[string]any)["key"] == nil {
		t.Fatalf("undeclared key: %d %v", status, out)
	}
	// Too large is refused at the push, naming the field.
	res = s.Push(deputy, testapp.VisitRec(testapp.ClientID(), f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{map[string]any{"key": "big", "sha256": hex.EncodeToString(make([]byte, 32)), "size": 6 << 20}}}))
	if res[0]["outcome"] != "rejected" || res[0]["errors"].(map[string]any)["photos"] == nil {
		t.Fatalf("oversized photo: %v", res[0])
	}

	// The phone drops the non-image and sends ph2: complete.
	res = s.Push(deputy, testapp.WithBase(testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{testapp.PhotoDecl("ph1", ph1), testapp.PhotoDecl("ph2", ph2)}}), 1))
	testapp.WantOutcomes(t, res, "updated")
	if _, p := photoLists(res[0]); p != "[ph1]" {
		t.Fatalf("received photo lost by the edit: %v", res[0])
	}
	status, out = s.PutPhoto(deputy, v, "ph2", ph2, "image/png")
	if e, p := photoLists(out); status != 200 || e != "[ph1 ph2]" || p != "[ph1 ph2]" || out["complete"] != true {
		t.Fatalf("after all photos: %d %v", status, out)
	}
	rec, _ = s.App.FindRecordById("visits", v)
	if !rec.GetBool("complete") || len(rec.GetStringSlice("photos")) != 2 {
		t.Fatalf("record not complete: %v", rec)
	}
}

func TestSyncPullAfterSecondDeviceWrote(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	// Device A pushes; device B (same deputy, fresh install) pulls everything.
	h, v1, v2 := testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	png1 := testapp.PNG(t, 10, 10, 0)
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageB, "梁运来", "7组2号"),
		testapp.VisitRec(v1, h, visitRecently, map[string]any{"photos": []any{testapp.PhotoDecl("a", png1)}}),
		testapp.VisitRec(v2, h, visitRecently, nil)), "created", "created", "created")
	if status, _ := s.PutPhoto(deputy, v1, "a", png1, "image/png"); status != 200 {
		t.Fatal("photo upload failed")
	}

	got := map[string]bool{}
	cursor, pages := 0.0, 0
	for more := true; more; pages++ {
		status, out := s.Do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=2", int(cursor)), nil)
		if status != 200 {
			t.Fatalf("pull: %d %v", status, out)
		}
		for _, c := range out["changes"].([]any) {
			ch := c.(map[string]any)
			got[ch["collection"].(string)+"/"+ch["id"].(string)] = true
			if ch["id"] == v1 && len(ch["photos"].([]any)) != 1 {
				t.Fatalf("pulled visit lacks its photo URL: %v", ch)
			}
			if ch["collection"] == "households" && ch["id"] == f.IDs["household_a"] && ch["data"].(map[string]any)["phone"] != "13912340001" {
				t.Fatalf("the recording deputy should see the household phone: %v", ch)
			}
		}
		if out["cursor"].(float64) < cursor {
			t.Fatal("cursor went back")
		}
		cursor, more = out["cursor"].(float64), out["more"].(bool)
	}
	for _, want := range []string{"households/" + h, "visits/" + v1, "visits/" + v2, "visits/" + f.IDs["visit_a"], "households/" + f.IDs["household_a"]} {
		if !got[want] {
			t.Fatalf("pull missed %s (got %v)", want, got)
		}
	}
	if pages < 3 {
		t.Fatalf("limit=2 should page: %d pages", pages)
	}

	// Nothing new: an empty page at the same cursor.
	_, out := s.Do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	if len(out["changes"].([]any)) != 0 || out["cursor"].(float64) != cursor || out["more"] != false {
		t.Fatalf("pull with nothing new: %v", out)
	}

	// Staff delete a visit: the pull carries a tombstone, a re-upload is gone.
	rec, _ := s.App.FindRecordById("visits", v2)
	if err := s.App.Delete(rec); err != nil {
		t.Fatal(err)
	}
	_, out = s.Do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	changes := out["changes"].([]any)
	if len(changes) != 1 || changes[0].(map[string]any)["id"] != v2 || changes[0].(map[string]any)["deleted"] != true {
		t.Fatalf("tombstone not pulled: %v", out)
	}
	res := s.Push(deputy, testapp.VisitRec(v2, h, visitRecently, nil))
	if res[0]["outcome"] != "gone" || res[0]["status"].(float64) != 410 {
		t.Fatalf("re-upload of a deleted record: %v", res[0])
	}

	// Another deputy pulls none of it (village A household, deputy's visits).
	_, out = s.Do(deputy2, http.MethodGet, "/api/sync/pull", nil)
	for _, c := range out["changes"].([]any) {
		ch := c.(map[string]any)
		if ch["collection"] == "visits" {
			t.Fatalf("deputy2 pulled another deputy's visit: %v", ch)
		}
		if ch["collection"] == "households" && ch["data"].(map[string]any)["phone"] != nil {
			t.Fatalf("deputy2 pulled a household phone: %v", ch)
		}
	}
}

func TestSyncAnotherDeputysRecordForbidden(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	visitA := f.IDs["visit_a"]

	// deputy2 re-uses deputy's visit id.
	res := s.Push(deputy2, testapp.VisitRec(visitA, f.IDs["household_a"], visitRecently, nil))
	if res[0]["outcome"] != "forbidden" || res[0]["status"].(float64) != 403 {
		t.Fatalf("writing another deputy's visit: %v", res[0])
	}
	// A body claiming another owner.
	v := testapp.ClientID()
	res = s.Push(deputy2, testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"deputy": f.Deputy}))
	if res[0]["outcome"] != "forbidden" || res[0]["errors"].(map[string]any)["deputy"] == nil {
		t.Fatalf("body claiming another owner: %v", res[0])
	}
	if testapp.CountWhere(t, s.App, "visits", "id = '"+v+"'") != 0 {
		t.Fatal("a record claiming another owner was stored")
	}
	// The owner is always the token's, even when the body names nobody.
	res = s.Push(deputy2, testapp.VisitRec(v, f.IDs["household_b"], visitRecently, map[string]any{"deputy": f.Deputy2}))
	testapp.WantOutcomes(t, res, "created")
	if rec, _ := s.App.FindRecordById("visits", v); rec.GetString("deputy") != f.Deputy2 {
		t.Fatal("owner not taken from the auth")
	}
	rec, _ := s.App.FindRecordById("visits", visitA)
	if rec.GetInt("version") != 1 {
		t.Fatal("another deputy changed the visit")
	}
	// Photos and status of another deputy's record.
	if status, _ := s.PutPhoto(deputy2, visitA, "ph1", testapp.PNG(t, 2, 2, 0), "image/png"); status != 403 {
		t.Fatalf("photo upload to another deputy's visit: %d", status)
	}
	if status, _ := s.Do(deputy2, http.MethodGet, "/api/sync/status/visits/"+visitA, nil); status != 403 {
		t.Fatalf("status of another deputy's visit: %d", status)
	}
	// A household recorded by another deputy cannot be edited under its id.
	res = s.Push(deputy2, testapp.WithBase(testapp.HouseholdRec(f.IDs["household_a"], f.VillageA, "向德胜", "3组12号附1"), 1))
	if res[0]["outcome"] != "forbidden" {
		t.Fatalf("editing another deputy's household: %v", res[0])
	}
}

func TestSyncHouseholdsMergeByNormalizedKey(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	h1, h2, v := testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h1, f.VillageB, "瞿 春兰", "三组12号")), "created")
	// Another deputy, offline, recorded the same household differently
	// written, and a visit to it.
	res := s.Push(deputy2, testapp.HouseholdRec(h2, f.VillageB, "瞿春兰", "3组 12 号"), testapp.VisitRec(v, h2, visitRecently, nil))
	testapp.WantOutcomes(t, res, "merged", "created")
	if res[0]["merged_into"] != h1 {
		t.Fatalf("merged into %v, want %s", res[0]["merged_into"], h1)
	}
	if rec, _ := s.App.FindRecordById("visits", v); rec.GetString("household") != h1 {
		t.Fatal("the visit was not stored against the kept household")
	}
	// A retry answers merged again and changes nothing.
	testapp.WantOutcomes(t, s.Push(deputy2, testapp.HouseholdRec(h2, f.VillageB, "瞿春兰", "3组 12 号"), testapp.VisitRec(v, h2, visitRecently, nil)), "merged", "already_have")
	if testapp.CountWhere(t, s.App, "households", "village = '"+f.VillageB+"' AND head_name LIKE '瞿%'") != 1 {
		t.Fatal("the household was duplicated")
	}
	// Same name and address in another village is another household.
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "瞿春兰", "三组12号")), "created")
}

func TestSyncMalformedRequests(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	many := make([]map[string]any, 101)
	for i := range many {
		many[i] = testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "某某", fmt.Sprintf("%d号", i))
	}
	cases := []struct {
		name, role string
		body       any
		status     int
		field      string
	}{
		{"no token", guest, map[string]any{"records": []any{testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "甲", "1号")}}, 401, ""},
		{"inactive deputy", inactive, map[string]any{"records": []any{testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "甲", "1号")}}, 403, ""},
		{"superusers are not deputies", superuser, map[string]any{"records": []any{testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "甲", "1号")}}, 403, ""},
		{"staff are not deputies", staff, map[string]any{"records": []any{testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "甲", "1号")}}, 403, ""},
		{"not JSON", deputy, "{records: oops", 400, "records"},
		{"no records", deputy, map[string]any{"records": []any{}}, 400, "records"},
		{"too many records", deputy, map[string]any{"records": many}, 400, "records"},
		{"unknown collection", deputy, map[string]any{"records": []any{map[string]any{"collection": "deputies", "id": testapp.ClientID(), "data": map[string]any{}}}}, 400, "records.0.collection"},
		{"data not an object", deputy, map[string]any{"records": []any{map[string]any{"collection": "visits", "id": testapp.ClientID(), "data": "x"}}}, 400, "records.0.data"},
	}
	for _, c := range cases {
		status, out := s.Do(c.role, http.MethodPost, "/api/sync/push", c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %v", c.name, status, c.status, out)
			continue
		}
		if c.field != "" && out["data"].(map[string]any)[c.field] == nil {
			t.Errorf("%s: the error does not name %s: %v", c.name, c.field, out)
		}
	}
	if testapp.CountWhere(t, s.App, "households", "head_name = '某某'") != 0 {
		t.Fatal("an oversized push was partly stored")
	}

	// Per record: a bad id, a schema newer than the server, an unknown field.
	res := s.Push(deputy,
		testapp.HouseholdRec("NOT-AN-ID", f.VillageA, "甲", "1号"),
		map[string]any{"collection": "visits", "id": testapp.ClientID(), "schema_version": 99, "data": map[string]any{"household": f.IDs["household_a"]}},
		testapp.VisitRec(testapp.ClientID(), f.IDs["household_a"], visitRecently, map[string]any{"mood": "good"}),
	)
	testapp.WantOutcomes(t, res, "rejected", "rejected", "rejected")
	if res[0]["code"] != "invalid_id" || res[1]["code"] != "schema_too_new" || res[2]["errors"].(map[string]any)["mood"] == nil {
		t.Fatalf("per-record rejections: %v", res)
	}
	for _, path := range []string{"/api/sync/pull?since=-1", "/api/sync/pull?limit=100000", "/api/sync/pull?since=abc"} {
		if status, _ := s.Do(deputy, http.MethodGet, path, nil); status != 400 {
			t.Errorf("%s: status %d, want 400", path, status)
		}
	}
	if status, _ := s.Do(guest, http.MethodGet, "/api/sync/pull", nil); status != 401 {
		t.Errorf("pull without a token: %d", status)
	}
}

func TestSyncOldSchemaAccepted(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	rec := testapp.VisitRec(testapp.ClientID(), f.IDs["household_a"], visitRecently, nil)
	rec["schema_version"] = 0 // a phone from before schema versions were stamped
	testapp.WantOutcomes(t, s.Push(deputy, rec), "created")
}

// An edit in the admin UI moves the server copy on: a phone still editing
// the old version gets a conflict, never a silent overwrite.
func TestSyncStaffEditMakesPhoneCopyStale(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	v := testapp.ClientID()
	png1 := testapp.PNG(t, 8, 8, 0)
	testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"photos": []any{testapp.PhotoDecl("a", png1)}})), "created")
	if status, _ := s.PutPhoto(deputy, v, "a", png1, "image/png"); status != 200 {
		t.Fatal("photo upload failed")
	}
	rec, _ := s.App.FindRecordById("visits", v)
	if rec.GetInt("version") != 1 {
		t.Fatalf("a photo arriving changed the version: %d", rec.GetInt("version"))
	}
	rec.Set("notes", "工作人员更正了记录")
	if err := s.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	if rec.GetInt("version") != 2 {
		t.Fatalf("staff edit: version %d, want 2", rec.GetInt("version"))
	}
	res := s.Push(deputy, testapp.WithBase(testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "手机上的修改", "photos": []any{testapp.PhotoDecl("a", png1)}}), 1))
	testapp.WantOutcomes(t, res, "conflict")

	// Editing the current version is an update; dropping the photo from
	// the manifest deletes the stored file.
	res = s.Push(deputy, testapp.WithBase(testapp.VisitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "手机上的修改", "photos": []any{}}), 2))
	testapp.WantOutcomes(t, res, "updated")
	rec, _ = s.App.FindRecordById("visits", v)
	if len(rec.GetStringSlice("photos")) != 0 || !rec.GetBool("complete") || rec.GetInt("version") != 3 {
		t.Fatalf("after dropping the photo: files %v complete %v version %d", rec.GetStringSlice("photos"), rec.GetBool("complete"), rec.GetInt("version"))
	}
}

// A household deleted by staff reaches the phones of its village's deputies
// as a tombstone, even those who did not record it.
func TestSyncHouseholdTombstoneReachesTheVillage(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	_, out := s.Do(deputy2, http.MethodGet, "/api/sync/pull", nil)
	cursor := out["cursor"].(float64)
	rec, err := s.App.FindRecordById("households", f.IDs["household_b"])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.App.Delete(rec); err != nil {
		t.Fatal(err)
	}
	_, out = s.Do(deputy2, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	changes := out["changes"].([]any)
	if len(changes) != 1 || changes[0].(map[string]any)["id"] != f.IDs["household_b"] || changes[0].(map[string]any)["deleted"] != true {
		t.Fatalf("village deputy's pull after the delete: %v", out)
	}
}

// A record with several bad fields is refused with the same reason on every
// try: the first field in alphabetical order (Go's map order would pick one
// at random, and the phone would show a different reason after each retry).
func TestSyncRejectionReasonIsStable(t *testing.T) {
	s := testapp.NewServer(t)
	id := testapp.ClientID()
	future := time.Now().Add(48 * time.Hour).Format(time.RFC3339)
	var reasons []string
	for range 5 {
		res := s.Push(deputy, testapp.VisitRec(id, "nosuchhousehold", future, map[string]any{"topics": []string{"不存在的类别"}}))
		testapp.WantOutcomes(t, res, "rejected")
		reasons = append(reasons, res[0]["reason"].(string))
	}
	for _, r := range reasons {
		if r != reasons[0] || !strings.Contains(r, "household：") {
			t.Fatalf("reasons %q: want the same one, naming household", reasons)
		}
	}
}

// A push with a refused record runs again with a savepoint per record; a
// record hook is told that its writes may then be rolled back on their own
// while the push commits (what a hook keeping committed values needs to
// know), and is told so of no other write.
func TestRecordHooksToldOfSavepoints(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	told := map[string][]bool{}
	s.App.OnRecordCreateExecute("visits").BindFunc(func(e *core.RecordEvent) error {
		told[e.Record.Id] = append(told[e.Record.Id], syncengine.MayRollBackAlone(e.App))
		return e.Next()
	})
	h, good1, bad, good2, later := testapp.ClientID(), testapp.ClientID(), testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	res := s.Push(deputy,
		testapp.HouseholdRec(h, f.VillageA, "唐卫东", "1组1号"),
		testapp.VisitRec(good1, h, visitRecently, nil),
		testapp.VisitRec(bad, h, visitRecently, map[string]any{"topics": []string{"不存在的议题"}}),
		testapp.VisitRec(good2, h, visitRecently, nil),
	)
	testapp.WantOutcomes(t, res, "created", "created", "rejected", "created")
	// good1: the run without savepoints (rolled back whole), then the run with them.
	if got := told[good1]; !slices.Equal(got, []bool{false, true}) {
		t.Fatalf("the first visit was told %v, want [false true]", got)
	}
	if got := told[good2]; !slices.Equal(got, []bool{true}) {
		t.Fatalf("the last visit was told %v, want [true]", got)
	}
	testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(later, h, visitRecently, nil)), "created")
	if got := told[later]; !slices.Equal(got, []bool{false}) {
		t.Fatalf("a visit of a push refusing nothing was told %v, want [false]", got)
	}
	if syncengine.MayRollBackAlone(s.App) {
		t.Fatal("the app outside any transaction may roll back alone")
	}
}
