// Package testbin builds the real server binary for the tests that run it
// (the kill -9 and disk-full tests, the browser tests), once for every test
// binary of a run: it is kept under os.TempDir, named by the hash of the
// sources it was built from.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"simeng/internal/srchash"
)

// expiry: older binaries are removed (no test run lasts that long).
const expiry = 2 * time.Hour

// Server returns the path of the simeng binary built from the current
// sources, building it if needed.
func Server() (string, error) {
	root, key, err := srchash.Module()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), "simeng-testbin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > expiry && !strings.HasPrefix(e.Name(), key) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	bin := filepath.Join(dir, key, "simeng")
	if _, err := os.Stat(bin); err == nil {
		now := time.Now()
		os.Chtimes(filepath.Dir(bin), now, now) // in use: not collected
		return bin, nil
	}
	// Built beside, then renamed into place whole: a test binary starting
	// meanwhile never runs half a file. Two that build at once both finish;
	// the first rename wins and the other's copy goes.
	tmp, err := os.MkdirTemp(dir, "building-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	build := exec.Command("go", "build", "-o", filepath.Join(tmp, "simeng"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, filepath.Join(dir, key)); err != nil {
		if _, statErr := os.Stat(bin); statErr != nil {
			return "", err
		}
	}
	return bin, nil
}
