package hooks_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"simeng/internal/testapp"
)

var visitRecently = time.Now().Add(-2 * time.Hour).Format(time.RFC3339)

func TestSyncRetrySameBatchThreeTimes(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	h, v1, v2 := clientID(), clientID(), clientID()
	batch := []map[string]any{
		householdRec(h, f.VillageA, "米建国", "5组3号"),
		visitRec(v1, h, visitRecently, nil),
		visitRec(v2, h, visitRecently, map[string]any{"problems": []map[string]any{{"id": clientID(), "category": "道路交通", "description": "村道塌方"}}}),
	}
	wantOutcomes(t, s.push(deputy, batch...), "created", "created", "created")
	cursor := s.cursor()
	for range 2 {
		res := s.push(deputy, batch...)
		wantOutcomes(t, res, "already_have", "already_have", "already_have")
		if res[1]["version"].(float64) != 1 {
			t.Fatalf("version after retries: %v", res[1])
		}
	}
	if n := countWhere(t, s.app, "visits", "id IN ('"+v1+"','"+v2+"')"); n != 2 {
		t.Fatalf("%d visits after 3 tries, want 2", n)
	}
	if n := countWhere(t, s.app, "households", "id = '"+h+"'"); n != 1 {
		t.Fatalf("%d households, want 1", n)
	}
	if n := countWhere(t, s.app, "problems", "source_id = '"+v2+"'"); n != 1 {
		t.Fatalf("%d problems, want 1", n)
	}
	if s.cursor() != cursor {
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
	s := serveSyncApp(t, testapp.New(t), dropReply)
	f := testapp.F(t)
	h, v := clientID(), clientID()
	body := jsonBody(t, map[string]any{"device": "d1", "records": []map[string]any{
		householdRec(h, f.VillageA, "谌永福", "2组7号"), visitRec(v, h, visitRecently, nil)}})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/api/sync/push", body)
	req.Header.Set("Authorization", testapp.Token(t, deputy))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Drop-Reply", "1")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatal("the reply was not dropped")
	}
	if countWhere(t, s.app, "visits", "id = '"+v+"'") != 1 {
		t.Fatal("the push did not commit before the reply was lost")
	}
	res := s.push(deputy, householdRec(h, f.VillageA, "谌永福", "2组7号"), visitRec(v, h, visitRecently, nil))
	wantOutcomes(t, res, "already_have", "already_have")
	if res[1]["status"].(float64) != 200 || countWhere(t, s.app, "visits", "id = '"+v+"'") != 1 {
		t.Fatalf("retry after a lost reply: %v", res)
	}
}

func TestSyncSameIDDifferentContent(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	v := clientID()
	first := visitRec(v, f.IDs["household_a"], visitRecently, nil)
	wantOutcomes(t, s.push(deputy, first), "created")

	// An edit that states the version it edited is an update.
	edited := visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "补充：已联系村委"})
	res := s.push(deputy, withBase(edited, 1))
	wantOutcomes(t, res, "updated")
	if res[0]["version"].(float64) != 2 {
		t.Fatalf("version after edit: %v", res[0])
	}

	// A second phone still editing version 1: conflict, both kept.
	stale := visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "另一台手机的修改"})
	for range 2 {
		res = s.push(deputy, withBase(stale, 1))
		wantOutcomes(t, res, "conflict")
		if res[0]["status"].(float64) != 409 || res[0]["version"].(float64) != 2 {
			t.Fatalf("conflict answer: %v", res[0])
		}
	}
	// Same id, new content, base_version 0 (the phone thinks it is new): conflict too.
	wantOutcomes(t, s.push(deputy, visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "重装后重新录入"})), "conflict")

	rec, err := s.app.FindRecordById("visits", v)
	if err != nil || rec.GetString("notes") != "补充：已联系村委" || rec.GetInt("version") != 2 {
		t.Fatalf("server copy overwritten: %v %v", rec, err)
	}
	if n := countWhere(t, s.app, "sync_conflicts", "record_id = '"+v+"'"); n != 2 {
		t.Fatalf("%d conflict copies, want 2 (one per distinct content)", n)
	}
	// The deputy sees their conflict copies; another deputy does not.
	status, out := s.do(deputy, http.MethodGet, "/api/collections/sync_conflicts/records?filter=record_id%3D%27"+v+"%27", nil)
	if status != 200 || out["totalItems"].(float64) != 2 {
		t.Fatalf("deputy's conflicts: %d %v", status, out)
	}
	_, out = s.do(deputy2, http.MethodGet, "/api/collections/sync_conflicts/records", nil)
	if out["totalItems"].(float64) != 0 {
		t.Fatalf("another deputy sees conflicts: %v", out)
	}
}

