package publicpage

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"
)

// QRSizes are the PNG sizes offered (pixels): 256 for screens, 512 default,
// 1024 and 2048 for print.
var QRSizes = []int{256, 512, 1024, 2048}

// BaseURL is the configured application URL (Settings → Application URL)
// without a trailing slash, or the address the request came in on when
// none is configured.
func BaseURL(app core.App, r *http.Request) string {
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	if base == "" && r != nil {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base
}

// SendQR answers the QR code of the public page at path (e.g.
// /topic/abc123): a PNG of ?size= pixels, or an SVG when svg is set.
func SendQR(e *core.RequestEvent, pagePath string, svg bool) error {
	size := 512
	if s := e.Request.URL.Query().Get("size"); s != "" && !svg {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(QRSizes, n) {
			return e.BadRequestError(fmt.Sprintf("size 应为 %v 之一", QRSizes), nil)
		}
		size = n
	}
	// Medium (15%) correction survives a worn or folded printed notice.
	q, err := qrcode.New(BaseURL(e.App, e.Request)+pagePath, qrcode.Medium)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=3600")
	if svg {
		return e.Blob(http.StatusOK, "image/svg+xml", QRSVG(q.Bitmap()))
	}
	png, err := q.PNG(size)
	if err != nil {
		return err
	}
	return e.Blob(http.StatusOK, "image/png", png)
}

// QRSVG draws a QR bitmap (with its quiet zone) as a scalable SVG: one path
// of horizontal runs of dark modules, crisp at any print size.
func QRSVG(bitmap [][]bool) []byte {
	n := len(bitmap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}
