// Package verification makes visits stand up to a check (issue 21):
// plausibility flags computed by the server as visits arrive (package
// plausibility), the presidium's review of flagged visits, the household's
// confirmation on the phone, monthly callback spot-checks (回访), and the
// township's settings that decide which visits count toward the ≥12
// households rule and the assessment.
package verification

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
)

// Register wires the flags, the review routes and the settings. It binds
// to visits' record hooks, so call it after visits.Register.
func Register(app core.App) {
	bindSettings(app)
	bindFlags(app)
	bindKeptWindows(app)
	bindRoutes(app)
	bindCallbacks(app)
	bindPhotoHashes(app)
	audit.Watch(app, "verification_settings")
	audit.Watch(app, "villages", "position", "radius_m")
}
