package testapp

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"simeng/chinatime"
	"simeng/internal/srchash"
	"simeng/pii"
)

// The template cache. Every capability's tests are a binary of their own,
// and building the template (migrations, seeders, scores) takes about a
// second: the binaries of one `go test ./...` share it instead. A cached
// template is keyed by a hash of the module's sources (srchash: migrations,
// hooks, seeders and what they call) and of the keys the template is
// sealed with, so any change of code builds a new one. It is
// used only while it is fresh and of the same China day, because the
// fixtures are dated relative to when they were made ("received an hour
// ago", "this year") and the tokens expire: within a few minutes of the
// same day it means what a per-binary template meant.
const (
	templateFresh  = 5 * time.Minute
	templateExpiry = 2 * time.Hour // older ones are removed (no test runs that long)
)

// cachedFixture is what fixture.json holds beside a cached data dir.
type cachedFixture struct {
	Fixture
	Tokens map[string]string
}

// cachedTemplate returns a fresh cached template (building and caching one
// if there is none), or "" when the sources cannot be found (a binary built
// elsewhere), in which case the caller builds its own.
func cachedTemplate() (string, Fixture, error) {
	key, err := sourceKey()
	if err != nil || key == "" {
		return "", Fixture{}, nil
	}
	root := filepath.Join(os.TempDir(), "simeng-testapp")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", Fixture{}, nil
	}
	collectOld(root)
	if d, f, ok := freshTemplate(root, key); ok {
		return d, f, nil
	}

	// Built under a name of its own, then renamed into place whole, so a
	// binary starting meanwhile never sees half a template. Two binaries
	// that build at once each keep their own.
	tmp, err := os.MkdirTemp(root, "building-")
	if err != nil {
		return "", Fixture{}, err
	}
	defer os.RemoveAll(tmp)
	data := filepath.Join(tmp, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		return "", Fixture{}, err
	}
	fixture = Fixture{}
	if err := build(data); err != nil {
		return "", Fixture{}, err
	}
	raw, err := json.Marshal(cachedFixture{Fixture: fixture, Tokens: fixture.tokens})
	if err != nil {
		return "", Fixture{}, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "fixture.json"), raw, 0o644); err != nil {
		return "", Fixture{}, err
	}
	final := filepath.Join(root, fmt.Sprintf("%s-%d", key, time.Now().UnixNano()))
	if err := os.Rename(tmp, final); err != nil {
		return "", Fixture{}, err
	}
	return filepath.Join(final, "data"), fixture, nil
}

// freshTemplate finds the newest template of key built within templateFresh.
func freshTemplate(root, key string) (string, Fixture, bool) {
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), key+"-") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		d := filepath.Join(root, names[i])
		info, err := os.Stat(filepath.Join(d, "fixture.json"))
		if err != nil || time.Since(info.ModTime()) > templateFresh {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(d, "fixture.json"))
		var c cachedFixture
		if err != nil || json.Unmarshal(raw, &c) != nil {
			continue
		}
		c.Fixture.tokens = c.Tokens
		return filepath.Join(d, "data"), c.Fixture, true
	}
	return "", Fixture{}, false
}

// collectOld removes templates (and abandoned builds) past templateExpiry.
func collectOld(root string) {
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > templateExpiry {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
}

// sourceKey names the template of these sources and keys, made today
// (China time).
func sourceKey() (string, error) {
	_, key, err := srchash.Module()
	if errors.Is(err, srchash.ErrNoSources) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	// The China date too: a template made before midnight has "today",
	// "this year" and "an hour ago" of the day before.
	day := chinatime.Date(time.Now())
	sum := sha256.Sum256([]byte("template v2\x00" + key + "\x00" + os.Getenv(pii.KeyEnv) + "\x00" + os.Getenv("pb_test_env") + "\x00" + variant + "\x00" + day))
	return hex.EncodeToString(sum[:])[:20], nil
}
