// Package hooks binds the whole backend to a PocketBase app: every record
// hook, route and cron job is registered from Register, which main.go and
// the tests both call, so the tests run exactly what production runs.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/analysis"
	"simeng/hooks/assessment"
	"simeng/hooks/audit"
	"simeng/hooks/deliberation"
	"simeng/hooks/durability"
	"simeng/hooks/guard"
	"simeng/hooks/learning"
	"simeng/hooks/ledger"
	"simeng/hooks/login"
	"simeng/hooks/meetings"
	"simeng/hooks/notify"
	"simeng/hooks/problems"
	"simeng/hooks/projects"
	"simeng/hooks/proposals"
	"simeng/hooks/reports"
	"simeng/hooks/research"
	"simeng/hooks/returns"
	"simeng/hooks/roster"
	"simeng/hooks/station"
	"simeng/hooks/suggestions"
	"simeng/hooks/supervision"
	"simeng/hooks/surveys"
	"simeng/hooks/syncengine"
	"simeng/hooks/units"
	"simeng/hooks/verification"
	"simeng/hooks/visits"
	"simeng/hooks/web"
	"simeng/hooks/workbench"
)

// Register wires every capability into app, in dependency order. Read it
// as the table of contents of the backend; each line is a package under
// hooks/ (docs/ARCHITECTURE.md).
func Register(app core.App) {
	durability.Register(app) // first: replication and the file mirror wrap everything else
	audit.Register(app)      // the audit trail is append-only before anything writes to it
	guard.Register(app)      // images, logins, logs, proxy header, private files: before any capability
	roster.Register(app)
	syncengine.Register(app)
	problems.Register(app)
	visits.Register(app)
	verification.Register(app) // plausibility flags and reviews, on visits' hooks
	suggestions.Register(app)
	station.Register(app) // the liaison station: its receptions become suggestions
	ledger.Register(app)
	meetings.Register(app)
	deliberation.Register(app) // 云端议事: topics, comments, /topic/{code}
	surveys.Register(app)      // 微调研: surveys, anonymous answers, /survey/{code}
	research.Register(app)     // 调研报告, counted by the assessment
	learning.Register(app)     // 学习园地: articles pulled for offline reading, read receipts
	proposals.Register(app)    // 议案建议 and the supervision settings
	projects.Register(app)     // 民生实事: candidates, 票决, tracking, 年终评议, /projects/{year}
	supervision.Register(app)  // 专题询问 and 监督通报
	units.Register(app)        // the handling units' inbox
	returns.Register(app)      // 退办: a unit returns what is outside its remit, the office reassigns or insists
	notify.Register(app)       // the outbox: every capability's events become messages
	login.Register(app)        // SMS-code login and reset, sent through the outbox
	workbench.Register(app)
	assessment.Register(app)
	analysis.Register(app)
	reports.Register(app)
	web.Register(app)
}
