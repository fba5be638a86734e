package audit

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
)

// ErrAppendOnly: an audit entry is never changed or removed.
var ErrAppendOnly = errors.New("操作记录只能追加，不能修改或删除")

// Register makes the audit trail append-only for everyone, superusers
// included: the records API cannot create entries (only Write can), no door
// updates or deletes one (model hooks: the admin UI, the API and Go code
// alike), and the collection's rules and fields cannot be changed or the
// collection dropped from the admin UI.
func Register(app core.App) {
	app.OnRecordCreateRequest(Collection).BindFunc(func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError("操作记录由系统自动写入，不能手工添加。", nil)
	})
	app.OnRecordUpdate(Collection).BindFunc(func(e *core.RecordEvent) error {
		return ErrAppendOnly
	})
	app.OnRecordDelete(Collection).BindFunc(func(e *core.RecordEvent) error {
		return ErrAppendOnly
	})
	app.OnCollectionUpdateRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if isAuditLog(e) {
			return e.ForbiddenError("操作记录的数据表不能修改。", nil)
		}
		return e.Next()
	})
	app.OnCollectionDeleteRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if isAuditLog(e) {
			return e.ForbiddenError("操作记录的数据表不能删除。", nil)
		}
		return e.Next()
	})
}

// isAuditLog: the request is about the audit trail's collection, by its id
// (a rename in the same request must not slip through).
func isAuditLog(e *core.CollectionRequestEvent) bool {
	c, err := e.App.FindCollectionByNameOrId(Collection)
	return err == nil && c.Id == e.Collection.Id
}
