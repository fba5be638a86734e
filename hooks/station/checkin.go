package station

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"

	"simeng/checkin"
	"simeng/dutyroster"
	"simeng/hooks/internal/checkinkey"
	"simeng/hooks/internal/htmlpage"
	"simeng/hooks/internal/publicpage"
	"simeng/hooks/suggestions"
)

// Duty check-in (值班签到). On a market day the station's wall carries the
// day's QR code: APP_URL/#/duty?t=TOKEN, a token bound to the station and
// the China day (package checkin), printed from the posters page. The
// duty deputy scans it; the server checks the token and that the
// logged-in deputy is on that day's published roster there, and records
// the check-in on the duty. Staff confirm a deputy who could not scan.

// dutyURL is what the wall QR code opens.
func dutyURL(app core.App, r *http.Request, token string) string {
	return suggestions.PublicBaseURL(app, r) + "/#/duty?t=" + token
}

type checkinBody struct {
	Token string `json:"token"`
}

// checkinScan checks the logged-in deputy in for today's duty.
func checkinScan(e *core.RequestEvent) error {
	var body checkinBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	token := strings.TrimSpace(body.Token)
	if token == "" {
		return badField("token", "缺少签到码，请扫描联络站张贴的二维码")
	}
	secret, err := checkinkey.Load(e.App)
	if err != nil {
		return err
	}
	sd, err := checkin.VerifyStationDay(secret, token, now(e.App))
	if err != nil {
		msg := err.Error()
		if !errors.Is(err, checkin.ErrWrongDay) {
			msg = "签到码无效，请扫描联络站今天张贴的二维码"
		}
		return badField("token", msg)
	}
	st, err := findStation(e.App, sd.Station)
	if err != nil {
		return badField("token", "联络站不存在或已停用")
	}
	duty, err := dutyOn(e.App, st.ID, sd.Day, e.Auth.Id)
	if err != nil {
		return e.ForbiddenError("您今天不在该联络站值班，请联系工作人员", nil)
	}
	already := duty.GetString("checkin_method") != ""
	if !already {
		duty.Set("checkin_method", string(dutyroster.CheckInQR))
		duty.Set("checked_in_at", types.NowDateTime())
		if err := e.App.Save(duty); err != nil {
			return err
		}
	}
	msg := "签到成功"
	if already {
		msg = "您今天已签到，无需重复签到"
	}
	return e.JSON(http.StatusOK, map[string]any{
		"duty": duty.Id, "station": st.ID, "station_name": st.Name, "address": st.Address, "date": sd.Day,
		"label": dayLabel(sd.Day), "status": duty.GetString("status"), "checkin_method": duty.GetString("checkin_method"),
		"checked_in_at": duty.GetString("checked_in_at"), "already": already, "message": msg,
	})
}

// dayCode is a station's check-in code of one day.
type dayCode struct {
	Date  string `json:"date"`
	Label string `json:"label"`
	Lunar string `json:"lunar"`
	Token string `json:"token"`
	URL   string `json:"url"`
	QRPNG string `json:"qr_png,omitempty"`
}

func signDay(e *core.RequestEvent, st stationInfo, date string) (dayCode, error) {
	secret, err := checkinkey.Load(e.App)
	if err != nil {
		return dayCode{}, err
	}
	token, err := checkin.SignStationDay(secret, st.ID, date)
	if err != nil {
		return dayCode{}, badField("date", "日期格式应为 2026-04-14")
	}
	return dayCode{Date: date, Label: dayLabel(date), Lunar: lunarLabel(date), Token: token, URL: dutyURL(e.App, e.Request, token)}, nil
}

// checkinCode gives staff one day's code (?date=, default today) with its
// QR as a PNG data URL.
func checkinCode(e *core.RequestEvent) error {
	st, err := stationFromPath(e)
	if err != nil {
		return err
	}
	date := e.Request.URL.Query().Get("date")
	if date == "" {
		date = today(now(e.App))
	}
	code, err := signDay(e, st, date)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(code.URL, qrcode.Medium, 320)
	if err != nil {
		return err
	}
	code.QRPNG = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, code)
}

// postersCSP allows the page's own style and nothing else: the QR codes
// are inline SVG.
const postersCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

var postersPage = template.Must(template.New("posters").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Station}} 值班签到码</title>
<style>
@page{size:A4;margin:15mm}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0}
.sheet{page-break-after:always;text-align:center;padding:10mm 0}
.sheet:last-child{page-break-after:auto}
h1{font-size:30pt;margin:0 0 4mm}
.date{font-size:40pt;font-weight:bold;margin:2mm 0}
.lunar{font-size:22pt;margin:0 0 6mm}
.qr svg{width:120mm;height:120mm}
p{font-size:16pt;margin:3mm 0}
.warn{font-size:12pt;color:#555}
</style></head><body>
{{if .Warning}}<p class="warn">{{.Warning}}</p>{{end}}
{{range .Days}}<section class="sheet">
<h1>{{$.Station}} · 值班签到</h1>
<div class="date">{{.Label}}</div><div class="lunar">农历{{.Lunar}}</div>
<div class="qr">{{.SVG}}</div>
<p>值班代表请用手机相机或微信扫码签到</p>
<p class="warn">本签到码仅限当天使用，请勿外传；次日请换上当天的签到码。</p>
</section>{{end}}
</body></html>`))

// postersDay is one page of the posters.
type postersDay struct {
	Label, Lunar string
	SVG          template.HTML
}

// posters is the printable A4 sheet, one page per reception day of
// [from, to] (default the next 30 days), each with that day's QR code.
func posters(e *core.RequestEvent) error {
	st, err := stationFromPath(e)
	if err != nil {
		return err
	}
	q := e.Request.URL.Query()
	t := today(now(e.App))
	from, to := q.Get("from"), q.Get("to")
	if from == "" {
		from = t
	}
	if to == "" {
		to = addDays(from, 30)
	}
	days, err := dutyroster.MarketDays(calendar(e.App), st.Policy, from, to)
	if err != nil {
		return answer(e, err)
	}
	if len(days) > 80 {
		return badField("to", "一次最多打印80天的签到码")
	}
	var pages []postersDay
	for _, d := range days {
		if d.Skipped {
			continue
		}
		code, err := signDay(e, st, d.Date)
		if err != nil {
			return err
		}
		qr, err := qrcode.New(code.URL, qrcode.Medium)
		if err != nil {
			return err
		}
		pages = append(pages, postersDay{Label: code.Label, Lunar: code.Lunar, SVG: template.HTML(publicpage.QRSVG(qr.Bitmap()))})
	}
	warning := ""
	if e.App.Settings().Meta.AppURL == "" {
		warning = "注意：系统设置中还没有填写“Application URL”（对外网址），二维码暂用当前访问地址，请先填写正式网址再打印。"
	}
	return htmlpage.Write(e, postersPage, map[string]any{"Station": st.Name, "Days": pages, "Warning": warning}, postersCSP)
}
