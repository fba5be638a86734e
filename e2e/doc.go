// Package e2e holds the browser end-to-end tests of the deputy PWA: they
// build the real server binary, start it on a loopback port with a temp data
// dir, and drive Debian's Chromium headless with chromedp. In CI (CI=true) a
// missing browser fails the tests; locally they skip with a message.
package e2e
