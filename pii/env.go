package pii

import (
	"fmt"
	"os"
	"sync"
)

// KeyEnv names the environment variable holding the secret from which the
// keys that encrypt and hash residents' phone numbers are derived (X2). It
// must be at least MinKeyLength characters and must never change once data
// exists (sealed phones could not be read back).
const KeyEnv = "SIMENG_PII_KEY"

// DevKey is the well-known key used only by `go run . demo` and the tests
// when KeyEnv is unset. Real data must never be sealed with it.
const DevKey = "simeng-DEMO-ONLY-key-never-use-for-real-data"

// ErrNoKey is the startup error of `serve` without a key.
var ErrNoKey = fmt.Errorf("%s is not set: residents' phone numbers are stored encrypted with a key from it "+
	"(at least %d characters, e.g. `openssl rand -base64 33`); set it in the service's environment and keep it "+
	"with the backups. (未设置 %s：群众手机号加密保存所需的密钥)", KeyEnv, MinKeyLength, KeyEnv)

// UseDevKeyIfUnset sets KeyEnv to DevKey when it is empty and reports
// whether it did. Only the demo command and the tests call it.
func UseDevKeyIfUnset() bool {
	if os.Getenv(KeyEnv) != "" {
		return false
	}
	os.Setenv(KeyEnv, DevKey)
	return true
}

var envVault struct {
	sync.Mutex
	key   string
	vault *Vault
}

// VaultFromEnv returns the vault for the key in KeyEnv (ErrNoKey without
// one), made once per key.
func VaultFromEnv() (*Vault, error) {
	key := os.Getenv(KeyEnv)
	if key == "" {
		return nil, ErrNoKey
	}
	envVault.Lock()
	defer envVault.Unlock()
	if envVault.vault != nil && envVault.key == key {
		return envVault.vault, nil
	}
	v, err := NewVault(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyEnv, err)
	}
	envVault.key, envVault.vault = key, v
	return v, nil
}
