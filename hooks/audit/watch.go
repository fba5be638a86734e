package audit

import (
	"github.com/pocketbase/pocketbase/core"
)

// ViaAPI is the door of changes made through the records API (the PWA,
// the admin UI, scripts).
const ViaAPI = "api"

// Watch records every change the records API makes to collection (create,
// update, delete; batch requests too), with the requester as actor, over
// fields (every field but the automatic ones when none are named; see
// Diff). An update that changes none of them leaves no entry. The entry is
// written in the transaction of the change: if it cannot be written, the
// change is refused.
func Watch(app core.App, collection string, fields ...string) {
	app.OnRecordCreateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		return inTransaction(e, func(tx core.App) error {
			return writeChange(tx, e, ActionCreate, Diff(nil, e.Record, fields...))
		})
	})
	app.OnRecordUpdateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		return inTransaction(e, func(tx core.App) error {
			changes := Diff(old, e.Record, fields...)
			if len(changes) == 0 {
				return nil
			}
			return writeChange(tx, e, ActionUpdate, changes)
		})
	})
	app.OnRecordDeleteRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		changes := Diff(e.Record, nil, fields...)
		return inTransaction(e, func(tx core.App) error {
			return writeChange(tx, e, ActionDelete, changes)
		})
	})
}

func writeChange(tx core.App, e *core.RecordRequestEvent, action string, changes map[string][2]any) error {
	return Write(tx, Entry{
		Actor:      ActorOf(e.RequestEvent, ViaAPI),
		Action:     action,
		Collection: e.Collection.Name,
		RecordID:   e.Record.Id,
		Changes:    changes,
	})
}

// inTransaction runs the rest of the request's hooks and the save in one
// transaction with after (PocketBase's form saves with the event's app, and
// answers only once the transaction committed).
func inTransaction(e *core.RecordRequestEvent, after func(tx core.App) error) error {
	orig := e.App
	defer func() { e.App = orig }()
	return orig.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return after(tx)
	})
}
