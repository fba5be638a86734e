package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// SMS-code login (验证码登录) and password reset for deputies and handling
// units, with PocketBase's own one-time passwords: 6 digits, valid 5
// minutes. The codes are sent by hooks/login through the outbox, never by
// mail; MFA stays off.
func init() {
	set := func(app core.App, enabled bool) error {
		for _, name := range []string{"deputies", "units"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.OTP.Enabled = enabled
			c.OTP.Duration = 300
			c.OTP.Length = 6
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error { return set(app, true) }, func(app core.App) error { return set(app, false) })
}
