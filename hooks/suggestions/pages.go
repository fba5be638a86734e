package suggestions

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/publicpage"
	"simeng/pii"
	"simeng/workdays"
)

//go:embed resident
var residentFS embed.FS

// page is a server-rendered public page: its template, its stylesheet inlined
// (one request fewer on 2G) and a Content-Security-Policy allowing exactly
// that stylesheet and nothing else: no script at all.
type page struct {
	tmpl   *template.Template
	css    template.CSS
	csp    string
	header http.Header // the security headers, made once (see headers)
}

func mustPage(cssFile string, files ...string) *page {
	css, err := residentFS.ReadFile("resident/" + cssFile)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(css)
	patterns := make([]string, len(files))
	for i, f := range files {
		patterns[i] = "resident/" + f
	}
	t := template.Must(template.New(files[0]).Funcs(template.FuncMap{
		"mod": func(a, b int) int { return a % b },
	}).ParseFS(residentFS, patterns...))
	p := &page{
		tmpl: t,
		css:  template.CSS(css),
		// 'unsafe-inline' is ignored by every browser that understands the
		// hash (CSP level 2+); it only keeps the styles on old WebViews that
		// know CSP level 1, where the hash would block them.
		csp: "default-src 'none'; style-src 'unsafe-inline' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}
	p.header = publicpage.SecurityHeaders(p.csp)
	return p
}

var (
	deputyPage     = mustPage("resident.css", "deputy.html", "form.html", "layout.html")
	enterprisePage = mustPage("resident.css", "enterprise.html", "form.html", "layout.html")
	statusPage     = mustPage("resident.css", "status.html", "layout.html")
	messagePage    = mustPage("resident.css", "message.html", "layout.html")
	cardsPage      = mustPage("cards.css", "cards.html")
)

// render writes the page with its own security headers.
func (p *page) render(e *core.RequestEvent, status int, data map[string]any) error {
	html, err := p.html(e, data)
	if err != nil {
		return err
	}
	p.headers(e)
	return e.HTML(status, string(html))
}

// html is the page rendered from data (its stylesheet and the app's name
// added).
func (p *page) html(e *core.RequestEvent, data map[string]any) ([]byte, error) {
	data["CSS"] = p.css
	if _, ok := data["AppName"]; !ok {
		data["AppName"] = e.App.Settings().Meta.AppName
	}
	if f := extrasOf(e.App).Hotline; f != nil {
		data["Hotline"], data["HotlineHours"] = f(e.App)
	}
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// headers sets the page's security headers (publicpage.SecurityHeaders:
// never cached by browsers, since resident pages carry a form token or a
// live status; kept out of search engines, since tracking pages are
// private by obscurity of their code).
func (p *page) headers(e *core.RequestEvent) {
	publicpage.SetHeaders(e.Response.Header(), p.header)
}

func showMessage(e *core.RequestEvent, status int, heading, message string, lookup bool) error {
	return messagePage.render(e, status, map[string]any{
		"Title": heading, "Heading": heading, "Message": message, "ShowLookup": lookup,
	})
}

// maskPersonalNumbers masks the phone, ID and other personal numbers a
// resident or a deputy wrote into a text shown on a public page (in any
// spacing, full width or Chinese numerals), changing nothing else they
// wrote: Chinese punctuation stays as typed.
func maskPersonalNumbers(s string) string { return pii.MaskNumbersInText(s) }

// receptionDays caches, per China date, the next market days (农历四、九) on
// which the liaison station receives voters.
type receptionDays struct {
	mu   sync.Mutex
	day  string
	list []string
}

var nextReception receptionDays

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func (r *receptionDays) get(now time.Time) []string {
	now = now.In(chinatime.Location())
	today := now.Format(chinatime.DateLayout)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.day == today {
		return r.list
	}
	var list []string
	for d := 0; d < 40 && len(list) < 3; d++ {
		day := now.AddDate(0, 0, d)
		if workdays.IsMarketDay(day) {
			list = append(list, day.Format("1月2日")+"（"+weekdayNames[day.Weekday()]+"）")
		}
	}
	r.day, r.list = today, list
	return list
}

func normalizeCode(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}
