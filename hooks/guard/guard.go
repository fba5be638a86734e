// Package guard is the platform's hardening (安全加固, issue 12) that no
// single capability owns: images checked for their pixel size at every
// door and decoded within one budget (decompression bombs), the password
// policy and the per-account login throttle, quiet and secret-free request
// logs, the reverse proxy's client-address header, and a data dir only the
// server's user can read. Capabilities keep their own parts: the resident
// forms re-encode photos (hooks/suggestions), sealing is each owner's
// (hooks/visits, hooks/suggestions, hooks/syncengine), check-in windows
// are hooks/meetings'.
package guard

import "github.com/pocketbase/pocketbase/core"

// Register binds the guards. Register it before the capabilities, so that
// its checks run before theirs.
func Register(app core.App) {
	bindPrivateFiles(app)
	bindImages(app)
	bindLogins(app)
	bindLogs(app)
	bindProxy(app)
}
