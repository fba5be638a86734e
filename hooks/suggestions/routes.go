package suggestions

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/hooks/internal/formguard"
	"simeng/hooks/internal/images"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/problems"
	"simeng/hooks/roster"
	"simeng/imageguard"
	"simeng/pii"
	"simeng/vocab"
)

// Caps of the public form (X4).
const (
	maxContentRunes = 1000
	minContentRunes = 5
	maxNameRunes    = 20
	maxSubmitBody   = vocab.MaxPhotoBytes + 1<<20
)

func bindSuggestionRoutes(app core.App, desk *suggestionDesk) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		r := se.Router
		// Compressed by the page cache (pagecache.Page), not per request.
		r.GET("/d/{code}", desk.showDeputy)
		r.POST("/d/{code}", desk.submit).Bind(apis.BodyLimit(maxSubmitBody), apis.Gzip())
		r.GET("/d/{code}/qr.png", desk.qrPNG)
		r.GET("/d/{code}/qr.svg", desk.qrSVG).Bind(apis.Gzip())
		r.GET("/e", desk.showEnterprise)
		r.POST("/e", desk.submitEnterprise).Bind(apis.BodyLimit(maxSubmitBody), apis.Gzip())
		r.GET("/t", lookupTracking)
		r.GET("/t/{tracking}", showStatus).Bind(apis.Gzip())
		r.POST("/t/{tracking}", rateAnswer).Bind(apis.BodyLimit(4<<10), apis.Gzip())
		r.GET("/staff/qr-cards", desk.cards).Bind(apis.Gzip())
		r.POST("/staff/qr-cards", desk.cards).Bind(apis.BodyLimit(4<<10), apis.Gzip())
		return se.Next()
	})
}

// residentForm is what a resident typed; it is shown again on any error so
// nothing they wrote is lost.
type residentForm struct {
	Content, Category, Name, Phone string
	Consent                        bool
	// The enterprise channel only: the business and the kind of problem.
	Company, Topic string
}

// intake is one public entrance to the suggestion form: a deputy's 代表码
// page (/d/{code}) or the enterprise channel (/e, 企业诉求直报通道, R7
// 法治护企). They share the form, the abuse guard, the tracking code, the
// deadlines and the status page; only who it is addressed to differs.
type intake struct {
	key    string       // the abuse guard's and form token's key: the deputy's code, or enterpriseKey
	action string       // where the form posts
	deputy *core.Record // the deputy addressed; nil for the enterprise channel (the presidium answers)
	source string       // suggestions.source
}

// enterpriseKey is the enterprise channel's key in the abuse guard; it cannot
// clash with a deputy's code (those have no hyphen).
const enterpriseKey = "enterprise-channel"

var enterpriseIntake = intake{key: enterpriseKey, action: "/e", source: "enterprise"}

func deputyIntake(dep *core.Record) intake {
	code := dep.GetString("code")
	return intake{key: code, action: "/d/" + code, deputy: dep, source: "qr"}
}

func (in intake) deputyID() string {
	if in.deputy == nil {
		return ""
	}
	return in.deputy.Id
}

// showDeputy is a deputy's 代表码 page: the form, empty, with a fresh token.
// It is the same for every resident but the token, so it is rendered once
// per code (desk.pages) and the token spliced in; a resident asked the
// question (challenge) gets a page of their own.
func (d *suggestionDesk) showDeputy(e *core.RequestEvent) error {
	code := e.Request.PathValue("code")
	now := time.Now()
	if v := d.guard.Check(now, e.RealIP(), code, false); v.Challenge {
		dep, err := roster.ActiveDeputyByCode(e.App, code)
		if err != nil {
			return showNoDeputy(e)
		}
		return d.renderForm(e, http.StatusOK, deputyIntake(dep), residentForm{Category: "其他"}, nil, "", true)
	}
	page, err := d.pages.Get(code, func() (*pagecache.Page, error) {
		dep, err := roster.ActiveDeputyByCode(e.App, code)
		if err != nil {
			return nil, errNoDeputy
		}
		return d.formPage(e, deputyIntake(dep), now)
	})
	if errors.Is(err, errNoDeputy) {
		return showNoDeputy(e)
	}
	if err != nil {
		return err
	}
	deputyPage.headers(e)
	return page.Write(e.Response, e.Request, http.StatusOK, d.guard.Issue(code, now, -1))
}

