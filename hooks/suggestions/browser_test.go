package suggestions_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"simeng/internal/testapp"
	"simeng/internal/testbrowser"
)

// TestResidentPagesInABrowserWithoutJavaScript drives Debian's Chromium with
// JavaScript switched off, on a small phone screen: the inlined styles apply
// under the page's CSP with no violation reported, the honeypot is out of
// sight, and a resident types, submits and lands on the status page.
func TestResidentPagesInABrowserWithoutJavaScript(t *testing.T) {
	t.Parallel() // mostly waiting on Chromium: overlaps the other tests
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil).URL
	ctx := testbrowser.StartChromium(t, 360, 780, 60*time.Second)

	var mu sync.Mutex
	var violations []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			violations = append(violations, e.Entry.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []func() error{
		func() error { _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); return err },
		func() error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		},
	} {
		if err := cmd(); err != nil {
			t.Fatal(err)
		}
	}

	style := func(sel, prop string) string {
		t.Helper()
		props, err := chromedp.Run(ctx, chromedp.ComputedStyle(sel))
		if err != nil {
			t.Fatalf("style of %s: %v", sel, err)
		}
		return valueOf(props, prop)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv+"/d/"+f.DeputyCode),
		chromedp.WaitVisible("textarea#content"),
	); err != nil {
		t.Fatal(err)
	}
	if got := style("body", "font-size"); got != "20px" {
		t.Errorf("body font-size %q: the stylesheet did not apply", got)
	}
	if got := style("div.hp", "position"); got != "absolute" {
		t.Errorf("honeypot position %q: it shows", got)
	}
	if got := style("button", "background-color"); got != "rgb(180, 35, 31)" {
		t.Errorf("button colour %q", got)
	}

	if err := chromedp.Do(ctx,
		chromedp.SendKeys("textarea#content", "浏览器里提交：村口的桥栏杆松了"),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible("div.code"),
	); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/t/") {
		t.Fatalf("after submit at %q: %v", loc, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil || !strings.Contains(text, "提交成功") || !strings.Contains(text, "村口的桥栏杆松了") {
		t.Fatalf("status page text %q: %v", text, err)
	}
	if got := style("div.code", "font-family"); !strings.Contains(got, "monospace") {
		t.Errorf("status page styles did not apply: %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(violations) > 0 {
		t.Errorf("CSP violations: %v", violations)
	}
}

func valueOf(props []*css.ComputedStyleProperty, name string) string {
	for _, p := range props {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}
