package passpolicy

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	const phone = "13974501286"
	tests := []struct {
		name     string
		password string
		want     error
	}{
		// Refused.
		{"empty", "", ErrTooShort},
		{"8 characters", "Ab3$ef7!", ErrTooShort},
		{"9 Chinese characters", "我爱我家乡思蒙镇人", ErrTooShort},
		{"12345678", "12345678", ErrTooShort},
		{"ten digits", "1234567890", ErrAllDigits},
		{"88888888 repeated", "8888888888", ErrAllDigits},
		{"digits with dashes", "2026-03-05-01", ErrAllDigits},
		{"full-width digits", "１２３４５６７８９０", ErrAllDigits},
		{"the phone itself", phone, ErrAllDigits},
		{"the phone with +86", "+8613974501286", ErrPhone},
		{"the phone with letters", "zhang13974501286", ErrPhone},
		{"the phone in groups", "tel:139-7450-1286", ErrPhone},
		{"the phone's last 8", "wang74501286", ErrPhone},
		{"the phone's first 7 after a name", "xiangdesheng1397450", ErrPhone},
		{"the phone reversed", "abc68210547931", ErrPhone},
		{"the phone in full width", "ａｂｃ１３９７４５０１２８６", ErrPhone},
		{"a123456789", "a123456789", ErrCommon},
		{"A123456789 in capitals", "A123456789", ErrCommon},
		{"woaini1314", "woaini1314", ErrCommon},
		{"qwertyuiop", "qwertyuiop", ErrCommon},
		{"1qaz2wsx3edc", "1qaz2wsx3edc", ErrCommon},
		{"woaini1314 spaced", "woaini 1314", ErrCommon},
		{"full-width common", "ｗｏａｉｎｉ１３１４", ErrCommon},
		{"the platform's name", "Simeng2026", ErrCommon},
		{"one letter", "aaaaaaaaaaaa", ErrRepetitive},
		{"two letters", "abababababab", ErrRepetitive},
		// Accepted.
		{"a passphrase", "路灯修好了吗2026", nil},
		{"mixed", "Xiang.Desheng-03", nil},
		{"another phone's digits", "hunan15900001111", nil},
		{"a long one", strings.Repeat("思蒙", 20) + "x1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.password, phone, "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Check(%q) = %v, want %v", tt.password, err, tt.want)
			}
		})
	}
}

func TestCheckNormalisesTheAccountsPhone(t *testing.T) {
	for _, phone := range []string{"+86 139 7450 1286", "１３９７４５０１２８６", "139-7450-1286"} {
		if err := Check("zhang13974501286", phone); !errors.Is(err, ErrPhone) {
			t.Errorf("phone %q: %v", phone, err)
		}
	}
	if err := Check("zhang13974501286"); err != nil {
		t.Errorf("no phone given: %v", err)
	}
}

func TestErrorsAreChineseFieldErrors(t *testing.T) {
	for _, e := range []*Error{ErrTooShort, ErrAllDigits, ErrPhone, ErrCommon, ErrRepetitive} {
		if e.Code == "" || strings.Contains(e.Code, " ") || !strings.Contains(e.Message, "密码") || e.Error() != e.Message {
			t.Errorf("%+v", e)
		}
	}
}

func TestCommonListIsLongEnoughToMatter(t *testing.T) {
	for p := range common {
		if utf8.RuneCountInString(p) < MinLength || p != fold(p) {
			t.Errorf("%q: shorter than MinLength (refused anyway) or not folded (never matches)", p)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("a123456789", "13812345678")
	f.Add("路灯修好了吗2026", "")
	f.Add("\xff\xfe1234567890", "+86 138")
	f.Fuzz(func(t *testing.T, password, phone string) {
		err := Check(password, phone)
		var pe *Error
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("Check(%q) = %v, not an *Error", password, err)
		}
		if err == nil && utf8.RuneCountInString(password) < MinLength {
			t.Fatalf("accepted %q, shorter than %d", password, MinLength)
		}
	})
}
