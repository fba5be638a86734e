package harness

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"simeng/chinatime"
)

// Page is one browser profile (its own user-data-dir: its own IndexedDB,
// service worker and caches) with one tab.
type Page struct {
	T      testing.TB // the test failed by what goes wrong; a subtest may set its own
	Ctx    context.Context
	Origin string // the server's URL
}

// NewPage starts a Chromium of its own for the server at origin: a phone
// in China (TZ Asia/Shanghai) with its location allowed.
func NewPage(t testing.TB, origin string) *Page {
	t.Helper()
	RequireBrowser(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(360, 780), // a cheap Android phone
		// The phone is in China: its year, date and clock (new
		// Date().getFullYear(), date inputs, shown times) are China's, as
		// the server's are, and not the test host's UTC, which is still
		// last year from 16:00 UTC on 31 December.
		chromedp.Env("TZ="+chinatime.Location().String()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	p := &Page{T: t, Ctx: ctx, Origin: origin}
	// Starts the browser (no timeout on this first run: it owns the browser).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	lat, lon, acc := 27.72, 110.59, 25.0
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: origin,
	}); err != nil {
		t.Fatalf("grant geolocation: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &acc,
	}); err != nil {
		t.Fatalf("geolocation override: %v", err)
	}
	return p
}

// NewTab opens a second tab of the same profile (same storage, same
// service worker).
func (p *Page) NewTab() *Page {
	p.T.Helper()
	ctx, cancel := chromedp.NewContext(p.Ctx)
	p.T.Cleanup(cancel)
	// The first run opens the tab; a timeout on it would close the tab.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		p.T.Fatalf("new tab: %v", err)
	}
	return &Page{T: p.T, Ctx: ctx, Origin: p.Origin}
}

// Do runs steps with a deadline, failing the test with what it was doing.
func (p *Page) Do(what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.T.Fatalf("%s: %v\npage text:\n%s", what, err, p.Text())
	}
}

// Text is what the page shows (for failure messages and checks).
func (p *Page) Text() string {
	ctx, cancel := context.WithTimeout(p.Ctx, 3*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	return s
}

// Eval evaluates js on the page (awaiting a promise) and returns its value.
func Eval[T any](p *Page, js string) T {
	p.T.Helper()
	return EvalWithin[T](p, js, 30*time.Second)
}

// EvalWithin is Eval with a deadline other than 30 s.
func EvalWithin[T any](p *Page, js string, timeout time.Duration) T {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.T.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// WaitJS polls a JavaScript condition until it is true.
func (p *Page) WaitJS(what, cond string, timeout time.Duration) {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		p.T.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, p.Text())
	}
}

// WaitText waits until the page shows s.
func (p *Page) WaitText(s string) {
	p.T.Helper()
	p.WaitJS("text "+s, fmt.Sprintf(`document.body.innerText.includes(%q)`, s), 20*time.Second)
}

// ByLabel returns a CSS selector for the control that the <label> with this
// exact text labels: tests find controls as a screen reader does.
func (p *Page) ByLabel(label string) string {
	p.T.Helper()
	js := fmt.Sprintf(`(() => { const l = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === %q);
		return l && l.control && l.control.id ? '#' + l.control.id : ''; })()`, label)
	p.WaitJS("label "+label, js+` !== ''`, 10*time.Second)
	return Eval[string](p, js)
}

// Fill types value into the control labelled label.
func (p *Page) Fill(label, value string) {
	p.T.Helper()
	p.Do("fill "+label, 10*time.Second, chromedp.SendKeys(chromedp.CSS(p.ByLabel(label)), value))
}