var errNoDeputy = errors.New("no active deputy has this code")

func showNoDeputy(e *core.RequestEvent) error {
	return showMessage(e, http.StatusNotFound, "未找到该代表码", "该代表码不存在或已停用。请核对二维码，或到代表联络站反映。", false)
}

// showEnterprise is the enterprise channel's page (企业诉求直报通道), kept
// like a deputy's.
func (d *suggestionDesk) showEnterprise(e *core.RequestEvent) error {
	now := time.Now()
	if v := d.guard.Check(now, e.RealIP(), enterpriseKey, false); v.Challenge {
		return d.renderForm(e, http.StatusOK, enterpriseIntake, residentForm{Category: "其他"}, nil, "", true)
	}
	page, err := d.pages.Get(enterpriseKey, func() (*pagecache.Page, error) {
		return d.formPage(e, enterpriseIntake, now)
	})
	if err != nil {
		return err
	}
	enterprisePage.headers(e)
	return page.Write(e.Response, e.Request, http.StatusOK, d.guard.Issue(enterpriseKey, now, -1))
}

// tokenHole stands for the form token in a kept page; it needs no escaping
// in the attribute it goes in, like the tokens themselves.
const tokenHole = "simeng-form-token-hole"

// formPage renders in's empty form for desk.pages, its token left as a
// hole of a token's length.
func (d *suggestionDesk) formPage(e *core.RequestEvent, in intake, now time.Time) (*pagecache.Page, error) {
	data := d.formData(e, in, residentForm{Category: "其他"}, nil, "", "", tokenHole)
	p := deputyPage
	if in.deputy == nil {
		p = enterprisePage
	}
	html, err := p.html(e, data)
	if err != nil {
		return nil, err
	}
	return pagecache.NewPage(html, tokenHole, len(d.guard.Issue(in.key, now, -1)))
}

func (d *suggestionDesk) renderForm(e *core.RequestEvent, status int, in intake, f residentForm, errs map[string]string, message string, challenge bool) error {
	answer := -1
	question := ""
	if challenge {
		question, answer = formguard.NewChallenge()
	}
	data := d.formData(e, in, f, errs, message, question, d.guard.Issue(in.key, time.Now(), answer))
	if in.deputy == nil {
		return enterprisePage.render(e, status, data)
	}
	return deputyPage.render(e, status, data)
}

// formData is what the form's templates show.
func (d *suggestionDesk) formData(e *core.RequestEvent, in intake, f residentForm, errs map[string]string, message, question, token string) map[string]any {
	data := map[string]any{
		"Action":        in.action,
		"NextReception": nextReception.get(time.Now()),
		"Categories":    vocab.Topics,
		"Form":          f,
		"Errors":        errs,
		"Message":       message,
		"Question":      question,
		"Token":         token,
	}
	dep := in.deputy
	if dep == nil {
		data["Title"] = "企业诉求直报通道 · 思蒙镇人大"
		data["Enterprise"] = true
		data["Topics"] = vocab.EnterpriseTopics
		return data
	}
	data["Title"] = dep.GetString("name") + " · 码上提建议"
	data["Code"] = dep.GetString("code")
	data["Name"] = dep.GetString("name")
	data["Level"] = roster.LevelLabel(dep.GetString("level"))
	data["Village"] = roster.VillageName(e.App, dep.GetString("village"))
	data["Intro"] = dep.GetString("intro")
	data["AvatarURL"] = roster.AvatarURL(dep)
	if f := extrasOf(e.App).Reception; f != nil {
		if r, ok := f(e.App, dep, time.Now()); ok {
			data["Reception"] = r
		}
	}
	return data
}

// submit is a resident's POST to a deputy's 代表码 page.
func (d *suggestionDesk) submit(e *core.RequestEvent) error {
	dep, err := roster.ActiveDeputyByCode(e.App, e.Request.PathValue("code"))
	if err != nil {
		return showMessage(e, http.StatusNotFound, "未找到该代表码", "该代表码不存在或已停用。", false)
	}
	return d.submitTo(e, deputyIntake(dep))
}

// submitEnterprise is a business's POST to the enterprise channel.
func (d *suggestionDesk) submitEnterprise(e *core.RequestEvent) error {
	return d.submitTo(e, enterpriseIntake)
}

