package surveys_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
	"simeng/internal/testbrowser"
)

// TestAnswerASurveyWithoutJavaScript drives Debian's Chromium with
// JavaScript switched off, on a small phone screen: a resident opens a
// survey from its QR code, ticks and types the answers, picks a village,
// submits, and is thanked; the styles apply under the page's CSP with no
// violation, and the answers are counted.
func TestAnswerASurveyWithoutJavaScript(t *testing.T) {
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
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}

	path := "/survey/" + f.IDs["survey_open_code"]
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 780, chromedp.EmulateMobile),
		chromedp.Navigate(srv+path),
		chromedp.WaitVisible(`input[name="q1"][value="0"]`),
	); err != nil {
		t.Fatal(err)
	}
	props, err := chromedp.Run(ctx, chromedp.ComputedStyle("body"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range props {
		if p.Name == "font-size" && p.Value != "20px" {
			t.Errorf("body font-size %q: the stylesheet did not apply", p.Value)
		}
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 360 {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > 362).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`))
		t.Errorf("the page scrolls sideways at 360 px: %d (%v)", width, wide)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(`input[name="q1"][value="0"]`),
		chromedp.Click(`input[name="q2"][value="0"]`),
		chromedp.Click(`input[name="q2"][value="2"]`),
		chromedp.SendKeys(`textarea#q3`, "希望村里办个四点半课堂"),
		chromedp.SetValue(`select#village`, f.VillageA),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitNotPresent(`form`),
	); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil || !strings.Contains(text, "提交成功") {
		t.Fatalf("after submitting: %q %v", text, err)
	}
	res, err := surveys.ResultsOf(app, f.IDs["survey_open"])
	if err != nil || res.Respondents != 1 {
		t.Fatalf("the answer was not counted: %+v %v", res, err)
	}
	// Back to the page: this phone has answered.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv+path), chromedp.WaitVisible(`main h1`), chromedp.WaitNotPresent(`form`)); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text("main")); !strings.Contains(text, "已参与过") {
		t.Errorf("a second visit from the same phone: %q", text)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(violations) > 0 {
		t.Errorf("CSP violations: %v", violations)
	}
}
