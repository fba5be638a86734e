package replica

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// openApp opens a database the way PocketBase does (WAL, busy timeout).
func openApp(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS visits (id TEXT PRIMARY KEY, notes TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insert(t *testing.T, db *sql.DB, prefix string, n int) {
	t.Helper()
	for i := range n {
		if _, err := db.Exec(`INSERT INTO visits VALUES (?, ?)`, prefix+string(rune('a'+i%26))+time.Now().Format("150405.000000000"), "三组走访"); err != nil {
			t.Fatal(err)
		}
	}
}

func count(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM visits`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCheckEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := CheckEmptyDir(dir); err != nil {
		t.Errorf("empty dir refused: %v", err)
	}
	if err := CheckEmptyDir(filepath.Join(dir, "new")); err != nil {
		t.Errorf("missing dir refused: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "data.db"), []byte("x"), 0o600)
	if err := CheckEmptyDir(dir); !errors.Is(err, ErrDirNotEmpty) {
		t.Errorf("non-empty dir: %v, want ErrDirNotEmpty", err)
	}
}

// TestReplicateAndRestore replicates two databases to a file replica while
// the app writes through its own connections with automatic checkpoints
// off, then restores the latest state and an earlier moment.
func TestReplicateAndRestore(t *testing.T) {
	ctx := context.Background()
	DisableAppCheckpoints()
	dataDir, replicaDir := t.TempDir(), t.TempDir()
	data := openApp(t, filepath.Join(dataDir, "data.db"))
	openApp(t, filepath.Join(dataDir, "auxiliary.db"))
	insert(t, data, "a", 50)

	cfg := Config{Kind: KindFile, Dir: replicaDir, Interval: 50 * time.Millisecond, Retention: time.Hour}
	r, err := New(cfg, dataDir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)

	insert(t, data, "b", 50)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	moment := time.Now()
	time.Sleep(20 * time.Millisecond) // LTX times have millisecond resolution
	insert(t, data, "c", 2000)        // several WAL checkpoints by Litestream
	if err := r.Checkpoint(ctx, "data.db"); err != nil {
		t.Fatal(err)
	}
	insert(t, data, "d", 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st := r.Status()
	if st.State != "ok" || st.Databases[0].LocalTXID == 0 || st.Databases[0].ReplicaTXID != st.Databases[0].LocalTXID || st.LastReplicatedAt == nil {
		t.Fatalf("status after sync = %+v", st)
	}

	latest := filepath.Join(t.TempDir(), "latest")
	got, err := RestoreDatabases(ctx, cfg, latest, time.Time{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, filepath.Join(latest, "data.db")); n != 2110 {
		t.Errorf("latest restore has %d visits, want 2110", n)
	}
	if got[0].Name != "data.db" || got[0].TXID != st.Databases[0].ReplicaTXID || got[0].Time.IsZero() {
		t.Errorf("restore report %+v, replica at %+v", got[0], st.Databases[0])
	}

	past := filepath.Join(t.TempDir(), "past")
	if _, err := RestoreDatabases(ctx, cfg, past, moment, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, filepath.Join(past, "data.db")); n != 100 {
		t.Errorf("restore as of the moment has %d visits, want 100", n)
	}

	if _, err := RestoreDatabases(ctx, cfg, latest, time.Time{}, slog.New(slog.DiscardHandler)); !errors.Is(err, ErrDirNotEmpty) {
		t.Errorf("restore over a restored dir: %v, want ErrDirNotEmpty", err)
	}
	if _, err := RestoreDatabases(ctx, cfg, t.TempDir(), moment.Add(-time.Hour), slog.New(slog.DiscardHandler)); !errors.Is(err, errNothingToRestore) {
		t.Errorf("restore before the first replication: %v, want nothing to restore", err)
	}
}
