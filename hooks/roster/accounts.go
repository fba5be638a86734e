package roster

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/pii"
)

// Unit kinds (承办单位类别), as the units collection stores them.
const UnitVillageCommittee = "village_committee"

// bindAccounts binds the office's accounts (staff: 联络员、工作人员) and the
// handling units' (units: 承办单位) like the deputies': phones normalised
// whatever the door, hidden from everyone but the account itself and the
// office, and every change audited.
func bindAccounts(app core.App) {
	app.OnRecordValidate(access.StaffCollection, access.UnitsCollection).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("phone", pii.NormalizeMobile(e.Record.GetString("phone")))
		return e.Next()
	})
	// A village committee (村委会) belongs to a village; other units to none.
	app.OnRecordValidate(access.UnitsCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("kind") == UnitVillageCommittee && e.Record.GetString("village") == "" {
			return fielderr.Merge(e.Next(), fielderr.New("village", "validation_required", "村委会请选择所在的村"))
		}
		return e.Next()
	})
	app.OnRecordEnrich(access.StaffCollection, access.UnitsCollection).BindFunc(func(e *core.RecordEnrichEvent) error {
		if auth := e.RequestInfo.Auth; access.IsOffice(auth) || (auth != nil && auth.Id == e.Record.Id) {
			e.Record.Unhide("phone")
		}
		return e.Next()
	})
	access.LetOfficeWriteHidden(app, access.UnitsCollection, "phone")
	audit.Watch(app, access.StaffCollection, "name", "phone", "role", "title", "active", "password")
	audit.Watch(app, access.UnitsCollection, "name", "kind", "village", "contact_name", "phone", "active", "password")
}