func TestSyncBatchWithOneInvalidRecord(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	h, good1, future, orphan, bad, good2 := clientID(), clientID(), clientID(), clientID(), clientID(), clientID()
	prob := clientID()
	res := s.push(deputy,
		householdRec(h, f.VillageA, "唐卫东", "1组1号"),
		visitRec(good1, h, visitRecently, nil),
		visitRec(future, h, time.Now().Add(2*time.Hour).Format(time.RFC3339), map[string]any{
			"problems": []map[string]any{{"id": prob, "category": "住房", "description": "危房"}}}),
		visitRec(orphan, clientID(), visitRecently, nil),
		visitRec(bad, h, visitRecently, map[string]any{"topics": []string{"不存在的议题"}, "location": map[string]any{"lat": 200, "lon": 1}}),
		visitRec(good2, h, visitRecently, nil),
	)
	wantOutcomes(t, res, "created", "created", "rejected", "rejected", "rejected", "created")
	errs := func(i int) map[string]any { return res[i]["errors"].(map[string]any) }
	if errs(2)["visited_at"] == nil || errs(3)["household"] == nil || errs(4)["location"] == nil {
		t.Fatalf("errors do not name the fields: %v %v %v", errs(2), errs(3), errs(4))
	}
	if res[2]["status"].(float64) != 400 || res[2]["reason"] == "" {
		t.Fatalf("rejected record lacks status or reason: %v", res[2])
	}
	for _, id := range []string{future, orphan, bad} {
		if countWhere(t, s.app, "visits", "id = '"+id+"'") != 0 {
			t.Fatalf("rejected visit %s stored", id)
		}
	}
	if countWhere(t, s.app, "problems", "id = '"+prob+"'") != 0 {
		t.Fatal("the problem of a rejected visit was stored")
	}
	if countWhere(t, s.app, "visits", "id IN ('"+good1+"','"+good2+"')") != 2 {
		t.Fatal("good records of the batch were not stored")
	}
	// A topic the server does not know is rejected by field validation too.
	res = s.push(deputy, visitRec(clientID(), h, visitRecently, map[string]any{"topics": []string{"不存在的议题"}}))
	if res[0]["outcome"] != "rejected" || res[0]["errors"].(map[string]any)["topics"] == nil {
		t.Fatalf("unknown topic: %v", res[0])
	}
}

// tinyPNG returns a valid PNG of w×h pixels.
func tinyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func photoDecl(key string, b []byte) map[string]any {
	sum := sha256.Sum256(b)
	return map[string]any{"key": key, "sha256": hex.EncodeToString(sum[:]), "size": len(b)}
}

func (s *syncServer) putPhoto(role, visit, key string, b []byte, contentType string) (int, map[string]any) {
	s.t.Helper()
	status, raw := s.doRaw(testapp.Token(s.t, role), http.MethodPut, "/api/sync/photos/visits/"+visit+"/"+key, contentType, bytes.NewReader(b))
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		s.t.Fatalf("photo answer not JSON: %s", raw)
	}
	return status, out
}

