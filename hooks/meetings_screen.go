package hooks

import (
	_ "embed"
	"html/template"
	"net/http"
	"strings"

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
			var b strings.Builder
			if err := screenTemplate.Execute(&b, e.Request.PathValue("id")); err != nil {
				return err
			}
			h := e.Response.Header()
			h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; img-src data:; style-src 'unsafe-inline'")
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			return e.HTML(http.StatusOK, b.String())
		})
		se.Router.GET("/meetings/checkin-screen.js", func(e *core.RequestEvent) error {
			e.Response.Header().Set("Cache-Control", "no-cache")
			e.Response.Header().Set("X-Content-Type-Options", "nosniff")
			return e.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(screenScript))
		})
		return se.Next()
	})
}
