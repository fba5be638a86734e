// Package testbrowser starts Chromium for the browser tests of the
// capabilities (apart from internal/testapp, so the binaries that drive no
// browser do not link chromedp).
package testbrowser
