package booking

import (
	"strings"
	"testing"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if got, ok := NormalizeCode(c); !ok || got != c {
			t.Fatalf("NewCode %q does not normalize to itself", c)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice in 1000", c)
		}
		seen[c] = true
	}
}

func TestNewCodeUsesTheWholeAlphabet(t *testing.T) {
	used := map[rune]bool{}
	for range 500 {
		for _, r := range NewCode() {
			used[r] = true
		}
	}
	if len(used) != len(CodeAlphabet) {
		t.Errorf("%d of %d letters used in 4000 draws", len(used), len(CodeAlphabet))
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = refused
	}{
		{"abcd2345", "abcd2345"},
		{"ABCD-2345", "abcd2345"},
		{" abcd 2345 ", "abcd2345"},
		{"ａｂｃｄ２３４５", "abcd2345"}, // full-width IME input
		{"abcd-234", ""},
		{"abcd23456", ""},
		{"abc01234", ""}, // 0 and 1 are not in the alphabet
		{"abcdo345", ""}, // nor o
		{"abcd234５x", ""},
		{"", ""},
		{strings.Repeat("a", 100), ""},
		{"abcd/2345", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizeCode(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestFormatCode(t *testing.T) {
	if got := FormatCode("abcd2345"); got != "abcd-2345" {
		t.Errorf("FormatCode = %q", got)
	}
	if got, ok := NormalizeCode(FormatCode("abcd2345")); !ok || got != "abcd2345" {
		t.Errorf("formatted code does not come back: %q", got)
	}
}

// FuzzNormalizeCode: whatever a resident types, NormalizeCode never panics,
// only ever returns CodeLen alphabet letters, and is idempotent.
func FuzzNormalizeCode(f *testing.F) {
	f.Add("abcd-2345")
	f.Add("ａｂｃｄ２３４５")
	f.Add("\u00e9\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeCode(s)
		if !ok {
			if got != "" {
				t.Fatalf("refused %q but returned %q", s, got)
			}
			return
		}
		if len(got) != CodeLen || strings.Trim(got, CodeAlphabet) != "" {
			t.Fatalf("NormalizeCode(%q) = %q", s, got)
		}
		if again, ok := NormalizeCode(got); !ok || again != got {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
	})
}