// submitTo takes the form posted to in. Order matters: refuse floods before
// any work, then the cheap bot checks, then the question, then the content.
func (d *suggestionDesk) submitTo(e *core.RequestEvent, in intake) error {
	code, depID := in.key, in.deputyID()
	now := time.Now()
	ip := e.RealIP()
	v := d.guard.Check(now, ip, code, true)
	limits := d.guard.Limits()
	if v.Refused {
		// Tally the first refusal of a window and then every 50th, so a flood
		// cannot turn into a flood of writes.
		if v.IPKey == limits.PerIPCodeHard+1 || v.IP == limits.PerIPHard+1 || v.IPKey%50 == 0 {
			recordAbuse(e.App, "rate_limited", depID, ip, v.Window, "超过提交频率限制")
		}
		e.Response.Header().Set("Retry-After", "600")
		return showMessage(e, http.StatusTooManyRequests, "提交太频繁了", "请10分钟后再试。急事可以在赶集日到代表联络站当面反映。", false)
	}

	if err := e.Request.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return showMessage(e, http.StatusBadRequest, "提交失败", "表单内容不完整或照片太大（不超过5MB），请返回重新提交。", false)
	}
	f := residentForm{
		Content:  strings.TrimSpace(e.Request.FormValue("content")),
		Category: strings.TrimSpace(e.Request.FormValue("category")),
		Name:     strings.TrimSpace(e.Request.FormValue("name")),
		Phone:    strings.TrimSpace(e.Request.FormValue("phone")),
		Consent:  e.Request.FormValue("consent") != "",
		Company:  strings.TrimSpace(e.Request.FormValue("company")),
		Topic:    strings.TrimSpace(e.Request.FormValue("topic")),
	}
	if e.Request.FormValue("website") != "" {
		d.guard.Note(now, ip, code)
		recordAbuse(e.App, "honeypot", depID, ip, v.Window, "填写了隐藏的网址栏")
		return showMessage(e, http.StatusBadRequest, "提交失败", "请返回重新填写。", false)
	}
	tok, ok := d.guard.Parse(code, e.Request.FormValue("t"))
	if !ok || now.Sub(tok.Issued) > limits.MaxFormAge || tok.Issued.After(now.Add(time.Minute)) {
		if !ok {
			d.guard.Note(now, ip, code)
			recordAbuse(e.App, "bad_token", depID, ip, v.Window, "表单令牌无效")
		}
		return d.renderForm(e, http.StatusOK, in, f, nil, "页面已过期，您填写的内容还在，请核对后再点一次“提交建议”。", v.Challenge)
	}
	if fill := now.Sub(tok.Issued); fill < limits.MinFill {
		d.guard.Note(now, ip, code)
		recordAbuse(e.App, "too_fast", depID, ip, v.Window, "填写用时过短")
		return d.renderForm(e, http.StatusBadRequest, in, f, nil, "请核对内容后再点一次“提交建议”。", v.Challenge)
	}
	if v.Challenge {
		if tok.Challenge == "" || !d.guard.AnswerOK(tok, e.Request.FormValue("answer")) {
			kind, msg := "challenged", "为防止恶意刷屏，请先回答下面的问题。"
			errs := map[string]string(nil)
			if tok.Challenge != "" {
				kind, msg = "challenge_failed", ""
				errs = map[string]string{"answer": "答案不对，请重新计算"}
			}
			recordAbuse(e.App, kind, depID, ip, v.Window, "提交频繁，要求答题验证")
			return d.renderForm(e, http.StatusTooManyRequests, in, f, errs, msg, true)
		}
	}

	errs := validateResidentForm(&f)
	if in.deputy == nil {
		validateEnterpriseForm(&f, errs)
	}
	var photo *filesystem.File
	if fh := firstFile(e.Request.MultipartForm, "photo"); fh != nil && errs["photo"] == "" {
		var err error
		if photo, err = readPhoto(e.Request.Context(), fh); err != nil {
			errs["photo"] = err.Error()
		}
	}
	if len(errs) > 0 {
		recordAbuse(e.App, "invalid", depID, ip, v.Window, "内容不合格")
		return d.renderForm(e, http.StatusBadRequest, in, f, errs, "", v.Challenge)
	}

	col, err := e.App.FindCachedCollectionByNameOrId("suggestions")
	if err != nil {
		return err
	}
	rec := core.NewRecord(col)
	rec.Set("source", in.source)
	rec.Set("deputy", depID)
	if in.deputy == nil {
		rec.Set("enterprise_name", f.Company)
		rec.Set("enterprise_topic", f.Topic)
	}
	rec.Set("category", f.Category)
	rec.Set("content", f.Content)
	if f.Consent {
		rec.Set("resident_name", f.Name)
		rec.Set("resident_phone", f.Phone)
	}
	rec.Set("consent", f.Consent && (f.Name != "" || f.Phone != ""))
	rec.Set("received_at", now.UTC())
	rec.Set("ip_hash", ipHash(ip))
	rec.Set("fill_seconds", int(now.Sub(tok.Issued).Seconds()))
	switch {
	case v.Challenge:
		rec.Set("moderation", "review")
		rec.Set("moderation_note", "提交时该代表码或来源提交频繁，已通过答题验证")
	case f.Consent && f.Phone != "" && phoneRepeats(e.App, pii.NormalizeMobile(f.Phone), now) >= phoneRepeatLimit:
		rec.Set("moderation", "review")
		rec.Set("moderation_note", "同一手机号24小时内提交较多")
	}
	if photo != nil {
		rec.Set("photos", []*filesystem.File{photo})
	}
	if err := e.App.Save(rec); err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return d.renderForm(e, http.StatusBadRequest, in, f, formErrors(verrs), "", v.Challenge)
		}
		e.App.Logger().Error("save resident suggestion", "deputy", depID, "error", err.Error())
		return showMessage(e, http.StatusInternalServerError, "系统繁忙", "提交没有成功，请稍后再试。", false)
	}
	d.guard.Note(now, ip, code)
	return e.Redirect(http.StatusSeeOther, "/t/"+rec.GetString("tracking")+"?new=1&k="+rec.GetString("rating_key"))
}

