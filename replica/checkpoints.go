package replica

import (
	"context"
	"sync"

	"modernc.org/sqlite"
)

var disableOnce sync.Once

// DisableAppCheckpoints turns SQLite's automatic checkpoints off on every
// connection the process opens from now on (PocketBase's pools of data.db
// and auxiliary.db included; Litestream's own connection does the same).
// Litestream then owns checkpointing: it copies the WAL frames first and
// checkpoints after, so the replica never misses a frame and the app never
// races it to restart the WAL. Call it before the app opens its databases.
func DisableAppCheckpoints() {
	disableOnce.Do(func() {
		sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, _ string) error {
			_, err := conn.ExecContext(context.Background(), "PRAGMA wal_autocheckpoint = 0", nil)
			return err
		})
	})
}
