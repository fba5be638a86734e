// Package pii handles personal information (个人信息, PIPL) of residents and
// deputies: phone numbers are normalised for matching and names and phones
// are masked for display in lists.
package pii

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaskName keeps the first character of a name for lists (X2): 张三丰 → 张**,
// 李四 → 李*. A one-character name is fully masked.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(strings.ToValidUTF8(name, "")))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// MaskPhone masks a phone number for lists (X2). A normalized 11-digit number
// keeps its first 3 and last 4 digits (138****1234); anything else keeps only
// its last 2 characters, and one of 2 characters or fewer is fully masked.
func MaskPhone(p string) string {
	n := NormalizeMobile(p)
	if len(n) == 11 && allDigits(n) {
		return n[:3] + "****" + n[7:]
	}
	r := []rune(n)
	if len(r) <= 2 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-2) + string(r[len(r)-2:])
}

// ValidMobile reports whether p is a mainland mobile number as stored: 11
// ASCII digits starting 13–19. It does not normalize; call
// ValidMobile(NormalizeMobile(p)) on user input.
func ValidMobile(p string) bool {
	return len(p) == 11 && allDigits(p) && p[0] == '1' && p[1] >= '3'
}

// NormalizeMobile removes whitespace, invisible format characters, dashes, dots and parentheses, folds
// full-width digits, and strips a +86, 0086 or 86 country prefix when what
// is left is 11 digits starting with 1 (so 86 is never stripped from a
// number that merely begins with it). The result is not validated.
func NormalizeMobile(p string) string {
	p = norm.NFKC.String(strings.ToValidUTF8(p, ""))
	p = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.In(r, unicode.Pd, unicode.Cf) || strings.ContainsRune(".()", r) {
			return -1
		}
		return r
	}, p)
	// Removing a character can let a combining mark compose anew.
	p = norm.NFKC.String(p)
	for _, prefix := range []string{"+86", "0086", "86"} {
		rest, ok := strings.CutPrefix(p, prefix)
		if ok && len(rest) == 11 && allDigits(rest) && rest[0] == '1' {
			return rest
		}
	}
	return p
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