func validateResidentForm(f *residentForm) map[string]string {
	errs := map[string]string{}
	if n := utf8.RuneCountInString(f.Content); n < minContentRunes || n > maxContentRunes {
		errs["content"] = "请填写建议内容，5到1000个字"
	}
	if f.Category == "" {
		f.Category = "其他"
	}
	if !slices.Contains(vocab.Topics, f.Category) {
		errs["category"] = "请从列表中选择类别"
	}
	if utf8.RuneCountInString(f.Name) > maxNameRunes {
		errs["name"] = "姓名不超过20个字"
	}
	if f.Phone != "" && !pii.ValidMobile(pii.NormalizeMobile(f.Phone)) {
		errs["phone"] = "手机号应为11位数字，例如 13812345678"
	}
	if (f.Name != "" || f.Phone != "") && !f.Consent {
		errs["consent"] = "留下姓名或手机号，请勾选同意；不想留也可以清空后提交"
	}
	return errs
}

// validateEnterpriseForm checks the enterprise channel's own fields.
func validateEnterpriseForm(f *residentForm, errs map[string]string) {
	if n := utf8.RuneCountInString(f.Company); n == 0 || n > 60 {
		errs["company"] = "请填写企业（个体户）名称，不超过60个字"
	}
	if f.Topic == "" {
		f.Topic = "其他"
	}
	if !slices.Contains(vocab.EnterpriseTopics, f.Topic) {
		errs["topic"] = "请从列表中选择诉求类型"
	}
}

// formErrors maps record validation errors to the form's field names.
func formErrors(verrs validation.Errors) map[string]string {
	names := map[string]string{"content": "content", "category": "category", "photos": "photo",
		"resident_name": "name", "resident_phone": "phone", "enterprise_name": "company", "enterprise_topic": "topic"}
	out := map[string]string{}
	for field := range verrs {
		if name, ok := names[field]; ok {
			out[name] = "请检查这一项"
			if name == "photo" {
				out[name] = "照片只能是图片（jpg、png、webp、gif），不超过5MB"
				if ve, ok := verrs[field].(validation.Error); ok && strings.HasPrefix(ve.Code(), "image_") {
					out[name] = ve.Message()
				}
			}
			continue
		}
		out["form"] = "提交没有成功，请检查后再试"
	}
	return out
}

