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
	if inspectplan.Of(time.Now()).Quarter > 2 {
		if n, _ := app.CountRecords("inspection_plan", dbx.HashExp{"status": "missed"}); n != 1 {
			t.Errorf("missed planned inspections: %d, want the shop in the second quarter", n)
		}
	}
}
