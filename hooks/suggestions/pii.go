package suggestions

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/pii"
)

// requirePIIKey stops `serve` at once, with a clear message, when the key is
// missing or too short, rather than failing on the first resident.
func requirePIIKey(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if _, err := pii.VaultFromEnv(); err != nil {
			return err
		}
		return se.Next()
	})
}
