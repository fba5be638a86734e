// Package proposals is deputies' proposals (议案建议, R11) from the draft on
// the phone to 办结: co-sponsors (附议) confirming in their own app, the
// presidium's or staff's 立案 review, classification and grading, 并案,
// assignment to handling units (承办单位) with a deadline in working days,
// the unit's reply (A/B/C), the sponsor's rating with one 重新办理, the
// daily overdue and lapse job, the rates (办结率, 满意率) per year, unit and
// category, the Excel ledger, and the yearly 金点子. The rules are package
// proposal's: every step is a route that calls proposal.Apply, and every
// save, whatever the door, passes proposal.CheckSave. Each step lands on
// the proposal's timeline (proposal_events) and in the audit trail.
//
// It also keeps the supervision loops' settings (supervision_settings),
// which the 民生实事 capability reads for its vote's defaults.
package proposals

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
)

// Collections.
const (
	Collection       = "proposals"
	EventsCollection = "proposal_events"
	OpinionsCol      = "proposal_opinions"
	GoldenCol        = "golden_rounds"
	SettingsCol      = "supervision_settings"
)

// Register binds the lifecycle to every save, the routes, the daily job
// and the settings' checks.
func Register(app core.App) {
	bindSettings(app)
	bindLifecycle(app)
	bindRoutes(app)
	bindGolden(app)
	bindReports(app)
	bindDaily(app)
	audit.Watch(app, SettingsCol)
}
