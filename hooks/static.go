package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	pbpublic "simeng/pb_public"
)

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script, no CDN. Photos the PWA holds in IndexedDB are shown as blob:
// URLs, and thumbnails come from the same origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func bindStatic(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Without this, an unknown /api/ path would reach the static handler
		// and a client expecting JSON would get a page (or index.html).
		// One pattern per method: a method-less one would conflict with the
		// GET static route below in Go's ServeMux.
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			se.Router.Route(method, "/api/{path...}", apiNotFound)
		}

		se.Router.GET("/{path...}", apis.Static(pbpublic.FS, false)).
			BindFunc(staticHeaders).
			Bind(apis.Gzip())
		return se.Next()
	})
}

// staticHeaders sets caching and security headers for the embedded PWA.
// Everything is revalidated (no-cache) so an update reaches phones at once;
// the service worker serves the shell offline.
func staticHeaders(e *core.RequestEvent) error {
	h := e.Response.Header()
	p := e.Request.URL.Path
	switch {
	case p == "/embed.go":
		return e.NotFoundError("", nil)
	default:
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	return e.Next()
}

func apiNotFound(e *core.RequestEvent) error {
	return e.NotFoundError("", nil)
}
