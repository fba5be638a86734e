package booking

import (
	"crypto/rand"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// CodeAlphabet is the deputy codes' alphabet (hooks/deputies.go): no 0/o,
// 1/l, so a code read aloud over the phone or copied from a screenshot by an
// elderly resident comes back right. 32 letters: a random byte masked to 5
// bits picks one without bias.
const CodeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// CodeLen is the length of a booking code: 40 random bits, plenty for
// bookings that live a few weeks behind a rate-limited lookup, and short
// enough to say over the phone.
const CodeLen = 8

// NewCode returns a random booking code. The caller stores it under a
// unique index and draws again on the (1 in 10^12 per pair) collision.
func NewCode() string {
	b := make([]byte, CodeLen)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	for i := range b {
		b[i] = CodeAlphabet[b[i]&31]
	}
	return string(b)
}

// FormatCode shows a code in two groups of four, "abcd-efgh", the way the
// resident reads it on the page.
func FormatCode(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeCode turns what a resident typed into a code: full-width
// characters folded (a Chinese IME), case, spaces and hyphens ignored. It
// reports false unless the result is CodeLen letters of CodeAlphabet.
func NormalizeCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case r < 128 && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}
