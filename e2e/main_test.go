package e2e

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

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	chromePath = findChrome()
	if chromePath == "" {
		// Without a browser there is nothing to build for; each test then
		// fails in CI or skips locally (requireBrowser).
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

// requireBrowser fails the test in CI and skips it elsewhere when no
// Chromium is installed.
func requireBrowser(t testing.TB) {
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
