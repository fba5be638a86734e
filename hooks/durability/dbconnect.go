package durability

import (
	"database/sql"

	"github.com/pocketbase/dbx"
	"modernc.org/sqlite"

	"simeng/internal/stmtcache"
)

// driverName is SQLite (modernc.org/sqlite, PocketBase's) whose connections
// keep the statements they prepare (stmtcache): the same few statements run
// hundreds of times a push, and compiling each anew took a tenth of the
// server's CPU. dbx builds SQL for it as for "sqlite".
const driverName = "simeng_sqlite"

func init() {
	sql.Register(driverName, stmtcache.Driver{Base: &sqlite.Driver{}, Size: stmtcache.DefaultSize})
	dbx.BuilderFuncMap[driverName] = dbx.NewSqliteBuilder
}

// DBConnect opens a database as PocketBase's own connect does
// (core.DefaultDBConnect: the same pragmas, in the same order) but begins
// every transaction IMMEDIATE, taking the write lock at BEGIN, and keeps
// each connection's prepared statements (driverName).
//
// PocketBase writes through one connection, so its transactions never race
// each other; Litestream, though, writes to data.db from a connection of
// its own: a row of its sequence table whenever it finds the WAL empty,
// which is as it starts and at its first sync after each checkpoint, at a
// moment of its choosing (replica.Replicator times the checkpoints, not
// that write). A deferred transaction that read before that commit and
// then writes fails at once with SQLITE_BUSY_SNAPSHOT ("database is locked
// (517)": waiting cannot help, so the busy timeout does not apply, and
// PocketBase's retries repeat the same statement in the same stale
// transaction): while replication was on, a write now and then came back
// 400 (a deputy's create, in a benchmark's run; any write could). Begun IMMEDIATE, a
// transaction waits for the lock up to the busy timeout instead, and what
// it reads stays current until it commits. PocketBase begins transactions
// only on its single writing connection, so readers are not serialised.
func DBConnect(dbPath string) (*dbx.DB, error) {
	return dbx.Open(driverName, dbPath+connectParams)
}

// connectParams are core.DefaultDBConnect's pragmas (busy_timeout first: a
// connection must wait on a lock before it sets WAL mode) and the
// transactions' lock mode. TestDBConnectAsPocketBase holds them to
// PocketBase's.
const connectParams = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)" +
	"&_txlock=immediate"
