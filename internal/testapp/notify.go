package testapp

import "github.com/pocketbase/pocketbase/core"

// seedNotify empties the outbox the other seeders' events filled: every
// test app runs the outbox worker (it starts on serve, as in production),
// and a template with nothing to send keeps it from writing notices, which
// deputies pull, of its own accord while a test runs. Tests of the outbox
// make their own events.
func seedNotify(app core.App, _ *Fixture) error {
	_, err := app.DB().NewQuery("DELETE FROM notify_outbox").Execute()
	return err
}
