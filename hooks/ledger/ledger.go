// Package ledger is the law inspections (执法检查, R7) and the hazard ledger
// (隐患台账): inspections recorded on site (offline, through the sync
// engine), the quarterly safety inspection plan, hazards from found to
// 挂牌督办 and 销号 with their overdue escalation, and the Excel exports.
package ledger

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
)

// Register wires inspections, the quarterly plan, the hazard ledger and
// its exports.
func Register(app core.App) {
	bindInspections(app)
	bindInspectionConfirmation(app)
	bindInspectionPlan(app)
	bindHazards(app)
	// The presidium's and the office's decisions on hazards are audited.
	audit.Watch(app, "hazards", "status", "supervised", "deadline", "responsible_unit", "responsible_person", "unit",
		"severity", "escalation", "rectification", "verification")
	bindHazardsOverdue(app)
	bindLedgerRoutes(app)
	bindLedgerSync(app)
}
