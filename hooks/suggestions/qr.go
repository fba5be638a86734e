package suggestions

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/publicpage"
	"simeng/hooks/roster"

	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"
)

// QRSizes are the PNG sizes offered (pixels): 256 for screens, 512 default,
// 1024 and 2048 for print (a 40 mm code at 600 dpi is about 950 px).
var QRSizes = []int{256, 512, 1024, 2048}

// DeputyPageURL is the URL a deputy's QR code encodes: the configured
// application URL (Settings → Application URL) + /d/{code}. Without one it
// falls back to the address the request came in on.
func DeputyPageURL(app core.App, r *http.Request, code string) string {
	return publicBaseURL(app, r) + "/d/" + code
}

// publicBaseURL is the configured application URL without a trailing slash,
// or the address the request came in on when none is configured.
func publicBaseURL(app core.App, r *http.Request) string {
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

func (d *suggestionDesk) deputyQR(e *core.RequestEvent) (*qrcode.QRCode, error) {
	code := e.Request.PathValue("code")
	if _, err := roster.ActiveDeputyByCode(e.App, code); err != nil {
		return nil, e.NotFoundError("", nil)
	}
	// Medium (15%) correction survives a worn or folded printed card.
	return qrcode.New(DeputyPageURL(e.App, e.Request, code), qrcode.Medium)
}

func (d *suggestionDesk) qrPNG(e *core.RequestEvent) error {
	size := 512
	if s := e.Request.URL.Query().Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(QRSizes, n) {
			return e.BadRequestError(fmt.Sprintf("size must be one of %v", QRSizes), nil)
		}
		size = n
	}
	q, err := d.deputyQR(e)
	if err != nil {
		return err
	}
	png, err := q.PNG(size)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=3600")
	return e.Blob(http.StatusOK, "image/png", png)
}

func (d *suggestionDesk) qrSVG(e *core.RequestEvent) error {
	q, err := d.deputyQR(e)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=3600")
	return e.Blob(http.StatusOK, "image/svg+xml", publicpage.QRSVG(q.Bitmap()))
}

// qrCard is one deputy on the printable sheet.
type qrCard struct {
	Name, Level, Village, Code, QRURL, AvatarURL string
}

// cards is the A4 sheet of contact cards (代表码联系卡) for the office to
// print. It takes PocketBase's own login, never a password of its own: the
// Authorization header, or (a tab the PWA opens for printing carries no
// header) the token in a POSTed form field, so it is never in a URL or a
// request log. Staff and superusers see the sheet; anyone else a page
// saying where to open it.
func (d *suggestionDesk) cards(e *core.RequestEvent) error {
	auth := e.Auth
	if auth == nil && e.Request.Method == http.MethodPost {
		if tok := e.Request.FormValue("token"); tok != "" {
			auth, _ = e.App.FindAuthRecordByToken(tok, core.TokenTypeAuth)
		}
	}
	if !access.IsOffice(auth) {
		status := http.StatusUnauthorized
		if auth != nil {
			status = http.StatusForbidden
		}
		return cardsPage.render(e, status, map[string]any{"Login": true})
	}

	deputies, err := e.App.FindRecordsByFilter("deputies", "active = true", "name", 0, 0)
	if err != nil {
		return err
	}
	villages := map[string]string{}
	cards := make([]qrCard, 0, len(deputies))
	for _, dep := range deputies {
		vid := dep.GetString("village")
		if _, ok := villages[vid]; !ok {
			villages[vid] = roster.VillageName(e.App, vid)
		}
		code := dep.GetString("code")
		cards = append(cards, qrCard{
			Name: dep.GetString("name"), Level: roster.LevelLabel(dep.GetString("level")), Village: villages[vid],
			Code: code, QRURL: "/d/" + code + "/qr.svg", AvatarURL: roster.AvatarURL(dep),
		})
	}
	// By village, so staff can hand each village its own cards.
	slices.SortStableFunc(cards, func(a, b qrCard) int { return strings.Compare(a.Village, b.Village) })
	warning := ""
	if e.App.Settings().Meta.AppURL == "" {
		warning = "注意：系统设置中还没有填写“Application URL”（对外网址），二维码暂用当前访问地址：" +
			publicBaseURL(e.App, e.Request) + "。请先在 设置 → Application 中填写正式网址再打印。"
	}
	return cardsPage.render(e, http.StatusOK, map[string]any{"Cards": cards, "Warning": warning})
}
