package guard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
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
	app := testapp.New(t)
	app.Settings().Logs.MaxDays = 14 // as production's settings; test apps log nothing
	h := testapp.Handler(t, app)
	get := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	for i := range 1000 {
		path := []string{"/api/health", "/", "/app/main.js", "/sw.js", "/manifest.webmanifest"}[i%5]
		if code := get(path); code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
	}
	if code := get("/api/collections/villages/records?marker=guard"); code != http.StatusOK {
		t.Fatalf("marker: %d", code)
	}
	// Wait for the marker's log (written in the background), flushing the
	// logger's batch as PocketBase's ticker would.
	batch := app.Logger().Handler().(*logger.BatchHandler)
	count := func(filter string) int {
		var n int
		app.AuxDB().Select("count(*)").From(core.LogsTableName).Where(dbx.NewExp(filter)).Row(&n)
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for count(`json_extract(data, '$.url') LIKE '%marker=guard%'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the marker request was never logged")
		}
		batch.WriteAll(context.Background())
		time.Sleep(20 * time.Millisecond)
	}
	batch.WriteAll(context.Background())
	if n := count(`json_extract(data, '$.type') = 'request' AND json_extract(data, '$.url') NOT LIKE '%marker=guard%'`); n != 0 {
		t.Fatalf("%d health and static requests logged", n)
	}
	// A failure still is.
	if code := get("/api/collections/nothing_here/records"); code != http.StatusNotFound {
		t.Fatalf("unknown collection: %d", code)
	}
	deadline = time.Now().Add(30 * time.Second)
	for count(`json_extract(data, '$.url') LIKE '%nothing_here%'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("a failed request was not logged")
		}
		batch.WriteAll(context.Background())
		time.Sleep(20 * time.Millisecond)
	}
}

// Issue 19: the public pages residents open from a QR code are not logged
// when they are served (each is the same page for everyone, and a row
// would keep only a resident's address); an unknown code's 404 still is.
func TestPublicPagesAreLoggedOnlyWhenTheyFail(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	app.Settings().Logs.MaxDays = 14 // as production's settings; test apps log nothing
	h := testapp.Handler(t, app)
	get := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
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
	batch := app.Logger().Handler().(*logger.BatchHandler)
	count := func(filter string) int {
		var n int
		app.AuxDB().Select("count(*)").From(core.LogsTableName).Where(dbx.NewExp(filter)).Row(&n)
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for count(`json_extract(data, '$.url') LIKE '%marker=public%'`) == 0 ||
		count(`json_extract(data, '$.url') = '/d/nosuchcode9'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the marker or the unknown code's 404 was never logged")
		}
		batch.WriteAll(context.Background())
		time.Sleep(20 * time.Millisecond)
	}
	batch.WriteAll(context.Background())
	if n := count(`json_extract(data, '$.type') = 'request' AND json_extract(data, '$.status') = 200 AND json_extract(data, '$.url') NOT LIKE '%marker=public%'`); n != 0 {
		t.Fatalf("%d served public pages logged", n)
	}
}
