// Package htmlpage writes the platform's own server-rendered pages (the
// meeting screen, the printable 履职档案): never cached, each under a strict
// Content-Security-Policy of its own.
package htmlpage

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// Write renders tmpl with data as a 200 page under csp.
func Write(e *core.RequestEvent, tmpl *template.Template, data any, csp string) error {
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