func photoLists(out map[string]any) (expected, present string) {
	p := out["photos"].(map[string]any)
	return fmt.Sprint(p["expected"]), fmt.Sprint(p["present"])
}

func TestSyncPhotoInterruptedThenResumed(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	ph1, ph2 := tinyPNG(t, 40, 30), tinyPNG(t, 20, 20)
	notImage := []byte("这不是图片，只是一段文字。这不是图片，只是一段文字。")
	v := clientID()
	res := s.push(deputy, visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{photoDecl("ph1", ph1), photoDecl("ph2", ph2), photoDecl("ph3", notImage)}}))
	wantOutcomes(t, res, "created")
	if e, p := photoLists(res[0]); e != "[ph1 ph2 ph3]" || p != "[]" || res[0]["complete"] != false {
		t.Fatalf("after push: expected %s present %s complete %v", e, p, res[0]["complete"])
	}

	// The connection broke half-way: the bytes do not match the declaration.
	status, out := s.putPhoto(deputy, v, "ph1", ph1[:len(ph1)/2], "image/png")
	if status != 400 || out["data"].(map[string]any)["photo"] == nil {
		t.Fatalf("truncated upload: %d %v", status, out)
	}
	status, out = s.do(deputy, http.MethodGet, "/api/sync/status/visits/"+v, nil)
	if _, p := photoLists(out); status != 200 || p != "[]" || out["complete"] != false {
		t.Fatalf("status after a broken upload: %d %v", status, out)
	}
	// Resumed: the whole photo, then the same again (idempotent).
	for range 2 {
		status, out = s.putPhoto(deputy, v, "ph1", ph1, "image/png")
		if _, p := photoLists(out); status != 200 || p != "[ph1]" {
			t.Fatalf("resumed upload: %d %v", status, out)
		}
	}
	rec, _ := s.app.FindRecordById("visits", v)
	if n := len(rec.GetStringSlice("photos")); n != 1 {
		t.Fatalf("%d files stored after a repeated upload, want 1", n)
	}
	// Not an image, even though declared: refused.
	if status, out = s.putPhoto(deputy, v, "ph3", notImage, "image/jpeg"); status != 400 || out["data"].(map[string]any)["photo"] == nil {
		t.Fatalf("not an image: %d %v", status, out)
	}
	// A key the record did not declare.
	if status, out = s.putPhoto(deputy, v, "nope", ph2, "image/png"); status != 400 || out["data"].(map[string]any)["key"] == nil {
		t.Fatalf("undeclared key: %d %v", status, out)
	}
	// Too large is refused at the push, naming the field.
	res = s.push(deputy, visitRec(clientID(), f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{map[string]any{"key": "big", "sha256": hex.EncodeToString(make([]byte, 32)), "size": 6 << 20}}}))
	if res[0]["outcome"] != "rejected" || res[0]["errors"].(map[string]any)["photos"] == nil {
		t.Fatalf("oversized photo: %v", res[0])
	}

	// The phone drops the non-image and sends ph2: complete.
	res = s.push(deputy, withBase(visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{
		"photos": []any{photoDecl("ph1", ph1), photoDecl("ph2", ph2)}}), 1))
	wantOutcomes(t, res, "updated")
	if _, p := photoLists(res[0]); p != "[ph1]" {
		t.Fatalf("received photo lost by the edit: %v", res[0])
	}
	status, out = s.putPhoto(deputy, v, "ph2", ph2, "image/png")
	if e, p := photoLists(out); status != 200 || e != "[ph1 ph2]" || p != "[ph1 ph2]" || out["complete"] != true {
		t.Fatalf("after all photos: %d %v", status, out)
	}
	rec, _ = s.app.FindRecordById("visits", v)
	if !rec.GetBool("complete") || len(rec.GetStringSlice("photos")) != 2 {
		t.Fatalf("record not complete: %v", rec)
	}
}

