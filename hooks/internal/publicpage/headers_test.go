package publicpage

import (
	"net/http"
	"reflect"
	"testing"
)

// The shared security headers set what setting each one per response did
// (issue 19), and a handler adding to one of them afterwards changes only
// its own response.
func TestSecurityHeadersAsSetOneByOne(t *testing.T) {
	const csp = "default-src 'none'"
	fixed := SecurityHeaders(csp)
	for range 2 {
		got := http.Header{"Vary": {"Origin"}, "X-Content-Type-Options": {"old"}}
		want := http.Header{"Vary": {"Origin"}, "X-Content-Type-Options": {"old"}}
		SetHeaders(got, fixed)
		want.Set("Content-Security-Policy", csp)
		want.Set("Cache-Control", "no-store")
		want.Set("X-Content-Type-Options", "nosniff")
		want.Set("Referrer-Policy", "same-origin")
		want.Set("X-Robots-Tag", "noindex, nofollow")
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("headers\n%v\nwant\n%v", got, want)
		}
		for k := range got {
			got.Add(k, "added")
		}
	}
	if v := fixed.Values("Cache-Control"); len(v) != 1 || v[0] != "no-store" {
		t.Fatalf("the shared value changed: %v", v)
	}
}
