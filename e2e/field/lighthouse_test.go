package field

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"

	"simeng/demo"
	"simeng/e2e/internal/harness"
)

// BenchmarkLighthouse runs Lighthouse 12 (npm, mobile preset) on every
// screen of the PWA, logged in as a presidium member of the demo harness.Township,
// against Debian's Chromium, and reports the scores. Needs npx and the
// network to fetch lighthouse@12 once. Run:
//
//	go test ./e2e/field -run '^$' -bench Lighthouse -benchtime 1x -v
func BenchmarkLighthouse(b *testing.B) {
	harness.RequireBrowser(b)
	if _, err := exec.LookPath("npx"); err != nil {
		b.Skip("npx not found: Lighthouse needs Node.js")
	}
	srv := harness.StartDemoServer(b)

	// One Chromium with a debugging port, shared by chromedp (to log in) and
	// Lighthouse (which keeps the storage, so the session, with
	// --disable-storage-reset).
	port := strings.Split(harness.FreeAddr(b), ":")[1]
	chrome := exec.Command(harness.ChromePath(), "--headless=new", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+b.TempDir(), "--remote-debugging-port="+port, "about:blank")
	if err := chrome.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { chrome.Process.Kill(); chrome.Wait() })
	debugURL := "http://127.0.0.1:" + port
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if res, err := http.Get(debugURL + "/json/version"); err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("chromium debugging port did not open")
		}
	}
	alloc, cancelAlloc := remote.NewAllocator(context.Background(), "ws://127.0.0.1:"+port)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		b.Fatal(err)
	}
	p := &harness.Page{T: b, Ctx: ctx, Origin: srv.URL}
	p.Navigate("/")
	p.Fill("手机号", demo.DeputyPhone(0))
	p.Do("password", 10*time.Second, chromedp.SendKeys(chromedp.CSS(p.ByLabel("密码")), demo.Password))
	p.Click("登录")
	p.WaitText("年走访进度")
	p.WaitServiceWorker()

	for range b.N {
		// The login screen goes last: Lighthouse clears the site's storage
		// (so the session) before it.
		for _, s := range []struct{ name, hash string }{
			{"warmup-home", "#/"}, {"new", "#/new"}, {"home", "#/"}, {"visits", "#/visits"},
			{"problems", "#/problems"}, {"progress", "#/progress"}, {"install", "#/install"}, {"login", ""},
		} {
			args := []string{"-y", "lighthouse@12", srv.URL + "/" + s.hash, "--port=" + port, "--form-factor=mobile",
				"--only-categories=performance,accessibility,best-practices", "--output=json", "--quiet"}
			if s.name != "login" {
				args = append(args, "--disable-storage-reset")
			}
			out := filepath.Join(b.TempDir(), s.name+".json")
			cmd := exec.Command("npx", append(args, "--output-path="+out)...)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				b.Fatalf("lighthouse %s: %v", s.name, err)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				b.Fatal(err)
			}
			var r struct {
				Categories map[string]struct {
					Score float64 `json:"score"`
				} `json:"categories"`
				Audits map[string]struct {
					DisplayValue string          `json:"displayValue"`
					Details      json.RawMessage `json:"details"`
				} `json:"audits"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				b.Fatal(err)
			}
			perf, a11y, bp := r.Categories["performance"].Score*100, r.Categories["accessibility"].Score*100, r.Categories["best-practices"].Score*100
			b.ReportMetric(perf, "perf-"+s.name)
			b.ReportMetric(a11y, "a11y-"+s.name)
			b.ReportMetric(bp, "bp-"+s.name)
			// Which element was the largest paint: proves which screen was measured.
			lcp := ""
			if m := regexp.MustCompile(`"nodeLabel":\s*"([^"]{0,60})`).FindStringSubmatch(string(r.Audits["largest-contentful-paint-element"].Details)); m != nil {
				lcp = m[1]
			}
			b.Logf("%-8s performance %3.0f  accessibility %3.0f  best practices %3.0f  (FCP %s, LCP %s, TBT %s, CLS %s) LCP element: %s", s.name, perf, a11y, bp,
				r.Audits["first-contentful-paint"].DisplayValue, r.Audits["largest-contentful-paint"].DisplayValue,
				r.Audits["total-blocking-time"].DisplayValue, r.Audits["cumulative-layout-shift"].DisplayValue, lcp)
		}
	}
}
