// Package checkin signs and verifies the short-lived meeting check-in codes
// (会议签到二维码, R10). The meeting screen shows a QR code holding a token
// bound to one meeting and an expiry; a deputy scans it in the PWA and the
// server checks the token against its secret. The token names no deputy: the
// check-in is always recorded for the deputy who is logged in.
package checkin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TTL is how long a shown code stays valid. The screen refreshes it well
// before; a photo of the code forwarded to someone at home goes stale fast.
const TTL = 90 * time.Second

var (
	ErrMalformed = errors.New("签到码无效")
	ErrSignature = errors.New("签到码无效（签名不符）")
	ErrExpired   = errors.New("签到码已过期，请扫描屏幕上最新的二维码")
)

var (
	idPattern   = regexp.MustCompile(`^[a-zA-Z0-9_]{1,64}$`)
	unixPattern = regexp.MustCompile(`^[1-9][0-9]{0,17}$`) // canonical: Sign never writes "+5" or "05"
)

// Sign returns the token for meetingID valid until expires.
func Sign(secret []byte, meetingID string, expires time.Time) string {
	payload := meetingID + "." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + mac(secret, payload)
}

// Verify checks token and returns the meeting it is bound to. A token is
// valid up to and including its expiry second.
func Verify(secret []byte, token string, now time.Time) (meetingID string, expires time.Time, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !idPattern.MatchString(parts[0]) {
		return "", time.Time{}, ErrMalformed
	}
	if !unixPattern.MatchString(parts[1]) {
		return "", time.Time{}, ErrMalformed
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return "", time.Time{}, ErrMalformed
	}
	want := mac(secret, parts[0]+"."+parts[1])
	if !hmac.Equal([]byte(want), []byte(parts[2])) {
		return "", time.Time{}, ErrSignature
	}
	expires = time.Unix(unix, 0)
	if now.Unix() > unix {
		return "", expires, ErrExpired
	}
	return parts[0], expires, nil
}

func mac(secret []byte, payload string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("simeng-checkin-v1\x00"))
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
