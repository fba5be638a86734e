package assessment

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// bindCountingSetting rescores the open year when staff change which
// visits count (verification_settings: count_mode, or confirmation, which
// forces confirmed counting when required): the households figure reads
// that setting, and no visit record changes to trigger the rescore.
func bindCountingSetting(app core.App) {
	app.OnRecordAfterUpdateSuccess("verification_settings").BindFunc(func(e *core.RecordEvent) error {
		old := e.Record.Original()
		if old.GetString("count_mode") != e.Record.GetString("count_mode") ||
			old.GetString("confirmation") != e.Record.GetString("confirmation") {
			if _, err := RecomputeYear(e.App, chinatime.CurrentYear()); err != nil {
				logRescoreError(e.App, err)
			}
		}
		return e.Next()
	})
}
