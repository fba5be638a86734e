package projects

import (
	"regexp"
	"testing"
)

func TestDigestGroups(t *testing.T) {
	phoneLike := regexp.MustCompile(`1[3-9][0-9]{9}`)
	for _, tc := range []struct{ in, want string }{
		{"sha256:2fcc567183551a00cf3f866501809b8d5db129edbdab9e839a0b1c2d3e4f5a6b",
			"sha256: 2fcc5671 83551a00 cf3f8665 01809b8d 5db129ed bdab9e83 9a0b1c2d 3e4f5a6b"},
		{"sha256:13812345678901234567890123456789012345678901234567890123456789ab",
			"sha256: 13812345 67890123 45678901 23456789 01234567 89012345 67890123 456789ab"},
		{"abc", "abc"},
		{"", ""},
	} {
		got := digestGroups(tc.in)
		if got != tc.want {
			t.Errorf("digestGroups(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if phoneLike.MatchString(got) {
			t.Errorf("digestGroups(%q) = %q still reads as a phone number", tc.in, got)
		}
	}
}
