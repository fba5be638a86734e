package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// MinKeyLength is the shortest secret NewVault accepts.
const MinKeyLength = 32

// sealedPrefix marks a value as sealed by a Vault (version 1: AES-256-GCM).
const sealedPrefix = "v1:"

// ErrShortKey is returned by NewVault for a secret shorter than MinKeyLength.
var ErrShortKey = fmt.Errorf("pii: key must be at least %d characters", MinKeyLength)

// Vault encrypts personal data at rest (X2) and derives keyed hashes so that
// records can be matched by a phone number without storing it in the clear.
// Both keys are derived from one configured secret. A Vault is safe for
// concurrent use.
type Vault struct {
	aead    cipher.AEAD
	hashKey []byte
}

// NewVault derives the encryption and hashing keys from secret.
func NewVault(secret string) (*Vault, error) {
	if len(secret) < MinKeyLength {
		return nil, ErrShortKey
	}
	block, err := aes.NewCipher(derive(secret, "simeng pii encryption v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead, hashKey: derive(secret, "simeng pii lookup v1")}, nil
}

func derive(secret, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Seal encrypts plain with a fresh random nonce: sealing the same value twice
// gives different strings. Use Hash to match values.
func (v *Vault) Seal(plain string) (string, error) {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := v.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal with the same secret.
func (v *Vault) Open(sealed string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", errors.New("pii: not a sealed value")
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil {
		return "", fmt.Errorf("pii: sealed value: %w", err)
	}
	n := v.aead.NonceSize()
	if len(b) < n {
		return "", errors.New("pii: sealed value too short")
	}
	plain, err := v.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errors.New("pii: cannot decrypt (wrong key or damaged value)")
	}
	return string(plain), nil
}

// IsSealed reports whether s looks like a value made by Seal.
func IsSealed(s string) bool { return strings.HasPrefix(s, sealedPrefix) }

// Hash returns a keyed hash (HMAC-SHA-256, hex) of value for lookups: equal
// values give equal hashes, and without the secret the hash cannot be
// reversed by trying every phone number.
func (v *Vault) Hash(value string) string {
	m := hmac.New(sha256.New, v.hashKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
