package guard

import (
	"strings"
	"testing"
	"time"
)

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/t/k7m2p9q4wx", "/t/***"},
		{"/t/k7m2p9q4wx?new=1", "/t/***?new=1"},
		{"/t/k7m2p9q4wx?k=abcdefghij0123456789&new=1", "/t/***?k=***&new=1"},
		{"/t?code=k7m2p9q4wx", "/t?code=***"},
		{"https://rd.example/t/k7m2p9q4wx#top", "https://rd.example/t/***"},
		{"/api/files/c/r/a.jpg?thumb=100x100&token=abc.def", "/api/files/c/r/a.jpg?thumb=100x100&token=***"},
		{"/api/collections/visits/records?page=2", "/api/collections/visits/records?page=2"},
		{"/d/abcd2345ef", "/d/abcd2345ef"},
		{"/app/t/main.js", "/app/t/main.js"},
		{"", ""},
	} {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := redactMessage("GET /t/k7m2p9q4wx?new=1"); got != "GET /t/***?new=1" {
		t.Errorf("message: %q", got)
	}
}

func FuzzRedactURL(f *testing.F) {
	f.Add("/t/k7m2p9q4wx?token=x")
	f.Add("https://a/b?code=1&code=2")
	f.Fuzz(func(t *testing.T, s string) {
		out := redactURL(s)
		if strings.Contains(s, "token=secretvalue") && strings.Contains(out, "secretvalue") {
			t.Fatalf("%q kept the token: %q", s, out)
		}
	})
}

func TestLogBucketBoundsALoadAndRefills(t *testing.T) {
	now := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	b := &logBucket{tokens: logBurst, last: now}
	kept := 0
	for range 10 * logBurst { // a flood within one instant
		if _, ok := b.take(now); ok {
			kept++
		}
	}
	if kept != logBurst {
		t.Fatalf("kept %d of a flood, want the burst %d", kept, logBurst)
	}
	// A minute later: logRate a second again, and the warning counts the
	// dropped ones once.
	now = now.Add(time.Minute)
	dropped, ok := b.take(now)
	if !ok || dropped != 9*logBurst {
		t.Fatalf("after a minute: ok %v, dropped %d, want %d", ok, dropped, 9*logBurst)
	}
	if d, _ := b.take(now); d != 0 {
		t.Fatalf("the drops were reported twice: %d", d)
	}
}
