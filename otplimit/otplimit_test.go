package otplimit

import (
	"testing"
	"time"
)

func TestPhoneLimits(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	minutes := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, m := range n {
			out[i] = time.Duration(m) * time.Minute
		}
		return out
	}
	everyTwoHours := minutes(0, 120, 240, 360, 480, 600, 720, 840, 960, 1080) // 10 in 18 h
	cases := []struct {
		name  string
		at    []time.Duration // earlier allowed requests
		next  time.Duration
		allow bool
	}{
		{"first", nil, 0, true},
		{"again within a minute", minutes(0), 59 * time.Second, false},
		{"after a minute", minutes(0), time.Minute, true},
		{"sixth in an hour", minutes(0, 1, 2, 3, 4), 5 * time.Minute, false},
		{"after the hour", minutes(0, 1, 2, 3, 4), time.Hour, true},
		{"eleventh in a day", everyTwoHours, 20 * time.Hour, false},
		{"a day after the first", everyTwoHours, 24 * time.Hour, true},
	}
	for _, c := range cases {
		l := New(Phone)
		for _, off := range c.at {
			if !l.Allow("p", t0.Add(off)) {
				t.Fatalf("%s: setup request at %s refused", c.name, off)
			}
		}
		if got := l.Allow("p", t0.Add(c.next)); got != c.allow {
			t.Errorf("%s: allow = %v, want %v", c.name, got, c.allow)
		}
	}
}

func TestKeysApartAndBounded(t *testing.T) {
	l := New(Address)
	now := time.Now()
	for range 20 {
		if !l.Allow("a", now) {
			t.Fatal("refused within the limit")
		}
	}
	if l.Allow("a", now) {
		t.Fatal("21st allowed")
	}
	if !l.Allow("b", now) {
		t.Fatal("another address refused")
	}
	for i := range maxKeys + 10 {
		l.Allow(string(rune(i)), now)
	}
	if len(l.seen) > maxKeys {
		t.Fatalf("remembers %d keys", len(l.seen))
	}
}
