// Package hooks binds the whole backend to a PocketBase app: every record
// hook, route and cron job is registered from Register, which main.go and the
// tests both call, so the tests run exactly what production runs.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/durability"
)

// Register wires every capability into app. Read it as the table of contents
// of the backend; each line delegates to a file of its own.
func Register(app core.App) {
	bindDeputies(app)
	bindVisits(app)
	bindSuggestions(app)
	bindLedger(app)
	bindMeetings(app)
	bindAssessment(app)
	bindStatic(app)
	durability.Register(app)
}
