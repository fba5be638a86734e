// Package passpolicy decides which passwords deputies (人大代表) and staff
// may choose, and slows down repeated failed logins for one account
// without ever locking its owner out for good. Pure: no PocketBase, and a
// Clock so that tests control time.
package passpolicy

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"simeng/pii"
)

// MinLength is the shortest password accepted, in characters.
const MinLength = 10

// Error is why a password is refused: Code for the API's field error,
// Message in Chinese for the person choosing it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

var (
	ErrTooShort   = &Error{"too_short", "密码至少需要10个字符。"}
	ErrAllDigits  = &Error{"all_digits", "密码不能全是数字，请加入字母或符号。"}
	ErrPhone      = &Error{"contains_phone", "密码不能包含本人的手机号（正着或倒着）。"}
	ErrCommon     = &Error{"too_common", "这个密码太常见，很容易被猜到，请换一个。"}
	ErrRepetitive = &Error{"too_repetitive", "密码里重复的字符太多，很容易被猜到，请换一个。"}
)

// phoneRun is how many digits of the account's phone number, in a row,
// make a password derived from it: the whole number, +86 and 0086 forms,
// the number with letters around it, its first or last 7–8 digits and the
// same reversed all contain 7 of them.
const phoneRun = 7

// Check returns nil for an acceptable password, or the first *Error that
// refuses it. phones are the account's own numbers, in any notation.
func Check(password string, phones ...string) error {
	if utf8.RuneCountInString(password) < MinLength {
		return ErrTooShort
	}
	folded := fold(password)
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-_.·,，、/", r) {
			return -1
		}
		return r
	}, folded)
	if strings.IndexFunc(compact, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
		return ErrAllDigits
	}
	for _, p := range phones {
		if containsPhone(compact, pii.NormalizeMobile(p)) {
			return ErrPhone
		}
	}
	if _, ok := common[folded]; ok {
		return ErrCommon
	}
	if _, ok := common[compact]; ok {
		return ErrCommon
	}
	if distinct(folded) < 4 {
		return ErrRepetitive
	}
	return nil
}

// fold makes variants compare equal: full-width characters (a Chinese IME
// in full-width mode), upper case.
func fold(s string) string {
	return strings.ToLower(norm.NFKC.String(strings.ToValidUTF8(s, "")))
}

func containsPhone(password, phone string) bool {
	digits := strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return -1
		}
		return r
	}, phone)
	if len(digits) < phoneRun {
		return false
	}
	rev := []byte(digits)
	slices.Reverse(rev)
	for _, d := range []string{digits, string(rev)} {
		for i := 0; i+phoneRun <= len(d); i++ {
			if strings.Contains(password, d[i:i+phoneRun]) {
				return true
			}
		}
	}
	return false
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}
