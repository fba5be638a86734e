package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/fielderr"
)

// Problems (急难愁盼) are one shared list: visits, residents' suggestions,
// the hotline, stations and inspections all feed it (source, source_id).
// Status goes open → forwarded (代表直通车, to a unit) → answered → closed.
func bindProblems(app core.App) {
	app.OnRecordValidate("problems").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "" {
			r.Set("status", "open")
		}
		switch r.GetString("status") {
		case "forwarded":
			if r.GetString("forwarded_to") == "" {
				return fielderr.New("forwarded_to", "validation_required", "转办时请填写转办单位。")
			}
		case "answered":
			if r.GetString("reply") == "" {
				return fielderr.New("reply", "validation_required", "答复时请填写办理答复。")
			}
		}
		// Stamp when each step happened, once.
		for status, field := range map[string]string{"forwarded": "forwarded_at", "answered": "answered_at", "closed": "closed_at"} {
			if r.GetString("status") == status && r.GetDateTime(field).IsZero() {
				r.Set(field, types.NowDateTime())
			}
		}
		return e.Next()
	})
}
