// Package pii handles residents' and deputies' personal information (个人信息,
// PIPL): phone numbers and names are normalised for matching and masked for
// display in lists.
package pii

import (
	"strings"
	"unicode/utf8"
)

// NormalizeMobile strips spaces, dashes, brackets and a +86/0086/86 country
// prefix from a mainland mobile number. Anything else is returned trimmed
// but otherwise untouched, so validation can name what is wrong.
func NormalizeMobile(p string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(p) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９': // full-width digits typed on a Chinese IME
			b.WriteRune('0' + (r - '０'))
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '\u3000' || r == '+':
		default:
			return strings.TrimSpace(p)
		}
	}
	d := b.String()
	for _, prefix := range []string{"0086", "86"} {
		if len(d) == 11+len(prefix) && strings.HasPrefix(d, prefix) {
			return d[len(prefix):]
		}
	}
	return d
}

// ValidMobile reports whether p, once normalised, is a mainland mobile number.
func ValidMobile(p string) bool {
	d := NormalizeMobile(p)
	if len(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9' {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// MaskPhone shows a phone number as 138****1234. Anything that is not an
// 11-digit number keeps only its last two characters.
func MaskPhone(p string) string {
	d := NormalizeMobile(p)
	if ValidMobile(d) {
		return d[:3] + "****" + d[7:]
	}
	n := utf8.RuneCountInString(p)
	if n <= 2 {
		return strings.Repeat("*", n)
	}
	r := []rune(p)
	return strings.Repeat("*", n-2) + string(r[n-2:])
}

// MaskName keeps the surname (the first character) of a Chinese name and
// masks the rest: 张三丰 → 张**, 李四 → 李*. A one-character name becomes *.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}
