package harness

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// NewPhone is a page on a 360 px wide mobile screen, where the rules of
// CheckA11y apply.
func NewPhone(t *testing.T, origin string) *Page {
	p := NewPage(t, origin)
	p.Do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	return p
}

// LoginAs logs in as one of the three kinds of account (人大代表 / 承办单位 /
// 工作人员), as a person would: the kind first, then phone and password.
func (p *Page) LoginAs(kind, phone, password string) {
	p.T.Helper()
	p.Navigate("/")
	p.WaitText("我是")
	p.ClickMatching(".kind-choice", "button", kind)
	p.WaitJS("kind "+kind, fmt.Sprintf(`document.querySelector('.kind[aria-pressed="true"]')?.textContent === %q`, kind), 5*time.Second)
	p.Fill("手机号", phone)
	p.Fill("密码", password)
	p.SubmitLogin(`document.querySelector('nav.tiles') !== null`)
}

// ClickTile opens a home tile by its destination key (nav.js).
func (p *Page) ClickTile(key string) {
	p.T.Helper()
	sel := fmt.Sprintf(`nav.tiles a.tile[data-key=%q]`, key)
	p.WaitJS("tile "+key, fmt.Sprintf(`document.querySelector(%q) !== null`, sel), 20*time.Second)
	Eval[bool](p, fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true; })()`, sel))
}

// ClickIn clicks the button or link with this text inside the element sel
// (by script: the fixed bottom menu may cover it where a mouse would land).
func (p *Page) ClickIn(sel, text string) {
	p.T.Helper()
	p.ClickMatching(sel, "button, a", text)
}

// ClickMatching clicks, by script, the element matching targets inside the
// element root whose text is text.
func (p *Page) ClickMatching(root, targets, text string) {
	p.T.Helper()
	js := fmt.Sprintf(`(() => { const root = document.querySelector(%q);
		const el = root && [...root.querySelectorAll(%q)].find((e) => e.textContent.trim() === %q);
		if (el) el.click(); return !!el; })()`, root, targets, text)
	if !Eval[bool](p, js) {
		p.T.Fatalf("no %q in %s\npage text:\n%s", text, root, p.Text())
	}
}

// ClickByScript clicks the button or checkbox label with this text by script: on a
// long form the fixed bottom menu may cover it where a mouse click lands.
func (p *Page) ClickByScript(text string) {
	p.T.Helper()
	p.ClickMatching("body", "button, label.check", text)
}

// Press taps the button with this text from script: a tap at the
// button's place could land on the fixed bottom bar when the button sits
// at the screen's lower edge.
func (p *Page) Press(text string) {
	p.T.Helper()
	p.WaitJS("button "+text, fmt.Sprintf(`[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === %q && !b.disabled)`, text), 10*time.Second)
	p.ClickMatching("body", "button", text)
}

// SetValue types into a field as the deputy would (an input event).
func (p *Page) SetValue(sel, value string) {
	p.T.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`, sel, value)
	if !Eval[bool](p, js) {
		p.T.Fatalf("no field %s\npage text:\n%s", sel, p.Text())
	}
}

// SelectValue picks an option of a <select> as a person would (a change event).
func (p *Page) SelectValue(sel, value string) {
	p.T.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`, sel, value)
	if !Eval[bool](p, js) {
		p.T.Fatalf("no select %s", sel)
	}
}

// PickOption chooses a value of a <select> as a finger would (a change
// event), waiting until the option is there.
func (p *Page) PickOption(sel, value string) {
	p.T.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('change', { bubbles: true })); return el.value === %q; })()`, sel, value, value)
	p.WaitJS("option "+value+" in "+sel, js, 10*time.Second)
}

// DownloadsTo makes the browser save downloads into a fresh directory.
func (p *Page) DownloadsTo() string {
	p.T.Helper()
	dir := p.T.TempDir()
	if _, err := chromedp.CallBrowser(p.Ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		p.T.Fatalf("download behaviour: %v", err)
	}
	return dir
}
