package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks"
	"simeng/internal/testapp"
	"simeng/scoring"
)

type core_ServeEvent = core.ServeEvent

// lazyBody reads *s when the request is built, i.e. after BeforeTestFunc
// has filled it in.
func lazyBody(s *string) io.Reader {
	return &lazyReader{s: s}
}

type lazyReader struct {
	s *string
	r io.Reader
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil {
		l.r = strings.NewReader(*l.s)
	}
	return l.r.Read(p)
}

var muxes sync.Map // *tests.TestApp → http.Handler

// request sends one request to app's router, for tests that make several
// requests against the same app. The serve event runs once per app.
func request(t testing.TB, app *tests.TestApp, method, url, body, role string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok := testapp.Token(t, role); tok != "" {
		req.Header.Set("Authorization", tok)
	}
	handler(t, app).ServeHTTP(rec, req)
	return rec
}

// handler is app's router with every route bound (the serve event runs once
// per app).
func handler(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	h, ok := muxes.Load(app)
	if ok {
		return h.(http.Handler)
	}
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
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
	return h.(http.Handler)
}

func newRecordFromJSON(t testing.TB, col *core.Collection, body string) *core.Record {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(m)
	return r
}

// scoreResult is the stored current-year assessment of a deputy.
func scoreResult(t testing.TB, app core.App, deputyID string) scoring.Result {
	t.Helper()
	hooks.FlushAssessmentScores(app)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}",
		map[string]any{"d": deputyID, "y": testapp.AssessmentDate().Year()})
	if err != nil {
		t.Fatalf("no score row for %s: %v", deputyID, err)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.GetString("result")), &res); err != nil {
		t.Fatal(err)
	}
	return res
}

func item(t testing.TB, res scoring.Result, key string) scoring.ItemResult {
	t.Helper()
	for _, it := range res.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %q in %+v", key, res.Items)
	return scoring.ItemResult{}
}

// requireCollection skips a test of a fact source whose collection is not
// in this build (the assessment wires only the sources that exist).
func requireCollection(t *testing.T, app core.App, name string) {
	t.Helper()
	if _, err := app.FindCachedCollectionByNameOrId(name); err != nil {
		t.Skipf("%s is not in this build", name)
	}
}
