package stmtcache_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"

	"simeng/internal/stmtcache"
)

// counting is the SQLite driver, counting the statements its connections
// prepare and close.
type counting struct {
	prepared, closed atomic.Int64
}

func (d *counting) Open(name string) (driver.Conn, error) {
	c, err := (&sqlite.Driver{}).Open(name)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, d: d}, nil
}

type fullConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
}

type countingConn struct {
	driver.Conn
	d *counting
}

func (c *countingConn) full() fullConn { return c.Conn.(fullConn) }

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	s, err := c.full().PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.d.prepared.Add(1)
	return &countingStmt{Stmt: s, d: c.d}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.full().BeginTx(ctx, o)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, a []driver.NamedValue) (driver.Result, error) {
	return c.full().ExecContext(ctx, q, a)
}

func (c *countingConn) QueryContext(ctx context.Context, q string, a []driver.NamedValue) (driver.Rows, error) {
	return c.full().QueryContext(ctx, q, a)
}

type countingStmt struct {
	driver.Stmt
	d *counting
}

func (s *countingStmt) Close() error {
	s.d.closed.Add(1)
	return s.Stmt.Close()
}

func (s *countingStmt) ExecContext(ctx context.Context, a []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, a)
}

func (s *countingStmt) QueryContext(ctx context.Context, a []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, a)
}

// connector opens connections of a driver without registering it.
type connector struct {
	d    driver.Driver
	name string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.name) }
func (c connector) Driver() driver.Driver                        { return c.d }

// open opens a fresh database on one connection through the cache of size
// statements over a counting SQLite driver.
func open(t *testing.T, size int) (*sql.DB, *counting) {
	t.Helper()
	d := &counting{}
	db := sql.OpenDB(connector{stmtcache.Driver{Base: d, Size: size}, filepath.Join(t.TempDir(), "t.db")})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	mustExec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
	return db, d
}

func mustExec(t *testing.T, db interface {
	Exec(string, ...any) (sql.Result, error)
}, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE id > ?", 0).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSameTextPreparedOnce(t *testing.T) {
	db, d := open(t, 8)
	before := d.prepared.Load()
	for i := range 100 {
		mustExec(t, db, "INSERT INTO t (name) VALUES (?)", fmt.Sprint("n", i))
		if n := count(t, db); n != i+1 {
			t.Fatalf("count after %d inserts: %d", i+1, n)
		}
	}
	if got := d.prepared.Load() - before; got != 2 {
		t.Errorf("prepared %d statements for two texts run 100 times each, want 2", got)
	}
}