func firstFile(form *multipart.Form, name string) *multipart.FileHeader {
	if form == nil || len(form.File[name]) == 0 || form.File[name][0].Size == 0 {
		return nil
	}
	return form.File[name][0]
}

// photoWait is how long a resident's photo waits for the decode budget.
const photoWait = 20 * time.Second

// readPhoto accepts only real images (by their bytes, not their name)
// within the size cap and the pixel cap (read from the header, never
// decoded when too large), and re-encodes them: at most 1600 px on the
// long side, turned upright, and without EXIF, whose GPS would say where
// the resident lives.
func readPhoto(ctx context.Context, fh *multipart.FileHeader) (*filesystem.File, error) {
	if fh.Size > vocab.MaxPhotoBytes {
		return nil, errors.New("照片太大，请不超过5MB")
	}
	src, err := fh.Open()
	if err != nil {
		return nil, errors.New("照片读取失败，请重新选择")
	}
	data, err := io.ReadAll(io.LimitReader(src, vocab.MaxPhotoBytes+1))
	src.Close()
	if err != nil || len(data) > vocab.MaxPhotoBytes {
		return nil, errors.New("照片读取失败，请重新选择")
	}
	if !slices.Contains(vocab.SuggestionPhotoTypes, http.DetectContentType(data)) {
		return nil, errors.New("只能上传照片（jpg、png、webp、gif 图片）")
	}
	ctx, cancel := context.WithTimeout(ctx, photoWait)
	defer cancel()
	out, _, err := images.Guard().Reencode(ctx, data)
	if err != nil {
		return nil, errors.New(imageguard.Message(err))
	}
	return filesystem.NewFileFromBytes(out, "photo.jpg")
}

var trackingPattern = regexp.MustCompile(`^[a-z0-9]{10}$`)

func lookupTracking(e *core.RequestEvent) error {
	code := normalizeCode(e.Request.URL.Query().Get("code"))
	if !trackingPattern.MatchString(code) {
		return showMessage(e, http.StatusOK, "查询办理情况", "请输入提交建议后得到的10位查询码。", true)
	}
	return e.Redirect(http.StatusSeeOther, "/t/"+code)
}

func findByTracking(app core.App, tracking string) (*core.Record, error) {
	if !trackingPattern.MatchString(tracking) {
		return nil, ErrNotFound
	}
	return app.FindFirstRecordByData("suggestions", "tracking", tracking)
}

// showStatus is the resident's status page: status, deadlines, the reply.
// It never shows the resident's name or phone, not even masked.
func showStatus(e *core.RequestEvent) error {
	s, err := findByTracking(e.App, e.Request.PathValue("tracking"))
	if err != nil {
		return showMessage(e, http.StatusNotFound, "未找到该查询码", "请核对查询码（10位字母和数字）。", true)
	}
	return renderStatus(e, s, http.StatusOK, "")
}

