package pii

import (
	"errors"
	"strings"
	"testing"
)

const testSecret = "0123456789abcdef0123456789abcdef"

func TestVaultRoundTrip(t *testing.T) {
	v, err := NewVault(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	a, err := v.Seal("13812345678")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.Seal("13812345678")
	if a == b {
		t.Fatal("sealing twice gave the same ciphertext")
	}
	if strings.Contains(a, "13812345678") || !IsSealed(a) {
		t.Fatalf("sealed value %q", a)
	}
	got, err := v.Open(a)
	if err != nil || got != "13812345678" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := NewVault(strings.Repeat("x", 32))
	if _, err := other.Open(a); err == nil {
		t.Fatal("opened with another key")
	}
	for _, bad := range []string{"", "13812345678", "v1:", "v1:!!!", "v1:" + strings.Repeat("A", 10)} {
		if _, err := v.Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

func TestVaultHash(t *testing.T) {
	v, _ := NewVault(testSecret)
	w, _ := NewVault(strings.Repeat("y", 40))
	if v.Hash("13812345678") != v.Hash("13812345678") {
		t.Fatal("hash not stable")
	}
	if v.Hash("13812345678") == v.Hash("13812345679") || v.Hash("13812345678") == w.Hash("13812345678") {
		t.Fatal("hash collides across values or keys")
	}
}

func TestVaultShortKey(t *testing.T) {
	if _, err := NewVault("short"); !errors.Is(err, ErrShortKey) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzVaultOpen(f *testing.F) {
	v, _ := NewVault(testSecret)
	s, _ := v.Seal("13800000000")
	f.Add(s)
	f.Add("v1:AAAA")
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = v.Open(in) // must not panic
	})
}
