// Package srchash names a version of the module's sources for the test
// caches (the template township, the server binary): a hash of every file
// but the tests, so any change of code, schema, seeders or embedded assets
// gives a new name.
package srchash

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrNoSources: the sources are not where this package was compiled from
// (a test binary built elsewhere); callers then do without a cache.
var ErrNoSources = errors.New("srchash: module sources not found")

// Module returns the module's root directory and the hash of its sources.
func Module() (root, key string, err error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "", "", ErrNoSources
	}
	root = filepath.Clean(filepath.Join(filepath.Dir(self), "..", ".."))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", "", ErrNoSources
	}
	h := sha256.New()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "bench-out") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return root, hex.EncodeToString(h.Sum(nil))[:20], nil
}
