package checkin

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Unix(1_780_000_000, 0)
	good := Sign(secret, "meeting123", now.Add(TTL))
	tamper := func(tok string, i int) string {
		p := strings.Split(tok, ".")
		p[i] = map[int]string{0: "othermeeting", 1: "1780009999"}[i]
		return strings.Join(p, ".")
	}
	tests := []struct {
		name  string
		token string
		now   time.Time
		want  error
	}{
		{"valid", good, now, nil},
		{"valid at the expiry second", good, now.Add(TTL), nil},
		{"expired one second later", good, now.Add(TTL + time.Second), ErrExpired},
		{"other meeting", tamper(good, 0), now, ErrSignature},
		{"extended expiry", tamper(good, 1), now, ErrSignature},
		{"other secret", Sign([]byte("another-secret"), "meeting123", now.Add(TTL)), now, ErrSignature},
		{"empty", "", now, ErrMalformed},
		{"two parts", "meeting123.1780000090", now, ErrMalformed},
		{"bad expiry", "meeting123.soon.abc", now, ErrMalformed},
		{"bad id", "../x.1780000090.abc", now, ErrMalformed},
	}
	for _, tt := range tests {
		id, _, err := Verify(secret, tt.token, tt.now)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
		if err == nil && id != "meeting123" {
			t.Errorf("%s: meeting %q", tt.name, id)
		}
	}
}

func FuzzVerify(f *testing.F) {
	secret := []byte("fuzz-secret")
	f.Add(Sign(secret, "m1", time.Unix(2_000_000_000, 0)))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, token string) {
		id, _, err := Verify(secret, token, time.Unix(1_000_000_000, 0))
		if err == nil && Sign(secret, id, time.Unix(mustUnix(t, token), 0)) != token {
			t.Fatalf("accepted a token that Sign would not produce: %q", token)
		}
	})
}

func mustUnix(t *testing.T, token string) int64 {
	p := strings.Split(token, ".")
	var n int64
	for _, c := range p[1] {
		n = n*10 + int64(c-'0')
	}
	return n
}