func TestQueryInsideItsOwnRows(t *testing.T) {
	db, d := open(t, 8)
	for i := range 3 {
		mustExec(t, db, "INSERT INTO t (name) VALUES (?)", fmt.Sprint("n", i))
	}
	// In a transaction, as PocketBase's writes run: database/sql gives a
	// query outside one a connection of its own.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT id, name FROM t WHERE id >= ? ORDER BY id"
	for range 2 { // kept from its second use
		r, err := tx.Query(q, 1)
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	var seen []int
	for outer.Next() {
		var id int
		var name string
		if err := outer.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, id)
		// The same text while the outer rows are open: it must not reset
		// the outer statement.
		inner, err := tx.Query(q, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		inner.Close()
		if n != 4-id {
			t.Errorf("inner query from %d: %d rows, want %d", id, n, 4-id)
		}
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[1 2 3]" {
		t.Errorf("outer rows %v, want [1 2 3]", seen)
	}
	outer.Close()
	prepared := d.prepared.Load()
	again, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if d.prepared.Load() != prepared {
		t.Error("the kept statement was not used again once its rows closed")
	}
}

func TestTextUsedOnceNotKept(t *testing.T) {
	db, d := open(t, 8)
	before := d.prepared.Load()
	for i := range 20 { // as PocketBase's create rule checks: a new alias each time
		mustExec(t, db, fmt.Sprintf("SELECT %d AS alias_%d FROM t", i, i))
	}
	if got := d.prepared.Load() - before; got != 0 {
		t.Errorf("kept %d statements of texts used once", got)
	}
	mustExec(t, db, "SELECT 1 AS alias_1 FROM t") // its second use
	if got := d.prepared.Load() - before; got != 1 {
		t.Errorf("a text used twice: %d kept, want 1", got)
	}
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	db, d := open(t, 2)
	use := func(i int) {
		t.Helper()
		if _, err := db.Exec(fmt.Sprintf("SELECT %d FROM t", i)); err != nil {
			t.Fatal(err)
		}
	}
	use(1)
	use(2) // first uses: none kept
	use(1)
	use(2) // both kept now
	use(1)
	closed, prepared := d.closed.Load(), d.prepared.Load()
	use(3)
	use(3) // kept: 2, the least recently used, goes
	if got := d.closed.Load() - closed; got != 1 {
		t.Errorf("closed %d statements, want 1 (the one let go of)", got)
	}
	use(1)
	if d.prepared.Load() != prepared+1 {
		t.Error("the recently used statement was let go of")
	}
	use(2) // seen again only after its eviction: a first use anew
	use(2)
	if d.prepared.Load() != prepared+2 {
		t.Error("the least recently used statement was kept")
	}
}

func TestEvictedWhileOpenClosesAfter(t *testing.T) {
	db, d := open(t, 1)
	mustExec(t, db, "INSERT INTO t (name) VALUES ('a')")
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const sel, upd = "SELECT name FROM t", "UPDATE t SET name = 'b' WHERE name = 'x'"
	for range 2 {
		rows, err := tx.Query(sel)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	rows, err := tx.Query(sel) // the kept one, open
	if err != nil {
		t.Fatal(err)
	}
	closed := d.closed.Load()
	mustExec(t, tx, upd)
	mustExec(t, tx, upd) // kept: pushes the open one out
	if d.closed.Load() != closed {
		t.Fatal("a statement was closed while its rows were open")
	}
	for rows.Next() {
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if d.closed.Load() != closed+1 {
		t.Error("the statement let go of while open was not closed with its rows")
	}
}

func TestSchemaChangeSeenByKeptStatement(t *testing.T) {
	db, _ := open(t, 8)
	mustExec(t, db, "INSERT INTO t (name) VALUES ('a')")
	cols := func() []string {
		rows, err := db.Query("SELECT * FROM t")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return c
	}
	if got := fmt.Sprint(cols()); got != "[id name]" {
		t.Fatalf("columns %s", got)
	}
	mustExec(t, db, "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'")
	if got := fmt.Sprint(cols()); got != "[id name extra]" {
		t.Errorf("after ALTER TABLE the kept statement gives columns %s", got)
	}
}

func TestFailedExecLeavesStatementUsable(t *testing.T) {
	db, _ := open(t, 8)
	const ins = "INSERT INTO t (name) VALUES (?)"
	mustExec(t, db, ins, "a")
	if _, err := db.Exec(ins, "a"); err == nil {
		t.Fatal("a duplicate name was inserted")
	}
	mustExec(t, db, ins, "b")
	if n := count(t, db); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

func TestTransactionsRollBackThroughKeptStatements(t *testing.T) {
	db, _ := open(t, 8)
	const ins = "INSERT INTO t (name) VALUES (?)"
	mustExec(t, db, ins, "kept")
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, ins, "rolled back")
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM t WHERE id > ?", 0).Scan(&n); err != nil || n != 2 {
		t.Fatalf("inside the transaction: %d rows (%v), want 2", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db); n != 1 {
		t.Errorf("after the rollback: %d rows, want 1", n)
	}
}

func TestScriptsRunWhole(t *testing.T) {
	db, _ := open(t, 8)
	for range 2 { // the second time from the cache
		mustExec(t, db, "INSERT INTO t (name) VALUES ('s1'); INSERT INTO t (name) VALUES ('s2'); DELETE FROM t")
	}
	mustExec(t, db, "INSERT INTO t (name) VALUES ('s1'); INSERT INTO t (name) VALUES ('s2')")
	if n := count(t, db); n != 2 {
		t.Errorf("%d rows after the script, want 2", n)
	}
}

func TestClosesKeptStatementsWithConnection(t *testing.T) {
	db, d := open(t, 8)
	mustExec(t, db, "INSERT INTO t (name) VALUES ('a')")
	count(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if p, c := d.prepared.Load(), d.closed.Load(); p != c {
		t.Errorf("prepared %d statements, closed %d", p, c)
	}
}
