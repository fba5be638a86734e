package testapp

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks"
)

// A derived template is the template township with more data added once
// (100,000 visits for the query-plan test, a county for its benchmark),
// kept beside the template so that the test binaries of one run build it
// once, and cloned fresh for every app like the template itself.

var derived sync.Map // name → *derivedDir

type derivedDir struct {
	once sync.Once
	dir  string
	err  error
}

// Derived returns a fresh app cloned from the template township with
// build's data added. build runs once per template and name, on an app
// without hooks (it should write with SQL); name must say what it adds.
func Derived(t testing.TB, name string, build func(app core.App) error) *tests.TestApp {
	t.Helper()
	app, err := newTestApp(DerivedDir(t, name, build))
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	t.Cleanup(app.Cleanup)
	return app
}

// DerivedDir is the data dir of the derived template name (see Derived),
// for a copy that the real binary serves. Never write into it.
func DerivedDir(t testing.TB, name string, build func(app core.App) error) string {
	t.Helper()
	ensure(t)
	v, _ := derived.LoadOrStore(name, &derivedDir{})
	d := v.(*derivedDir)
	d.once.Do(func() { d.dir, d.err = derive(name, build) })
	if d.err != nil {
		t.Fatalf("testapp: derived template %s: %v", name, d.err)
	}
	return d.dir
}

// derivedPath is where the derived template name lives: inside the cached
// template's folder (collected with it), or beside a template of this
// binary's own (removed by Remove).
func derivedPath(name string) string {
	if owned {
		return dir + "-derived-" + name
	}
	return filepath.Join(filepath.Dir(dir), "derived-"+name)
}

func derive(name string, build func(app core.App) error) (string, error) {
	final := derivedPath(name)
	if _, err := os.Stat(filepath.Join(final, "data.db")); err == nil {
		return final, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), "building-derived-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
		return "", err
	}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: tmp, EncryptionEnv: "pb_test_env"})
	if err := app.Bootstrap(); err != nil {
		return "", err
	}
	err = build(app)
	// Checkpointed into data.db, so the copy is whole without its WAL.
	if _, cerr := app.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err == nil {
		err = cerr
	}
	if rerr := app.ResetBootstrapState(); err == nil {
		err = rerr
	}
	if err != nil {
		return "", err
	}
	// Renamed into place whole; when another binary got there first, its
	// copy is as good.
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(filepath.Join(final, "data.db")); statErr != nil {
			return "", err
		}
	}
	return final, nil
}
