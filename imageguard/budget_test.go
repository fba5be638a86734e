package imageguard

import (
	"context"
	"errors"
	"testing"
)

func TestBudget(t *testing.T) {
	b := NewBudget(100)
	r60, ok := b.TryAcquire(60)
	if !ok {
		t.Fatal("60 of 100 refused")
	}
	if _, ok := b.TryAcquire(50); ok {
		t.Fatal("50 more fitted in 40 left")
	}
	r40, ok := b.TryAcquire(40)
	if !ok {
		t.Fatal("40 of the 40 left refused")
	}
	r60()
	r60() // a second release gives nothing back twice
	if _, ok := b.TryAcquire(61); ok {
		t.Fatal("release counted twice")
	}
	r40()
	// An image larger than the whole budget waits for all of it, and runs.
	big, err := b.Acquire(t.Context(), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.TryAcquire(1); ok {
		t.Fatal("budget not full while the large image holds it")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.Acquire(ctx, 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	big()
	if b.Peak() != 100 {
		t.Fatalf("peak %d, want 100", b.Peak())
	}
	if _, ok := b.TryAcquire(100); !ok {
		t.Fatal("budget not whole again")
	}
}
