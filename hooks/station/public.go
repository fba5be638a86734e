package station

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/booking"
	"simeng/dutyroster"
	"simeng/hooks/internal/formguard"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/suggestions"
	"simeng/pii"
	"simeng/vocab"
)

// The station's public pages, for residents inside WeChat on old phones:
// server-rendered, no script at all, the stylesheet inlined and allowed by
// its hash (default-src 'none'), never cached, no personal data.
//
//	GET  /s/{code}          the station: next reception days and who is on duty, the hotline, the 六有 status
//	GET  /s/{code}/book     the booking form (?date=, ?deputy={deputy code})
//	POST /s/{code}/book     book: 303 to /b/{booking code}?new=1
//	GET  /b?code=           look a booking code up
//	GET  /b/{code}          the booking: day, place, deputy, status; cancel
//	POST /b/{code}/cancel   cancel (until the end of the day before)

//go:embed public
var publicFS embed.FS

type page struct {
	tmpl *template.Template
	css  template.CSS
	csp  string
}

func mustPage(files ...string) *page {
	css, err := publicFS.ReadFile("public/station.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(css)
	patterns := make([]string, len(files))
	for i, f := range files {
		patterns[i] = "public/" + f
	}
	return &page{
		tmpl: template.Must(template.New(files[0]).ParseFS(publicFS, patterns...)),
		css:  template.CSS(css),
		csp: "default-src 'none'; style-src 'unsafe-inline' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}
}

var (
	stationPage = mustPage("station.html", "layout.html")
	bookPage    = mustPage("book.html", "layout.html")
	bookingPage = mustPage("booking.html", "layout.html")
	messagePage = mustPage("message.html", "layout.html")
)

func (p *page) render(e *core.RequestEvent, status int, data map[string]any) error {
	html, err := p.html(e, data)
	if err != nil {
		return err
	}
	p.headers(e)
	return e.HTML(status, string(html))
}

// html is the page rendered from data (its stylesheet, the app's name and
// the hotline added).
func (p *page) html(e *core.RequestEvent, data map[string]any) ([]byte, error) {
	data["CSS"] = p.css
	data["AppName"] = e.App.Settings().Meta.AppName
	data["Hotline"], data["HotlineHours"] = Hotline(e.App)
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// headers sets the page's security headers.
func (p *page) headers(e *core.RequestEvent) {
	h := e.Response.Header()
	h.Set("Content-Security-Policy", p.csp)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
}

func showMessage(e *core.RequestEvent, status int, heading, message string, lookup bool) error {
	return messagePage.render(e, status, map[string]any{"Title": heading, "Heading": heading, "Message": message, "ShowLookup": lookup})
}

// maxBookBody bounds the booking form (a few short fields).
const maxBookBody = 16 << 10

func bindPublicRoutes(se *core.ServeEvent) {
	r := se.Router
	r.GET("/s/{code}", showStation) // kept gzipped (desk.pages)
	r.GET("/s/{code}/book", showBookForm).Bind(apis.Gzip())
	r.POST("/s/{code}/book", submitBooking).Bind(apis.BodyLimit(maxBookBody), apis.Gzip())
	r.GET("/b", lookupBooking).Bind(apis.Gzip())
	r.GET("/b/{code}", showBooking).Bind(apis.Gzip())
	r.POST("/b/{code}/cancel", cancelBooking).Bind(apis.BodyLimit(4<<10), apis.Gzip())
}

func (s stationInfo) horizon() int {
	if s.Booking.Horizon < 1 {
		return booking.DefaultHorizon
	}
	return s.Booking.Horizon
}

// publicDay is a reception day on the station page and the booking form.
type publicDay struct {
	Date, Label, Lunar, Holiday string
	Skipped, Today              bool
	Deputies                    []string
	Left                        int
	BookURL, Note               string
}

// upcomingDays lists the station's next reception days from today (at
// most limit; only the deputy's duty days when deputy is set).
func upcomingDays(app core.App, st stationInfo, deputy *core.Record, limit int) ([]publicDay, error) {
	t := today(now(app))
	market, err := dutyroster.MarketDays(calendar(app), st.Policy, t, addDays(t, max(st.horizon(), 40)))
	if err != nil {
		return nil, err
	}
	dates := map[string]dutyroster.MarketDay{}
	var order []string
	for _, md := range market {
		dates[md.Date] = md
		order = append(order, md.Date)
	}
	// Reception days staff added outside the market days.
	extra, err := publishedDuties(app, "station = {:s} && date >= {:t} && date <= {:to}",
		map[string]any{"s": st.ID, "t": t, "to": addDays(t, st.horizon())})
	if err != nil {
		return nil, err
	}
	for _, d := range extra {
		if _, ok := dates[d.GetString("date")]; !ok {
			dates[d.GetString("date")] = dutyroster.MarketDay{Date: d.GetString("date")}
			order = append(order, d.GetString("date"))
		}
	}
	slices.Sort(order)
	var out []publicDay
	for _, date := range order {
		if len(out) == limit {
			break
		}
		md := dates[date]
		day, err := bookingDay(app, st, date)
		if err != nil {
			return nil, err
		}
		if deputy != nil && !slices.Contains(day.OnDuty, deputy.Id) {
			continue
		}
		pd := publicDay{Date: date, Label: dayLabel(date), Lunar: lunarLabel(date), Holiday: md.Holiday,
			Skipped: md.Skipped && len(day.OnDuty) == 0, Today: date == t}
		names := deputyNames(app, day.OnDuty)
		for _, id := range day.OnDuty {
			pd.Deputies = append(pd.Deputies, names[id])
		}
		switch {
		case pd.Skipped:
		case pd.Today:
			pd.Note = "今天可直接到联络站"
		case !st.BookingOpen:
			pd.Note = "暂未开放网上预约，可直接到联络站"
		case date > addDays(t, st.horizon()):
			pd.Note = "尚未开放预约"
		default:
			pd.Left = booking.Remaining(st.Booking, day)
			if pd.Left > 0 {
				pd.BookURL = "/s/" + st.Code + "/book?date=" + date
				if deputy != nil {
					pd.BookURL += "&deputy=" + deputy.GetString("code")
				}
			} else {
				pd.Note = "预约已满，可直接到联络站"
			}
		}
		out = append(out, pd)
	}
	return out, nil
}

func stationNotFound(e *core.RequestEvent) error {
	return showMessage(e, http.StatusNotFound, "未找到该联络站", "该联络站不存在或已停用。请核对网址，或拨打民情直通车热线。", false)
}

// showStation is a station's public page. It is the same for everyone, so
// it is kept rendered per station and China day (desk.pages) until a
// record it shows changes.
func showStation(e *core.RequestEvent) error {
	key := e.Request.PathValue("code")
	page, err := deskOf(e.App).pages.Get(key+"|"+today(now(e.App)), func() (*pagecache.Page, error) {
		st, err := stationByKey(e.App, key)
		if err != nil {
			return nil, errNoStation
		}
		days, err := upcomingDays(e.App, st, nil, 6)
		if err != nil {
			return nil, err
		}
		six, err := stationSix(e.App, st.ID)
		if err != nil {
			return nil, err
		}
		html, err := stationPage.html(e, map[string]any{
			"Title": st.Name, "Station": st, "Days": days, "Six": six,
			"BookOpen": st.BookingOpen, "BookAny": "/s/" + st.Code + "/book",
		})
		if err != nil {
			return nil, err
		}
		return pagecache.Whole(html)
	})
	if errors.Is(err, errNoStation) {
		return stationNotFound(e)
	}
	if err != nil {
		return err
	}
	stationPage.headers(e)
	return page.Write(e.Response, e.Request, http.StatusOK, "")
}

var errNoStation = errors.New("no active station has this code")

// stationPageSources are the collections a station page is made from.
var stationPageSources = []string{"stations", "station_rosters", "station_duties", "duty_swaps", "duty_unavailability",
	"bookings", "station_settings", "station_items", "station_selfchecks", "deputies", "calendar_overrides"}

// bookForm is what a resident typed, shown again on any error.
type bookForm struct {
	Date, Description, Phone string
	Consent                  bool
}

func guardKey(st stationInfo) string { return "station:" + st.Code }

func showBookForm(e *core.RequestEvent) error {
	st, err := stationByKey(e.App, e.Request.PathValue("code"))
	if err != nil {
		return stationNotFound(e)
	}
	var dep *core.Record
	if code := e.Request.URL.Query().Get("deputy"); code != "" {
		if dep, err = deputyByCode(e.App, code); err != nil {
			return showMessage(e, http.StatusNotFound, "未找到该代表", "该代表码不存在或已停用。可以预约当天值班代表接待。", false)
		}
	}
	v := deskOf(e.App).guard.Check(now(e.App), e.RealIP(), guardKey(st), false)
	return renderBookForm(e, http.StatusOK, st, dep, bookForm{Date: e.Request.URL.Query().Get("date")}, nil, "", v.Challenge)
}

func renderBookForm(e *core.RequestEvent, status int, st stationInfo, dep *core.Record, f bookForm, errs map[string]string, message string, challenge bool) error {
	days, err := upcomingDays(e.App, st, dep, 12)
	if err != nil {
		return err
	}
	open := days[:0]
	for _, d := range days {
		if d.BookURL != "" {
			open = append(open, d)
		}
	}
	answer, question := -1, ""
	if challenge {
		question, answer = formguard.NewChallenge()
	}
	d := deskOf(e.App)
	data := map[string]any{
		"Title": "预约接待 · " + st.Name, "Station": st, "Days": open, "Form": f, "Errors": errs,
		"Message": message, "Question": question, "Action": "/s/" + st.Code + "/book",
		"Token": d.guard.Issue(guardKey(st), now(e.App), answer),
	}
	if dep != nil {
		data["DeputyName"], data["DeputyCode"] = dep.GetString("name"), dep.GetString("code")
	}
	if !st.BookingOpen && message == "" {
		data["Message"] = "该联络站暂未开放网上预约。接待日可直接到联络站，值班代表照常接待。"
	}
	return bookPage.render(e, status, data)
}

// ipHash identifies an address for moderation without storing it (PIPL).
func ipHash(ip string) string {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return ""
	}
	return v.Hash("ip:" + ip)[:16]
}

// submitBooking takes the booking form. As the suggestion form does
// (hooks/suggestions submitTo): refuse floods first, then the cheap bot
// checks, the question, then the content; never a 500 for bad input.
func submitBooking(e *core.RequestEvent) error {
	st, err := stationByKey(e.App, e.Request.PathValue("code"))
	if err != nil {
		return stationNotFound(e)
	}
	d := deskOf(e.App)
	at := now(e.App)
	ip, key := e.RealIP(), guardKey(st)
	v := d.guard.Check(at, ip, key, true)
	limits := d.guard.Limits()
	logAbuse := func(kind string) {
		e.App.Logger().Warn("station booking form refused", "kind", kind, "station", st.Code, "ip_hash", ipHash(ip), "window", v.Window)
	}
	if v.Refused {
		if v.IPKey == limits.PerIPCodeHard+1 || v.IP == limits.PerIPHard+1 {
			logAbuse("rate_limited")
		}
		e.Response.Header().Set("Retry-After", "600")
		return showMessage(e, http.StatusTooManyRequests, "提交太频繁了", "请10分钟后再试。接待日也可以直接到联络站。", false)
	}
	if err := e.Request.ParseForm(); err != nil {
		return showMessage(e, http.StatusBadRequest, "提交失败", "表单内容不完整，请返回重新填写。", false)
	}
	f := bookForm{
		Date:        strings.TrimSpace(e.Request.PostFormValue("date")),
		Description: strings.TrimSpace(e.Request.PostFormValue("description")),
		Phone:       strings.TrimSpace(e.Request.PostFormValue("phone")),
		Consent:     e.Request.PostFormValue("consent") != "",
	}
	var dep *core.Record
	if code := strings.TrimSpace(e.Request.PostFormValue("deputy")); code != "" {
		if dep, err = deputyByCode(e.App, code); err != nil {
			return showMessage(e, http.StatusBadRequest, "未找到该代表", "该代表码不存在或已停用。可以预约当天值班代表接待。", false)
		}
	}
	if e.Request.PostFormValue("website") != "" {
		d.guard.Note(at, ip, key)
		logAbuse("honeypot")
		return showMessage(e, http.StatusBadRequest, "提交失败", "请返回重新填写。", false)
	}
	tok, ok := d.guard.Parse(key, e.Request.PostFormValue("t"))
	if !ok || at.Sub(tok.Issued) > limits.MaxFormAge || tok.Issued.After(at.Add(time.Minute)) {
		if !ok {
			d.guard.Note(at, ip, key)
			logAbuse("bad_token")
		}
		return renderBookForm(e, http.StatusOK, st, dep, f, nil, "页面已过期，您填写的内容还在，请核对后再点一次“提交预约”。", v.Challenge)
	}
	if at.Sub(tok.Issued) < limits.MinFill {
		d.guard.Note(at, ip, key)
		logAbuse("too_fast")
		return renderBookForm(e, http.StatusBadRequest, st, dep, f, nil, "请核对内容后再点一次“提交预约”。", v.Challenge)
	}
	if v.Challenge && (tok.Challenge == "" || !d.guard.AnswerOK(tok, e.Request.PostFormValue("answer"))) {
		var errs map[string]string
		msg := "为防止恶意刷屏，请先回答下面的问题。"
		if tok.Challenge != "" {
			errs, msg = map[string]string{"answer": "答案不对，请重新计算"}, ""
		}
		logAbuse("challenged")
		return renderBookForm(e, http.StatusTooManyRequests, st, dep, f, errs, msg, true)
	}

	errs := map[string]string{}
	if n := utf8.RuneCountInString(f.Description); n < 2 || n > 300 {
		errs["description"] = "请简要写下想反映的事情，2到300个字"
	}
	if f.Phone != "" && !pii.ValidMobile(pii.NormalizeMobile(f.Phone)) {
		errs["phone"] = "手机号应为11位数字，例如 13812345678"
	}
	if f.Phone != "" && !f.Consent {
		errs["consent"] = "留下手机号，请勾选同意；不想留也可以清空后提交"
	}
	if len(errs) > 0 {
		return renderBookForm(e, http.StatusBadRequest, st, dep, f, errs, "", v.Challenge)
	}
	in := newBooking{Date: f.Date, Description: f.Description, Consent: f.Consent, IPHash: ipHash(ip)}
	if f.Consent {
		in.Phone = f.Phone
	}
	if dep != nil {
		in.Deputy = dep.Id
	}
	rec, err := createBooking(e.App, st, in)
	var fe *dutyroster.FieldError
	if errors.As(err, &fe) {
		return renderBookForm(e, http.StatusBadRequest, st, dep, f, map[string]string{fe.Field: fe.Message}, "", v.Challenge)
	}
	if err != nil {
		e.App.Logger().Error("station: save booking", "station", st.Code, "error", err.Error())
		return showMessage(e, http.StatusInternalServerError, "系统繁忙", "预约没有成功，请稍后再试，或接待日直接到联络站。", false)
	}
	d.guard.Note(at, ip, key)
	return e.Redirect(http.StatusSeeOther, "/b/"+rec.GetString("code")+"?new=1")
}

// lookupAllowed counts a code lookup or a cancellation against the
// address's budget; false means refused (429 already written).
func lookupAllowed(e *core.RequestEvent) (bool, error) {
	v := deskOf(e.App).lookup.Check(now(e.App), e.RealIP(), "b", true)
	if !v.Refused {
		return true, nil
	}
	e.Response.Header().Set("Retry-After", "600")
	return false, showMessage(e, http.StatusTooManyRequests, "查询太频繁了", "请10分钟后再试。", false)
}

func lookupBooking(e *core.RequestEvent) error {
	typed := e.Request.URL.Query().Get("code")
	if typed == "" {
		return showMessage(e, http.StatusOK, "查询预约", "请输入预约成功后得到的8位预约码。", true)
	}
	if ok, err := lookupAllowed(e); !ok {
		return err
	}
	code, ok := booking.NormalizeCode(typed)
	if !ok {
		return showMessage(e, http.StatusOK, "查询预约", "预约码是8位字母和数字，例如 abcd-2345，请核对后再查。", true)
	}
	return e.Redirect(http.StatusSeeOther, "/b/"+code)
}

func showBooking(e *core.RequestEvent) error {
	if ok, err := lookupAllowed(e); !ok {
		return err
	}
	b, err := findBookingByCode(e.App, e.Request.PathValue("code"))
	if err != nil {
		return showMessage(e, http.StatusNotFound, "未找到该预约", "请核对预约码（8位字母和数字）。", true)
	}
	return renderBooking(e, b, http.StatusOK, "")
}

func renderBooking(e *core.RequestEvent, b *core.Record, status int, errMsg string) error {
	st, err := findStation(e.App, b.GetString("station"))
	if err != nil {
		return err
	}
	deputy := "当天值班代表"
	if id := b.GetString("deputy"); id != "" {
		if n := deputyNames(e.App, []string{id})[id]; n != "" {
			deputy = n + "代表"
		}
	}
	track := ""
	if id := b.GetString("suggestion"); id != "" {
		if s, err := e.App.FindRecordById("suggestions", id); err == nil {
			track = "/t/" + s.GetString("tracking")
		}
	}
	code := b.GetString("code")
	return bookingPage.render(e, status, map[string]any{
		"Title": "预约 · " + booking.FormatCode(code), "New": e.Request.URL.Query().Get("new") != "",
		"Code": booking.FormatCode(code), "RawCode": code, "URL": suggestions.PublicBaseURL(e.App, e.Request) + "/b/" + code,
		"Status": vocab.Label(vocab.BookingStatuses, b.GetString("status")), "Label": dayLabel(b.GetString("date")),
		"Lunar": lunarLabel(b.GetString("date")), "Station": st.Name, "Address": st.Address, "StationCode": st.Code,
		"Deputy": deputy, "Note": b.GetString("note"), "Description": pii.MaskNumbersInText(b.GetString("description")),
		"HasPhone": b.GetString("resident_phone") != "", "TrackURL": track,
		"CanCancel": booking.CanCancel(bookingOf(b), now(e.App)) == nil, "Error": errMsg,
	})
}

func cancelBooking(e *core.RequestEvent) error {
	if ok, err := lookupAllowed(e); !ok {
		return err
	}
	b, err := findBookingByCode(e.App, e.Request.PathValue("code"))
	if errors.Is(err, sql.ErrNoRows) || err != nil {
		return showMessage(e, http.StatusNotFound, "未找到该预约", "请核对预约码（8位字母和数字）。", true)
	}
	if err := booking.CanCancel(bookingOf(b), now(e.App)); err != nil {
		var fe *dutyroster.FieldError
		errors.As(err, &fe)
		msg := err.Error()
		if fe != nil {
			msg = fe.Message
		}
		return renderBooking(e, b, http.StatusBadRequest, msg)
	}
	b.Set("status", string(booking.Cancelled))
	b.Set("cancelled_at", now(e.App).UTC())
	if err := e.App.Save(b); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/b/"+b.GetString("code"))
}
