package hooks

import (
	"fmt"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/migrations"
)

// Deputies record inspections and the hazards they find on site, offline,
// through the same outbox and routes as visits (docs/SYNC.md). What a phone
// may write is listed here; the lifecycle after registration (rectified,
// verified, 销号, 挂牌督办) is the presidium's and staff's, online.
func bindLedgerSync(app core.App) {
	RegisterSynced(app, SyncedCollection{
		Name:       "inspections",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields: []string{"kind", "site", "subject", "inspected_at", "participants", "departments",
			"findings", "progress", "quality", "funds", "status"},
		ExtraKeys:  []string{"photos"},
		PhotoField: "photos",
		Apply:      applySyncedInspection,
	})
	RegisterSynced(app, SyncedCollection{
		Name:       "hazards",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields: []string{"title", "description", "source", "inspection", "site", "village", "severity",
			"responsible_unit", "responsible_person", "deadline"},
		ExtraKeys:  []string{"photos"},
		PhotoField: "photos",
		Apply:      applySyncedHazard,
	})
}

// applySyncedInspection checks what field validation and the record hooks
// cannot: the photo manifest.
func applySyncedInspection(app core.App, auth, rec *core.Record, data map[string]any) error {
	if err := ledgerPhotos(rec, data, "每次检查"); err != nil {
		return validation.Errors{"photos": err}
	}
	return nil
}

// applySyncedHazard checks a hazard a phone pushed: the inspection that
// found it must be the deputy's own or one they took part in (it may have
// been pushed earlier in the same push).
func applySyncedHazard(app core.App, auth, rec *core.Record, data map[string]any) error {
	errs := validation.Errors{}
	if id := rec.GetString("inspection"); id != "" && id != rec.Original().GetString("inspection") {
		found, err := app.FindRecordById("inspections", id)
		switch {
		case err != nil:
			errs["inspection"] = validation.NewError("not_found", "检查记录不存在：请先上传这次检查，再上传它发现的隐患。")
		case !tookPart(found, auth.Id):
			errs["inspection"] = validation.NewError("not_yours", "只能登记自己记录或参加的检查中发现的隐患。")
		}
	}
	if err := ledgerPhotos(rec, data, "每条隐患"); err != nil {
		errs["photos"] = err
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// ledgerPhotos applies the declared photo manifest (the visits' rules), with
// the ledger's own limit and wording; it returns the photos field's error.
func ledgerPhotos(rec *core.Record, data map[string]any, per string) error {
	if list, ok := data["photos"].([]any); ok && len(list) > migrations.MaxLedgerPhotos {
		return validation.NewError("too_many_photos", fmt.Sprintf("%s最多%d张照片。", per, migrations.MaxLedgerPhotos))
	}
	return applyManifest(rec, data)
}
