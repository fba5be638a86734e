package hooks

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

//go:embed meetings_screen.html
var screenPage string

//go:embed meetings_screen.js
var screenScript string

var screenTemplate = template.Must(template.New("screen").Parse(screenPage))

// bindMeetingScreen serves the page staff put on the meeting room's screen:
// the check-in QR, renewed before it expires (meetings_screen.js). The page
// itself holds nothing secret; the code comes from the authenticated API.
func bindMeetingScreen(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/meetings/{id}/checkin-screen", func(e *core.RequestEvent) error {
			return writePage(e, screenTemplate, e.Request.PathValue("id"),
				"default-src 'none'; script-src 'self'; connect-src 'self'; img-src data:; style-src 'unsafe-inline'")
		})
		se.Router.GET("/meetings/checkin-screen.js", func(e *core.RequestEvent) error {
			e.Response.Header().Set("Cache-Control", "no-cache")
			e.Response.Header().Set("X-Content-Type-Options", "nosniff")
			return e.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(screenScript))
		})
		return se.Next()
	})
}

// writePage renders one of the assessment's own pages (the meeting screen,
// the printable 履职档案): never cached, under its own strict CSP.
func writePage(e *core.RequestEvent, tmpl *template.Template, data any, csp string) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return err
	}
	h := e.Response.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	return e.HTML(http.StatusOK, buf.String())
}
