package meetings

import (
	_ "embed"
	"html/template"
	"net/http"

	"simeng/hooks/internal/htmlpage"

	"github.com/pocketbase/pocketbase/core"
)

//go:embed screen.html
var screenPage string

//go:embed screen.js
var screenScript string

var screenTemplate = template.Must(template.New("screen").Parse(screenPage))

// bindMeetingScreen serves the page staff put on the meeting room's screen:
// the check-in QR, renewed before it expires (screen.js). The page
// itself holds nothing secret; the code comes from the authenticated API.
func bindMeetingScreen(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/meetings/{id}/checkin-screen", func(e *core.RequestEvent) error {
			return htmlpage.Write(e, screenTemplate, e.Request.PathValue("id"),
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
