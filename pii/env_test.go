package pii_test

import (
	"errors"
	"testing"

	"simeng/pii"
)

func TestVaultFromEnv(t *testing.T) {
	t.Setenv(pii.KeyEnv, "")
	if _, err := pii.VaultFromEnv(); !errors.Is(err, pii.ErrNoKey) {
		t.Fatalf("no key: %v, want ErrNoKey", err)
	}
	t.Setenv(pii.KeyEnv, "too-short")
	if _, err := pii.VaultFromEnv(); !errors.Is(err, pii.ErrShortKey) {
		t.Fatalf("short key: %v, want ErrShortKey", err)
	}
	t.Setenv(pii.KeyEnv, "")
	if !pii.UseDevKeyIfUnset() || pii.UseDevKeyIfUnset() {
		t.Fatal("UseDevKeyIfUnset should set the key once")
	}
	a, err := pii.VaultFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := pii.VaultFromEnv(); a != b {
		t.Error("the vault of one key is made again")
	}
}