func TestSyncPullAfterSecondDeviceWrote(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	// Device A pushes; device B (same deputy, fresh install) pulls everything.
	h, v1, v2 := clientID(), clientID(), clientID()
	png1 := tinyPNG(t, 10, 10)
	wantOutcomes(t, s.push(deputy, householdRec(h, f.VillageB, "梁运来", "7组2号"),
		visitRec(v1, h, visitRecently, map[string]any{"photos": []any{photoDecl("a", png1)}}),
		visitRec(v2, h, visitRecently, nil)), "created", "created", "created")
	if status, _ := s.putPhoto(deputy, v1, "a", png1, "image/png"); status != 200 {
		t.Fatal("photo upload failed")
	}

	got := map[string]bool{}
	cursor, pages := 0.0, 0
	for more := true; more; pages++ {
		status, out := s.do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=2", int(cursor)), nil)
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
	_, out := s.do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	if len(out["changes"].([]any)) != 0 || out["cursor"].(float64) != cursor || out["more"] != false {
		t.Fatalf("pull with nothing new: %v", out)
	}

	// Staff delete a visit: the pull carries a tombstone, a re-upload is gone.
	rec, _ := s.app.FindRecordById("visits", v2)
	if err := s.app.Delete(rec); err != nil {
		t.Fatal(err)
	}
	_, out = s.do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	changes := out["changes"].([]any)
	if len(changes) != 1 || changes[0].(map[string]any)["id"] != v2 || changes[0].(map[string]any)["deleted"] != true {
		t.Fatalf("tombstone not pulled: %v", out)
	}
	res := s.push(deputy, visitRec(v2, h, visitRecently, nil))
	if res[0]["outcome"] != "gone" || res[0]["status"].(float64) != 410 {
		t.Fatalf("re-upload of a deleted record: %v", res[0])
	}

	// Another deputy pulls none of it (village A household, deputy's visits).
	_, out = s.do(deputy2, http.MethodGet, "/api/sync/pull", nil)
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
	s := newSyncServer(t)
	f := testapp.F(t)
	visitA := f.IDs["visit_a"]

	// deputy2 re-uses deputy's visit id.
	res := s.push(deputy2, visitRec(visitA, f.IDs["household_a"], visitRecently, nil))
	if res[0]["outcome"] != "forbidden" || res[0]["status"].(float64) != 403 {
		t.Fatalf("writing another deputy's visit: %v", res[0])
	}
	// A body claiming another owner.
	v := clientID()
	res = s.push(deputy2, visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"deputy": f.Deputy}))
	if res[0]["outcome"] != "forbidden" || res[0]["errors"].(map[string]any)["deputy"] == nil {
		t.Fatalf("body claiming another owner: %v", res[0])
	}
	if countWhere(t, s.app, "visits", "id = '"+v+"'") != 0 {
		t.Fatal("a record claiming another owner was stored")
	}
	// The owner is always the token's, even when the body names nobody.
	res = s.push(deputy2, visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"deputy": f.Deputy2}))
	wantOutcomes(t, res, "created")
	if rec, _ := s.app.FindRecordById("visits", v); rec.GetString("deputy") != f.Deputy2 {
		t.Fatal("owner not taken from the auth")
	}
	rec, _ := s.app.FindRecordById("visits", visitA)
	if rec.GetInt("version") != 1 {
		t.Fatal("another deputy changed the visit")
	}
	// Photos and status of another deputy's record.
	if status, _ := s.putPhoto(deputy2, visitA, "ph1", tinyPNG(t, 2, 2), "image/png"); status != 403 {
		t.Fatalf("photo upload to another deputy's visit: %d", status)
	}
	if status, _ := s.do(deputy2, http.MethodGet, "/api/sync/status/visits/"+visitA, nil); status != 403 {
		t.Fatalf("status of another deputy's visit: %d", status)
	}
	// A household recorded by another deputy cannot be edited under its id.
	res = s.push(deputy2, withBase(householdRec(f.IDs["household_a"], f.VillageA, "向德胜", "3组12号附1"), 1))
	if res[0]["outcome"] != "forbidden" {
		t.Fatalf("editing another deputy's household: %v", res[0])
	}
}

