package ledger

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
)

// Deputies record inspections and the hazards they find on site, offline,
// through the same outbox and routes as visits (docs/SYNC.md). What a phone
// may write is listed here; the lifecycle after registration (rectified,
// verified, 销号, 挂牌督办) is the presidium's and staff's, online.
func bindLedgerSync(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:       "inspections",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields: []string{"kind", "site", "subject", "inspected_at", "participants", "departments",
			"findings", "progress", "quality", "funds", "status"},
		PhotoField: "photos",
		PhotosPer:  "每次检查",
	})
	syncengine.AddCollection(app, syncengine.Collection{
		Name:       "hazards",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields: []string{"title", "description", "source", "inspection", "site", "village", "severity",
			"responsible_unit", "responsible_person", "deadline"},
		PhotoField: "photos",
		PhotosPer:  "每条隐患",
		Apply:      applySyncedHazard,
	})
}

// applySyncedHazard checks a hazard a phone pushed: the inspection that
// found it must be the deputy's own or one they took part in (it may have
// been pushed earlier in the same push).
func applySyncedHazard(c *syncengine.ApplyContext) error {
	rec := c.Record
	if id := rec.GetString("inspection"); id != "" && id != rec.Original().GetString("inspection") {
		found, err := c.App.FindRecordById("inspections", id)
		switch {
		case err != nil:
			return fielderr.New("inspection", "not_found", "检查记录不存在：请先上传这次检查，再上传它发现的隐患。")
		case !tookPart(found, c.Auth.Id):
			return fielderr.New("inspection", "not_yours", "只能登记自己记录或参加的检查中发现的隐患。")
		}
	}
	return nil
}
