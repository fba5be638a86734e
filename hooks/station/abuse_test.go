package station_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// The booking form and the booking pages take hostile input in every
// field without a 500 or markup that runs; a flood from one address is
// refused while another address still books; code lookups are rate
// limited; oversized bodies are refused unread.
func TestBookingFormAbuse(t *testing.T) {
	e, srv := bookingEnv(t, china(2026, 4, 1, 9, 0))
	r := newResident(t, srv.URL)
	for i, bad := range testapp.HostileText {
		for j, field := range []string{"date", "description", "phone", "deputy", "consent", "answer"} {
			r.ip = fmt.Sprintf("10.0.%d.%d", i, j)
			fields := map[string]string{"date": "2026-04-11", "description": "正常的事情"}
			fields[field] = bad
			res, page := r.book("/s/ceshi/book", fields)
			if res.StatusCode >= 500 || strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
				t.Fatalf("%s = %.30q: %d\n%.300s", field, bad, res.StatusCode, page)
			}
		}
		short := string([]rune(bad)[:min(len([]rune(bad)), 500)])
		for _, path := range []string{"/b/" + url.PathEscape(short), "/b?code=" + url.QueryEscape(short), "/s/" + url.PathEscape(short), "/s/ceshi/book?deputy=" + url.QueryEscape(short) + "&date=" + url.QueryEscape(short)} {
			res, page := r.send(http.MethodGet, path, nil)
			if res.StatusCode >= 500 || strings.Contains(page, "<script>alert") {
				t.Fatalf("GET %.60s: %d", path, res.StatusCode)
			}
		}
	}
	r.ip = "10.1.0.1"
	// Bots: the honeypot and a forged token store nothing.
	before, _ := e.app.CountRecords("bookings")
	if res, _ := r.book("/s/ceshi/book", map[string]string{"date": "2026-04-11", "description": "机器人", "website": "http://spam"}); res.StatusCode != 400 {
		t.Errorf("honeypot: %d", res.StatusCode)
	}
	if res, page := r.send(http.MethodPost, "/s/ceshi/book", url.Values{"t": {"1.x.y"}, "date": {"2026-04-11"}, "description": {"伪造令牌"}}); res.StatusCode != 200 || !strings.Contains(page, "页面已过期") {
		t.Errorf("forged token: %d", res.StatusCode)
	}
	if after, _ := e.app.CountRecords("bookings"); after != before {
		t.Fatalf("bots stored %d bookings", after-before)
	}

	// A flood from one address: refused (429) after the hard limit, while
	// a resident at another address still gets the form and books.
	flood := newResident(t, srv.URL)
	flood.ip = "203.0.113.7"
	refused := false
	for i := 0; i < 120 && !refused; i++ {
		res, _ := flood.send(http.MethodPost, "/s/ceshi/book", url.Values{"date": {"2026-04-11"}, "description": {"刷屏"}})
		refused = res.StatusCode == http.StatusTooManyRequests
	}
	if !refused {
		t.Fatal("a flood from one address was never refused")
	}
	other := newResident(t, srv.URL)
	other.ip = "198.51.100.20"
	if res, _ := other.book("/s/ceshi/book", map[string]string{"date": "2026-04-06", "description": "正常预约"}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address after the flood: %d", res.StatusCode)
	}
	// Guessing codes: refused after 100 lookups from one address.
	guesser := newResident(t, srv.URL)
	guesser.ip = "203.0.113.99"
	limited := false
	for i := 0; i < 120 && !limited; i++ {
		res, _ := guesser.send(http.MethodGet, "/b/abcd234"+string(rune('a'+i%20)), nil)
		limited = res.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("code guessing was never rate limited")
	}
	testapp.OversizedBodiesAreRefusedUnread(t, srv.URL, []testapp.BodyRoute{
		{Method: http.MethodPost, Path: "/s/ceshi/book", ContentType: "application/x-www-form-urlencoded", Limit: 16 << 10},
		{Method: http.MethodPost, Path: "/api/station/swaps", Token: testapp.Token(t, deputy), ContentType: "application/json", Limit: 16 << 10},
	})
}
