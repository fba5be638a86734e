package syncengine

import (
	"context"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// scratchKey carries a push's scratch space in the context each of its
// records is saved with.
type scratchKey struct{}

func withScratch(ctx context.Context, m map[string]any) context.Context {
	return context.WithValue(ctx, scratchKey{}, m)
}

// PushScratch is a map that lives as long as one push (one transaction),
// for a capability's record hooks to keep what they read once per push
// rather than once per record (a deputy's visits around the push's
// times, say). Keys are the capability's own ("verification.…"). Nil when
// the record is not being saved by a push. Not safe for concurrent use; a
// push saves its records one at a time.
func PushScratch(ctx context.Context) map[string]any {
	if ctx == nil {
		return nil
	}
	m, _ := ctx.Value(scratchKey{}).(map[string]any)
	return m
}

// pushedKey holds, in a push's scratch, its records' decoded data by
// collection.
const pushedKey = "syncengine.pushed"

// PushedData is the decoded data of the push's records of collection, in
// the push's order (records that could not be decoded left out), for a
// record hook that reads once per push what all of them will need (the
// households of a push's visits, say). Nil outside a push.
func PushedData(ctx context.Context, collection string) []Data {
	m, _ := PushScratch(ctx)[pushedKey].(map[string][]Data)
	return m[collection]
}

// partialKey holds, in the app's store, the transactions of pushes running
// with a savepoint per record (a *sync.Map of *core.TxAppInfo).
const partialKey = "simeng.syncengine.partialTxs"

func partialTxs(app core.App) *sync.Map {
	return app.Store().GetOrSet(partialKey, func() any { return &sync.Map{} }).(*sync.Map)
}

func markPartial(tx core.App) *core.TxAppInfo {
	info := tx.TxInfo()
	partialTxs(tx).Store(info, true)
	return info
}

// forgetPartial is called once the push's transaction has completed (its
// completion callbacks have run).
func forgetPartial(app core.App, info *core.TxAppInfo) {
	if info != nil {
		partialTxs(app).Delete(info)
	}
}

// MayRollBackAlone tells whether a write made with app may be rolled back
// on its own while its transaction goes on to commit: inside a push run
// with a savepoint per record, a refused record's writes are rolled back
// to its savepoint. The transaction's completion then does not tell that
// such a write was kept.
func MayRollBackAlone(app core.App) bool {
	info := app.TxInfo()
	if info == nil {
		return false
	}
	_, ok := partialTxs(app).Load(info)
	return ok
}
