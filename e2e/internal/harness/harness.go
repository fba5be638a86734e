// Package harness is what the browser end-to-end test packages under e2e/
// share: the real server binary on a loopback port with a temp data dir
// (Server), Debian's Chromium driven headless by chromedp (Page), and the
// checks of the PWA's rules on a 360 px phone. In CI (CI=true) a missing
// browser fails the tests; locally they skip with a message.
//
// Every test owns its server, data dir and browser profile, so the tests
// run in parallel (go test's -parallel, GOMAXPROCS by default): most of a
// browser test is waiting for a page or a sync. A new test calls
// t.Parallel() right after RequireBrowser(t). Each test package's TestMain
// calls Main.
package harness

import (
	"fmt"
	"os"
	"testing"

	"simeng/internal/testbin"
)

var (
	serverBin  string // the simeng binary of these sources (internal/testbin)
	chromePath string // "" when no browser is installed
)

const defaultChrome = "/usr/bin/chromium"

// Main runs the tests of a browser test package and returns the exit code
// for os.Exit: it finds Chromium, builds the server binary once (shared by
// every test binary of the run) and removes the migrated data dir after.
func Main(m *testing.M) int {
	chromePath = findChrome()
	if chromePath == "" {
		// Without a browser there is nothing to build for; each test then
		// fails in CI or skips locally (RequireBrowser).
		return m.Run()
	}
	var err error
	if serverBin, err = testbin.Server(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer func() {
		if migrated.dir != "" {
			os.RemoveAll(migrated.dir)
		}
	}()
	return m.Run()
}

func findChrome() string {
	for _, p := range []string{os.Getenv("CHROME_PATH"), defaultChrome, "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// ChromePath is the browser the tests drive ("" when none is installed).
func ChromePath() string { return chromePath }

// RequireBrowser fails the test in CI and skips it elsewhere when no
// Chromium is installed.
func RequireBrowser(t testing.TB) {
	t.Helper()
	if chromePath != "" {
		return
	}
	msg := "no Chromium at " + defaultChrome + " (apt-get install chromium)"
	if os.Getenv("CI") == "true" {
		t.Fatal("CI: " + msg)
	}
	t.Skip(msg + ": browser tests skipped")
}
