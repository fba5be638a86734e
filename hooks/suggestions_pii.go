package hooks

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simeng/pii"
)

// PIIKeyEnv names the environment variable holding the secret from which the
// keys that encrypt and hash residents' phone numbers are derived (X2). It
// must be at least pii.MinKeyLength characters and must never change once
// data exists (sealed phones could not be read back).
const PIIKeyEnv = "SIMENG_PII_KEY"

// DevPIIKey is the well-known key used only by `go run . demo` and the tests
// when PIIKeyEnv is unset. Real data must never be sealed with it.
const DevPIIKey = "simeng-DEMO-ONLY-key-never-use-for-real-data"

// ErrNoPIIKey is the startup error of `serve` without a key.
var ErrNoPIIKey = fmt.Errorf("%s is not set: residents' phone numbers are stored encrypted with a key from it "+
	"(at least %d characters, e.g. `openssl rand -base64 33`); set it in the service's environment and keep it "+
	"with the backups. (未设置 %s：群众手机号加密保存所需的密钥)", PIIKeyEnv, pii.MinKeyLength, PIIKeyEnv)

// UseDevPIIKeyIfUnset sets PIIKeyEnv to DevPIIKey when it is empty and
// reports whether it did. Only the demo command and the tests call it.
func UseDevPIIKeyIfUnset() bool {
	if os.Getenv(PIIKeyEnv) != "" {
		return false
	}
	os.Setenv(PIIKeyEnv, DevPIIKey)
	return true
}

var vaultCache struct {
	sync.Mutex
	key   string
	vault *pii.Vault
}

// piiVault returns the vault for the configured key.
func piiVault() (*pii.Vault, error) {
	key := os.Getenv(PIIKeyEnv)
	if key == "" {
		return nil, ErrNoPIIKey
	}
	vaultCache.Lock()
	defer vaultCache.Unlock()
	if vaultCache.vault != nil && vaultCache.key == key {
		return vaultCache.vault, nil
	}
	v, err := pii.NewVault(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PIIKeyEnv, err)
	}
	vaultCache.key, vaultCache.vault = key, v
	return v, nil
}

// requirePIIKey stops `serve` at once, with a clear message, when the key is
// missing or too short, rather than failing on the first resident.
func requirePIIKey(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if _, err := piiVault(); err != nil {
			if errors.Is(err, ErrNoPIIKey) {
				return ErrNoPIIKey
			}
			return err
		}
		return se.Next()
	})
}
