package demo_test

import (
	"os"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/demo"
	"simeng/hooks"
)

func TestZZTime(t *testing.T) {
	d, _ := os.MkdirTemp("", "x")
	defer os.RemoveAll(d)
	app, _ := tests.NewTestApp(d)
	defer app.Cleanup()
	hooks.Register(app)
	start := time.Now()
	if _, err := demo.Prepare(app, "http://127.0.0.1:8090"); err != nil {
		t.Fatal(err)
	}
	t.Logf("prepare %s", time.Since(start))
}