func TestSyncHouseholdsMergeByNormalizedKey(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	h1, h2, v := clientID(), clientID(), clientID()
	wantOutcomes(t, s.push(deputy, householdRec(h1, f.VillageB, "瞿 春兰", "三组12号")), "created")
	// Another deputy, offline, recorded the same household differently
	// written, and a visit to it.
	res := s.push(deputy2, householdRec(h2, f.VillageB, "瞿春兰", "3组 12 号"), visitRec(v, h2, visitRecently, nil))
	wantOutcomes(t, res, "merged", "created")
	if res[0]["merged_into"] != h1 {
		t.Fatalf("merged into %v, want %s", res[0]["merged_into"], h1)
	}
	if rec, _ := s.app.FindRecordById("visits", v); rec.GetString("household") != h1 {
		t.Fatal("the visit was not stored against the kept household")
	}
	// A retry answers merged again and changes nothing.
	wantOutcomes(t, s.push(deputy2, householdRec(h2, f.VillageB, "瞿春兰", "3组 12 号"), visitRec(v, h2, visitRecently, nil)), "merged", "already_have")
	if countWhere(t, s.app, "households", "village = '"+f.VillageB+"' AND head_name LIKE '瞿%'") != 1 {
		t.Fatal("the household was duplicated")
	}
	// Same name and address in another village is another household.
	wantOutcomes(t, s.push(deputy, householdRec(clientID(), f.VillageA, "瞿春兰", "三组12号")), "created")
}

func TestSyncMalformedRequests(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	many := make([]map[string]any, 101)
	for i := range many {
		many[i] = householdRec(clientID(), f.VillageA, "某某", fmt.Sprintf("%d号", i))
	}
	cases := []struct {
		name, role string
		body       any
		status     int
		field      string
	}{
		{"no token", guest, map[string]any{"records": []any{householdRec(clientID(), f.VillageA, "甲", "1号")}}, 401, ""},
		{"inactive deputy", inactive, map[string]any{"records": []any{householdRec(clientID(), f.VillageA, "甲", "1号")}}, 403, ""},
		{"staff are not deputies", superuser, map[string]any{"records": []any{householdRec(clientID(), f.VillageA, "甲", "1号")}}, 401, ""},
		{"not JSON", deputy, "{records: oops", 400, "records"},
		{"no records", deputy, map[string]any{"records": []any{}}, 400, "records"},
		{"too many records", deputy, map[string]any{"records": many}, 400, "records"},
		{"unknown collection", deputy, map[string]any{"records": []any{map[string]any{"collection": "deputies", "id": clientID(), "data": map[string]any{}}}}, 400, "records.0.collection"},
		{"data not an object", deputy, map[string]any{"records": []any{map[string]any{"collection": "visits", "id": clientID(), "data": "x"}}}, 400, "records.0.data"},
	}
	for _, c := range cases {
		status, out := s.do(c.role, http.MethodPost, "/api/sync/push", c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %v", c.name, status, c.status, out)
			continue
		}
		if c.field != "" && out["data"].(map[string]any)[c.field] == nil {
			t.Errorf("%s: the error does not name %s: %v", c.name, c.field, out)
		}
	}
	if countWhere(t, s.app, "households", "head_name = '某某'") != 0 {
		t.Fatal("an oversized push was partly stored")
	}

	// Per record: a bad id, a schema newer than the server, an unknown field.
	res := s.push(deputy,
		householdRec("NOT-AN-ID", f.VillageA, "甲", "1号"),
		map[string]any{"collection": "visits", "id": clientID(), "schema_version": 99, "data": map[string]any{"household": f.IDs["household_a"]}},
		visitRec(clientID(), f.IDs["household_a"], visitRecently, map[string]any{"mood": "good"}),
	)
	wantOutcomes(t, res, "rejected", "rejected", "rejected")
	if res[0]["code"] != "invalid_id" || res[1]["code"] != "schema_too_new" || res[2]["errors"].(map[string]any)["mood"] == nil {
		t.Fatalf("per-record rejections: %v", res)
	}
	for _, path := range []string{"/api/sync/pull?since=-1", "/api/sync/pull?limit=100000", "/api/sync/pull?since=abc"} {
		if status, _ := s.do(deputy, http.MethodGet, path, nil); status != 400 {
			t.Errorf("%s: status %d, want 400", path, status)
		}
	}
	if status, _ := s.do(guest, http.MethodGet, "/api/sync/pull", nil); status != 401 {
		t.Errorf("pull without a token: %d", status)
	}
}

