package testapp

import "github.com/pocketbase/pocketbase/core"

// emptyOutbox empties the outbox the seeders' events filled: every test
// app runs the outbox worker (it starts on serve, as in production), and a
// template with nothing to send keeps it from writing notices, which
// deputies pull, of its own accord while a test runs. Tests of the outbox
// make their own events.
func emptyOutbox(app core.App) error {
	_, err := app.DB().NewQuery("DELETE FROM notify_outbox").Execute()
	return err
}
