package pagecache

import (
	"errors"
	"testing"
	"time"
)

func counter(renders *int) func() (*Page, error) {
	return func() (*Page, error) {
		*renders++
		return NewPage([]byte("<p>"+marker+"</p>"), marker, 3)
	}
}

func TestCacheRendersOnceUntilForgotten(t *testing.T) {
	c := &Cache{pages: map[string]kept{}}
	renders := 0
	for range 3 {
		if _, err := c.Get("a", counter(&renders)); err != nil {
			t.Fatal(err)
		}
	}
	c.Get("b", counter(&renders))
	if renders != 2 {
		t.Fatalf("%d renders for two keys asked for five times", renders)
	}
	c.Forget("a")
	c.Get("a", counter(&renders))
	c.Get("b", counter(&renders))
	if renders != 3 {
		t.Fatalf("Forget(a): %d renders, want 3", renders)
	}
	c.ForgetAll()
	c.Get("a", counter(&renders))
	c.Get("b", counter(&renders))
	if renders != 5 {
		t.Fatalf("ForgetAll: %d renders, want 5", renders)
	}
}

func TestCacheKeepsNoFailedOrRacedRender(t *testing.T) {
	c := &Cache{pages: map[string]kept{}}
	boom := errors.New("boom")
	if _, err := c.Get("a", func() (*Page, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	renders := 0
	// A record changes while the page is rendered from it: the page may
	// be stale, so it is served this once but not kept.
	c.Get("a", func() (*Page, error) {
		c.ForgetAll()
		return counter(&renders)()
	})
	c.Get("a", counter(&renders))
	if renders != 2 {
		t.Fatalf("%d renders: a page rendered across a change was kept", renders)
	}
}

func TestCachedPagesExpireAtChinaMidnight(t *testing.T) {
	c := &Cache{pages: map[string]kept{}}
	renders := 0
	c.Get("a", counter(&renders))
	c.mu.Lock()
	k := c.pages["a"]
	k.expires = time.Now().Add(-time.Second)
	c.pages["a"] = k
	c.mu.Unlock()
	c.Get("a", counter(&renders))
	if renders != 2 {
		t.Fatal("an expired page was served")
	}

	utc := func(s string) time.Time {
		v, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct{ now, want string }{
		{"2026-03-05 15:59:59", "2026-03-05 16:00:00"}, // 23:59:59 in China: midnight is a second away
		{"2026-03-05 16:00:00", "2026-03-06 16:00:00"}, // 00:00 in China: the day just began
		{"2026-12-31 20:00:00", "2027-01-01 16:00:00"}, // already 1 January in China
	} {
		if got := nextMidnight(utc(tt.now)); !got.Equal(utc(tt.want)) {
			t.Errorf("nextMidnight(%s UTC) = %s, want %s UTC", tt.now, got.UTC(), tt.want)
		}
	}
}

// A page that changes by itself (a deadline passing) is kept until then,
// not until midnight; one marked past midnight still goes at midnight.
func TestPagesMarkedUntilExpireThen(t *testing.T) {
	c := &Cache{pages: map[string]kept{}}
	renders := 0
	// Far enough ahead that the second Get comes before it on a loaded
	// machine (30 ms was not always).
	soon := time.Now().Add(500 * time.Millisecond)
	until := func() (*Page, error) {
		renders++
		p, err := NewPage([]byte("<p>"+marker+"</p>"), marker, 3)
		return p.Until(soon), err
	}
	c.Get("a", until)
	c.Get("a", until)
	if renders != 1 {
		t.Fatalf("%d renders before the deadline, want 1", renders)
	}
	for time.Now().Before(soon) {
		time.Sleep(5 * time.Millisecond)
	}
	c.Get("a", until)
	if renders != 2 {
		t.Fatal("a page was served after its deadline")
	}

	late := time.Now().Add(72 * time.Hour)
	c.Get("b", func() (*Page, error) {
		p, err := NewPage([]byte("<p>"+marker+"</p>"), marker, 3)
		return p.Until(late), err
	})
	c.mu.Lock()
	got := c.pages["b"].expires
	c.mu.Unlock()
	if !got.Equal(nextMidnight(time.Now())) {
		t.Fatalf("a page marked for in three days expires %s, want the next midnight", got)
	}
}
