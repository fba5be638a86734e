package guard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/internal/testapp"
)

// Issue 11: request logs keep neither residents' tracking codes nor file
// tokens, in the URL, the referer or the message.
func TestRequestLogsHoldNoTrackingCodesOrTokens(t *testing.T) {
	app := testapp.New(t)
	logs := []*core.Log{
		{Message: "GET /t/k7m2p9q4wx?new=1", Data: types.JSONMap[any]{"type": "request", "url": "/t/k7m2p9q4wx?new=1",
			"referer": "https://rd.simeng.example/d/abcd2345ef"}},
		{Message: "GET /t?code=k7m2p9q4wx", Data: types.JSONMap[any]{"type": "request", "url": "/t?code=k7m2p9q4wx", "referer": ""}},
		{Message: "GET /api/files/pbc_1/r1/photo_a.jpg?thumb=320x320&token=eyJhbGciOi.secret.sig",
			Data: types.JSONMap[any]{"type": "request", "url": "/api/files/pbc_1/r1/photo_a.jpg?thumb=320x320&token=eyJhbGciOi.secret.sig",
				"referer": "https://rd.simeng.example/t/k7m2p9q4wx"}},
	}
	for _, l := range logs {
		l.Id = core.GenerateDefaultRandomId()
		if err := app.AuxSave(l); err != nil {
			t.Fatal(err)
		}
	}
	var stored []*core.Log
	if err := app.LogQuery().All(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) < len(logs) {
		t.Fatalf("%d logs stored", len(stored))
	}
	for _, l := range stored {
		all := l.Message + " " + l.Data.Get("url").(string) + " " + l.Data.Get("referer").(string)
		for _, secret := range []string{"k7m2p9q4wx", "eyJhbGciOi", "secret.sig"} {
			if strings.Contains(all, secret) {
				t.Errorf("a log keeps %q: %s", secret, all)
			}
		}
	}
	var thumb bool
	for _, l := range stored {
		if u := l.Data.Get("url").(string); u == "/api/files/pbc_1/r1/photo_a.jpg?thumb=320x320&token=***" {
			thumb = true
		}
	}
	if !thumb {
		t.Errorf("the file URL is not kept with its token hidden: %v", stored)
	}
}

// Issue 12: health checks and the PWA's files are not logged when they
// succeed; other requests still are.
func TestHealthChecksAndStaticFilesAreNotLogged(t *testing.T) {
	p := newLogProbe(t)
	get, count := p.get, p.count
	for i := range 1000 {
		path := []string{"/api/health", "/", "/app/main.js", "/sw.js", "/manifest.webmanifest"}[i%5]
		if code := get(path); code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
	}
	if code := get("/api/collections/villages/records?marker=guard"); code != http.StatusOK {
		t.Fatalf("marker: %d", code)
	}
	// Wait for the marker's log (written in the background).
	p.waitFor("the marker request was never logged", `json_extract(data, '$.url') LIKE '%marker=guard%'`)
	if n := count(`json_extract(data, '$.type') = 'request' AND json_extract(data, '$.url') NOT LIKE '%marker=guard%'`); n != 0 {
		t.Fatalf("%d health and static requests logged", n)
	}
	// A failure still is.
	if code := get("/api/collections/nothing_here/records"); code != http.StatusNotFound {
		t.Fatalf("unknown collection: %d", code)
	}
	p.waitFor("a failed request was not logged", `json_extract(data, '$.url') LIKE '%nothing_here%'`)
}

// Issue 19: the public pages residents open from a QR code are not logged
// when they are served (each is the same page for everyone, and a row
// would keep only a resident's address); an unknown code's 404 still is.
func TestPublicPagesAreLoggedOnlyWhenTheyFail(t *testing.T) {
	f := testapp.F(t)
	p := newLogProbe(t)
	get := p.get
	for _, path := range []string{"/d/" + f.DeputyCode, "/e", "/s/" + testapp.StationCode} {
		for range 3 {
			if code := get(path); code != http.StatusOK {
				t.Fatalf("GET %s: %d", path, code)
			}
		}
	}
	if code := get("/d/nosuchcode9"); code != http.StatusNotFound {
		t.Fatalf("unknown deputy code: %d", code)
	}
	// The marker is logged after the pages (it is not quiet): once it is
	// there, the pages' rows would be too.
	if code := get("/api/collections/villages/records?marker=public"); code != http.StatusOK {
		t.Fatalf("marker: %d", code)
	}
	p.waitFor("the marker or the unknown code's 404 was never logged",
		`json_extract(data, '$.url') LIKE '%marker=public%'`, `json_extract(data, '$.url') = '/d/nosuchcode9'`)
	if n := p.count(`json_extract(data, '$.type') = 'request' AND json_extract(data, '$.status') = 200 AND json_extract(data, '$.url') NOT LIKE '%marker=public%'`); n != 0 {
		t.Fatalf("%d served public pages logged", n)
	}
}

// logProbe serves a test app's routes with production's log settings (test
// apps log nothing) and reads its request logs.
type logProbe struct {
	t   *testing.T
	app core.App
	h   http.Handler
}

func newLogProbe(t *testing.T) *logProbe {
	app := testapp.New(t)
	app.Settings().Logs.MaxDays = 14
	return &logProbe{t: t, app: app, h: testapp.Handler(t, app)}
}

// get sends a GET and returns its status.
func (p *logProbe) get(path string) int {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// count is the number of logs matching filter.
func (p *logProbe) count(filter string) int {
	var n int
	p.app.AuxDB().Select("count(*)").From(core.LogsTableName).Where(dbx.NewExp(filter)).Row(&n)
	return n
}

// waitFor flushes the logger's batch, as PocketBase's ticker would, until
// every filter matches a log (logs are written in the background), and
// fails with msg after 30 s; then flushes once more.
func (p *logProbe) waitFor(msg string, filters ...string) {
	p.t.Helper()
	batch := p.app.Logger().Handler().(*logger.BatchHandler)
	deadline := time.Now().Add(30 * time.Second)
	for slices.ContainsFunc(filters, func(f string) bool { return p.count(f) == 0 }) {
		if time.Now().After(deadline) {
			p.t.Fatal(msg)
		}
		batch.WriteAll(context.Background())
		time.Sleep(20 * time.Millisecond)
	}
	batch.WriteAll(context.Background())
}
