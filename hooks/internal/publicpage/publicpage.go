// Package publicpage writes the public no-JavaScript pages residents open
// from a QR code — a 云端议事 topic (/topic/{code}), a survey
// (/survey/{code}) — in the manner of the suggestion pages (/d/{code}): one
// layout and stylesheet, the stylesheet inlined and allowed by a
// Content-Security-Policy hash, no script at all, never cached, kept out of
// search engines. It also draws the QR codes of their addresses, masks
// phone and ID numbers typed into text shown publicly, and keeps the
// staff-visible tally of what the abuse guard (hooks/internal/formguard)
// turned away.
package publicpage

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/pagecache"
)

//go:embed layout.html message.html public.css
var own embed.FS

// Page is a server-rendered public page: its templates, the stylesheet
// inlined (one request fewer on 2G) and a CSP allowing exactly that
// stylesheet and nothing else.
type Page struct {
	tmpl   *template.Template
	entry  string
	css    template.CSS
	csp    string
	header http.Header // SecurityHeaders(csp)
}

var css = func() []byte {
	b, err := own.ReadFile("public.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// funcs are the helpers every public template may use.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// china formats a stored time as China time, "" for none.
	"china": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return chinatime.In(t).Format("2006年1月2日 15:04")
	},
}

// New parses files of pages (the first is the page; the others may define
// pieces it uses) with the shared layout: "head", "foot" and "guard" (the
// abuse guard's hidden fields and question).
func New(pages fs.FS, files ...string) *Page {
	t := template.Must(template.New(path.Base(files[0])).Funcs(funcs).ParseFS(own, "layout.html"))
	template.Must(t.ParseFS(pages, files...))
	return newPage(t, path.Base(files[0]))
}

func newPage(t *template.Template, entry string) *Page {
	sum := sha256.Sum256(css)
	p := &Page{
		tmpl:  t,
		entry: entry,
		css:   template.CSS(css),
		// 'unsafe-inline' is ignored by every browser that understands the
		// hash (CSP level 2+); it only keeps the styles on old WebViews that
		// know CSP level 1, where the hash would block them.
		csp: "default-src 'none'; style-src 'unsafe-inline' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}
	p.header = SecurityHeaders(p.csp)
	return p
}

var messagePage = newPage(template.Must(template.New("message.html").Funcs(funcs).ParseFS(own, "layout.html", "message.html")), "message.html")

// CSP is the page's Content-Security-Policy.
func (p *Page) CSP() string { return p.csp }

// Render writes the page with its own security headers. Public pages are
// never cached by browsers: they carry a form token or what was just
// approved.
func (p *Page) Render(e *core.RequestEvent, status int, data map[string]any) error {
	html, err := p.HTML(e, data)
	if err != nil {
		return err
	}
	p.Headers(e)
	return e.HTML(status, string(html))
}

// Serve is Render for a route without the gzip middleware (one whose
// usual answer is a kept page, pagecache): compressed at the fastest level
// when the client accepts gzip.
func (p *Page) Serve(e *core.RequestEvent, status int, data map[string]any) error {
	html, err := p.HTML(e, data)
	if err != nil {
		return err
	}
	p.Headers(e)
	return pagecache.WriteHTML(e.Response, e.Request, status, html)
}

// HTML renders the page (for a kept page: pagecache.NewPage).
func (p *Page) HTML(e *core.RequestEvent, data map[string]any) ([]byte, error) {
	data["CSS"] = p.css
	if _, ok := data["AppName"]; !ok {
		data["AppName"] = e.App.Settings().Meta.AppName
	}
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, p.entry, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Headers sets the page's security headers.
func (p *Page) Headers(e *core.RequestEvent) {
	SetHeaders(e.Response.Header(), p.header)
}

// SecurityHeaders are the headers of every public page with the
// Content-Security-Policy csp: never cached by browsers, no MIME sniffing,
// no referer beyond the site, kept out of search engines. They are made
// once per page and shared by its responses (SetHeaders).
func SecurityHeaders(csp string) http.Header {
	h := http.Header{}
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	for k, v := range h {
		h[k] = slices.Clip(v)
	}
	return h
}

// SetHeaders sets each of fixed's headers on h, replacing what h had, as
// Header.Set would, without a new value per response. Each shared value is
// full (len == cap), so a later Add to h copies it instead of writing into
// what other responses share.
func SetHeaders(h, fixed http.Header) {
	for k, v := range fixed {
		h[k] = v
	}
}

// Message is a page with a heading and a sentence, and a way back if back
// is set.
func Message(e *core.RequestEvent, status int, heading, message, back string) error {
	return messagePage.Render(e, status, map[string]any{"Title": heading, "Heading": heading, "Message": message, "Back": back})
}

// NotFound is the page for a code that leads nowhere.
func NotFound(e *core.RequestEvent, what string) error {
	return Message(e, http.StatusNotFound, "未找到该"+what, "该二维码或链接不存在、尚未开始或已撤下。请核对后再试，或到代表联络站咨询。", "")
}
