package syncengine

import (
	"encoding/json"
	"testing"
)

func TestPlainString(t *testing.T) {
	tests := []struct {
		raw  string
		want string
		ok   bool
	}{
		{raw: `"h0123456789abcd"`, want: "h0123456789abcd", ok: true},
		{raw: `"2026-03-05T09:30:00+08:00"`, want: "2026-03-05T09:30:00+08:00", ok: true},
		{raw: `"走访了张家，路灯坏了"`, want: "走访了张家，路灯坏了", ok: true},
		{raw: `""`, want: "", ok: true},
		{raw: `"a\"b"`},            // an escape: decoded in full
		{raw: `"line\nbreak"`},     // likewise
		{raw: `"\u8d70"`},          // likewise
		{raw: "\"bad \xff utf8\""}, // json.Unmarshal replaces the byte
		{raw: "\"tab\there\""},     // a control character is not valid JSON
		{raw: `42`},
		{raw: `null`},
		{raw: `"`},
		{raw: `"open`},
	}
	for _, tt := range tests {
		got, ok := plainString([]byte(tt.raw))
		if got != tt.want || ok != tt.ok {
			t.Errorf("plainString(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// Whatever plainString accepts, encoding/json decodes to the same string.
func FuzzPlainString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"走访"`, `"a\"b"`, "\"\xff\"", `""`, `"x`, `12`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := plainString(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("plainString(%q) = %q, but encoding/json refuses it: %v", raw, got, err)
		}
		if got != want {
			t.Fatalf("plainString(%q) = %q, encoding/json %q", raw, got, want)
		}
	})
}
