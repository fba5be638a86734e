package syncengine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// TestSyncRoutesSurviveMalformedRequests covers /api/sync/* without a token
// and, with a deputy's token, malformed JSON, wrong types, unknown fields
// and hostile text in every text field of the synced collections.
func TestSyncRoutesSurviveMalformedRequests(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	token := testapp.Token(t, deputy)
	visit := f.IDs["visit_a"]

	routes := []struct{ method, path string }{
		{http.MethodPost, "/api/sync/push"},
		{http.MethodGet, "/api/sync/pull"},
		{http.MethodPut, "/api/sync/photos/visits/" + visit + "/ph1"},
		{http.MethodGet, "/api/sync/status/visits/" + visit},
	}
	for _, rt := range routes {
		for _, tok := range []string{"", "not-a-token", "Bearer ' OR 1=1 --"} {
			status, body := s.DoRaw(tok, rt.method, rt.path, "application/json", strings.NewReader(`{"records":[]}`))
			if status != http.StatusUnauthorized || !json.Valid(body) {
				t.Errorf("%s %s with token %q: %d %s", rt.method, rt.path, tok, status, body)
			}
		}
	}

	bodies := []string{
		``, `{`, `null`, `[]`, `"records"`, `{"records": "x"}`, `{"records": [1, "a", null]}`,
		`{"records": [{"collection": 5, "id": true}]}`,
		`{"records": [{"collection": "visits", "id": ["a"], "data": {}}]}`,
		`{"records": [{"collection": "visits", "id": "abcdefghij12345", "base_version": "one", "data": {}}]}`,
		`{"records": [{"collection": "visits", "id": "abcdefghij12345", "schema_version": -1e99, "data": {}}]}`,
		`{"device": {"a": 1}, "records": [{"collection": "households", "id": "abcdefghij12346", "data": {"village": 1}}]}`,
		`{"records": [{"collection": "visits", "id": "abcdefghij12347", "data": {}}], "admin": true}`,
		`{"records": [{"collection": "' OR 1=1 --", "id": "abcdefghij12348", "data": {}}]}`,
	}
	for _, b := range bodies {
		status, out := s.DoRaw(token, http.MethodPost, "/api/sync/push", "application/json", strings.NewReader(b))
		if status >= 500 || !json.Valid(out) {
			t.Errorf("push %s: %d %s", b, status, out)
		}
	}

	h := f.IDs["household_a"]
	wrongTypes := []map[string]any{
		{"visited_at": 123}, {"visited_at": "昨天"}, {"household": 7},
		{"location": "村口"}, {"location": map[string]any{"lat": "x", "lon": nil}}, {"location": []any{1, 2}},
		{"topics": []any{1, nil}}, {"problems": "坏了"}, {"problems": []any{map[string]any{"id": 5}}},
		{"photos": "x"}, {"photos": []any{map[string]any{"key": "../../etc/passwd", "sha256": "zz", "size": "big"}}},
		{"version": 99, "seq": -1, "deputy": f.Deputy2},
		{"mood": "good"},
	}
	var recs []map[string]any
	for _, extra := range wrongTypes {
		recs = append(recs, testapp.VisitRec(testapp.ClientID(), h, visitRecently, extra))
	}
	for i, r := range s.Push(deputy, recs...) {
		if r["outcome"] != "rejected" && r["outcome"] != "forbidden" {
			t.Errorf("wrong type %v accepted: %v", wrongTypes[i], r)
		}
	}

	// Values PocketBase's field types cast rather than refuse: stored as
	// plain values of the field's type, never as operators or markup.
	coerced := []struct {
		extra map[string]any
		field string
		want  string
	}{
		{map[string]any{"household": []any{h}}, "household", h},
		{map[string]any{"topics": "道路交通"}, "topics", `["道路交通"]`},
		{map[string]any{"notes": 42}, "notes", "42"},
		{map[string]any{"notes": map[string]any{"$ne": ""}}, "notes", ""},
	}
	for _, c := range coerced {
		id := testapp.ClientID()
		testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(id, h, visitRecently, c.extra)), "created")
		rec, _ := s.App.FindRecordById("visits", id)
		got := rec.GetString(c.field)
		if c.field == "topics" {
			b, _ := json.Marshal(rec.GetStringSlice("topics"))
			got = string(b)
		}
		if got != c.want {
			t.Errorf("%v stored %s = %q, want %q", c.extra, c.field, got, c.want)
		}
	}

	// Hostile text in every text field: stored as the text sent, pulled back
	// as the same JSON string. The PWA renders with Preact/htm, which sets
	// text, never HTML (pb_public/app has no innerHTML).
	cursor := s.Cursor()
	sent := map[string]string{}
	for i, bad := range testapp.HostileText[:5] {
		hid, vid := testapp.ClientID(), testapp.ClientID()
		// head_name holds at most 30 characters: the markup and SQL fit.
		hh := testapp.HouseholdRec(hid, f.VillageA, bad, fmt.Sprintf("%d组%s", i+1, bad))
		vv := testapp.VisitRec(vid, hid, visitRecently, map[string]any{"notes": bad,
			"problems": []map[string]any{{"id": testapp.ClientID(), "category": "其他", "description": bad}}})
		for _, r := range s.Push(deputy, hh, vv) {
			if r["outcome"] != "created" {
				t.Fatalf("hostile text %d: %v", i, r)
			}
		}
		sent[vid] = bad
	}
	status, out := s.Do(deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=500", cursor), nil)
	if status != 200 {
		t.Fatalf("pull: %d", status)
	}
	for _, c := range out["changes"].([]any) {
		ch := c.(map[string]any)
		if want, ok := sent[ch["id"].(string)]; ok {
			if got := ch["data"].(map[string]any)["notes"]; got != want {
				t.Errorf("notes came back as %q, sent %q", got, want)
			}
			delete(sent, ch["id"].(string))
		}
	}
	if len(sent) != 0 {
		t.Fatalf("%d hostile visits not pulled back", len(sent))
	}
	if n := testapp.CountWhere(t, s.App, "visits", "id != ''"); n == 0 {
		t.Fatal("the visits table is gone")
	}

	for _, bad := range testapp.HostileText[:5] {
		q := url.QueryEscape(bad)
		e := url.PathEscape(bad)
		for _, p := range []string{"/api/sync/pull?since=" + q, "/api/sync/pull?limit=" + q, "/api/sync/status/visits/" + e, "/api/sync/status/" + e + "/" + visit} {
			if status, body := s.DoRaw(token, http.MethodGet, p, "", nil); status >= 500 || !json.Valid(body) {
				t.Errorf("GET %s: %d %s", p, status, body)
			}
		}
		p := "/api/sync/photos/visits/" + visit + "/" + e
		if status, body := s.DoRaw(token, http.MethodPut, p, "image/png", bytes.NewReader(testapp.PNG(t, 4, 4, 0))); status >= 500 || !json.Valid(body) {
			t.Errorf("PUT %s: %d %s", p, status, body)
		}
	}
}

// TestOversizedSyncBodiesAreRefusedUnread: a push or a photo upload
// declaring a body over its route's limit is refused before a byte of it
// is read, a chunked one cut at the limit (testapp.OversizedBodiesAreRefusedUnread).
func TestOversizedSyncBodiesAreRefusedUnread(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	token := testapp.Token(t, deputy)
	testapp.OversizedBodiesAreRefusedUnread(t, s.URL, []testapp.BodyRoute{
		{Method: http.MethodPost, Path: "/api/sync/push", Token: token, ContentType: "application/json", Limit: 4 << 20},
		{Method: http.MethodPut, Path: "/api/sync/photos/visits/" + f.IDs["visit_a"] + "/ph1", Token: token, ContentType: "image/jpeg", Limit: 5<<20 + 64<<10},
	})
}
