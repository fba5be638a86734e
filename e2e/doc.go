// Package e2e holds the browser end-to-end tests of the deputy PWA: they
// build the real server binary, start it on a loopback port with a temp data
// dir, and drive Debian's Chromium headless with chromedp. In CI (CI=true) a
// missing browser fails the tests; locally they skip with a message.
//
// Every test owns its server, data dir and browser profile, so the tests run
// in parallel (go test's -parallel, GOMAXPROCS by default): most of a
// browser test is waiting for a page or a sync, and one after another the
// package came near go test's ten-minute limit on a busy two-core machine.
// A new test calls t.Parallel() right after requireBrowser(t).
package e2e
