package demo_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/inspectplan"
)

func TestDemoLedgerShowsEveryState(t *testing.T) {
	app := seededDemo(t)
	for _, status := range []string{"open", "rectifying", "rectified", "closed"} {
		if n, _ := app.CountRecords("hazards", dbx.HashExp{"status": status}); n == 0 {
			t.Errorf("no demo hazard %s", status)
		}
	}
	if n, _ := app.CountRecords("hazards", dbx.HashExp{"overdue": true, "supervised": true}); n == 0 {
		t.Error("no overdue hazard listed for supervision")
	}
	if n, _ := app.CountRecords("suggestions", dbx.HashExp{"source": "enterprise"}); n != 1 {
		t.Errorf("enterprise reports: %d", n)
	}
	for _, kind := range []string{"safety", "environment", "project", "enterprise"} {
		if n, _ := app.CountRecords("inspections", dbx.HashExp{"kind": kind}); n == 0 {
			t.Errorf("no demo %s inspection", kind)
		}
	}
	// The closed year missed the kindergarten in its third quarter; this
	// year the shop in the second.
	want := 1
	if inspectplan.Of(time.Now()).Quarter > 2 {
		want = 2
	}
	if n, _ := app.CountRecords("inspection_plan", dbx.HashExp{"status": "missed"}); n != int64(want) {
		t.Errorf("missed planned inspections: %d, want %d", n, want)
	}
	// Inspections count once someone else confirmed them: all but one.
	if n, _ := app.CountRecords("inspections", dbx.HashExp{"confirmed_at": ""}); n != 1 {
		t.Errorf("%d inspections wait for their confirmation, want 1", n)
	}
}
