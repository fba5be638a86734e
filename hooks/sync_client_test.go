package hooks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/internal/testapp"
)

// syncServer serves one test app over real HTTP on 127.0.0.1, for
// contracts that take several requests against the same data (retries,
// pulls after pushes). ApiScenario gives each request a fresh app.
type syncServer struct {
	t   testing.TB
	app *tests.TestApp
	url string
}

func newSyncServer(t testing.TB) *syncServer {
	t.Helper()
	app := testapp.New(t)
	return serveSyncApp(t, app, nil)
}

// serveApp serves app; wrap, if set, wraps the handler (fault injection).
func serveSyncApp(t testing.TB, app *tests.TestApp, wrap func(http.Handler) http.Handler) *syncServer {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	se := &core.ServeEvent{App: app, Router: r}
	err = app.OnServe().Trigger(se, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		handler = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &syncServer{t: t, app: app, url: srv.URL}
}

// do sends a request as role and decodes the JSON answer.
func (s *syncServer) do(role, method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	status, raw := s.doRaw(testapp.Token(s.t, role), method, path, "application/json", jsonBody(s.t, body))
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			s.t.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
		}
	}
	return status, out
}

func (s *syncServer) doRaw(token, method, path, contentType string, body io.Reader) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

func jsonBody(t testing.TB, body any) io.Reader {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	case []byte:
		return bytes.NewReader(b)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(raw)
}

// push sends records as role and returns the per-record results.
func (s *syncServer) push(role string, records ...map[string]any) []map[string]any {
	s.t.Helper()
	status, out := s.do(role, http.MethodPost, "/api/sync/push", map[string]any{"device": "testdevice00001", "records": records})
	if status != http.StatusOK {
		s.t.Fatalf("push: status %d: %v", status, out)
	}
	return pushResults(s.t, out)
}

func pushResults(t testing.TB, out map[string]any) []map[string]any {
	t.Helper()
	list, ok := out["results"].([]any)
	if !ok {
		t.Fatalf("no results in %v", out)
	}
	res := make([]map[string]any, len(list))
	for i, r := range list {
		res[i] = r.(map[string]any)
	}
	return res
}

func clientID() string {
	return security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
}

func householdRec(id, village, head, addr string) map[string]any {
	return map[string]any{"collection": "households", "id": id, "base_version": 0, "schema_version": 1,
		"data": map[string]any{"village": village, "head_name": head, "address": addr}}
}

func visitRec(id, household, visitedAt string, extra map[string]any) map[string]any {
	data := map[string]any{"household": household, "visited_at": visitedAt, "notes": "走访了解情况", "topics": []string{"道路交通"}}
	for k, v := range extra {
		data[k] = v
	}
	return map[string]any{"collection": "visits", "id": id, "base_version": 0, "schema_version": 1, "data": data}
}

func withBase(rec map[string]any, base int) map[string]any {
	out := map[string]any{}
	for k, v := range rec {
		out[k] = v
	}
	out["base_version"] = base
	return out
}

func pushOutcomes(res []map[string]any) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r["outcome"].(string)
	}
	return out
}

func wantOutcomes(t testing.TB, res []map[string]any, want ...string) {
	t.Helper()
	got := pushOutcomes(res)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("outcomes %v, want %v; results %v", got, want, res)
	}
}

func countWhere(t testing.TB, app core.App, collection, filter string) int {
	t.Helper()
	n, err := app.CountRecords(collection, dbx.NewExp(filter))
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// cursor is the server's current sequence, as a push answers it.
func (s *syncServer) cursor() int {
	s.t.Helper()
	var v int
	if err := s.app.DB().NewQuery("SELECT value FROM sync_counters WHERE name = 'seq'").Row(&v); err != nil {
		s.t.Fatal(err)
	}
	return v
}