func renderStatus(e *core.RequestEvent, s *core.Record, status int, errMsg string) error {
	deputy := ""
	if dep, err := e.App.FindRecordById("deputies", s.GetString("deputy")); err == nil {
		deputy = dep.GetString("name") + "（" + roster.LevelLabel(dep.GetString("level")) + "）"
	} else if s.GetString("source") == enterpriseIntake.source {
		deputy = "镇人大主席团（企业诉求直报通道）"
	}
	st := s.GetString("status")
	answered := st == statusAnswered || st == statusTransferred || st == statusClosed
	key := ""
	if ratingKeyOK(s, ratingKeyOf(e)) {
		key = s.GetString("rating_key")
	}
	link := "/t/" + s.GetString("tracking")
	if key != "" {
		link += "?k=" + key
	}
	// A suggestion transferred to the problems list (代表直通车) shows that
	// problem's progress, step by step.
	var progress map[string]any
	if id := s.GetString("problem"); id != "" {
		if label, due, overdue, steps, err := problems.PublicProgress(e.App, id); err == nil {
			shown := make([]map[string]string, len(steps))
			for i, st := range steps {
				shown[i] = map[string]string{"At": chinaTime(st.At), "Text": st.Text, "Note": maskPersonalNumbers(st.Note)}
			}
			progress = map[string]any{"Status": label, "Due": chinaTime(due), "Overdue": overdue, "Steps": shown}
		}
	}
	return statusPage.render(e, status, map[string]any{
		"Progress":       progress,
		"Title":          "办理情况 · " + s.GetString("tracking"),
		"New":            e.Request.URL.Query().Get("new") != "",
		"Tracking":       s.GetString("tracking"),
		"StatusURL":      publicBaseURL(e.App, e.Request) + link,
		"StatusLink":     link,
		"Key":            key,
		"Status":         statusLabels[st],
		"Deputy":         deputy,
		"Village":        roster.VillageName(e.App, s.GetString("village")),
		"Category":       s.GetString("category"),
		"Content":        maskPersonalNumbers(s.GetString("content")),
		"ReceivedAt":     chinaTime(s.GetDateTime("received_at").Time()),
		"AckDue":         chinaTime(s.GetDateTime("ack_due").Time()),
		"FeedbackDue":    chinaTime(s.GetDateTime("feedback_due").Time()),
		"AckLate":        s.GetBool("ack_overdue"),
		"FeedbackLate":   s.GetBool("feedback_overdue"),
		"AcknowledgedAt": chinaTime(s.GetDateTime("acknowledged_at").Time()),
		"Reply":          maskPersonalNumbers(s.GetString("reply")),
		"AnsweredAt":     chinaTime(s.GetDateTime("answered_at").Time()),
		"Satisfaction":   satisfactionLabel(s.GetString("satisfaction")),
		"CanRate":        answered && s.GetString("satisfaction") == "" && key != "",
		"RateElsewhere":  answered && s.GetString("satisfaction") == "" && key == "",
		"Error":          errMsg,
	})
}

// rateAnswer records the resident's satisfaction, once, after the answer.
// It needs the rating key of the resident's own link: the tracking code
// alone is not enough, since the deputy who answered can read it.
func rateAnswer(e *core.RequestEvent) error {
	s, err := findByTracking(e.App, e.Request.PathValue("tracking"))
	if err != nil {
		return showMessage(e, http.StatusNotFound, "未找到该查询码", "请核对查询码。", true)
	}
	parse := e.Request.ParseForm
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/") {
		parse = func() error { return e.Request.ParseMultipartForm(4 << 10) }
	}
	if err := parse(); err != nil {
		return showMessage(e, http.StatusBadRequest, "提交失败", "评价内容不完整，请返回重新提交。", false)
	}
	if !ratingKeyOK(s, ratingKeyOf(e)) {
		return showMessage(e, http.StatusForbidden, "不能评价",
			"满意度评价只能通过提交建议后得到的链接进行（查询码本身不能评价），以免他人代为评价。请打开当时保存的链接。", true)
	}
	back := "/t/" + s.GetString("tracking") + "?k=" + s.GetString("rating_key")
	st := s.GetString("status")
	if (st != statusAnswered && st != statusTransferred && st != statusClosed) || s.GetString("satisfaction") != "" {
		return e.Redirect(http.StatusSeeOther, back)
	}
	choice := e.Request.FormValue("satisfaction")
	if !slices.Contains(vocab.Values(vocab.Satisfaction), choice) {
		return renderStatus(e, s, http.StatusBadRequest, "请选择一项评价")
	}
	s.Set("satisfaction", choice)
	s.Set("satisfaction_at", time.Now().UTC())
	if err := e.App.Save(s); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, back)
}

// newRatingKey is the secret of a resident's rating link: 20 characters
// from 36, about 103 bits.
func newRatingKey() string {
	return security.RandomStringWithAlphabet(20, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// ratingKeyOf is the key the request carries: the form's k, or the link's.
func ratingKeyOf(e *core.RequestEvent) string {
	if k := e.Request.PostFormValue("k"); k != "" {
		return k
	}
	return e.Request.URL.Query().Get("k")
}

// ratingKeyOK compares in constant time; a suggestion without a key (one
// a deputy logged) can never be rated from the page.
func ratingKeyOK(s *core.Record, key string) bool {
	want := s.GetString("rating_key")
	return want != "" && len(key) == len(want) && subtle.ConstantTimeCompare([]byte(key), []byte(want)) == 1
}

// satisfactionLabel is the resident's answer in Chinese, "" for none.
func satisfactionLabel(v string) string {
	if v == "" {
		return ""
	}
	return vocab.Label(vocab.Satisfaction, v)
}
