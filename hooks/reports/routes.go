package reports

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/query"
)

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/simeng/reports")
		g.GET("/stats", statsRoute).BindFunc(requirePresidiumOrOffice)
		g.GET("/stats/{figure}/records", drillRoute).BindFunc(requirePresidiumOrOffice)
		g.POST("/annual", annualGenerate).BindFunc(requirePresidiumOrOffice)
		g.GET("/annual/{year}/print", annualPrint).BindFunc(printLinkAuth, requirePresidiumOrOffice)
		g.GET("/annual/{file}", annualXLSX).BindFunc(requirePresidiumOrOffice)
		g.POST("/duty", dutyGenerate).BindFunc(requireActive)
		g.GET("/duty/{id}/print", dutyPrint).BindFunc(printLinkAuth, requireActive)
		g.GET("/duty/{file}", dutyXLSX).BindFunc(requireActive)
		g.POST("/print-link", printLink).BindFunc(requireActive)
		return se.Next()
	})
}

func requirePresidiumOrOffice(e *core.RequestEvent) error {
	switch {
	case e.Auth == nil:
		return e.UnauthorizedError("请先登录。", nil)
	case !access.IsPresidiumOrOffice(e.Auth):
		return e.ForbiddenError("只有主席团成员或工作人员可以查看年度统计和报告。", nil)
	}
	return e.Next()
}

// requireActive: an active deputy (the route checks whose record), the
// presidium or staff.
func requireActive(e *core.RequestEvent) error {
	switch {
	case e.Auth == nil:
		return e.UnauthorizedError("请先登录。", nil)
	case !access.IsOffice(e.Auth) && !access.IsActiveDeputy(e.Auth):
		return e.ForbiddenError("该账号无权使用此功能。", nil)
	}
	return e.Next()
}

func statsRoute(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	figures, err := Stats(e.App, year)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "groups": figures.Groups(), "figures": figures})
}

func drillRoute(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	page := 1
	if raw := e.Request.URL.Query().Get("page"); raw != "" {
		if page, err = strconv.Atoi(raw); err != nil || page < 1 || page > 10000 {
			return e.BadRequestError("页码无效", fielderr.New("page", "validation_invalid", "页码应为正整数"))
		}
	}
	rows, total, ok, err := drill(e.App, year, e.Request.PathValue("figure"), page, 50)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return e.NotFoundError("没有这个统计项，或它不能列出记录。", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "page": page, "perPage": 50, "totalItems": total, "items": rows})
}

// Print links: a print page opens in a tab of its own, which has no login
// header to send. The PWA asks for a link valid 10 minutes for one path;
// the link stands for the login that asked, on that path only, and the
// page still checks what that login may see.
const linkLifetime = 10 * time.Minute

type linkSigner struct{ secret []byte }

func newLinkSigner() *linkSigner {
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		panic(err)
	}
	return &linkSigner{secret: s}
}

func (l *linkSigner) mac(parts ...string) string {
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (l *linkSigner) sign(path string, auth *core.Record, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	c := auth.Collection().Name
	return strings.Join([]string{c, auth.Id, e, l.mac(path, c, auth.Id, e)}, ".")
}

// check returns the login a link stands for, if it is valid for path.
func (l *linkSigner) check(app core.App, path, tok string, now time.Time) *core.Record {
	parts := strings.Split(tok, ".")
	if len(parts) != 4 {
		return nil
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || now.Unix() > exp || !hmac.Equal([]byte(parts[3]), []byte(l.mac(path, parts[0], parts[1], parts[2]))) {
		return nil
	}
	auth, err := app.FindRecordById(parts[0], parts[1])
	if err != nil || !auth.Collection().IsAuth() {
		return nil
	}
	return auth
}

var printPaths = regexp.MustCompile(`^/api/simeng/reports/(annual/20[0-9]{2}|duty/[a-z0-9]{15})/print$`)

// printLink is POST /api/simeng/reports/print-link {path}: the path with
// a link token (?t=…) valid for 10 minutes.
func printLink(e *core.RequestEvent) error {
	var body struct {
		Path string `json:"path"`
	}
	if err := e.BindBody(&body); err != nil || !printPaths.MatchString(body.Path) {
		return e.BadRequestError("无效的打印页面", fielderr.New("path", "validation_invalid", "只能为年度报告或述职报告的打印页面生成链接"))
	}
	tok := deskOf(e.App).links.sign(body.Path, e.Auth, time.Now().Add(linkLifetime))
	return e.JSON(http.StatusOK, map[string]string{"url": body.Path + "?t=" + tok})
}

// printLinkAuth lets a valid print link stand for its login.
func printLinkAuth(e *core.RequestEvent) error {
	if tok := e.Request.URL.Query().Get("t"); tok != "" && e.Auth == nil {
		if auth := deskOf(e.App).links.check(e.App, e.Request.URL.Path, tok, time.Now()); auth != nil {
			e.Auth = auth
		} else {
			return e.UnauthorizedError("打印链接已过期，请在应用中重新点“打印”。", nil)
		}
	}
	return e.Next()
}

func yearParam(e *core.RequestEvent, raw string) (int, error) {
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2020 || y > 2100 {
		return 0, e.BadRequestError("年份无效", fielderr.New("year", "validation_invalid_year", "年份须是2020到2100之间的整数，例如 2026"))
	}
	return y, nil
}
