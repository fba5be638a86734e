package passpolicy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// DeviceTokens issues and verifies device cookies (as in OWASP's "Slow
// Down Online Guessing Attacks with Device Cookies"): after a successful
// login the browser gets a token naming the account and a random device
// id; a later login that presents a valid token for the same account is
// throttled in a lane of its own, so that nobody else's failures slow it.
type DeviceTokens struct{ key []byte }

// ErrShortDeviceKey: the secret is shorter than 32 bytes.
var ErrShortDeviceKey = errors.New("passpolicy: device token key must be at least 32 bytes")

// NewDeviceTokens uses secret (at least 32 bytes) to sign tokens.
func NewDeviceTokens(secret []byte) (*DeviceTokens, error) {
	if len(secret) < 32 {
		return nil, ErrShortDeviceKey
	}
	return &DeviceTokens{key: append([]byte(nil), secret...)}, nil
}

var b64 = base64.RawURLEncoding

// Issue returns a new token for account (put it in an HttpOnly, Secure,
// SameSite=Strict cookie).
func (d *DeviceTokens) Issue(account string) string {
	id := make([]byte, 16)
	rand.Read(id)
	return b64.EncodeToString(id) + "." + b64.EncodeToString(d.mac(account, id))
}

// Verify returns the device id of a token issued for account.
func (d *DeviceTokens) Verify(token, account string) (deviceID string, ok bool) {
	idPart, macPart, found := strings.Cut(token, ".")
	if !found {
		return "", false
	}
	id, err1 := b64.DecodeString(idPart)
	mac, err2 := b64.DecodeString(macPart)
	if err1 != nil || err2 != nil || len(id) != 16 || !hmac.Equal(mac, d.mac(account, id)) {
		return "", false
	}
	return idPart, true
}

func (d *DeviceTokens) mac(account string, id []byte) []byte {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte("simeng device v1\x00"))
	m.Write([]byte(account))
	m.Write([]byte{0})
	m.Write(id)
	return m.Sum(nil)[:16]
}
