package demo_test

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/demo"
	"simeng/hooks"
	"simeng/hooks/assessment"
	_ "simeng/migrations"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.app != nil {
		seeded.app.Cleanup()
	}
	os.Exit(code)
}

func newEmptyApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	hooks.Register(app)
	return app
}

// seeded is one demo township for the tests that only read it: seeding
// takes seconds, and each of them gets a fresh copy.
var seeded struct {
	once sync.Once
	app  *tests.TestApp
	err  error
}

// seededDemo is a fresh copy of the demo township as demo.Prepare seeds it.
func seededDemo(t *testing.T) *tests.TestApp {
	t.Helper()
	seeded.once.Do(func() {
		empty, err := os.MkdirTemp("", "simeng-demo-")
		if err != nil {
			seeded.err = err
			return
		}
		defer os.RemoveAll(empty) // the app works on a copy of it
		if seeded.app, seeded.err = tests.NewTestApp(empty); seeded.err != nil {
			return
		}
		hooks.Register(seeded.app)
		if _, seeded.err = demo.Prepare(seeded.app, "http://127.0.0.1:8090"); seeded.err != nil {
			return
		}
		// The copies are made file by file: every score must be written.
		assessment.Flush(seeded.app)
	})
	if seeded.err != nil {
		t.Fatal(seeded.err)
	}
	app, err := tests.NewTestApp(seeded.app.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	hooks.Register(app)
	return app
}

func TestPrepareSeedsAnEmptyDirOnce(t *testing.T) {
	app := newEmptyApp(t)
	logins, err := demo.Prepare(app, "http://127.0.0.1:8090")
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) == 0 || logins[0].Role != "主席团" {
		t.Fatalf("logins = %+v", logins)
	}
	if n, _ := app.CountRecords("deputies"); n != 20 {
		t.Fatalf("deputies = %d, want 20", n)
	}
	presidium, _ := app.FindRecordsByFilter("deputies", "presidium = true", "", 0, 0)
	if len(presidium) != 5 {
		t.Fatalf("presidium members = %d, want 5", len(presidium))
	}
	if _, err := app.FindFirstRecordByData("villages", "name", "思蒙湾村"); err != nil {
		t.Fatal("思蒙湾村 missing:", err)
	}
	if app.Settings().Meta.AppURL != "http://127.0.0.1:8090" {
		t.Fatalf("app URL = %q", app.Settings().Meta.AppURL)
	}

	// Suggestions in every state, one of them overdue and escalated.
	for _, st := range []string{"received", "acknowledged", "answered", "transferred", "closed"} {
		if n, _ := app.FindRecordsByFilter("suggestions", "status = {:s}", "", 0, 0, map[string]any{"s": st}); len(n) == 0 {
			t.Errorf("no demo suggestion %s", st)
		}
	}
	if late, _ := app.FindRecordsByFilter("suggestions", "feedback_overdue = true && escalated_at != ''", "", 0, 0); len(late) != 1 {
		t.Errorf("overdue demo suggestions: %d, want 1", len(late))
	}

	// A second run, on another address, serves the same demo without
	// seeding it twice, and its QR codes follow the new address.
	if _, err := demo.Prepare(app, "http://192.168.1.23:8091"); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords("deputies"); n != 20 {
		t.Fatalf("deputies after second run = %d, want 20", n)
	}
	if got := app.Settings().Meta.AppURL; got != "http://192.168.1.23:8091" {
		t.Fatalf("app URL after serving on another address = %q", got)
	}
}

func TestPrepareRefusesRealData(t *testing.T) {
	app := newEmptyApp(t)
	villages, _ := app.FindCollectionByNameOrId("villages")
	r := core.NewRecord(villages)
	r.Set("name", "真实村")
	r.Set("code", "real")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Prepare(app, ""); !errors.Is(err, demo.ErrRealData) {
		t.Fatalf("err = %v, want ErrRealData", err)
	}
	if n, _ := app.CountRecords("deputies"); n != 0 {
		t.Fatalf("demo wrote %d deputies into real data", n)
	}
}
