package notify

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	nt "simeng/notify"
	"simeng/notify/sms"
)

// Worker is app's outbox worker, for tests that drive it with a clock.
func Worker(app core.App) *nt.Worker { return serviceOf(app).worker }

// SetClock makes app's worker read the time from now.
func SetClock(app core.App, now func() time.Time) { serviceOf(app).worker.Now = now }

// LiftQuietHours lets app's worker text at night, so that a test's texts
// go out whatever the hour it runs at. The policies are replaced, not
// changed in place: a serving worker may be reading them.
func LiftQuietHours(app core.App) {
	w := serviceOf(app).worker
	lifted := nt.Policies{}
	for ch, p := range w.Policies {
		p.Quiet = nil
		lifted[ch] = p
	}
	w.Policies = lifted
}

// UseSMSClient sends app's SMS through c (e.g. with a short timeout).
func UseSMSClient(app core.App, c *sms.Client, codes map[nt.TemplateID]string) {
	s := serviceOf(app)
	s.worker.Senders[nt.SMS].(*switchSender).set(&sms.Sender{Client: c, Codes: codes, Phone: s.phone})
}

// ResealSecrets runs the data migration that seals (or, down, opens) the
// settings' secrets.
var ResealSecrets = resealSecrets
