package ledger

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
)

// Deputies record inspections and the hazards they find on site, offline,
// through the same outbox and routes as visits (docs/SYNC.md). What a phone
// may write is listed here; the lifecycle after registration (rectified,
// verified, 销号, 挂牌督办) is the presidium's and staff's, online; the
// photos after a rectification, taken on site, come through the outbox as
// hazard_followups.
//
// A deputy pulls the inspections they recorded or took part in, the hazards
// of those inspections (and those they registered), and the follow-up
// photos of those hazards: a participant has the inspection offline too.
func bindLedgerSync(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:       "inspections",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields: []string{"kind", "site", "subject", "inspected_at", "participants", "departments",
			"findings", "progress", "quality", "funds", "status", "project"},
		PhotoField: "photos",
		PhotosPer:  "每次检查",
		PullScope:  inspectionPullScopes,
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
		PullScope:  hazardPullScopes,
	})
	syncengine.AddCollection(app, syncengine.Collection{
		Name:       "hazard_followups",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields:     []string{"hazard", "taken_at", "note"},
		PhotoField: "photos",
		PhotosPer:  "每次复查拍照",
		Apply:      applySyncedFollowup,
		PullScope: func(auth *core.Record) []dbx.Expression {
			return []dbx.Expression{dbx.HashExp{"deputy": auth.Id},
				dbx.NewExp("hazard IN (SELECT id FROM hazards WHERE "+hazardScopeSQL+")", dbx.Params{"me": auth.Id})}
		},
	})
}

// The pull scopes, as alternatives (each one lookup): what the deputy
// recorded, and what they took part in.
const (
	participatedSQL = "EXISTS (SELECT 1 FROM json_each(inspections.participants) WHERE value = {:me})"
	hazardScopeSQL  = "hazards.deputy = {:me} OR hazards.inspection IN (SELECT id FROM inspections WHERE inspections.deputy = {:me} OR " + participatedSQL + ")"
)

func inspectionPullScopes(auth *core.Record) []dbx.Expression {
	return []dbx.Expression{dbx.HashExp{"deputy": auth.Id}, dbx.NewExp(participatedSQL, dbx.Params{"me": auth.Id})}
}

func hazardPullScopes(auth *core.Record) []dbx.Expression {
	return []dbx.Expression{dbx.HashExp{"deputy": auth.Id},
		dbx.NewExp("inspection IN (SELECT id FROM inspections WHERE inspections.deputy = {:me} OR "+participatedSQL+")", dbx.Params{"me": auth.Id})}
}

// applySyncedFollowup checks photos taken after a rectification: the
// hazard must be one the deputy may see (they registered it, recorded or
// joined the inspection that found it, or sit on the presidium), and the
// time they were taken is bounded like every device time.
func applySyncedFollowup(c *syncengine.ApplyContext) error {
	rec := c.Record
	h, err := c.App.FindRecordById("hazards", rec.GetString("hazard"))
	if err != nil {
		return fielderr.New("hazard", "not_found", "隐患不存在：请联网更新后再上传复查照片。")
	}
	if !mayFollowUp(c.App, c.Auth, h) {
		return fielderr.New("hazard", "not_yours", "只能为自己登记、记录或参加检查发现的隐患拍复查照片。")
	}
	switch c.CheckDeviceTime(rec.GetDateTime("taken_at").Time(), time.Now()) {
	case syncengine.TimeMissing:
		return fielderr.New("taken_at", "validation_required", "缺少拍摄时间。")
	case syncengine.TimeTooOld:
		return fielderr.New("taken_at", "validation_too_early", "拍摄时间不能早于2020年。")
	case syncengine.TimeInFuture:
		return fielderr.New("taken_at", "validation_in_future", "拍摄时间不能晚于现在，请检查手机时间。")
	}
	return nil
}

// mayFollowUp: the presidium, the deputy who registered the hazard, and
// those who recorded or joined the inspection that found it.
func mayFollowUp(app core.App, auth, h *core.Record) bool {
	if access.Of(auth) == access.Presidium || h.GetString("deputy") == auth.Id {
		return true
	}
	if id := h.GetString("inspection"); id != "" {
		if found, err := app.FindRecordById("inspections", id); err == nil {
			return tookPart(found, auth.Id)
		}
	}
	return false
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
