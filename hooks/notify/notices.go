package notify

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
)

// bindNotices puts deputies' notices on the sync: a phone pulls its own
// (the sequence cursor brings what arrived while it was offline for days),
// and the only change it may push is read_at on a notice it has.
func bindNotices(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:         Notices,
		OwnerField:   "deputy",
		Schema:       [2]int{1, 1},
		Fields:       []string{"read_at"},
		ServerFields: []string{"key", "staff", "template", "title", "body", "link"},
		Apply: func(c *syncengine.ApplyContext) error {
			if c.Record.IsNew() {
				return fielderr.New("read_at", "not_found", "通知不存在：只能标记收到的通知为已读。")
			}
			return nil
		},
	})
}
