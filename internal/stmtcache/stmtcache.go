// Package stmtcache wraps a database/sql driver so that each connection
// keeps the statements it has prepared and runs the same SQL text again
// without preparing it anew.
//
// PocketBase and dbx send every query as text with its arguments; the
// SQLite driver parses and compiles each one and finalises it after a
// single use. A push of visits runs the same few statements hundreds of
// times (the relation checks, the INSERT, the sequence), and compiling
// them took about a tenth of the server's CPU. A statement SQLite compiled
// with sqlite3_prepare_v2 compiles itself again when the schema changes,
// so a kept statement stays right across migrations.
//
// A text is kept from its second use on: PocketBase checks a create rule
// with SQL that names a random table alias (a text used once), and
// keeping those pushed out the statements that do come again.
//
// A connection is used by one goroutine at a time (database/sql sees to
// it), so the cache needs no lock. A kept statement whose rows are still
// open (a query run inside the loop over another's rows) is not shared:
// the second use goes the uncached way.
package stmtcache

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"hash/maphash"
	"reflect"
)

// DefaultSize is how many statements a connection keeps when Driver.Size
// is not set.
const DefaultSize = 64

// Driver opens connections of Base that keep up to Size statements each,
// the least recently used going first.
type Driver struct {
	Base driver.Driver
	Size int
}

// Open opens a connection of the base driver.
func (d Driver) Open(name string) (driver.Conn, error) {
	c, err := d.Base.Open(name)
	if err != nil {
		return nil, err
	}
	b, ok := c.(baseConn)
	if !ok {
		_ = c.Close()
		return nil, errNoContext
	}
	size := d.Size
	if size <= 0 {
		size = DefaultSize
	}
	return &conn{base: b, size: size, byText: map[string]*list.Element{}, order: list.New(),
		seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}}, nil
}

var errNoContext = errors.New("stmtcache: the base driver's connections lack the context methods")

// baseConn is what a wrapped connection must offer.
type baseConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
}

// kept is one kept statement.
type kept struct {
	text string
	stmt driver.Stmt
	busy bool // its rows are open
}

type conn struct {
	base   baseConn
	size   int
	byText map[string]*list.Element // values *kept
	order  *list.List               // front: the most recently used
	seed   maphash.Seed
	seen   map[uint64]struct{} // hashes of texts used once, not kept
}

// seenLimit bounds seen, as a multiple of the size: past it, seen starts
// again (a text then needs two more uses to be kept).
const seenLimit = 16

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

// Prepare and PrepareContext give the caller a statement of its own: what
// it prepares it also closes.
func (c *conn) Prepare(query string) (driver.Stmt, error) { return c.base.Prepare(query) }

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.base.PrepareContext(ctx, query)
}

// Begin is driver.Conn's; database/sql calls BeginTx.
func (c *conn) Begin() (driver.Tx, error) {
	return c.base.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.base.BeginTx(ctx, opts)
}

// Close finalises the kept statements, then closes the connection.
func (c *conn) Close() error {
	var errs []error
	for e := c.order.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*kept).stmt.Close())
	}
	c.order.Init()
	clear(c.byText)
	clear(c.seen)
	return errors.Join(append(errs, c.base.Close())...)
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.base.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.base.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.base.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// take is the kept statement for query, prepared and kept if need be; nil
// for a text's first use, while its rows are open, or if the base
// driver's statements lack the context methods.
func (c *conn) take(ctx context.Context, query string) (*kept, error) {
	if e, ok := c.byText[query]; ok {
		k := e.Value.(*kept)
		if k.busy {
			return nil, nil
		}
		c.order.MoveToFront(e)
		return k, nil
	}
	h := maphash.String(c.seed, query)
	if _, again := c.seen[h]; !again {
		if len(c.seen) >= seenLimit*c.size {
			clear(c.seen)
		}
		c.seen[h] = struct{}{}
		return nil, nil
	}
	delete(c.seen, h)
	s, err := c.base.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	_, execs := s.(driver.StmtExecContext)
	_, queries := s.(driver.StmtQueryContext)
	if !execs || !queries {
		return nil, s.Close() // the uncached way
	}
	k := &kept{text: query, stmt: s}
	c.byText[query] = c.order.PushFront(k)
	c.evict()
	return k, nil
}

// evict lets go of the least recently used statements beyond the size; one
// whose rows are open is closed when they close (release).
func (c *conn) evict() {
	for c.order.Len() > c.size {
		last := c.order.Back()
		k := last.Value.(*kept)
		c.order.Remove(last)
		delete(c.byText, k.text)
		if !k.busy {
			_ = k.stmt.Close()
		}
	}
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	k, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.base.ExecContext(ctx, query, args)
	}
	return k.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	k, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.base.QueryContext(ctx, query, args)
	}
	r, err := k.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	k.busy = true
	return &rows{Rows: r, release: func() { c.release(k) }}, nil
}

// release frees k for its next use, or closes it if it was let go of
// while its rows were open.
func (c *conn) release(k *kept) {
	k.busy = false
	if e, ok := c.byText[k.text]; !ok || e.Value.(*kept) != k {
		_ = k.stmt.Close()
	}
}

// rows are a kept statement's rows: closing them frees the statement. The
// column type methods pass on what the base driver tells.
type rows struct {
	driver.Rows
	release func()
}

func (r *rows) Close() error {
	err := r.Rows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *rows) ColumnTypeLength(i int) (length int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
