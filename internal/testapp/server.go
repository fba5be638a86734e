package testapp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// Server serves one test app over real HTTP on 127.0.0.1, for contracts
// that take several requests against the same data (retries, pulls after
// pushes, a ledger's lifecycle). ApiScenario gives each request a fresh app.
type Server struct {
	T   testing.TB
	App *tests.TestApp
	URL string
}

// NewServer serves a fresh app.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return Serve(t, New(t), nil)
}

// Serve serves app with its whole router (the production wiring); wrap, if
// set, wraps the handler (fault injection).
func Serve(t testing.TB, app *tests.TestApp, wrap func(http.Handler) http.Handler) *Server {
	t.Helper()
	handler := Handler(t, app)
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &Server{T: t, App: app, URL: srv.URL}
}

var muxes sync.Map // *tests.TestApp → http.Handler

// Handler is app's router with every route bound; the serve event runs once
// per app.
func Handler(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	if h, ok := muxes.Load(app); ok {
		return h.(http.Handler)
	}
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	se := &core.ServeEvent{App: app, Router: router}
	err = app.OnServe().Trigger(se, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		h = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	muxes.Store(app, h)
	return h
}

// Request sends one JSON request as role to app's router, without a
// network, for tests that make several requests against the same app.
func Request(t testing.TB, app *tests.TestApp, method, url, body, role string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok := Token(t, role); tok != "" {
		req.Header.Set("Authorization", tok)
	}
	Handler(t, app).ServeHTTP(rec, req)
	return rec
}

// Do sends a request as role and decodes the JSON answer.
func (s *Server) Do(role, method, path string, body any) (int, map[string]any) {
	s.T.Helper()
	status, raw := s.DoRaw(Token(s.T, role), method, path, "application/json", JSONBody(s.T, body))
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			s.T.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
		}
	}
	return status, out
}

// DoRaw sends a request with token ("" for none) and returns the status and body.
func (s *Server) DoRaw(token, method, path, contentType string, body io.Reader) (int, []byte) {
	s.T.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		s.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// JSONBody is body as a request body: nil, a string or bytes as they are,
// anything else as JSON.
func JSONBody(t testing.TB, body any) io.Reader {
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

// Push sends records to /api/sync/push as role and returns the per-record results.
func (s *Server) Push(role string, records ...map[string]any) []map[string]any {
	s.T.Helper()
	return s.push(role, map[string]any{"device": "testdevice00001", "records": records})
}

// PushFrom pushes records as the deputy from the named device.
func (s *Server) PushFrom(device string, records ...map[string]any) []map[string]any {
	s.T.Helper()
	return s.push(RoleDeputy, map[string]any{"device": device, "records": records})
}

// PushAt pushes records as the deputy from a phone whose clock reads sentAt.
func (s *Server) PushAt(sentAt string, records ...map[string]any) []map[string]any {
	s.T.Helper()
	return s.push(RoleDeputy, map[string]any{"device": "fastclock000001", "sent_at": sentAt, "records": records})
}

func (s *Server) push(role string, body map[string]any) []map[string]any {
	s.T.Helper()
	status, out := s.Do(role, http.MethodPost, "/api/sync/push", body)
	if status != http.StatusOK {
		s.T.Fatalf("push (%v): status %d: %v", body["device"], status, out)
	}
	return PushResults(s.T, out)
}

// PushResults are the per-record results of a push answer.
func PushResults(t testing.TB, out map[string]any) []map[string]any {
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

// PullAll pulls every page after since as the deputy and returns the
// changes in order and the cursor to pull from next.
func (s *Server) PullAll(since int) ([]map[string]any, int) {
	s.T.Helper()
	var changes []map[string]any
	for more := true; more; {
		status, out := s.Do(RoleDeputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=50", since), nil)
		if status != 200 {
			s.T.Fatalf("pull: %d %v", status, out)
		}
		for _, c := range out["changes"].([]any) {
			changes = append(changes, c.(map[string]any))
		}
		since, more = int(out["cursor"].(float64)), out["more"].(bool)
	}
	return changes, since
}

// PutPhoto uploads b as the photo key of a visit, as role.
func (s *Server) PutPhoto(role, visit, key string, b []byte, contentType string) (int, map[string]any) {
	s.T.Helper()
	status, raw := s.DoRaw(Token(s.T, role), http.MethodPut, "/api/sync/photos/visits/"+visit+"/"+key, contentType, bytes.NewReader(b))
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		s.T.Fatalf("photo answer not JSON: %s", raw)
	}
	return status, out
}

// Cursor is the server's current sequence, as a push answers it.
func (s *Server) Cursor() int {
	s.T.Helper()
	var v int
	if err := s.App.DB().NewQuery("SELECT value FROM sync_counters WHERE name = 'seq'").Row(&v); err != nil {
		s.T.Fatal(err)
	}
	return v
}