func TestSyncOldSchemaAccepted(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	rec := visitRec(clientID(), f.IDs["household_a"], visitRecently, nil)
	rec["schema_version"] = 0 // a phone from before schema versions were stamped
	wantOutcomes(t, s.push(deputy, rec), "created")
}

// An edit in the admin UI moves the server copy on: a phone still editing
// the old version gets a conflict, never a silent overwrite.
func TestSyncStaffEditMakesPhoneCopyStale(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	v := clientID()
	png1 := tinyPNG(t, 8, 8)
	wantOutcomes(t, s.push(deputy, visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"photos": []any{photoDecl("a", png1)}})), "created")
	if status, _ := s.putPhoto(deputy, v, "a", png1, "image/png"); status != 200 {
		t.Fatal("photo upload failed")
	}
	rec, _ := s.app.FindRecordById("visits", v)
	if rec.GetInt("version") != 1 {
		t.Fatalf("a photo arriving changed the version: %d", rec.GetInt("version"))
	}
	rec.Set("notes", "工作人员更正了记录")
	if err := s.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	if rec.GetInt("version") != 2 {
		t.Fatalf("staff edit: version %d, want 2", rec.GetInt("version"))
	}
	res := s.push(deputy, withBase(visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "手机上的修改", "photos": []any{photoDecl("a", png1)}}), 1))
	wantOutcomes(t, res, "conflict")

	// Editing the current version is an update; dropping the photo from
	// the manifest deletes the stored file.
	res = s.push(deputy, withBase(visitRec(v, f.IDs["household_a"], visitRecently, map[string]any{"notes": "手机上的修改", "photos": []any{}}), 2))
	wantOutcomes(t, res, "updated")
	rec, _ = s.app.FindRecordById("visits", v)
	if len(rec.GetStringSlice("photos")) != 0 || !rec.GetBool("complete") || rec.GetInt("version") != 3 {
		t.Fatalf("after dropping the photo: files %v complete %v version %d", rec.GetStringSlice("photos"), rec.GetBool("complete"), rec.GetInt("version"))
	}
}

// A household deleted by staff reaches the phones of its village's deputies
// as a tombstone, even those who did not record it.
func TestSyncHouseholdTombstoneReachesTheVillage(t *testing.T) {
	s := newSyncServer(t)
	f := testapp.F(t)
	_, out := s.do(deputy2, http.MethodGet, "/api/sync/pull", nil)
	cursor := out["cursor"].(float64)
	rec, err := s.app.FindRecordById("households", f.IDs["household_b"])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.app.Delete(rec); err != nil {
		t.Fatal(err)
	}
	_, out = s.do(deputy2, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d", int(cursor)), nil)
	changes := out["changes"].([]any)
	if len(changes) != 1 || changes[0].(map[string]any)["id"] != f.IDs["household_b"] || changes[0].(map[string]any)["deleted"] != true {
		t.Fatalf("village deputy's pull after the delete: %v", out)
	}
}
