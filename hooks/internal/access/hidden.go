package access

import (
	"github.com/pocketbase/pocketbase/core"
)

// LetOfficeWriteHidden lets staff set the named hidden fields of
// collection through the records API, as superusers can: PocketBase drops
// hidden fields from any other requester's body, so without this staff
// could not record a deputy's or a unit's phone, or a resident's on a
// hotline suggestion. Everyone else's body still cannot touch them.
func LetOfficeWriteHidden(app core.App, collection string, fields ...string) {
	load := func(e *core.RecordRequestEvent) error {
		if Of(e.Auth) != Staff {
			return e.Next() // superusers' bodies keep hidden fields already
		}
		body := map[string]any{}
		if err := e.BindBody(&body); err != nil {
			return e.BadRequestError("请求格式错误", err)
		}
		for _, name := range fields {
			if v, ok := body[name]; ok {
				e.Record.Set(name, v)
			}
		}
		return e.Next()
	}
	app.OnRecordCreateRequest(collection).BindFunc(load)
	app.OnRecordUpdateRequest(collection).BindFunc(load)
}
