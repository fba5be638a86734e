// Package checkinkey loads the server key that signs check-in QR codes:
// the meetings' short-lived codes (hooks/meetings) and the liaison
// station's code of the day (hooks/station) share it, each in its own MAC
// domain (package checkin).
package checkinkey

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Env overrides the signing key; without it a random key is created once in
// the data dir (and survives restarts and backups).
const Env = "SIMENG_CHECKIN_SECRET"

// File is the key's file in the data dir when Env is unset.
const File = ".checkin_secret"

const storeKey = "checkin.secret"

// Load returns the server key that signs check-in codes.
func Load(app core.App) ([]byte, error) {
	if v, ok := app.Store().Get(storeKey).([]byte); ok {
		return v, nil
	}
	if env := os.Getenv(Env); len(env) >= 16 {
		app.Store().Set(storeKey, []byte(env))
		return []byte(env), nil
	}
	path := filepath.Join(app.DataDir(), File)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		raw = []byte(hex.EncodeToString(key))
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	secret := []byte(strings.TrimSpace(string(raw)))
	app.Store().Set(storeKey, secret)
	return secret, nil
}
