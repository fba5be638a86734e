package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三丰", "张**"},
		{"李四", "李*"},
		{"欧阳娜娜", "欧***"},
		{" 王五 ", "王*"},
		{"张", "*"},
		{"", ""},
		{"   ", ""},
		{"买买提·艾力", "买*****"},
		{"\xff李四", "李*"},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "138****1234"},
		{"+86 138-1234-1234", "138****1234"},
		{"１３８１２３４１２３４", "138****1234"},
		{"0745-1234567", "074****4567"}, // any 11 digits, as specified
		{"0745-12345678", "**********78"},
		{"1381234123", "********23"},
		{"12", "**"},
		{"7", "*"},
		{"", ""},
		{"未知", "**"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "13812341234"},
		{"138 1234 1234", "13812341234"},
		{"138-1234-1234", "13812341234"},
		{"+8613812341234", "13812341234"},
		{"+86 138 1234 1234", "13812341234"},
		{"008613812341234", "13812341234"},
		{"8613812341234", "13812341234"},
		{"(+86) 138.1234.1234", "13812341234"},
		{"１３８　１２３４　１２３４", "13812341234"},
		{"138\u200b12341234", "13812341234"},
		{"86138123412", "86138123412"}, // 11 digits: 86 is not a prefix here
		{"+86 0745 1234567", "+8607451234567"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeMobile(tt.in); got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812341234", true},
		{"19912341234", true},
		{"14512341234", true},
		{"12812341234", false},
		{"10812341234", false},
		{"23812341234", false},
		{"1381234123", false},
		{"138123412345", false},
		{"138 1234 1234", false}, // not normalized
		{"+8613812341234", false},
		{"1381234123a", false},
		{"１３８１２３４１２３４", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidMobile(tt.in); got != tt.want {
			t.Errorf("ValidMobile(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzMask(f *testing.F) {
	f.Add("张三丰", "13812341234")
	f.Add("", "")
	f.Add("\xff\xfe", "+86 138-1234-1234")
	f.Add("买买提·艾力", "0745-1234567")
	f.Add(" 张 ", "８６１３８１２３４１２３４")
	f.Fuzz(func(t *testing.T, name, phone string) {
		mn := MaskName(name)
		if !utf8.ValidString(mn) {
			t.Fatalf("MaskName(%q) = %q: invalid UTF-8", name, mn)
		}
		if rest := []rune(mn); len(rest) > 1 && strings.Trim(string(rest[1:]), "*") != "" {
			t.Fatalf("MaskName(%q) = %q shows more than the first character", name, mn)
		}

		n := NormalizeMobile(phone)
		if NormalizeMobile(n) != n {
			t.Fatalf("NormalizeMobile not idempotent: %q → %q → %q", phone, n, NormalizeMobile(n))
		}
		mp := MaskPhone(phone)
		if !utf8.ValidString(mp) {
			t.Fatalf("MaskPhone(%q) = %q: invalid UTF-8", phone, mp)
		}
		if len(n) == 11 && allDigits(n) {
			if mp != n[:3]+"****"+n[7:] {
				t.Fatalf("MaskPhone(%q) = %q", phone, mp)
			}
			return
		}
		if utf8.RuneCountInString(strings.TrimLeft(mp, "*")) > 2 {
			t.Fatalf("MaskPhone(%q) = %q shows too much", phone, mp)
		}
	})
}