// Click taps the button or link with this exact text, scrolled to the
// middle of the screen first, as a person scrolls a button out from under
// the fixed bottom menu before tapping it (chromedp scrolls only when the
// element is off screen, and then taps whatever covers it).
func (p *Page) Click(buttonText string) {
	p.T.Helper()
	xpath := fmt.Sprintf(`//*[self::button or self::a][normalize-space(.)=%q]`, buttonText)
	center := fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null)
		.singleNodeValue.scrollIntoView({block: 'center'})`, xpath)
	p.Do("click "+buttonText, 10*time.Second,
		chromedp.WaitVisible(xpath), chromedp.Evaluate[chromedp.Void](center), chromedp.Click(xpath))
}

// Navigate opens path on the server.
func (p *Page) Navigate(path string) {
	p.T.Helper()
	p.Do("navigate "+path, 20*time.Second, chromedp.Navigate(p.Origin+path))
}

// GoHash switches screens the way the bottom menu does.
func (p *Page) GoHash(h string) {
	p.T.Helper()
	Eval[chromedp.Void](p, fmt.Sprintf(`location.hash = %q`, h))
}

// SetNetwork emulates the phone's link for the page and its service
// worker, and what navigator.onLine says.
func (p *Page) SetNetwork(offline bool, latencyMs, bytesPerSec float64) {
	p.T.Helper()
	tp := -1.0
	if bytesPerSec > 0 {
		tp = bytesPerSec
	}
	yes := true
	if _, err := chromedp.Call(p.Ctx, network.Enable, network.EnableParams{}); err != nil {
		p.T.Fatal(err)
	}
	if _, err := chromedp.Call(p.Ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &yes,
		MatchedNetworkConditions: []*network.Conditions{{
			Offline: offline, Latency: latencyMs, DownloadThroughput: tp, UploadThroughput: tp,
		}},
	}); err != nil {
		p.T.Fatalf("network conditions: %v", err)
	}
	if _, err := chromedp.Call(p.Ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: offline, Latency: latencyMs, DownloadThroughput: tp, UploadThroughput: tp,
	}); err != nil {
		p.T.Fatalf("network state: %v", err)
	}
}

// Login logs a deputy in from the login screen and waits for home.
func (p *Page) Login(phone string) {
	p.T.Helper()
	p.Navigate("/")
	p.Fill("手机号", phone)
	p.Fill("密码", DeputyPass)
	p.SubmitLogin(`document.body.innerText.includes('年走访进度')`)
}

// SubmitLogin presses 登录 until home (ready) shows. PocketBase allows two
// logins per address in three seconds, and a test's own API logins come
// from the same address as its browser: refused with 尝试次数太多, it waits
// the three seconds and presses again, as a person would.
func (p *Page) SubmitLogin(ready string) {
	p.T.Helper()
	state := `(() => (` + ready + `) ? 'home' : (document.body.innerText.includes('尝试次数太多') ? 'throttled' : ''))()`
	for try := 1; ; try++ {
		p.Click("登录")
		ctx, cancel := context.WithTimeout(p.Ctx, 20*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Poll[string](state, chromedp.WithPollingInterval(100*time.Millisecond)))
		cancel()
		switch {
		case err == nil && got == "home":
			return
		case err == nil && got == "throttled" && try < 3:
			time.Sleep(3100 * time.Millisecond)
		default:
			p.T.Fatalf("waiting for home after logging in (%q, try %d): %v\npage text:\n%s", got, try, err, p.Text())
		}
	}
}

// WaitServiceWorker waits until the service worker controls the page and
// has precached the shell.
func (p *Page) WaitServiceWorker() {
	p.T.Helper()
	p.WaitJS("service worker", `navigator.serviceWorker.controller !== null`, 30*time.Second)
	p.WaitJS("shell cache", `caches.keys().then((k) => k.some((n) => n.startsWith('shell-')))`, 10*time.Second)
}

// VisitCard is a visit as the visits list shows it.
type VisitCard struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Text  string `json:"text"`
}

// VisitCards reads the visits list.
func (p *Page) VisitCards() []VisitCard {
	p.T.Helper()
	return Eval[[]VisitCard](p, `[...document.querySelectorAll('article.visit')].map((a) => ({id: a.dataset.id, state: a.dataset.state, text: a.innerText}))`)
}

// Photo writes a 2400×1800 JPEG (bigger than the app keeps) with
// enough detail to compress like a photo, not a flat test card.
func Photo(t testing.TB, seed int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1800))
	x := uint32(seed*7919 + 1)
	for py := 0; py < 1800; py++ {
		for px := 0; px < 2400; px++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			n := uint8(x % 48)
			img.SetRGBA(px, py, color.RGBA{uint8(px/10) + n, uint8(py/8) + n, uint8((px+py)/16) + n, 255})
		}
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("photo-%d.jpg", seed))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return path
}
