package hooks

import "github.com/pocketbase/pocketbase/core"

// bindLedger wires inspections (执法检查), the quarterly plan, the hazard
// ledger (隐患台账) with 挂牌督办 until 销号, and its exports (R7).
func bindLedger(app core.App) {
	bindInspections(app)
	bindInspectionPlan(app)
	bindHazards(app)
	bindHazardsOverdue(app)
	bindLedgerRoutes(app)
	bindLedgerSync(app)
}
