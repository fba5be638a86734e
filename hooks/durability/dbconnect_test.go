package durability_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/durability"
)

// The connection keeps every pragma PocketBase's own sets, and dbx writes
// SQL for it as for PocketBase's.
func TestDBConnectAsPocketBase(t *testing.T) {
	dir := t.TempDir()
	ours, err := durability.DBConnect(filepath.Join(dir, "ours.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	theirs, err := core.DefaultDBConnect(filepath.Join(dir, "theirs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	// dbx builds SQL for our driver as for PocketBase's (its SQLite builder).
	if got, want := ours.QuoteColumnName("x.y"), theirs.QuoteColumnName("x.y"); got != want {
		t.Errorf("our connection quotes a column %s, PocketBase's %s", got, want)
	}
	for _, pragma := range []string{"busy_timeout", "journal_mode", "journal_size_limit", "synchronous", "foreign_keys", "temp_store", "cache_size"} {
		var got, want string
		if err := ours.NewQuery("PRAGMA " + pragma).Row(&got); err != nil {
			t.Fatal(err)
		}
		if err := theirs.NewQuery("PRAGMA " + pragma).Row(&want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, PocketBase's connection has %s", pragma, got, want)
		}
	}
}

// A transaction that has read, then writes after another connection (as
// Litestream's) committed in between, still commits: deferred, it failed
// at once with "database is locked (517)".
func TestWriteAfterAnotherConnectionsCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	db, err := durability.DBConnect(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.NewQuery("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").Execute(); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	otherDone := make(chan error, 1)
	err = db.Transactional(func(tx *dbx.Tx) error {
		var n int
		if err := tx.NewQuery("SELECT count(*) FROM t").Row(&n); err != nil {
			return err
		}
		// The other connection commits while this transaction is open: it
		// waits for this one's lock (IMMEDIATE), or, were this one
		// deferred, commits at once and leaves this one's snapshot stale.
		go func() {
			_, err := other.Exec("INSERT INTO t (v) VALUES ('litestream')")
			otherDone <- err
		}()
		time.Sleep(100 * time.Millisecond)
		_, err := tx.NewQuery("INSERT INTO t (v) VALUES ('deputy')").Execute()
		return err
	})
	if err != nil {
		t.Fatalf("the write after another connection's commit: %v", err)
	}
	if err := <-otherDone; err != nil {
		t.Fatalf("the other connection's write: %v", err)
	}
	var n int
	if err := db.NewQuery("SELECT count(*) FROM t").Row(&n); err != nil || n != 2 {
		t.Fatalf("%d rows (%v), want both writes", n, err)
	}
}
