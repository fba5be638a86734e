package guard_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"simeng/hooks/guard"
	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
)

// postForm posts an empty resident form from behind the proxy, the
// client's address in X-Real-IP.
func postForm(t *testing.T, h http.Handler, code, clientIP string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/d/"+code, strings.NewReader("content=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "127.0.0.1:51000" // the proxy
	req.Header.Set("X-Real-IP", clientIP)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// Issue 10: behind a reverse proxy, with SIMENG_PROXY_HEADER naming the
// header it sets, each client has its own abuse bucket (the same address
// PocketBase's rate limiter uses); without the setting the header is
// ignored, so forging it does not reset a bucket.
func TestProxyHeaderGivesEachClientItsOwnBucket(t *testing.T) {
	f := testapp.F(t)
	tight := suggestions.DefaultSubmitLimits
	tight.PerIPCodeHard = 1

	t.Run("with the setting", func(t *testing.T) {
		t.Setenv(guard.ProxyHeaderEnv, "X-Real-IP")
		app := testapp.New(t)
		suggestions.SetSubmitLimits(app, tight)
		h := testapp.Handler(t, app) // serving applies the setting
		if got := app.Settings().TrustedProxy.Headers; len(got) != 1 || got[0] != "X-Real-IP" || app.Settings().TrustedProxy.UseLeftmostIP {
			t.Fatalf("trusted proxy settings %+v", app.Settings().TrustedProxy)
		}
		if code := postForm(t, h, f.DeputyCode, "203.0.113.7"); code == http.StatusTooManyRequests {
			t.Fatal("first post refused")
		}
		if code := postForm(t, h, f.DeputyCode, "203.0.113.7"); code != http.StatusTooManyRequests {
			t.Fatalf("second post from the same client: %d, want 429", code)
		}
		if code := postForm(t, h, f.DeputyCode, "203.0.113.8"); code == http.StatusTooManyRequests {
			t.Fatal("another client behind the same proxy shares the first one's bucket")
		}
	})
	t.Run("without it", func(t *testing.T) {
		t.Setenv(guard.ProxyHeaderEnv, "")
		app := testapp.New(t)
		suggestions.SetSubmitLimits(app, tight)
		h := testapp.Handler(t, app)
		if len(app.Settings().TrustedProxy.Headers) != 0 {
			t.Fatalf("trusted headers %v without the setting", app.Settings().TrustedProxy.Headers)
		}
		postForm(t, h, f.DeputyCode, "203.0.113.7")
		if code := postForm(t, h, f.DeputyCode, "203.0.113.99"); code != http.StatusTooManyRequests {
			t.Fatalf("a forged X-Real-IP reset the bucket: %d", code)
		}
	})
}
