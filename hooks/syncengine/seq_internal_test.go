package syncengine

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	_ "simeng/migrations"
)

// A pull reads only below the smallest seq still being written, so a write
// that took a smaller seq but commits later is never skipped.
func TestSafeSeqWaitsForWritesInFlight(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	safe := func() int64 {
		t.Helper()
		s, err := safeSeq(app)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	a, doneA, err := takeSeq(app)
	if err != nil {
		t.Fatal(err)
	}
	b, doneB, _ := takeSeq(app)
	if b != a+1 || safe() != a-1 {
		t.Fatalf("seqs %d %d, safe %d", a, b, safe())
	}
	doneB() // b committed first
	if safe() != a-1 {
		t.Fatalf("safe %d moved past the write still in flight (%d)", safe(), a)
	}
	doneA()
	if safe() != b {
		t.Fatalf("safe %d, want %d", safe(), b)
	}

	var c int64
	err = app.RunInTransaction(func(tx core.App) error {
		c, _, err = takeSeq(tx)
		if safe() != c-1 {
			t.Fatalf("inside the transaction safe %d, want %d", safe(), c-1)
		}
		return err
	})
	if err != nil || safe() != c {
		t.Fatalf("after the transaction safe %d, want %d (%v)", safe(), c, err)
	}

	// After a restart the sequence continues from the stored floor.
	if err := app.RunInTransaction(saveSeqFloor); err != nil {
		t.Fatal(err)
	}
	app.Store().Remove(seqCounterKey)
	if next, _, _ := takeSeq(app); next != c+1 {
		t.Fatalf("after a restart seq %d, want %d", next, c+1)
	}
}
