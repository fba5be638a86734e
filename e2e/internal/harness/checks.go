package harness

import (
	"testing"
	"time"

	"simeng/chinatime"
)

// ChinaDate is a China civil date n days from now.
func ChinaDate(n int) string {
	return chinatime.In(time.Now()).AddDate(0, 0, n).Format(chinatime.DateLayout)
}

// CheckA11y reports what breaks the rules on p's current screen.
func CheckA11y(t *testing.T, p *Page, screen string) {
	t.Helper()
	res := Eval[struct {
		Problems []string `json:"problems"`
		Targets  int      `json:"targets"`
	}](p, a11yJS)
	if res.Targets == 0 {
		t.Errorf("%s: no controls found to check", screen)
	}
	t.Logf("%s: %d tap targets checked", screen, res.Targets)
	for _, s := range res.Problems {
		t.Errorf("%s: %s", screen, s)
	}
}

// a11yJS lists what breaks the rules on the current screen.
const a11yJS = `(() => {
	const out = [];
	let targets = 0;
	const px = (v) => parseFloat(v);
	if (px(getComputedStyle(document.documentElement).fontSize) < 18) out.push('base font ' + getComputedStyle(document.documentElement).fontSize);
	if (document.documentElement.scrollWidth > innerWidth + 1) out.push('scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
	const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
	const name = (el) => (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' "' + (el.textContent || el.value || '').trim().slice(0, 20) + '"';
	// Tap targets: buttons, menu links, button-like links, form fields, checkbox rows.
	for (const el of document.querySelectorAll('button, a.button, nav a, input:not([type=checkbox]):not(.sr-only), select, textarea, label.check, label.button')) {
		if (!visible(el)) continue;
		targets++;
		const r = el.getBoundingClientRect();
		if (r.height < 47.5 || r.width < 47.5) out.push('tap target ' + name(el) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
	}
	for (const el of document.querySelectorAll('input, select, textarea')) {
		const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
		if (!labelled) out.push('no label: ' + name(el));
	}
	for (const el of document.querySelectorAll('p, li, td, th, label, button, a, input, textarea, select')) {
		if (!visible(el) || !el.textContent.trim()) continue;
		if (px(getComputedStyle(el).fontSize) < 15.9) out.push('small text ' + getComputedStyle(el).fontSize + ': ' + name(el));
	}
	for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) out.push('img without alt');
	return { problems: out, targets };
})()`

// roleRulesJS checks the newcomer's rules at 360 px on the current screen:
// every visible text ≥ 18 px, every link and button ≥ 48 px high, no menu
// label, tile title or account choice broken over two lines, the bottom
// bar at most five items, no table cell one character wide, and no rank
// numbered twice.
const roleRulesJS = `(() => {
	const out = [];
	const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
	const name = (el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + (el.textContent || '').trim().slice(0, 16) + '"';
	const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
		return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; };
	for (const el of document.querySelectorAll('body *')) {
		if (!visible(el) || el.closest('.sr-only')) continue;
		const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
		if (own && parseFloat(getComputedStyle(el).fontSize) < 17.9) out.push('text ' + getComputedStyle(el).fontSize + ': ' + name(el));
	}
	let targets = 0;
	for (const el of document.querySelectorAll('a, button')) {
		if (!visible(el)) continue;
		targets++;
		if (el.getBoundingClientRect().height < 47.5) out.push('target ' + Math.round(el.getBoundingClientRect().height) + 'px high: ' + name(el));
	}
	for (const el of document.querySelectorAll('nav.tabs a, .tile-title, button, a.button, .badge')) {
		if (visible(el) && lines(el) > 1) out.push('label broken over ' + lines(el) + ' lines: ' + name(el));
	}
	const bar = document.querySelectorAll('nav.tabs a').length;
	if (bar > 5) out.push('bottom bar of ' + bar + ' items');
	for (const c of document.querySelectorAll('td, th')) {
		if (visible(c) && c.textContent.trim().length > 1 && c.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(c).fontSize)) out.push('narrow cell ' + Math.round(c.getBoundingClientRect().width) + 'px: ' + name(c));
	}
	for (const li of document.querySelectorAll('.rank-row')) {
		if (getComputedStyle(li).listStyleType !== 'none') out.push('rank numbered twice: ' + name(li));
	}
	if (document.documentElement.scrollWidth > innerWidth + 1) out.push('scrolls sideways');
	return { problems: out, targets };
})()`

// CheckRoleRules reports what breaks roleRulesJS's rules on p's current screen.
func CheckRoleRules(t *testing.T, p *Page, screen string) {
	t.Helper()
	res := Eval[struct {
		Problems []string `json:"problems"`
		Targets  int      `json:"targets"`
	}](p, roleRulesJS)
	if res.Targets == 0 {
		t.Errorf("%s: nothing to check", screen)
	}
	for _, s := range res.Problems {
		t.Errorf("%s: %s", screen, s)
	}
}
