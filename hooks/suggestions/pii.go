package suggestions

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/syncengine"
	"simeng/pii"
)

// requirePIIKey stops `serve` at once, with a clear message, when the key is
// missing or too short, rather than failing on the first resident. Names
// stored in the clear before they were sealed (issue 12) are sealed then.
func requirePIIKey(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if _, err := pii.VaultFromEnv(); err != nil {
			return err
		}
		if _, err := syncengine.SealColumn(se.App, "suggestions", "resident_name"); err != nil {
			return err
		}
		return se.Next()
	})
}
